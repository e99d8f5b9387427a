"""Drive a headless LibreOffice like a clerk: open a workbook, pick menu items, look.

Run with a Python that has LibreOffice's ``uno`` module (Debian: python3-uno, so
/usr/bin/python3), not the test's Python:

    python3 tests/lo_driver.py JOB.json

JOB: ``{"connect": "pipe,name=…", "out": DIR, "books": [{"file": PATH, "items": [[caption,
url], …]}]}``. For each book: load it (hidden), and for each menu item dispatch its URL on
the document's frame — what a click on the menu item does — then copy the file as it is on
disk to ``DIR/<book stem>/<n>.<suffix>`` and record what the reopened document in that
window shows (its file, active sheet, the sheets' names, the used rows of «Проверки» and
«Оценка»). Writes ``DIR/driver.json``.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]


def pv(name: str, value: Any) -> Any:
    p = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    p.Name = name
    p.Value = value
    return p


def connect(spec: str) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    last: Exception | None = None
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:{spec};urp;StarOffice.ComponentContext")
        except Exception as exc:  # not listening yet
            last = exc
            time.sleep(0.5)
    raise RuntimeError(f"soffice did not answer: {last}")


def used_rows(doc: Any, name: str) -> int | None:
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        return None
    cursor = sheets.getByName(name).createCursor()
    cursor.gotoEndOfUsedArea(False)
    return int(cursor.getRangeAddress().EndRow) + 1


def look(frame: Any) -> dict[str, Any]:
    doc = frame.getController().getModel()
    return {
        "url": doc.getURL(),
        "modified": bool(doc.isModified()),
        "active": doc.getCurrentController().getActiveSheet().getName(),
        "sheets": list(doc.getSheets().getElementNames()),
        "checks_rows": used_rows(doc, "Проверки"),
        "assessment_rows": used_rows(doc, "Оценка"),
    }


def main() -> None:
    job = json.loads(Path(sys.argv[1]).read_text("utf-8"))
    ctx = connect(job["connect"])
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    out = Path(job["out"])
    results = []
    for book in job["books"]:
        path = Path(book["file"])
        doc = desktop.loadComponentFromURL(path.as_uri(), "_blank", 0, (pv("Hidden", True),))
        frame = doc.getCurrentController().getFrame()
        folder = out / path.parent.name
        folder.mkdir(parents=True, exist_ok=True)
        steps = []
        for n, (caption, url) in enumerate(book["items"]):
            frame.activate()
            started = time.monotonic()
            dispatcher.executeDispatch(frame, url, "", 0, ())
            saved = folder / f"{n}{path.suffix}"
            shutil.copyfile(path, saved)
            steps.append(
                {
                    "caption": caption,
                    "saved": str(saved),
                    "seconds": round(time.monotonic() - started, 2),
                    "document": look(frame),
                }
            )
        frame.getController().getModel().close(True)
        results.append({"file": str(path), "steps": steps})
    (out / "driver.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
