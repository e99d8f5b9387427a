"""The regional summary note's context: the batch run's summaries → plain data. Pure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from sheetprog.checks.catalogue import CATALOGUE

COUNTS = ("files", "accepted", "with_errors", "unreadable")


def region_context(
    submissions: list[dict[str, Any]],
    counts: Mapping[str, int],
    ranking: list[dict[str, Any]],
    completeness: list[dict[str, Any]],
    today: dt.date | None = None,
    trends: dict[tuple[Any, Any], str] | None = None,
) -> dict[str, Any]:
    """The regional note's context (docs/templates.md lists its variables), from the run's
    current submissions (one line each) and ``counts`` of all submissions: files, accepted,
    with_errors, unreadable."""
    programs = []
    errors: Counter[str] = Counter()
    for s in submissions:
        plan = s.get("funding_plan") or 0
        programs.append(
            {
                "municipality": s.get("municipality") or "",
                "program": s.get("program") or "",
                "activities": f"{s.get('activities_done', 0)} из {s.get('activities_counted', 0)}",
                "indicators": f"{s.get('indicators_achieved', 0)} из "
                f"{s.get('indicators_assessed', 0)}",
                "execution": (s.get("funding_actual") or 0) / plan if plan else None,
                "value": s.get("rating_value"),
                "rating": s.get("rating") or "",
                "trend": (trends or {}).get((s.get("oktmo"), s.get("program")), ""),
            }
        )
        errors.update(s.get("error_codes") or [])
    periods = sorted({str(s["period"]) for s in submissions if s.get("period")})
    return {
        "report": {"date": today or dt.date.today()},
        "region": {
            "period": ", ".join(periods),
            **{key: counts.get(key, 0) for key in COUNTS},
        },
        "programs": programs,
        "ranking": ranking,
        "missing": [c for c in completeness if c["status"] == "не представлено"],
        "frequent_errors": [
            {
                "code": code,
                "title": CATALOGUE[code].title if code in CATALOGUE else code,
                "files": n,
            }
            for code, n in errors.most_common(10)
        ],
    }
