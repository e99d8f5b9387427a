"""The check framework: rules with stable codes, findings, configuration. Pure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from sheetprog.checks.severity import Severity
from sheetprog.model import Edition, Program
from sheetprog.periods import QUARTER_SPANS, Period, Span

T = TypeVar("T")

GROUPS = (
    "Чтение и структура",
    "Значения",
    "Показатели",
    "Мероприятия",
    "Финансирование",
    "Между листами",
    "Между периодами",
    "Кадровый резерв",
    "Структура проектов",  # issue 17: sheetprog.checks.project_rules
)


@dataclass(frozen=True)
class Finding:
    """A located message of a catalogue rule (or of the reader, under its R code)."""

    code: str
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None
    value: object = None  # the cell as typed: a number, a date, text, a formula's text

    @property
    def ref(self) -> str | None:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet


def after_edition(edition: Edition | None, table: str) -> str:
    """Issue 18: the tail of a funding finding after an edition that changed funding — it
    names the edition and its row on «Редакции», where the clerk sees what was changed and
    what was not carried over into the passport and ``table`` («в таблицу», «на лист …»)."""
    if edition is None:
        return ""
    where = edition.cells.get("act_date") or edition.cells.get("sheet") or ""
    return (
        f" — после редакции «{edition.title}» ({where}): внесите изменённые объёмы и в "
        f"паспорт, и {table}"
    )


def falling(values: dict[Period, Decimal]) -> Iterator[tuple[Period, Decimal, Period, Decimal]]:
    """Where a cumulative series (I кв. ≤ полугодие ≤ 9 мес. ≤ год) falls within a year:
    (period, value, earlier period, earlier value)."""
    for year in sorted({p.year for p in values}):
        previous: tuple[Period, Decimal] | None = None
        for span in (*QUARTER_SPANS, Span.YEAR):
            period = Period(year, span)
            value = values.get(period)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                yield period, value, previous[0], previous[1]
            previous = (period, value)


@dataclass
class CheckConfig:
    disabled: set[str] = field(default_factory=set)
    severities: dict[str, Severity] = field(default_factory=dict)
    money_tolerance: Decimal | None = None  # None: half a unit of the coarser figure compared
    jump_ratio: Decimal = Decimal(3)  # a fact this many times above/below last year's: a warning
    ci_bound: Decimal = Decimal("1.3")  # a degree of achievement above this: a warning (I13)
    # issue 18: deviations that need an explanation on «Пояснения» (shares of the plan)
    deviation_under: Decimal = Decimal(0)  # plan missed by at least this (0: every miss)
    deviation_over: Decimal = Decimal("0.1")  # plan exceeded by more than this
    funding_under: Decimal = Decimal(0)  # cash below the year's plan by more than this share


@dataclass
class Context:
    program: Program
    config: CheckConfig
    previous: Program | None = None  # the previous submission, for cross-period rules
    # what several rules derive from the same program, derived once per run (issue 21)
    derived: dict[str, Any] = field(default_factory=dict)

    def once(self, name: str, make: Callable[[], T]) -> T:
        """What ``make`` derives from the program, made at the first rule that asks for
        ``name`` and kept for the others of this run."""
        if name not in self.derived:
            self.derived[name] = make()
        return cast(T, self.derived[name])

    def tolerance(self, *values: Decimal | None) -> Decimal:
        """Equality tolerance tied to the reported precision of the figures compared."""
        if self.config.money_tolerance is not None:
            return self.config.money_tolerance
        decimals = [
            max(0, -int(v.as_tuple().exponent))
            for v in values
            if v is not None and isinstance(v.as_tuple().exponent, int)
        ]
        return Decimal("0.5").scaleb(-min(decimals)) if decimals else Decimal("0.005")


Emit = Callable[..., Finding]
CheckFunc = Callable[[Context, Emit], Iterable[Finding] | None]


@dataclass(frozen=True)
class Rule:
    code: str
    group: str
    severity: Severity
    title: str
    description: str
    func: CheckFunc | None  # None: reported by the reader (a read problem)
    kind: str = "program"  # the model the rule applies to: "program" or "reserve"
    also: tuple[str, ...] = ()  # other kinds it applies to too (issue 18: H02–H07 "project")

    def applies_to(self, kind: str) -> bool:
        return kind == self.kind or kind in self.also

    def run(self, ctx: Context) -> Iterator[Finding]:
        if self.func is None:
            return iter(())
        severity = ctx.config.severities.get(self.code, self.severity)
        out: list[Finding] = []

        def emit(
            message: str,
            sheet: str | None = None,
            cell: str | None = None,
            value: object = None,
            ref: str | None = None,
        ) -> Finding:
            """Record a finding of this rule, with the rule's (configured) severity."""
            if ref:
                sheet, _, cell = ref.rpartition("!")
            finding = Finding(self.code, severity, message, sheet or None, cell or None, value)
            out.append(finding)
            return finding

        self.func(ctx, emit)
        return iter(out)


CATALOGUE: dict[str, Rule] = {}


def rule(
    code: str,
    group: str,
    severity: Severity,
    title: str,
    description: str,
    kind: str = "program",
    also: tuple[str, ...] = (),
) -> Callable[[CheckFunc], CheckFunc]:
    """Register a check function under a stable code."""

    def register(func: CheckFunc) -> CheckFunc:
        if code in CATALOGUE:
            raise ValueError(f"duplicate rule code {code}")
        CATALOGUE[code] = Rule(code, group, severity, title, description, func, kind, also)
        return func

    return register


def reader_rule(code: str, severity: Severity, title: str, description: str) -> None:
    """A problem the reader reports while reading; listed in the catalogue like any rule."""
    CATALOGUE[code] = Rule(code, GROUPS[0], severity, title, description, None)
