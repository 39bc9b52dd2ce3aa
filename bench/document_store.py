"""The local document store against bare file writes and reads, measured in the same run.

    .venv/bin/python bench/document_store.py [--documents 300] [--size 200000] [--rounds 3]

Puts N distinct documents of SIZE bytes through `LocalDocumentStore.put` (digest, two-level folders,
temporary file, fsync, rename) and reads them back with `get` (read, digest check); the baselines write
the same bytes with `Path.write_bytes` (no fsync), with write+fsync, and read them with `read_bytes`.
Prints documents per second and the ratios store / baseline (medians over the rounds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from capeval.models.local_document_store import LocalDocumentStore  # noqa: E402


def _documents(count: int, size: int, seed: int) -> list[bytes]:
    body = os.urandom(size - 16)
    return [b"%PDF-1.4\n" + f"{seed:03d}{n:04d}".encode() + body for n in range(count)]


def _rate(count: int, work: Callable[[], None]) -> float:
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def _each(read: Callable[[T], bytes], keys: list[T]) -> None:
    for key in keys:
        read(key)


def _bare_write(folder: Path, documents: list[bytes], sync: bool) -> None:
    for n, data in enumerate(documents):
        path = folder / f"{n}.pdf"
        if sync:
            with path.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        else:
            path.write_bytes(data)


def _one_round(documents: list[bytes]) -> dict[str, float]:
    """Documents per second of each side for one set of documents, in a fresh folder."""
    with tempfile.TemporaryDirectory() as root:
        store = LocalDocumentStore(Path(root) / "store")
        plain, synced = Path(root) / "plain", Path(root) / "synced"
        plain.mkdir()
        synced.mkdir()
        digests: list[str] = []
        rates = {
            "put": _rate(len(documents), lambda: digests.extend(store.put(d) for d in documents)),
            "bare": _rate(len(documents), lambda: _bare_write(plain, documents, sync=False)),
            "bare_fsync": _rate(len(documents), lambda: _bare_write(synced, documents, sync=True)),
            "get": _rate(len(documents), lambda: _each(store.get, digests)),
        }
        files = sorted(plain.iterdir())
        rates["read"] = _rate(len(files), lambda: _each(Path.read_bytes, files))
        assert all(store.get(d) == data for d, data in zip(digests, documents, strict=True))
        return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    results: dict[str, list[float]] = {key: [] for key in ("put", "bare", "bare_fsync", "get", "read")}
    for round_number in range(options.rounds):
        for key, rate in _one_round(_documents(options.documents, options.size, round_number)).items():
            results[key].append(rate)
    median = {key: statistics.median(values) for key, values in results.items()}
    print(f"{options.documents} documents of {options.size} bytes, {options.rounds} rounds (medians, documents/s)")
    print(f"  store put      {median['put']:10.0f}")
    print(
        f"  bare write     {median['bare']:10.0f}   ratio put/bare write         {median['put'] / median['bare']:.2f}"
    )
    ratio = median["put"] / median["bare_fsync"]
    print(f"  write + fsync  {median['bare_fsync']:10.0f}   ratio put/write+fsync        {ratio:.2f}")
    print(f"  store get      {median['get']:10.0f}")
    ratio = median["get"] / median["read"]
    print(f"  bare read      {median['read']:10.0f}   ratio get (digest checked)/read  {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
