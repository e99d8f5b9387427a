"""Batch throughput: N realistic submissions (perturbed copies of the examples, some broken),
sheetprog batch against a naive baseline (openpyxl load_workbook + pandas per file).

    python benchmarks/batch.py [--files 200] [--jobs 2] [--repeat 1]

Prints files per second and peak memory for both, and their ratio, in one run.
Targets (issue 8): ≥ 20 files/s here, ≥ 10× the baseline, < 500 MB for 2 000 files.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sheetprog.api import load_definition  # noqa: E402
from sheetprog.io.builder import build_workbook, save_workbook  # noqa: E402
from sheetprog.periods import Period  # noqa: E402


def make_inbox(folder: Path, n: int) -> None:
    """N submissions of distinct municipalities (as in a real region), every 25th broken and
    every 100th a resubmission (an exact copy under another name, superseded in the summary).
    The first 50 are built from the Kaluga example with perturbed facts; the others are
    those files with another municipality and OKTMO in the passport (fast to make)."""
    base = load_definition(ROOT / "examples" / "kaluga-2016.yaml")
    for i in range(n):
        path = folder / f"sub-{i:04d}.xlsx"
        if i % 25 == 24:  # some broken submissions
            (folder / f"broken-{i:04d}.xlsx").write_bytes(b"not a workbook")
        elif i % 100 == 60:  # a resubmission of the previous file
            shutil.copy(folder / f"sub-{i - 1:04d}.xlsx", path)
        elif i < 50:
            program = copy.deepcopy(base)
            program.passport.municipality = f"Район {i:04d}"
            program.passport.oktmo = f"{60000000 + i:08d}"
            for ind in program.indicators:
                fact = ind.facts.get(Period(2016))
                if fact is not None:
                    ind.facts[Period(2016)] = fact * Decimal(85 + i % 30) / 100
            save_workbook(build_workbook(program), path)
        else:
            _renamed(folder / f"sub-{i % 50:04d}.xlsx", path, i % 50, i)


def _renamed(source: Path, target: Path, old: int, new: int) -> None:
    """A copy of a built submission for another municipality (passport name and OKTMO)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # the passport
                data = data.replace(b" %04d</t>" % old, b" %04d</t>" % new, 1)
                data = data.replace(b">%08d<" % (60000000 + old), b">%08d<" % (60000000 + new), 1)
            dst.writestr(item, data)


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
    parser.add_argument(
        "--repeat", type=int, default=1, help="pairs of runs (a shared machine is noisy)"
    )
    args = parser.parse_args()
    print(
        f"files: {args.files} (distinct municipalities; every 25th broken, every 100th a "
        f"resubmission), jobs: {args.jobs}"
    )
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        make_inbox(inbox, args.files)
        for run in range(1, args.repeat + 1):
            out = Path(tmp) / f"out{run}"  # a new store each time: nothing is reused
            batch_cmd = [sys.executable, "-m", "sheetprog", "batch", str(inbox), "-o", str(out),
                         "--jobs", str(args.jobs)]  # fmt: skip
            batch_s, batch_peak, done = measured(batch_cmd)
            naive_s, naive_peak, naive_out = measured(
                [sys.executable, __file__, "--naive", str(inbox)]
            )
            # both rates count every file of the inbox (the naive script skips broken ones)
            batch_rate = args.files / batch_s
            naive_rate = args.files / naive_s
            ratios.append(batch_rate / naive_rate)
            print(f"run {run}: {done.splitlines()[0] if done else ''}")
            print(
                f"  sheetprog batch: {batch_s:.1f} s, {batch_rate:.1f} files/s, "
                f"peak RSS {batch_peak:.0f} MB (largest of its processes)"
            )
            print(
                f"  naive openpyxl+pandas: {naive_s:.1f} s, {naive_rate:.1f} files/s, "
                f"peak RSS {naive_peak:.0f} MB ({naive_out or 0} workbooks read)"
            )
            print(f"  ratio: {ratios[-1]:.1f}x")
    if len(ratios) > 1:
        print(f"ratio over {len(ratios)} runs: median {statistics.median(ratios):.1f}x, "
              f"lowest {min(ratios):.1f}x")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--naive":
        print(naive(Path(sys.argv[2])))
    else:
        main()
