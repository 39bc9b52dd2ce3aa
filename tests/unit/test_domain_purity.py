"""The domain package `states/` stays pure: no database, orchestrator, template, mail or CLI library."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

STATES = Path(__file__).resolve().parents[2] / "states"
FORBIDDEN = ("sqlmodel", "sqlalchemy", "prefect", "jinja2", "smtplib", "alembic", "psycopg", "click")


def imported_modules(source: str) -> list[str]:
    """Every absolute module an `import` or `from ... import` statement names (relative imports skipped)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append(node.module)
    return found


def forbidden_imports(source: str) -> list[str]:
    return [name for name in imported_modules(source) if name.split(".")[0] in FORBIDDEN]


def domain_files() -> list[Path]:
    return sorted(STATES.rglob("*.py"))


def test_the_domain_folder_holds_the_modules_under_test() -> None:
    names = {path.name for path in domain_files()}
    assert {"application.py", "guards.py", "calendar.py", "policy.py"} <= names


def test_no_domain_module_imports_an_io_library() -> None:
    offending = [
        f"{path.relative_to(STATES.parent)} imports {module}"
        for path in domain_files()
        for module in forbidden_imports(path.read_text(encoding="utf-8"))
    ]
    assert not offending, "the domain must stay pure:\n" + "\n".join(offending)


@pytest.mark.parametrize(
    "line",
    [
        "import sqlmodel",
        "import sqlalchemy.orm as orm",
        "from prefect import flow",
        "from jinja2.sandbox import SandboxedEnvironment",
        "import os, smtplib",
        "def f():\n    import psycopg\n",
        "try:\n    from click import echo\nexcept ImportError:\n    pass\n",
        "from alembic import op",
    ],
)
def test_the_import_scan_catches_every_form_of_a_forbidden_import(line: str) -> None:
    assert forbidden_imports(line)


@pytest.mark.parametrize(
    "line",
    [
        "from . import guards",
        "from .calendar import SHANGHAI",
        "import clickhouse",
        "import prefecture",
        "x = 'sqlmodel'",
    ],
)
def test_the_import_scan_ignores_relative_imports_and_lookalike_names(line: str) -> None:
    assert forbidden_imports(line) == []


def test_importing_the_domain_loads_no_io_library() -> None:
    program = (
        "import json, sys\n"
        "import capeval.states.application, capeval.states.calendar, capeval.states.guards\n"
        f"forbidden = {FORBIDDEN!r}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in forbidden)))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
