"""How check, calc and the annual report grow with the size of one program.

    python benchmarks/program_size.py [--sizes 50 200 800 2000] [--repeat 1]

For each size N: a synthetic 6-year program with N indicators, 2,5·N activities and
7,5·N funding lines (benchmarks/workbook_io.py's generator), written to .xlsx once. Then
CPU seconds (process time) of: a bare python-calamine read of the file (the floor), the
library's read, ``check`` (read + all rules), ``calc`` (read + assessment) and ``report
annual`` (read + checks + assessment + charts + .docx), each with its ratio to the floor
and check/calc, report/check and report/calc; «charts» is the part of the report spent on
its two charts (plan/fact and funding). One report is rendered before the measurements, so
that imports (docxtpl, matplotlib) are not counted in the smallest size. The last lines fit
the growth exponent of check, calc and report between the smallest and the largest size and
between the two largest (≈ 1 is linear; 2 is quadratic).

Goals (issue 21): check within 3× calc and report within 3× check at every size; exponent
≈ 1; the chart < 0,5 s.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from workbook_io import synthetic  # noqa: E402

from sheetprog.api import assess_workbook, check_findings, make_report, read_workbook  # noqa: E402
from sheetprog.io.builder import build_workbook, save_workbook  # noqa: E402

YEARS = list(range(2021, 2027))


def cpu(func, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()
        func()
        best = min(best, time.process_time() - start)
    return best


def bare_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


class ChartClock:
    """CPU seconds spent in the report's charts: wraps the chart module's functions (the
    report imports them when it runs, so it calls the wrapped ones)."""

    NAMES = ("plan_fact_chart", "funding_chart")

    def __init__(self) -> None:
        from sheetprog.reports import chart

        self.seconds = 0.0
        self.real = {name: getattr(chart, name) for name in self.NAMES}
        for name, func in self.real.items():
            setattr(chart, name, self._timed(func))

    def _timed(self, func: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds += time.process_time() - start

        return timed


def chart_seconds(path: Path) -> float:
    from sheetprog.reports.chart import plan_fact_chart

    rows = [{"code": f"П{i}", "name": f"Показатель {i}"} for i in range(50)]
    start = time.process_time()
    plan_fact_chart(rows, [1.0] * len(rows))
    return time.process_time() - start


def report(path: Path) -> None:
    make_report("annual", path, out=path.with_suffix(".docx"), replace=True)


def exponent(results: dict[int, dict[str, float]], key: str, first: int, last: int) -> float:
    return math.log(results[last][key] / results[first][key]) / math.log(last / first)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 800, 2000])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    results: dict[int, dict[str, float]] = {}
    clock = ChartClock()
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'N':>6} {'floor':>7} {'read':>7} {'check':>7} {'calc':>7} {'report':>7}"
              f" {'charts':>7} {'check/floor':>11} {'calc/floor':>10} {'check/calc':>10}"
              f" {'report/check':>12} {'report/calc':>11}")  # fmt: skip
        for i, n in enumerate(args.sizes):
            path = Path(tmp) / f"p{n}.xlsx"
            save_workbook(build_workbook(synthetic(n, int(2.5 * n), int(7.5 * n), YEARS)), path)
            if i == 0:
                report(path)  # imports and first-use caches, not counted
            t = {
                "floor": cpu(lambda p=path: bare_read(p), args.repeat),
                "read": cpu(lambda p=path: read_workbook(p), args.repeat),
                "check": cpu(lambda p=path: check_findings(read_workbook(p), p), args.repeat),
                "calc": cpu(lambda p=path: assess_workbook(read_workbook(p), p), args.repeat),
            }
            clock.seconds = 0.0
            t["report"] = cpu(lambda p=path: report(p), args.repeat)
            t["charts"] = clock.seconds / args.repeat
            results[n] = t
            print(f"{n:>6} {t['floor']:>7.2f} {t['read']:>7.2f} {t['check']:>7.2f}"
                  f" {t['calc']:>7.2f} {t['report']:>7.2f} {t['charts']:>7.2f}"
                  f" {t['check'] / t['floor']:>11.1f} {t['calc'] / t['floor']:>10.1f}"
                  f" {t['check'] / t['calc']:>10.2f} {t['report'] / t['check']:>12.2f}"
                  f" {t['report'] / t['calc']:>11.2f}", flush=True)  # fmt: skip
        sizes = sorted(results)
        if len(sizes) > 1:
            spans = [(sizes[0], sizes[-1])] + ([(sizes[-2], sizes[-1])] if len(sizes) > 2 else [])
            for key in ("check", "calc", "report"):
                print(f"growth exponent of {key}: "
                      + ", ".join(f"{exponent(results, key, a, b):.2f} between N={a} and N={b}"
                                  for a, b in spans))  # fmt: skip
        print(f"plan/fact chart of 50 indicators: {chart_seconds(Path(tmp)):.2f} s CPU")


if __name__ == "__main__":
    main()
