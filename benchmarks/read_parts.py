"""Where the batch's per-file work goes, against a bare python-calamine read (issue 21).

    python benchmarks/read_parts.py [--files 300] [--inbox DIR] [--repeat 2]

For each workbook of an inbox (made by benchmarks/batch.py's ``make_inbox`` when ``--inbox``
is not given or empty), in turns in one process: a bare calamine read of every sheet, the
library's grid (safety checks, package, XML scans, calamine), the model (parse), the checks
and the assessment, and the whole ``process_file`` of a batch worker. Prints each part's CPU
time as a ratio to the bare read (the issue's target: the whole ≤ 2×).

The floor of this design, measured the same way: calamine reading only the wanted sheets
(from the bytes in memory), opening the package and inflating those sheets once (what any
scan of the sheet XML must pay: python-calamine 0.9 gives no formulas, so their positions
come from the XML) and one C-speed pass over each (``bytes.count``: the cheapest scan
there is), plus the model, checks and assessment as measured. The per-file work cannot go
below that sum without a reader that gives formulas and cached values in one parse.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import python_calamine  # noqa: E402
from batch import make_inbox  # noqa: E402

from sheetprog.api import _READ_SHEETS, check_findings, parse_grid  # noqa: E402
from sheetprog.assess.engine import assess  # noqa: E402
from sheetprog.batch.process import process_file  # noqa: E402
from sheetprog.io import package  # noqa: E402
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
        floor = dict.fromkeys(("calamine, wanted sheets", "inflate once", "one pass"), 0.0)
        for _ in range(args.repeat):
            for f in files:
                for key, spent in zip(floor, _floor_parts(f, wanted), strict=True):
                    floor[key] += spent
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
        print("the floor of this design (see the docstring):")
        for key, spent in floor.items():
            print(f"  {key}: {spent:.2f} s, {spent / bare:.2f}× the bare read")
        least = sum(floor.values()) + parts["parse"] + parts["checks"] + parts["assess"]
        print(f"  floor + parse + checks + assess: {least / bare:.2f}×")


def _floor_parts(path: Path, wanted: Callable[[str], bool]) -> tuple[float, float, float]:
    """CPU seconds of: calamine reading the wanted sheets from the bytes in memory; opening
    the package and inflating those sheets once; one ``bytes.count`` pass over each."""
    data = path.read_bytes()
    t0 = time.process_time()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        if wanted(name):
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    t1 = time.process_time()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = package.manifest_of(zf)
        sheets = [zf.read(part) for name, part in manifest.parts.items() if wanted(name)]
    t2 = time.process_time()
    for xml in sheets:
        xml.count(b"<f")
    t3 = time.process_time()
    return t1 - t0, t2 - t1, t3 - t2


if __name__ == "__main__":
    main()
