"""Where the batch's per-file work goes, against a bare python-calamine read (issue 21).

    python benchmarks/read_parts.py [--files 300] [--inbox DIR] [--repeat 2]

For each workbook of an inbox (made by benchmarks/batch.py's ``make_inbox`` when ``--inbox``
is not given or empty), in turns in one process: a bare calamine read of every sheet, the
library's grid (safety checks, package, XML scans, calamine), the model (parse), the checks
and the assessment, and the whole ``process_file`` of a batch worker. Prints each part's CPU
time as a ratio to the bare read (the issue's target: the whole ≤ 2×).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import python_calamine  # noqa: E402
from batch import make_inbox  # noqa: E402

from sheetprog.api import _READ_SHEETS, check_findings, parse_grid  # noqa: E402
from sheetprog.assess.engine import assess  # noqa: E402
from sheetprog.batch.process import process_file  # noqa: E402
from sheetprog.io.fast_grid import load_grid_fast  # noqa: E402
from sheetprog.program.kind import choose_period  # noqa: E402
from sheetprog.settings import load_settings  # noqa: E402
from sheetprog.values import normalize_text  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--inbox")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(args.inbox or tmp)
        inbox.mkdir(parents=True, exist_ok=True)
        if not any(inbox.iterdir()):
            make_inbox(inbox, args.files)
        files = [f for f in sorted(inbox.iterdir()) if f.name.startswith("sub")]
        settings = load_settings(inbox / "sheetprog.toml")  # none there: the defaults

        def wanted(name: str) -> bool:
            return normalize_text(name) in _READ_SHEETS

        parts = dict.fromkeys(("bare", "grid", "parse", "checks", "assess", "process_file"), 0.0)
        for _ in range(args.repeat):
            for f in files:
                t0 = time.process_time()
                book = python_calamine.CalamineWorkbook.from_path(str(f))
                for name in book.sheet_names:
                    book.get_sheet_by_name(name).to_python()
                t1 = time.process_time()
                grid = load_grid_fast(f, wanted)
                t2 = time.process_time()
                program = parse_grid(grid)
                t3 = time.process_time()
                check_findings(program, f, settings=settings)
                t4 = time.process_time()
                method = settings.methodology(program.passport.methodology)  # type: ignore[union-attr]
                assess(program, choose_period(program, None, f), method)  # type: ignore[arg-type]
                t5 = time.process_time()
                process_file(str(f), None, settings)
                t6 = time.process_time()
                for key, spent in zip(
                    parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True
                ):
                    parts[key] += spent
        bare = parts.pop("bare")
        print(f"{len(files)} files × {args.repeat}: bare calamine read {bare:.2f} s CPU")
        for key, spent in parts.items():
            print(f"  {key}: {spent:.2f} s, {spent / bare:.2f}× the bare read")
        whole = sum(v for k, v in parts.items() if k != "process_file")
        print(f"  grid + parse + checks + assess: {whole / bare:.2f}×")


if __name__ == "__main__":
    main()
