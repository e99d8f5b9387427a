"""The program's history (issue 18): tracked values, their changes, editions. Pure.

A *tracked value* is a value of the program as adopted, which only an amending act may
change: an indicator's plan of a year, a funding line's plan of a year, a passport field
of ``spec.AMENDED_PASSPORT_FIELDS``. Each is keyed by what a clerk reads on the
«Редакции» sheet — (sheet, «Строка», «Графа») — never by a cell address, so inserted
rows or columns do not change a key. Values are compared in their canonical form
(``canon``): «Свыше 85» equals «свыше 85,0», 1 234,5 equals «1234.5».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sheetprog import spec
from sheetprog.model import Edition, EditionRow, FundingLine, Indicator, Program, Subprogram
from sheetprog.project.model import ProjectProgram
from sheetprog.targets import Target, format_number, parse_target
from sheetprog.values import normalize_text

Key = tuple[str, str, str]  # (sheet, item, field), normalized by ``key_of``


@dataclass(frozen=True)
class Tracked:
    sheet: str
    item: str
    field: str
    value: str  # canonical text ("" when empty)
    cell: str | None  # "Показатели!J5"


@dataclass(frozen=True)
class PlanChange:
    """A tracked value that differs between two submissions."""

    sheet: str
    item: str
    field: str
    old: str
    new: str
    cell: str | None  # where the new value is (None when the row was removed)


def program_identity(program: Program | ProjectProgram) -> tuple[str, str]:
    """(OKTMO or municipality, code or name), folded: which program a workbook is of."""
    p = program.passport
    return (
        normalize_text(p.oktmo or p.municipality or ""),
        normalize_text(p.program_code or p.program_name or ""),
    )


def same_program(a: Program | ProjectProgram, b: Program | ProjectProgram) -> bool:
    return program_identity(a) == program_identity(b)


def key_of(sheet: str, item: str, field: str) -> Key:
    return (normalize_text(sheet), normalize_text(item), normalize_text(field))


def canon(value: object) -> str:
    """The comparison form of a value: a target or number in the workbook's canonical form,
    a list joined with «; », other text as typed (spaces tidied); "" for empty."""
    if value is None:
        return ""
    if isinstance(value, Target):
        return value.canonical()
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, Decimal | int | float):
        return format_number(Decimal(str(value)))
    if isinstance(value, Subprogram):
        return f"{value.number}. {value.name}"
    if isinstance(value, list | tuple):
        return "; ".join(canon(v) for v in value)
    text = " ".join(str(value).split())
    try:
        target = parse_target(text)
    except ValueError:
        return text
    return target.canonical() if target.is_set else text


def same(a: object, b: object) -> bool:
    """Equal in meaning: canonical forms equal up to case and ё/е."""
    return normalize_text(canon(a)) == normalize_text(canon(b))


def indicator_item(ind: Indicator) -> str:
    """How an indicator is named in «Строка»: its code, else its number, else its name."""
    return ind.code or ind.number or (ind.name or "")


def funding_item(line: FundingLine) -> str:
    """ "1.2 · местный бюджет": how a funding line is named in «Строка» (``funding_items``
    adds the ГРБС, then a number, where that alone repeats)."""
    source = line.source_text or (line.source.value if line.source else "")
    return f"{line.activity or ''} · {source}"


def funding_items(lines: list[FundingLine]) -> list[str]:
    """Each line's name: «№ · источник»; « · ГРБС» added where that repeats, then « (2)»,
    « (3)» where even that repeats (both lines stay tracked)."""
    base = [funding_item(line) for line in lines]
    counts: dict[str, int] = {}
    for name in base:
        counts[normalize_text(name)] = counts.get(normalize_text(name), 0) + 1
    named = [
        f"{name} · {line.grbs}" if counts[normalize_text(name)] > 1 and line.grbs else name
        for name, line in zip(base, lines, strict=True)
    ]
    seen: dict[str, int] = {}
    return [_unique(name, seen) for name in named]


def _unique(item: str, seen: dict[str, int]) -> str:
    """A repeated row name gets « (2)», « (3)» …: both lines stay tracked."""
    norm = normalize_text(item)
    seen[norm] = seen.get(norm, 0) + 1
    return item if seen[norm] == 1 else f"{item} ({seen[norm]})"


def tracked_values(program: Program) -> dict[Key, Tracked]:
    """Every tracked value of the program, by key (see the module docstring)."""
    out: dict[Key, Tracked] = {}

    def put(sheet: str, item: str, field: str, value: object, cell: str | None) -> None:
        out[key_of(sheet, item, field)] = Tracked(sheet, item, field, canon(value), cell)

    p = program.passport
    for fld in spec.PASSPORT_FIELDS:
        if fld.key not in spec.AMENDED_PASSPORT_FIELDS:
            continue
        if fld.per_year:
            per_year = getattr(p, fld.key)
            years = sorted(set(per_year) | _cell_years(p.cells, fld.key))
            for year in years:
                put(
                    spec.SHEET_PASSPORT,
                    fld.label_for(year),
                    spec.EDITION_VALUE_FIELD,
                    per_year.get(year),
                    p.cells.get(f"{fld.key}.{year}"),
                )
        else:
            put(
                spec.SHEET_PASSPORT,
                fld.label,
                spec.EDITION_VALUE_FIELD,
                getattr(p, fld.key),
                p.cells.get(fld.key),
            )
    plan_header = spec.INDICATORS.column("plan").header
    seen: dict[str, int] = {}
    for ind in program.indicators:
        item = _unique(indicator_item(ind), seen)
        for year in sorted(set(ind.plan) | _cell_years(ind.cells, "plan")):
            target = ind.plan.get(year)
            put(
                spec.SHEET_INDICATORS,
                item,
                plan_header.format(year=year),
                target,
                ind.cells.get(f"plan.{year}"),
            )
    for line, item in zip(program.funding, funding_items(program.funding), strict=True):
        for year in sorted(set(line.plan) | _cell_years(line.cells, "plan")):
            put(
                spec.SHEET_FUNDING,
                item,
                spec.FUNDING.column("plan").header.format(year=year),
                line.plan.get(year),
                line.cells.get(f"plan.{year}"),
            )
    return out


def _cell_years(cells: dict[str, str], kind: str) -> set[int]:
    """Years that have a cell of ``kind`` ("plan.2026"): an empty plan is tracked as ""."""
    out = set()
    for key in cells:
        name, _, rest = key.partition(".")
        if name == kind and rest.isdigit():
            out.add(int(rest))
    return out


def plan_changes(old: Program, new: Program) -> list[PlanChange]:
    """Tracked values that differ from ``old`` to ``new``, in the order of ``new``'s sheets
    (a value only one side has counts as a change from or to empty)."""
    return changes_between(tracked_values(old), tracked_values(new))


def changes_between(left: dict[Key, Tracked], right: dict[Key, Tracked]) -> list[PlanChange]:
    """The tracked values that differ from ``left`` to ``right`` (either structure's)."""
    out: list[PlanChange] = []
    for key in [*right, *(k for k in left if k not in right)]:
        a, b = left.get(key), right.get(key)
        before, after = (a.value if a else ""), (b.value if b else "")
        if normalize_text(before) == normalize_text(after):
            continue
        ref = b or a
        assert ref is not None
        out.append(PlanChange(ref.sheet, ref.item, ref.field, before, after, b.cell if b else None))
    return out


# -- the «Редакции» sheet ---------------------------------------------------------------------


def group_editions(rows: Iterable[EditionRow]) -> list[Edition]:
    """Rows → editions. A row with an act (kind, number or date) that differs from the
    current edition's starts a new edition; a row with no act continues the current one
    (before the first act: an edition without an act, which the checks report)."""
    editions: list[Edition] = []
    current: Edition | None = None
    for row in rows:
        if row.has_act and (
            current is None
            or (row.act_kind, row.act_number, row.act_date)
            != (current.act_kind, current.act_number, current.act_date)
        ):
            current = Edition(
                row.act_kind,
                row.act_number,
                row.act_date,
                row=row.row,
                cells=dict(row.cells),
            )
            editions.append(current)
        elif current is None:
            current = Edition(row=row.row, cells=dict(row.cells))
            editions.append(current)
        for name in ("effective_date", "reason", "description"):
            if getattr(current, name) is None and getattr(row, name) is not None:
                setattr(current, name, getattr(row, name))
                current.cells[name] = row.cells.get(name, current.cells.get(name, ""))
        if row.has_change:
            current.changes.append(row)
    return editions


def edition_order(edition: Edition) -> tuple[dt.date, dt.date]:
    """Editions in force order: by the date they apply from, then the act's date; an
    edition without dates (a draft not adopted yet) counts as the latest. Sorting is
    stable: editions of the same dates keep the sheet's order."""
    far = dt.date.max
    return (edition.in_force or far, edition.act_date or far)


def latest_changes(editions: list[Edition]) -> dict[Key, tuple[Edition, EditionRow]]:
    """For each key, the change of the latest edition that records it (ties: the later row)."""
    out: dict[Key, tuple[Edition, EditionRow]] = {}
    for edition in sorted(editions, key=edition_order):
        for change in edition.changes:
            key = key_of(change.sheet or "", change.item or "", change.field or "")
            out[key] = (edition, change)
    return out


def covering(editions: list[Edition], change: PlanChange) -> Edition | None:
    """The edition that records ``change``: same key, «Стало» equal to the new value."""
    key = key_of(change.sheet, change.item, change.field)
    for edition in sorted(editions, key=edition_order, reverse=True):
        for row in edition.changes:
            if key_of(row.sheet or "", row.item or "", row.field or "") == key and same(
                row.new, change.new
            ):
                return edition
    return None


def funding_edition(program: Program, year: int | None = None) -> Edition | None:
    """The latest edition that changed funding (a funding plan, or the passport's volume
    of ``year`` / the total when ``year`` is None): what F03/F04 point at."""
    total = spec.passport_field("funding_total").label
    year_label = spec.passport_field("funding_by_year").label_for(year) if year else None
    for edition in sorted(program.editions, key=edition_order, reverse=True):
        for row in edition.changes:
            sheet, item = normalize_text(row.sheet or ""), normalize_text(row.item or "")
            field = row.field or ""
            if sheet == normalize_text(spec.SHEET_FUNDING) and (year is None or str(year) in field):
                return edition
            if sheet == normalize_text(spec.SHEET_PASSPORT) and item in (
                normalize_text(total),
                normalize_text(year_label or total),
            ):
                return edition
    return None


def parse_act(text: str) -> tuple[str, str | None, dt.date | None]:
    """ "постановление № 123 от 01.02.2026" → ("постановление", "123", date); a draft,
    «проект постановления», has neither number nor date yet (H05 asks for them once it is
    adopted). Raises ValueError with a Russian reason."""
    import re

    from sheetprog.values import to_date

    draft = " ".join(text.split())
    if draft.casefold().startswith("проект") and not re.search(r"\d", draft):
        return draft, None, None

    match = re.match(
        r"^\s*(?P<kind>[^\d№]+?)\s*(?:№|N|No\.?|n)\s*(?P<number>\S+?)\s+от\s+"
        r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*(?:г\.?|года)?\s*$",
        text,
        re.I,
    )
    if not match:
        raise ValueError(
            f"реквизиты акта «{text}» не распознаны: ожидается, например, "
            "«постановление № 123 от 01.02.2026»"
        )
    date = to_date(match.group("date"))
    assert date is not None
    return match.group("kind").strip(), match.group("number").strip(), date


def reason_of(text: str) -> str | None:
    """The reason from ``spec.EDITION_REASONS`` that ``text`` names (case-insensitive, or
    the beginning of one: «бюджет» → «решение о бюджете» is not guessed — exact or prefix)."""
    norm = normalize_text(text)
    for reason in spec.EDITION_REASONS:
        if normalize_text(reason) == norm:
            return reason
    found = [r for r in spec.EDITION_REASONS if normalize_text(r).startswith(norm) and norm]
    return found[0] if len(found) == 1 else None


def describe_changes(changes: list[PlanChange]) -> str:
    """A short summary for «Что изменено»: counts by sheet."""
    counts: dict[str, int] = {}
    for ch in changes:
        counts[ch.sheet] = counts.get(ch.sheet, 0) + 1
    words = {
        spec.SHEET_PASSPORT: "паспорт",
        spec.SHEET_INDICATORS: "планы показателей",
        spec.SHEET_FUNDING: "финансирование",
        "Результаты": "планы результатов",  # the project structure's sheets (issue 17)
        "Финансовое обеспечение": "финансирование",
    }
    return "; ".join(f"{words.get(s, s)}: {n}" for s, n in counts.items()) or "без изменений"


def amendment(
    program: Program | ProjectProgram,
    changes: list[PlanChange],
    act: str,
    reason: str,
    effective: str | None = None,
    description: str | None = None,
) -> tuple[Edition, list[EditionRow]]:
    """The edition ``act`` recording ``changes`` in ``program`` (the new submission), and
    its sheet rows (the act on the first). Changes an edition of ``program`` already
    records are left out. Raises UsageError (Russian) for an unreadable act, a reason not
    from the list, an act ``program`` already has, or nothing left to record."""
    from sheetprog.errors import UsageError
    from sheetprog.values import to_date

    try:
        kind, number, date = parse_act(act)
    except ValueError as exc:
        raise UsageError(f"--act: {exc}.") from exc
    chosen = reason_of(reason)
    if chosen is None:
        raise UsageError(
            f"--reason «{reason}» не из списка: "
            + ", ".join(f"«{r}»" for r in spec.EDITION_REASONS)
            + "."
        )
    try:
        in_force = to_date(effective) if effective else None
    except ValueError as exc:
        raise UsageError(f"--effective «{effective}»: {exc}.") from exc
    for existing in program.editions:
        if number is not None and (
            normalize_text(existing.act_number or "") == normalize_text(number)
            and existing.act_date == date
        ):
            raise UsageError(
                f"Редакция «{existing.title}» уже записана в книге (лист «{spec.SHEET_EDITIONS}»"
                f", строка {existing.row}): повторно не записывается."
            )
    fresh = [ch for ch in changes if covering(program.editions, ch) is None]
    if not fresh:
        already = " (все они уже записаны в редакциях книги)" if changes else ""
        raise UsageError(
            "Изменений планов, финансирования и паспорта между книгами нет"
            + already
            + ": редакция не записана."
        )
    edition = Edition(
        kind,
        number,
        date,
        in_force,
        chosen,
        description or describe_changes(fresh),
    )
    rows = [
        EditionRow(
            sheet=ch.sheet,
            item=ch.item,
            field=ch.field,
            old=ch.old or None,
            new=ch.new or None,
            cell=ch.cell.rpartition("!")[2] if ch.cell else None,
        )
        for ch in fresh
    ]
    first = rows[0]
    first.act_kind, first.act_number, first.act_date = kind, number, date
    first.effective_date, first.reason, first.description = (
        in_force,
        chosen,
        edition.description,
    )
    edition.changes = rows
    return edition, rows
