"""Key-range partitions of a sweep: the due ids split into contiguous, non-overlapping ranges.

A sweep run with `partitions=n` reads the lowest and highest due id once, splits that span into n ranges
and hands each range to its own worker thread (a Prefect task in the flows). Every due id lies in exactly
one range, so no two partitions ever handle the same item; an item that became due after the bounds were
read, with an id above them, waits for the next run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyRange:
    """The ids from `low` to `high`, both included."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"key range {self.low}..{self.high} is empty")

    def bounds(self) -> tuple[int, int]:
        """(low, high) for a repository query."""
        return self.low, self.high

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and self.low <= key <= self.high


def split(low: int, high: int, parts: int) -> list[KeyRange]:
    """`low`..`high` in at most `parts` contiguous ranges of near-equal width, lowest first."""
    if parts < 1:
        raise ValueError(f"a sweep needs at least one partition, not {parts}")
    if low > high:
        return []
    width = high - low + 1
    parts = min(parts, width)
    step, extra = divmod(width, parts)
    ranges, start = [], low
    for index in range(parts):
        end = start + step - 1 + (1 if index < extra else 0)
        ranges.append(KeyRange(start, end))
        start = end + 1
    return ranges


def key_ranges(bounds: tuple[int, int] | None, parts: int) -> list[KeyRange]:
    """The ranges of a sweep whose due ids run from bounds[0] to bounds[1]; none when nothing is due."""
    if parts < 1:
        raise ValueError(f"a sweep needs at least one partition, not {parts}")
    if bounds is None:
        return []
    return split(bounds[0], bounds[1], parts)
