"""The self-statement through the CLI: padding does not lengthen it and it must be written in Chinese (Q9, Q18)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from capeval.cli.main import cli

from ..factories import statement
from .test_cli import write_application, write_society

ENGLISH = (
    "As project engineer I designed the protection scheme of a 220 kV substation, wrote the commissioning "
    "plan, led a team of six technicians and checked every relay setting against the grid code. "
)

TERMS = "在项目中我采用了 IEC 61850 标准与 SCADA 系统，并使用 PLC 实现了联锁保护。"


@pytest.fixture
def invoke(tmp_path: Path):  # type: ignore[no-untyped-def]
    runner, database = CliRunner(), f"sqlite:///{tmp_path / 'cli.db'}"

    def call(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, ["--db", database, *args], catch_exceptions=False)

    assert call("db", "init").exit_code == 0
    return call


def padded(chars: int, spaces: int) -> str:
    """`chars` Chinese characters with `spaces` spaces, full-width spaces and line breaks between them."""
    text, blanks = statement(chars), [" ", "\u3000", "\n"]
    every = chars // spaces
    return "".join(
        char + (blanks[n % 3] if n % every == 0 and n // every < spaces else "") for n, char in enumerate(text)
    )


def with_terms(chars: int) -> str:
    """A Chinese statement of about `chars` characters that names some English technical terms."""
    return (TERMS + statement(400)) * (chars // (400 + len(TERMS)) + 1)


def test_the_padded_statement_is_long_enough_when_whitespace_counts() -> None:
    assert len(padded(1500, 600)) == 2100


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (padded(1500, 600), "has 1500 characters (whitespace not counted); it needs 2000-4000; add at least 500"),
        ((ENGLISH * 20)[:3000], "the self-statement is 0% Chinese (0 Chinese characters of"),
    ],
    ids=["padded-with-spaces", "english-only"],
)
def test_a_refused_statement_is_one_line_exit_2_and_leaves_no_case_behind(
    invoke, tmp_path: Path, text: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    invoke("society", "load", str(write_society(tmp_path, [1])))
    result = invoke("case", "create", str(write_application(tmp_path, 1, self_statement=text)), "--submit", "--json")

    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert expected in line
    assert json.loads(invoke("case", "board", "--json").stdout)["rows"] == []


def test_an_english_statement_names_the_share_and_the_minimum_in_chinese_too(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("society", "load", str(write_society(tmp_path, [1])))
    english = write_application(tmp_path, 1, self_statement=(ENGLISH * 20)[:3000])
    result = invoke("--lang", "zh-CN", "case", "create", str(english), "--submit")
    assert result.exit_code == 2
    assert "个人陈述中汉字仅占0%" in result.stderr and "汉字至少占50%" in result.stderr


def test_a_chinese_statement_with_some_english_terms_is_accepted(invoke, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invoke("society", "load", str(write_society(tmp_path, [1])))
    text = with_terms(2600)
    result = invoke("case", "create", str(write_application(tmp_path, 1, self_statement=text)), "--submit", "--json")
    assert result.exit_code == 0, result.stderr
    case = json.loads(result.stdout)
    assert case["stage"] == "submitted"
    shown = json.loads(invoke("case", "show", str(case["case_id"]), "--json").stdout)
    assert 2000 <= shown["self_statement_chars"] <= 4000
    assert 50 <= shown["self_statement_chinese_percent"] < 100
