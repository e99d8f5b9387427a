"""Consistency checks (контрольные соотношения): a catalogue of rules run on the program model.

``run_checks`` returns a report; it never raises for bad data. The reader's problems
appear as findings of the same report, under their own catalogue codes.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from sheetprog import spec
from sheetprog.checks import (
    activities,
    cross,
    funding,
    indicators,
    reading,
    reserve_rules,
    values_rules,
)
from sheetprog.checks.base import (
    CATALOGUE,
    GROUPS,
    SEVERITY_ORDER,
    CheckConfig,
    Context,
    Finding,
    Rule,
    config_from_toml,
)
from sheetprog.model import Program, Severity

__all__ = [
    "CATALOGUE",
    "GROUPS",
    "CheckConfig",
    "CheckReport",
    "Finding",
    "Rule",
    "config_from_toml",
    "run_checks",
]
_MODULES = (reading, values_rules, indicators, activities, funding, cross, reserve_rules)


@dataclass
class CheckReport:
    file: str | None
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def valid(self) -> bool:
        return self.count(Severity.ERROR) == 0

    def at_least(self, severity: Severity) -> CheckReport:
        limit = SEVERITY_ORDER[severity]
        return CheckReport(
            self.file, [f for f in self.findings if SEVERITY_ORDER[f.severity] <= limit]
        )


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


def run_checks(
    program: Any, config: CheckConfig | None = None, previous: Any = None
) -> CheckReport:
    """Run the catalogue's rules for the model's kind (a Program or a Reserve)."""
    config = config or CheckConfig()
    ctx = Context(program, config, previous)
    findings: list[Finding] = []
    for problem in program.problems:  # the reader's problems are findings already
        if problem.code not in config.disabled:
            severity = config.severities.get(problem.code, problem.severity)
            findings.append(dataclasses.replace(problem, severity=severity))
    kind = "program" if isinstance(program, Program) else "reserve"
    for code, rule_ in CATALOGUE.items():
        if code not in config.disabled and (rule_.func is None or rule_.kind == kind):
            findings.extend(rule_.run(ctx))
    findings.sort(key=_order)
    return CheckReport(program.source_path, findings)
