"""A check run's result: the findings, counted and filtered by severity. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from sheetprog.checks.base import Finding
from sheetprog.checks.severity import Severity


@dataclass
class CheckReport:
    file: str | None
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def valid(self) -> bool:
        return self.errors == 0

    def at_least(self, severity: Severity) -> CheckReport:
        return CheckReport(
            self.file, [f for f in self.findings if f.severity.rank <= severity.rank]
        )
