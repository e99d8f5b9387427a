"""Running the catalogue on a model: ``run_checks`` never raises for bad data.

The reader's problems become findings of the same report under their catalogue codes,
with the catalogue's severity (or the ``[checks.severity]`` override) like every rule.
"""

from __future__ import annotations

import re
from typing import Any

from sheetprog import spec
from sheetprog.checks.base import CheckConfig, Context, Finding
from sheetprog.checks.catalogue import CATALOGUE
from sheetprog.checks.report import CheckReport
from sheetprog.model import ReadProblem

_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_SHEETS = {name: i for i, name in enumerate(spec.SHEET_ORDER)}


def _order(f: Finding) -> tuple[int, int, int, str]:
    match = _CELL.match(f.cell or "")
    row, col = (
        (int(match.group(2)), len(match.group(1)) * 100 + ord(match.group(1)[-1]))
        if (match)
        else (0, 0)
    )
    return (_SHEETS.get(f.sheet or "", len(_SHEETS)), row, col, f.code)


def read_findings(problems: list[ReadProblem], config: CheckConfig) -> list[Finding]:
    """The reader's problems as findings: catalogue severity, unless ``[checks.severity]``
    sets another; problems of disabled rules are left out."""
    return [
        Finding(
            p.code,
            config.severities.get(p.code, CATALOGUE[p.code].severity),
            p.message,
            p.sheet,
            p.cell,
            p.value,
        )
        for p in problems
        if p.code not in config.disabled
    ]


def run_checks(
    program: Any, config: CheckConfig | None = None, previous: Any = None
) -> CheckReport:
    """Run the catalogue's rules for the model's workbook kind (``model.KIND``)."""
    config = config or CheckConfig()
    ctx = Context(program, config, previous)
    findings = read_findings(program.problems, config)
    kind = program.KIND
    for code, rule_ in CATALOGUE.items():
        if code not in config.disabled and (rule_.func is None or rule_.applies_to(kind)):
            findings.extend(rule_.run(ctx))
    findings.sort(key=_order)
    return CheckReport(program.source_path, cap_findings(findings))


MAX_PER_RULE = 100  # docs/limits.md: findings shown per rule and file


def cap_findings(findings: list[Finding], limit: int = MAX_PER_RULE) -> list[Finding]:
    """At most ``limit`` findings of each rule (the first in sheet and cell order), then one
    summarising finding of that rule saying how many more there are: one careless or hostile
    workbook (a passport spanning thousands of years, a sheet of broken numbers) must not
    make megabytes of findings for every output that lists them."""
    seen: dict[str, int] = {}
    out: list[Finding] = []
    for f in findings:
        seen[f.code] = seen.get(f.code, 0) + 1
        if seen[f.code] <= limit:
            out.append(f)
    for code, count in seen.items():
        if count > limit:
            last = next(f for f in reversed(out) if f.code == code)
            out.append(
                Finding(
                    code,
                    last.severity,
                    f"и ещё замечаний по правилу {code}: {count - limit} (показаны первые "
                    f"{limit}); исправьте показанные и проверьте книгу снова",
                    last.sheet,
                )
            )
    return out
