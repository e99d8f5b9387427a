"""Batch throughput: N realistic submissions (perturbed copies of the examples, some broken),
sheetprog batch against a naive baseline (openpyxl load_workbook + pandas per file).

    python benchmarks/batch.py [--files 200] [--jobs 2]

Prints files per second and peak memory for both, and their ratio, in one run.
Targets (issue 8): ≥ 20 files/s here, ≥ 10× the baseline, < 500 MB for 2 000 files.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sheetprog.definition import load_definition  # noqa: E402
from sheetprog.io.builder import build_workbook, save_workbook  # noqa: E402
from sheetprog.periods import Period  # noqa: E402


def make_inbox(folder: Path, n: int) -> None:
    base = load_definition(ROOT / "examples" / "kaluga-2016.yaml")
    template = folder / "_template.xlsx"
    for i in range(n):
        if i % 25 == 24:  # some broken submissions
            (folder / f"broken-{i:04d}.xlsx").write_bytes(b"not a workbook")
            continue
        program = copy.deepcopy(base)
        program.passport.municipality = f"Район {i:04d}"
        program.passport.oktmo = f"{60000000 + i:08d}"
        for ind in program.indicators:
            fact = ind.facts.get(Period(2016))
            if fact is not None:
                ind.facts[Period(2016)] = fact * Decimal(85 + i % 30) / 100
        path = folder / f"sub-{i:04d}.xlsx"
        if i < 50:  # a few distinct builds, then byte copies with other names (fast to make)
            save_workbook(build_workbook(program), path)
        else:
            shutil.copy(folder / f"sub-{i % 50:04d}.xlsx", path)
    template.unlink(missing_ok=True)


def naive(folder: Path) -> int:
    """What a script without sheetprog would do: full openpyxl load + pandas per sheet."""
    import openpyxl
    import pandas as pd

    done = 0
    for path in sorted(folder.glob("*.xlsx")):
        try:
            wb = openpyxl.load_workbook(path, data_only=True)
        except Exception:
            continue
        for ws in wb.worksheets:
            pd.DataFrame(ws.values)
        done += 1
    return done


def measured(cmd: list[str]) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB of the command and its workers, stdout), measured by a
    separate wrapper process so the two commands' peaks do not mix."""
    wrapper = (
        "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
        "capture_output=True, text=True, check=True); sys.stdout.write(r.stdout); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    out = (
        subprocess.run(
            [sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()
    )
    return time.perf_counter() - start, int(out[-1]) / 1024, "\n".join(out[:-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        inbox.mkdir()
        make_inbox(inbox, args.files)
        batch_cmd = [
            sys.executable,
            "-m",
            "sheetprog",
            "batch",
            str(inbox),
            "-o",
            str(out),
            "--jobs",
            str(args.jobs),
        ]
        batch_s, batch_peak, done = measured(batch_cmd)
        naive_s, naive_peak, naive_out = measured([sys.executable, __file__, "--naive", str(inbox)])
    batch_rate = args.files / batch_s
    naive_rate = int(naive_out or 0) / naive_s
    print(f"files: {args.files} (every 25th broken), jobs: {args.jobs}")
    print(
        f"sheetprog batch: {batch_s:.1f} s, {batch_rate:.1f} files/s, "
        f"peak RSS {batch_peak:.0f} MB (largest of its processes)"
    )
    print(
        f"naive openpyxl+pandas: {naive_s:.1f} s, {naive_rate:.1f} files/s, "
        f"peak RSS {naive_peak:.0f} MB"
    )
    print(f"ratio: {batch_rate / naive_rate:.1f}x")
    print(done.splitlines()[0] if done else "")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--naive":
        print(naive(Path(sys.argv[2])))
    else:
        main()
