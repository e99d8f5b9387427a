"""The full rule catalogue: importing the rule modules registers every rule under its code."""

from __future__ import annotations

from sheetprog.checks import (  # noqa: F401  (imported for their registrations)
    activities,
    cross,
    editions,
    explanations,
    funding,
    indicators,
    project_rules,
    reading,
    reserve_rules,
    values_rules,
)
from sheetprog.checks.base import CATALOGUE, GROUPS, Rule

__all__ = ["CATALOGUE", "GROUPS", "Rule"]
