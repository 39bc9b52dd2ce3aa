"""Measuring a self-statement: whitespace never counts, and the share of Chinese is exact (Q&A Q9, Q18)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capeval.states.errors import InputError
from capeval.states.policy import PipelinePolicy
from capeval.states.statement import counted, is_han, measure

from ..factories import statement

SPACES = " \t\n\r\u3000\u00a0\u2002\u2003\u200b\u200d\ufeff\u2028"
"""Ascii, full-width, no-break, en and em spaces, zero-width space and joiner, byte-order mark, line separator."""


def test_every_kind_of_whitespace_and_zero_width_padding_is_not_counted() -> None:
    text = statement(1500)
    padded = "".join(char + SPACES[n % len(SPACES)] for n, char in enumerate(text))
    assert measure(padded).chars == measure(text).chars == 1500


def test_chinese_characters_are_han_ideographs_and_nothing_else_counts_as_chinese() -> None:
    measured = measure("采用PLC控制，效率提高30%。〇㐀𠀀")
    assert measured.chars == 19  # 11 ideographs, the letters P L C, the digits 3 0, %, and two punctuation marks
    assert measured.cjk_chars == 11
    assert measured.cjk_percent == 57


def test_an_english_statement_is_not_chinese() -> None:
    measured = measure("I led the design of the substation and its commissioning. " * 50)
    assert measured.chars > 2000 and measured.cjk_chars == 0 and measured.cjk_share == 0.0


def test_the_percentage_is_rounded_down_and_the_comparison_is_exact() -> None:
    measured = measure("中" * 499 + "a" * 501)
    assert measured.cjk_percent == 49 and not measured.at_least_percent(50)
    half = measure("中" * 500 + "a" * 500)
    assert half.cjk_percent == 50 and half.at_least_percent(50) and half.cjk_share == 0.5


def test_an_empty_statement_measures_zero() -> None:
    empty = measure(" \u3000\n")
    assert (empty.chars, empty.cjk_chars, empty.cjk_percent, empty.cjk_share) == (0, 0, 0, 0.0)


@given(st.text(), st.text(alphabet=SPACES))
def test_whitespace_anywhere_changes_neither_measure(text: str, padding: str) -> None:
    middle = len(text) // 2
    assert measure(text[:middle] + padding + text[middle:]) == measure(text)


def test_a_share_above_100_per_cent_is_refused_in_the_policy_file() -> None:
    with pytest.raises(InputError, match="at most 100, not 101"):
        PipelinePolicy.from_toml("[pipeline]\nself_statement_min_chinese_percent = 101\n", origin="policy.toml")


@given(st.text(alphabet=st.characters(codec=None)))
def test_the_measure_is_the_count_of_each_character_judged_alone(text: str) -> None:
    measured = measure(text)
    assert measured.chars == sum(1 for char in text if counted(char))
    assert measured.cjk_chars == sum(1 for char in text if counted(char) and is_han(char))
