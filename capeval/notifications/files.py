"""A sender that writes each email as an `.eml` file, named after its Message-ID (the main job's default)."""

from __future__ import annotations

import os
import re
from email.message import Message
from pathlib import Path
from types import TracebackType

from .message import DeliveryError


class FileSender:
    """Writes `<folder>/<message-id>.eml`; a resend of the same message replaces the same file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def __enter__(self) -> FileSender:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None

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
