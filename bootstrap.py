#!/usr/bin/env python3
"""Set up capeval on a fresh machine (only Python 3.11+ needed) and run it.

    python3 bootstrap.py demo      # the main job: a fresh SQLite database driven through the pipeline
    python3 bootstrap.py test      # the whole test suite (SQLite, and PostgreSQL when reachable)
    python3 bootstrap.py check     # ruff (lint, import order, format), mypy --strict, import contracts
    python3 bootstrap.py capeval … # any capeval command inside the project's environment

It creates `.venv/` beside this file, installs the pinned dependency set (constraints.txt) and the
project, and reinstalls only when pyproject.toml or constraints.txt changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".capeval-installed"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_environment() -> None:
    """Create the virtual environment and install capeval with its pinned dependencies, once."""
    if sys.version_info < (3, 11):  # noqa: UP036 - run by any python3, the check is the point
        sys.exit(f"capeval needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("installing pinned dependencies (first run only) ...", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-c", str(ROOT / "constraints.txt"), "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_fingerprint())


CHECKS = (
    ("ruff", "check", "."),
    ("ruff", "format", "--check", "."),
    ("mypy",),
    ("lint-imports",),
)
"""Lint and import order, formatting, types (configured in pyproject.toml), and the layer contracts."""


def check() -> int:
    """Run every static check; the exit code is the first failure's, after all have run."""
    failed = 0
    for name, *options in CHECKS:
        print(f"$ {name} {' '.join(options)}", flush=True)
        code = subprocess.call([str(BIN / name), *options], cwd=ROOT)
        failed = failed or code
    return failed


def main(arguments: list[str]) -> int:
    if not arguments or arguments[0] not in ("demo", "test", "check", "capeval"):
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = arguments[0], arguments[1:]
    if command == "demo":
        return subprocess.call([str(BIN / "capeval"), "demo", *rest], cwd=ROOT)
    if command == "test":
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT)
    if command == "check":
        return check()
    return subprocess.call([str(BIN / "capeval"), *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
