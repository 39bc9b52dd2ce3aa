"""Member levels and application routes (Q&A Q3, Q29, Q34-Q35)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Engineering member levels, lowest first (Q&A Q3)."""

    APPRENTICE = "apprentice"
    PROFESSIONAL = "professional"
    SENIOR = "senior"

    def next_level(self) -> Level | None:
        """The level an upgrade from this one must ask for; no level may be skipped (Q&A Q35)."""
        order = list(Level)
        position = order.index(self)
        return order[position + 1] if position + 1 < len(order) else None


class Route(StrEnum):
    """How an application enters the pipeline."""

    STANDARD = "standard"
    UPGRADE = "upgrade"
    INTERNATIONAL = "international"
