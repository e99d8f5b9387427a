"""Effectiveness of the work with the reserve (Novoshakhtinsk procedure, section 7). Pure.

ЭфР1 = persons appointed from the reserve during the period / persons in the reserve
during it; ЭфР2 = target posts filled by reservists / target posts that fell vacant.
Each for the year and cumulative over two and three years (7.1), with the bands of 7.2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sheetprog.assess.methodology import Band
from sheetprog.errors import ConfigError
from sheetprog.fmt import quantize
from sheetprog.reserve.layout import FILLED_BY_RESERVIST
from sheetprog.reserve.model import Reserve, Reservist
from sheetprog.values import normalize_text

CHOICES = {
    "count": ("during", "start", "end"),
    "appointments": ("all", "target"),
    "boundary": ("higher", "lower"),
}


@dataclass(frozen=True)
class ReserveSettings:
    # who is "in the reserve" in a period: at any time during it (default), on its first day,
    # or on its last day
    count: str = "during"
    # which appointments count for ЭфР1: every appointment from the reserve, or only to
    # the target positions
    appointments: str = "all"
    # a value exactly on a boundary («от 10 до 20 процентов»): in the higher band (default)
    # or in the lower one; the top band («свыше 30») never includes its boundary
    boundary: str = "higher"


def bands(limits: tuple[str, str, str], boundary: str) -> tuple[Band, ...]:
    low, middle, high = (Decimal(x) for x in limits)
    inclusive = boundary == "higher"
    return (
        Band(high, "очень высокая", "очень высокой", inclusive=False),
        Band(middle, "высокая", "высокой", inclusive=inclusive),
        Band(low, "средняя", "средней", inclusive=inclusive),
        Band(None, "низкая", "низкой"),
    )


EFR1_LIMITS = ("0.10", "0.20", "0.30")
EFR2_LIMITS = ("0.30", "0.50", "0.70")


def pick(band_list: tuple[Band, ...], value: Decimal) -> Band:
    for band in band_list:
        if band.min is None or value > band.min or (band.inclusive and value == band.min):
            return band
    return band_list[-1]


@dataclass
class Share:
    key: str  # "ЭфР1", "ЭфР1[2]", "ЭфР1[3]", "ЭфР2", …, "Обучение"
    title: str
    years: tuple[int, ...]
    numerator: int
    denominator: int
    value: Decimal | None
    band: str | None
    phrase: str | None
    numerator_ids: list[str] = field(default_factory=list)
    denominator_ids: list[str] = field(default_factory=list)
    note: str | None = None  # e.g. the window reaches back before the register's first data

    @property
    def window(self) -> str:
        return str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}–{self.years[-1]}"


@dataclass
class ReserveAssessment:
    file: str | None
    year: int
    settings: ReserveSettings
    shares: list[Share]
    conclusion: str

    def share(self, key: str) -> Share:
        return next(s for s in self.shares if s.key == key)


def _in_reserve(r: Reservist, start: dt.date, end: dt.date, count: str) -> bool:
    if r.included is None:
        return False
    if count == "start":
        return r.included <= start and (r.excluded is None or r.excluded >= start)
    if count == "end":
        return r.included <= end and (r.excluded is None or r.excluded > end)
    return r.included <= end and (r.excluded is None or r.excluded >= start)


def _share(
    key: str,
    title: str,
    years: tuple[int, ...],
    num: list[str],
    den: list[str],
    band_list: tuple[Band, ...] | None,
) -> Share:
    value = quantize(Decimal(len(num)) / len(den), 4) if den else None  # then the bands
    band = pick(band_list, value) if band_list is not None and value is not None else None
    return Share(
        key,
        title,
        years,
        len(num),
        len(den),
        value,
        band.label if band else None,
        band.phrase if band else None,
        num,
        den,
    )


def first_data_year(reserve: Reserve) -> int | None:
    """The earliest year of any date in the register or the vacancies."""
    dates = [r.included for r in reserve.reservists if r.included] + [
        v.opened for v in reserve.vacancies if v.opened
    ]
    return min(d.year for d in dates) if dates else None


def assess_reserve(reserve: Reserve, year: int, settings: ReserveSettings) -> ReserveAssessment:
    """ЭфР1, ЭфР2 for the year and the 2- and 3-year windows ending with it, and the training
    share. Each share is rounded to 4 decimals (0,01 %) before it is compared with the bands;
    a window that starts before the register's first data says so in its note."""
    shares: list[Share] = []
    first = first_data_year(reserve)
    efr1_bands = bands(EFR1_LIMITS, settings.boundary)
    efr2_bands = bands(EFR2_LIMITS, settings.boundary)
    for span in (1, 2, 3):
        years = tuple(range(year - span + 1, year + 1))
        start, end = dt.date(years[0], 1, 1), dt.date(year, 12, 31)
        tag = "" if span == 1 else f"[{span}]"
        members = [r for r in reserve.reservists if _in_reserve(r, start, end, settings.count)]
        appointed = [
            r
            for r in members
            if r.appointed
            and start <= r.appointed <= end
            and (settings.appointments == "all" or r.appointed_target)
        ]
        shares.append(
            _share(
                f"ЭфР1{tag}",
                "Доля лиц, назначенных из резерва",
                years,
                [r.label for r in appointed],
                [r.label for r in members],
                efr1_bands,
            )
        )
        vacant = [v for v in reserve.vacancies if v.opened and start <= v.opened <= end]
        filled = [
            v
            for v in vacant
            if normalize_text(v.filled_by or "") == normalize_text(FILLED_BY_RESERVIST)
        ]
        shares.append(
            _share(
                f"ЭфР2{tag}",
                "Доля целевых должностей, замещённых резервистами",
                years,
                [v.position or "" for v in filled],
                [v.position or "" for v in vacant],
                efr2_bands,
            )
        )
        if first is not None and years[0] < first:
            note = f"данные в книге — с {first} года: окно {years[0]}–{year} охвачено не полностью"
            shares[-2].note = shares[-1].note = note
    yearly = [
        r
        for r in reserve.reservists
        if _in_reserve(r, dt.date(year, 1, 1), dt.date(year, 12, 31), settings.count)
    ]
    shares.append(
        _share(
            "Обучение",
            "Доля резервистов, участвовавших в обучении (п. 7.3)",
            (year,),
            [r.label for r in yearly if r.trained],
            [r.label for r in yearly],
            None,
        )
    )
    return ReserveAssessment(reserve.source_path, year, settings, shares, _conclusion(shares, year))


def _conclusion(shares: list[Share], year: int) -> str:
    one, two = shares[0], shares[1]
    parts = []
    for share, what in (
        (one, "по назначениям из резерва (ЭфР1)"),
        (two, "по замещению целевых должностей (ЭфР2)"),
    ):
        if share.value is None:
            parts.append(f"{what} не определяется: нет данных за {year} год")
        else:
            parts.append(f"{what} — {share.band}")
    return f"Эффективность работы с муниципальным резервом в {year} году: " + "; ".join(parts) + "."


def settings_from_toml(text: str, source: str) -> ReserveSettings:
    """The [reserve] table of a sheetprog.toml text."""
    try:
        table = tomllib.loads(text).get("reserve", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Файл настроек «{source}»: синтаксическая ошибка TOML: {exc}") from exc
    return settings_from_table(table, source)


def settings_from_table(table: Any, source: str) -> ReserveSettings:
    """The parsed [reserve] table: count, appointments, boundary."""
    errors = []
    changes = {}
    for key, value in table.items():
        if key not in CHOICES:
            errors.append(f"reserve.{key}: неизвестный параметр (допустимы {', '.join(CHOICES)})")
        elif value not in CHOICES[key]:
            errors.append(f"reserve.{key}: допустимо {', '.join(CHOICES[key])}")
        else:
            changes[key] = value
    if errors:
        raise ConfigError(
            f"Файл настроек «{source}» содержит ошибки:\n" + "\n".join(f"  — {e}" for e in errors)
        )
    return dataclasses.replace(ReserveSettings(), **changes)
