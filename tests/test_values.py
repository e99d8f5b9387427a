import datetime as dt
from decimal import Decimal

import pytest

from sheetprog.periods import Period, Span, parse_period, parse_span
from sheetprog.targets import TargetOp, format_target, parse_target
from sheetprog.timing import TimingKind, parse_timing
from sheetprog.values import normalize_text, split_list, to_date, to_decimal, to_flag


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("36,6", Decimal("36.6")),
        ("1 234,5", Decimal("1234.5")),
        ("1\u00a0234,5", Decimal("1234.5")),
        ("100 %", Decimal("100")),
        (" 7 ", Decimal("7")),
        (269.76, Decimal("269.76")),
        (5, Decimal("5")),
        ("-", None),
        ("х", None),
        (None, None),
    ],
)
def test_to_decimal_reads_russian_numbers(raw, expected):
    assert to_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["около 10", "10 человек", "#REF!", True, dt.date(2021, 1, 1)])
def test_to_decimal_rejects_non_numbers(raw):
    with pytest.raises(ValueError):
        to_decimal(raw)


def test_to_date_reads_text_and_real_dates():
    assert to_date("15.01.2021") == dt.date(2021, 1, 15)
    assert to_date("2021-01-15") == dt.date(2021, 1, 15)
    assert to_date(dt.datetime(2021, 1, 15, 0, 0)) == dt.date(2021, 1, 15)
    with pytest.raises(ValueError):
        to_date("31.02.2021")
    with pytest.raises(ValueError):
        to_date("январь")


def test_flags_and_lists():
    assert to_flag("Да") is True and to_flag("нет") is False and to_flag(None) is None
    with pytest.raises(ValueError):
        to_flag("может быть")
    assert split_list('ОМС, ОФОА; УВФС\nМУ "Департамент по спорту, туризму"') == [
        "ОМС",
        "ОФОА",
        "УВФС",
        'МУ "Департамент по спорту, туризму"',
    ]
    assert split_list("Министерство по внешним связям, национальной политике, печати") == [
        "Министерство по внешним связям, национальной политике, печати"
    ]
    assert split_list("Отдел кадров, Дума ПГО, КСП ПГО") == ["Отдел кадров", "Дума ПГО", "КСП ПГО"]
    assert normalize_text("  Ёлка\u00a0 ЗЕЛЁНАЯ: ") == "елка зеленая"


@pytest.mark.parametrize(
    ("raw", "op", "value", "upper"),
    [
        ("не менее 10", TargetOp.GE, 10, None),
        ("не ниже 10", TargetOp.GE, 10, None),
        ("≥ 10", TargetOp.GE, 10, None),
        ("свыше 90", TargetOp.GT, 90, None),
        ("более 90", TargetOp.GT, 90, None),
        ("не более 5", TargetOp.LE, 5, None),
        ("менее 5", TargetOp.LT, 5, None),
        ("90-99", TargetOp.RANGE, 90, 99),
        ("90–99", TargetOp.RANGE, 90, 99),
        ("от 90 до 99", TargetOp.RANGE, 90, 99),
        ("36,6", TargetOp.EQ, Decimal("36.6"), None),
        ("100 %", TargetOp.EQ, 100, None),
        (68, TargetOp.EQ, 68, None),
        ("да", TargetOp.YES, None, None),
        ("х", TargetOp.NONE, None, None),
        ("-", TargetOp.NONE, None, None),
        (None, TargetOp.NONE, None, None),
    ],
)
def test_parse_target(raw, op, value, upper):
    target = parse_target(raw)
    assert (target.op, target.value, target.upper) == (op, value, upper)
    if op is not TargetOp.NONE:  # the canonical form parses back to the same target
        again = parse_target(format_target(target))
        assert (again.op, again.value, again.upper) == (op, value, upper)


@pytest.mark.parametrize("raw", ["около 10", "99-90", "много"])
def test_parse_target_rejects(raw):
    with pytest.raises(ValueError):
        parse_target(raw)


@pytest.mark.parametrize(
    ("raw", "kind", "start", "end"),
    [
        ("I квартал 2012 года", TimingKind.INTERVAL, dt.date(2012, 1, 1), dt.date(2012, 3, 31)),
        (
            "II - III кварталы 2012 года",
            TimingKind.INTERVAL,
            dt.date(2012, 4, 1),
            dt.date(2012, 9, 30),
        ),
        (
            "I - II квартал 2013 года",
            TimingKind.INTERVAL,
            dt.date(2013, 1, 1),
            dt.date(2013, 6, 30),
        ),
        (2021, TimingKind.INTERVAL, dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
        ("15.01.2021", TimingKind.DATE, dt.date(2021, 1, 15), dt.date(2021, 1, 15)),
        ("Ежегодно, IV квартал", TimingKind.ANNUAL, None, None),
        ("Весь период", TimingKind.WHOLE, None, None),
        ("По мере необходимости", TimingKind.AS_NEEDED, None, None),
        ("Ежеквартально", TimingKind.REGULAR, None, None),
        ("когда получится", TimingKind.UNKNOWN, None, None),
    ],
)
def test_parse_timing(raw, kind, start, end):
    timing = parse_timing(raw)
    assert timing is not None
    assert (timing.kind, timing.start, timing.end) == (kind, start, end)


def test_timing_intervals_resolve_against_program_period():
    annual = parse_timing("Ежегодно, IV квартал")
    assert annual.interval(2019, 2023, year=2021) == (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    whole = parse_timing("Весь период")
    assert whole.interval(2019, 2023) == (dt.date(2019, 1, 1), dt.date(2023, 12, 31))


def test_periods():
    assert parse_period("2021-Q1") == Period(2021, Span.Q1)
    assert parse_period("2021-Q4") == Period(2021)
    assert Period(2021, Span.M9).label == "9 месяцев 2021 года"
    assert Period(2021, Span.H1).end_date == dt.date(2021, 6, 30)
    assert parse_span("Полугодие") is Span.H1
    with pytest.raises(ValueError):
        parse_period("2021-Q5")
