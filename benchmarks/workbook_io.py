"""Build and read a large synthetic program; prints timings and peak memory.

    python benchmarks/workbook_io.py [--indicators 200] [--activities 500] [--funding 1500]

Goal (issue 2): reading a 200 / 500 / 1 500-row, 6-year program well under a second here.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from sheetprog import read_workbook
from sheetprog.io.builder import build_workbook, save_workbook
from sheetprog.model import (
    Activity,
    Direction,
    FundingLine,
    Indicator,
    Passport,
    Program,
    Source,
    Status,
)
from sheetprog.periods import Period, Span
from sheetprog.targets import parse_target
from sheetprog.timing import parse_timing


def synthetic(n_ind: int, n_act: int, n_fund: int, years: list[int], seed: int = 1) -> Program:
    rnd = random.Random(seed)
    passport = Passport(
        municipality="Синтетический городской округ",
        program_name="Синтетическая программа",
        responsible_executor="Отдел",
        first_year=years[0],
        last_year=years[-1],
        reporting_year=years[2],
        reporting_span=Span.YEAR,
    )
    indicators = [
        Indicator(
            name=f"Показатель {i} " + "длинное наименование " * 3,
            number=str(i + 1),
            unit="%",
            direction=rnd.choice(list(Direction)),
            plan={y: parse_target(rnd.choice([50, "не менее 40", "90-99"])) for y in years},
            facts={Period(y, s): Decimal(rnd.randint(0, 100)) for y in years[:3] for s in Span},
        )
        for i in range(n_ind)
    ]
    activities = [
        Activity(
            number=f"{i // 10 + 1}.{i % 10 + 1}",
            name=f"Мероприятие {i}",
            responsible="Отдел",
            planned_start=parse_timing(f"I квартал {years[0]} года"),
            planned_end=parse_timing("Весь период"),
            status=rnd.choice(list(Status)),
            achieved_result="Результат " * 5,
        )
        for i in range(n_act)
    ]
    funding = [
        FundingLine(
            activity=f"{i % n_act // 10 + 1}.{i % 10 + 1}",
            source=Source.LOCAL,
            source_text="местный бюджет",
            plan={y: Decimal(rnd.randint(0, 10**6)) / 100 for y in years},
            cash={
                Period(y, s): Decimal(rnd.randint(0, 10**6)) / 100 for y in years[:3] for s in Span
            },
        )
        for i in range(n_fund)
    ]
    return Program(passport, indicators, activities, funding)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=200)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--funding", type=int, default=1500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    years = list(range(2021, 2027))
    program = synthetic(args.indicators, args.activities, args.funding, years)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.xlsx"
        start = time.perf_counter()
        save_workbook(build_workbook(program), path)
        build_s = time.perf_counter() - start
        print(
            f"program: {args.indicators} indicators, {args.activities} activities, "
            f"{args.funding} funding lines, {len(years)} years"
        )
        print(f"file size: {path.stat().st_size / 1024:.0f} KiB")
        print(f"build + save: {build_s:.2f} s")
        models = []
        for engine in ("calamine", "openpyxl"):
            reads = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                back = read_workbook(path, engine=engine)
                reads.append(time.perf_counter() - start)
            tracemalloc.start()
            read_workbook(path, engine=engine)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert len(back.funding) == args.funding and len(back.indicators) == args.indicators
            models.append(back)
            print(
                f"read ({engine}): median {statistics.median(reads):.3f} s, "
                f"min {min(reads):.3f} s ({args.repeat} runs), "
                f"peak Python memory {peak / 1024 / 1024:.1f} MiB"
            )
        print(f"both engines give the same model: {models[0] == models[1]}")


if __name__ == "__main__":
    main()
