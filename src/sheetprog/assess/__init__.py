"""Effectiveness assessment, one stage in one package.

- ``result`` — the assessment's result types (what every view reads);
- ``methodology`` — the municipality's methodology: presets and ``[methodology]``;
- ``scores`` — the coefficients of the methodology families;
- ``engine`` — indicators, activities and funding → an ``Assessment``;
- ``view`` — the assessment as text and JSON; ``sheet`` — as the «Оценка» sheet.
"""
