"""How a self-statement is measured (Q&A Q9, Q18, Q29): its characters, and how much of it is Chinese.

A character counts when it can be seen: whitespace of any kind (the full-width space U+3000 too), control
characters and invisible format characters (zero-width spaces, byte-order marks) are not counted, so
padding a statement does not lengthen it. Chinese characters are the Han ideographs of Unicode (the
unified ideographs with their extensions, the compatibility ideographs and 〇); punctuation, digits and
Latin letters count as characters but not as Chinese ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_NOT_COUNTED = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
"""Unicode categories never counted: control, format (zero-width) and separator (space) characters."""

_HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x323AF),
)
"""Code points of the Han ideographs: 〇, extension A, the unified block, compatibility, extensions B-H."""
_NOT_HAN = re.compile("[^" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES) + "]+")


@dataclass(frozen=True)
class StatementMeasure:
    """The counted characters of a statement and how many of them are Chinese (Han) characters."""

    chars: int
    cjk_chars: int

    @property
    def cjk_share(self) -> float:
        """The share of Chinese characters among the counted ones (0 for an empty statement)."""
        return self.cjk_chars / self.chars if self.chars else 0.0

    @property
    def cjk_percent(self) -> int:
        """The share as a whole percentage, rounded down (49.9 % shows as 49)."""
        return self.cjk_chars * 100 // self.chars if self.chars else 0

    def at_least_percent(self, minimum: int) -> bool:
        """Whether at least `minimum` per cent of the counted characters are Chinese (exact, no rounding)."""
        return self.cjk_chars * 100 >= minimum * self.chars


def counted(char: str) -> bool:
    """Whether `char` counts towards the length of a statement (visible: not whitespace, control or format)."""
    return not char.isspace() and unicodedata.category(char) not in _NOT_COUNTED


def is_han(char: str) -> bool:
    """Whether `char` is a Chinese (Han) ideograph."""
    point = ord(char)
    return any(low <= point <= high for low, high in _HAN_RANGES)


def measure(text: str) -> StatementMeasure:
    """The characters of `text` that count, and how many of them are Chinese (Han ideographs always count)."""
    visible = "".join(text.split())  # without whitespace (`str.split` splits where `str.isspace`)
    if visible.isprintable():  # no control or format character is left: every remaining one counts
        chars = len(visible)
    else:
        chars = sum(times for char, times in Counter(visible).items() if counted(char))
    return StatementMeasure(chars, len(_NOT_HAN.sub("", visible)))
