"""The one reader of every file people hand to capeval: policies, calendars, directories, applications,
self-statements, review records, CPD files and platform transcripts.

Whatever a file holds, reading it ends in its text or data, or in one coded line naming the file and
what is wrong, never in an internal error:

| check | limit |
|---|---|
| the file exists and is a file | |
| its size | `MAX_FILE_BYTES` (8 MiB) |
| its encoding | UTF-8 (a byte-order mark is dropped); a platform transcript may also be GB18030/GBK |
| nesting of JSON/TOML | `MAX_DEPTH` (32) levels |
| integers | `MAX_INTEGER` (2^63-1) in size, so no 4,300-digit number reaches `int()` |
| floats | finite (no NaN, no Infinity, no 1e999) |
| strings | no NUL character, no lone surrogate (`\\ud800` in JSON) |
| a CSV cell | `MAX_CSV_FIELD` characters (Python's own limit, 131,072) |
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from capeval.states.errors import InputError
from capeval.states.text import unstorable

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
MAX_INTEGER = 2**63 - 1
MAX_CSV_FIELD = 131_072
UTF8 = ("utf-8-sig",)


def read_text(path: Path, *, encodings: Sequence[str] = UTF8) -> str:
    """The text of `path` in the first of `encodings` that reads it whole; else one line saying how to save it."""
    data = _read_bytes(path)
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if unstorable(text):
            raise InputError("document_text_unstorable", path=path, where=_line_of(text))
        return text
    if tuple(encodings) == UTF8:
        raise InputError("document_not_utf8", path=path)
    raise InputError("cli_transcript_encoding_unknown", path=path, tried=list(encodings))


def read_data(path: Path) -> Any:
    """The JSON or TOML document of `path` (by its suffix), checked as the module says; any mapping or list."""
    suffix = path.suffix.lower()
    if suffix not in (".json", ".toml"):
        if not path.is_file():
            raise InputError("document_missing", path=path)
        raise InputError("document_type_unknown", path=path, suffix=suffix)
    text = read_text(path)
    return parse_json(text, path) if suffix == ".json" else parse_toml(text, path)


def read_json(path: Path) -> Any:
    """The JSON document of `path`, whatever its suffix, checked as the module says."""
    return parse_json(read_text(path), path)


def parse_json(text: str, path: Path) -> Any:
    """A JSON text checked for depth, integer size, finite floats and storable strings."""
    try:
        document = json.loads(text, parse_int=_integer(path), parse_float=_float(path), parse_constant=_constant(path))
    except json.JSONDecodeError as error:
        raise InputError(
            "document_invalid_json", path=path, line=error.lineno, column=error.colno, detail=error.msg
        ) from None
    except RecursionError:
        raise InputError("document_too_deep", path=path, limit=MAX_DEPTH) from None
    check_data(document, path)
    return document


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """A TOML text checked like `parse_json`; a syntax error is one line naming the file."""
    document = safe_toml(text, path)
    if document is None:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise InputError("document_invalid_toml", path=path, detail=str(error)) from None
    return document


def safe_toml(text: str, path: Path) -> dict[str, Any] | None:
    """The TOML document of `text` checked as the module says; None when it is not TOML at all (the caller's
    own parser then names the syntax error its way)."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    except RecursionError:
        raise InputError("document_too_deep", path=path, limit=MAX_DEPTH) from None
    except ValueError:
        raise InputError("document_number_too_large", path=path, where="a number", limit=MAX_INTEGER) from None
    check_data(document, path)
    return document


def check_data(document: Any, path: Path) -> None:
    """Refuse a parsed document nested deeper than MAX_DEPTH, with an integer beyond MAX_INTEGER, a float
    that is not finite, or a string (key or value) holding a NUL or a lone surrogate."""
    stack: list[tuple[Any, str, int]] = [(document, "top", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError("document_too_deep", path=path, limit=MAX_DEPTH)
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(str(key), path, where)
                stack.append((item, f"{where}.{_short(key)}" if where != "top" else _short(key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(value, path, where)
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int) and abs(value) > MAX_INTEGER:
            raise InputError("document_number_too_large", path=path, where=where, limit=MAX_INTEGER)
        elif isinstance(value, float) and not math.isfinite(value):
            raise InputError("document_number_not_finite", path=path, where=where, value=str(value))


def read_csv(path: Path, *, encodings: Sequence[str] = UTF8) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of a CSV file, each row keyed by the header; a malformed file is one line."""
    text = read_text(path, encodings=encodings)
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            header = list(reader.fieldnames or [])
            rows = [dict(row) for row in _rows(reader)]
        except csv.Error as error:
            detail = str(error).split(" (", 1)[0]
            line = max(1, reader.line_num)
            raise InputError("document_csv_invalid", path=path, line=line, detail=detail, limit=MAX_CSV_FIELD) from None
    return header, rows


def _rows(reader: csv.DictReader[str]) -> Iterator[dict[str, str]]:
    for row in reader:
        yield {str(key): value if isinstance(value, str) else "" for key, value in row.items()}


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InputError("document_missing", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError("document_too_large", path=path, size=size, limit=MAX_FILE_BYTES)
        return path.read_bytes()
    except OSError as error:
        raise InputError("document_unreadable", path=path, reason=error.strerror or type(error).__name__) from None


def _check_string(value: str, path: Path, where: str) -> None:
    if unstorable(value):
        raise InputError("document_text_unstorable", path=path, where=where)


def _short(key: Any) -> str:
    text = "".join(char if char.isprintable() else "?" for char in str(key))
    return text if len(text) <= 40 else text[:37] + "..."


def _line_of(text: str) -> str:
    index = min((i for i in (text.find("\x00"), _first_surrogate(text)) if i >= 0), default=0)
    return f"line {text.count(chr(10), 0, index) + 1}"


def _first_surrogate(text: str) -> int:
    match = re.search("[\ud800-\udfff]", text)
    return match.start() if match else -1


def _integer(path: Path) -> Any:
    def parse(digits: str) -> int:
        if len(digits.lstrip("-")) > 19:
            raise InputError("document_number_too_large", path=path, where="a number", limit=MAX_INTEGER)
        return int(digits)

    return parse


def _float(path: Path) -> Any:
    def parse(digits: str) -> float:
        if len(digits) > 400:
            raise InputError("document_number_too_large", path=path, where="a number", limit=MAX_INTEGER)
        value = float(digits)
        if not math.isfinite(value):
            raise InputError("document_number_not_finite", path=path, where="a number", value=digits[:40])
        return value

    return parse


def _constant(path: Path) -> Any:
    def parse(name: str) -> float:
        raise InputError("document_number_not_finite", path=path, where="a number", value=name)

    return parse
