"""The keyed ID-number digest: without the key a digest cannot be matched, however few numbers are possible."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from capeval.settings import Settings
from capeval.states.errors import InputError
from capeval.states.identity import (
    id_check_character,
    id_number_digest,
    key_check,
    keyed_digest,
    mask_id_number,
    plain_digest,
)

KEY = b"0123456789abcdef0123456789abcdef-the-right-key"
WRONG_KEY = b"0123456789abcdef0123456789abcdef-a-wrong-key"
NUMBER = "110105" + "19850612" + "417" + id_check_character("11010519850612417")


def candidates(masked: str, year: int, month: int) -> Iterator[str]:
    """Every number the masked form allows for someone born in that month: each day, each sequence number."""
    day = date(year, month, 1)
    while day.month == month:
        for sequence in range(1000):
            first17 = f"{masked[:6]}{day:%Y%m%d}{sequence:03d}"
            yield first17 + id_check_character(first17)
        day += timedelta(days=1)


def search(target: str, key: bytes | None, pool: list[tuple[str, str]]) -> list[str]:
    """The candidates whose digest, plain (no key) or keyed with `key`, is `target`."""
    wanted = bytes.fromhex(target)
    if key is None:
        return [number for number, plain in pool if bytes.fromhex(plain) == wanted]
    return [number for number, plain in pool if hmac.digest(key, plain.encode("ascii"), "sha256") == wanted]


@pytest.fixture(scope="module")
def pool() -> list[tuple[str, str]]:
    """What an attacker can compute from the masked form and a birth month: every candidate and its SHA-256."""
    masked = mask_id_number(NUMBER)
    return [(number, hashlib.sha256(number.encode("ascii")).hexdigest()) for number in candidates(masked, 1985, 6)]


def test_the_masked_form_leaves_the_birth_date_sequence_and_check_character_to_guess(pool: list) -> None:  # type: ignore[type-arg]
    assert mask_id_number(NUMBER) == "110105************"
    assert len(pool) == 30_000 and NUMBER in {number for number, _ in pool}


def test_a_plain_digest_is_found_by_searching_the_masked_positions(pool: list) -> None:  # type: ignore[type-arg]
    assert search(plain_digest(NUMBER), None, pool) == [NUMBER]


def test_a_keyed_digest_is_found_neither_without_the_key_nor_with_a_wrong_one_but_with_the_right_key(
    pool: list,  # type: ignore[type-arg]
) -> None:
    stored = id_number_digest(NUMBER, KEY)
    assert search(stored, None, pool) == []
    assert search(stored, WRONG_KEY, pool) == []
    assert search(stored, KEY, pool) == [NUMBER]


def test_keying_a_stored_plain_digest_gives_the_digest_of_the_number() -> None:
    assert keyed_digest(plain_digest(NUMBER), KEY) == id_number_digest(NUMBER, KEY)


def test_the_key_check_tells_keys_apart_without_being_a_digest_of_any_number() -> None:
    assert key_check(KEY) == key_check(KEY) != key_check(WRONG_KEY)
    assert key_check(KEY) != id_number_digest(NUMBER, KEY)


# --- where the key comes from --------------------------------------------------------------------
@pytest.fixture
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAPEVAL_ID_KEY", raising=False)
    monkeypatch.delenv("CAPEVAL_ID_KEY_FILE", raising=False)


@pytest.mark.usefixtures("no_key")
def test_without_a_key_the_settings_have_none() -> None:
    assert Settings.load().identity_key() is None


@pytest.mark.usefixtures("no_key")
def test_the_key_comes_from_the_variable_or_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CAPEVAL_ID_KEY", KEY.decode())
    assert Settings.load().identity_key() == KEY
    monkeypatch.delenv("CAPEVAL_ID_KEY")
    path = tmp_path / "id.key"
    path.write_text(KEY.decode() + "\n", encoding="utf-8")
    monkeypatch.setenv("CAPEVAL_ID_KEY_FILE", str(path))
    assert Settings.load().identity_key() == KEY


@pytest.mark.usefixtures("no_key")
def test_a_short_key_a_missing_file_and_two_keys_at_once_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CAPEVAL_ID_KEY: the key for ID-number digests has 6 characters"):
        Settings.load(id_key="secret").identity_key()
    with pytest.raises(InputError, match="CAPEVAL_ID_KEY_FILE: .* cannot be read"):
        Settings.load(id_key_file=tmp_path / "missing.key").identity_key()
    (tmp_path / "id.key").write_text(KEY.decode(), encoding="utf-8")
    with pytest.raises(InputError, match="both CAPEVAL_ID_KEY and CAPEVAL_ID_KEY_FILE"):
        Settings.load(id_key=KEY.decode(), id_key_file=tmp_path / "id.key").identity_key()
