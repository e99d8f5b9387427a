"""Where each report kind's default template is: the source tree's templates/ folder, or
a cache the template is built into once. Light on purpose (issue 21): the batch's main
process asks for the letter's template before any work, and the builder imports
python-docx."""

from __future__ import annotations

from pathlib import Path

REPO_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def default_template(kind: str) -> Path:
    """templates/<kind>.docx of the source tree, or the same template built into a cache
    (an installed package carries the builder, not the files)."""
    import os
    import tempfile

    candidate = REPO_TEMPLATES / f"{kind}.docx"
    if candidate.is_file():
        return candidate
    cache = Path(os.environ.get("SHEETPROG_CACHE", Path(tempfile.gettempdir()) / "sheetprog"))
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{kind}.docx"
    if not path.is_file():
        from sheetprog.reports.templates_build import build_template

        build_template(kind).save(str(path))
    return path
