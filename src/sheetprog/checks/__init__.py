"""Consistency checks (контрольные соотношения): a catalogue of rules run on a workbook's model.

- ``severity`` — the levels, their order, words and colours (a leaf: marks use it too);
- ``base`` — rules, findings, the check context and settings type;
- one module per group of rules (``reading``, ``values_rules``, ``indicators``,
  ``activities``, ``funding``, ``cross``, ``reserve_rules``), gathered by ``catalogue``;
- ``settings`` — the ``[checks]`` section of sheetprog.toml;
- ``report`` and ``run`` — the report and ``run_checks``;
- ``view``, ``sheet``, ``docs`` — the report as text/JSON, as the «Проверки» sheet and
  marks, and docs/checks.md.
"""
