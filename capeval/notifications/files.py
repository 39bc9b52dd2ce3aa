"""A sender that writes each email as an `.eml` file, named after its Message-ID (the main job's default),
and keeps `mail-index.tsv` beside them: who got what (file, recipient, subject, reference, time)."""

from __future__ import annotations

import csv
import io
import os
import re
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType

from .message import DeliveryError

INDEX = "mail-index.tsv"
INDEX_COLUMNS = ("file", "to", "subject", "reference", "time", "message_id")


def _decoded(value: object) -> str:
    return str(make_header(decode_header(str(value or "")))).replace("\t", " ").replace("\n", " ")


def _moment(value: object) -> str:
    try:
        return parsedate_to_datetime(str(value)).isoformat()
    except (TypeError, ValueError):
        return ""


class FileSender:
    """Writes `<folder>/<message-id>.eml`; a resend of the same message replaces the same file and index line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []
        self._lines: dict[str, list[str]] = {}

    def __enter__(self) -> FileSender:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.write_index()

    def path_for(self, email: Message) -> Path:
        stem = re.sub(r"[^A-Za-z0-9._-]", "", str(email["Message-ID"]).split("@")[0]) or "message"
        return self.folder / f"{stem}.eml"

    def send(self, email: Message) -> None:
        target = self.path_for(email)
        partial = target.with_suffix(".eml.partial")
        try:
            partial.write_bytes(email.as_bytes())
            os.replace(partial, target)
        except OSError as error:
            raise DeliveryError("delivery_cannot_write", target=target, error=error.strerror) from None
        self.written.append(target)
        self._lines[target.name] = [
            target.name,
            _decoded(email["To"]),
            _decoded(email["Subject"]),
            _decoded(email["X-Capeval-Reference"]),
            _moment(email["Date"]),
            _decoded(email["Message-ID"]),
        ]

    def write_index(self) -> None:
        """Merge this batch's lines into `mail-index.tsv` (one line per file, sorted by date then file)."""
        if not self._lines:
            return
        index = self.folder / INDEX
        known: dict[str, list[str]] = {}
        ordered: list[list[str]]
        if index.is_file():
            rows = list(csv.reader(io.StringIO(index.read_text(encoding="utf-8")), delimiter="\t"))
            known = {row[0]: row for row in rows[1:] if row}
        known.update(self._lines)
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(INDEX_COLUMNS)
        ordered = sorted(known.values(), key=lambda row: (row[4], row[0]))
        writer.writerows(ordered)
        partial = index.with_suffix(".tsv.partial")
        partial.write_text(out.getvalue(), encoding="utf-8")
        os.replace(partial, index)
        self._lines.clear()
