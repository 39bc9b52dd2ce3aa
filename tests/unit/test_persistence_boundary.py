"""The persistence boundary: the session stays inside `models/`, services hold no SQL, the CLI opens no
unit of work and never imports `models` (it reads through `services.queries` and writes through handlers)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "capeval"
SQL_LIBRARIES = ("sqlalchemy", "sqlmodel")
COMPOSITION_ROOT = {"services/runtime.py", "services/bootstrap.py"}
"""Builds the engine and the session factory: the one service module that names the SQL library."""
MOVING_ELSEWHERE: set[str] = set()
"""Transitional: the dispatcher moves to `notifications/` and the demo to the query module; drop these then."""


def session_uses(source: str) -> list[int]:
    """Line numbers where an attribute named `session` is read or written."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr == "session"
    ]


def sql_imports(source: str) -> list[str]:
    """Every import of sqlalchemy or sqlmodel, in any form."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names if alias.name.split(".")[0] in SQL_LIBRARIES)
        elif (
            isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in SQL_LIBRARIES
        ):
            found.append(node.module or "")
    return found


def transaction_work(source: str) -> list[str]:
    """Where a module opens a unit of work, commits, or imports the persistence package."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("unit_of_work", "commit", "rollback"):
                found.append(f"line {node.lineno}: .{node.func.attr}()")
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name.startswith("capeval.models")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if (node.level == 0 and module.startswith("capeval.models")) or (
                node.level >= 2 and module.split(".")[0] == "models"
            ):
                found.append(f"line {node.lineno}: from {'.' * node.level}{module} import ...")
    return found


def modules(under: str = "") -> list[tuple[str, str]]:
    """(path relative to the package, source) of every module under a folder of the package."""
    root = PACKAGE / under if under else PACKAGE
    return [
        (path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")) for path in sorted(root.rglob("*.py"))
    ]


def test_the_scans_see_the_layers() -> None:
    found = {name for name, _ in modules()}
    assert {"services/review.py", "services/queries.py", "cli/outbox.py", "models/unit_of_work.py"} <= found


def test_no_module_outside_models_touches_the_session() -> None:
    offending = [
        f"{name}:{line}"
        for name, source in modules()
        if not name.startswith("models/") and name not in MOVING_ELSEWHERE
        for line in session_uses(source)
    ]
    assert not offending, "use a repository on the unit of work instead of its session:\n" + "\n".join(offending)


def test_services_import_no_sql_library() -> None:
    offending = [
        f"{name} imports {module}"
        for name, source in modules("services")
        if name not in COMPOSITION_ROOT | MOVING_ELSEWHERE
        for module in sql_imports(source)
    ]
    assert not offending, "queries belong in a repository of models/:\n" + "\n".join(offending)


def test_no_cli_module_opens_a_unit_of_work_or_imports_models() -> None:
    offending = [f"{name} {where}" for name, source in modules("cli") for where in transaction_work(source)]
    assert not offending, "the CLI reads through services.queries and writes through services:\n" + "\n".join(offending)


@pytest.mark.parametrize(
    "source",
    [
        "uow.session.refresh(case)",
        "with runtime.unit_of_work() as uow, uow.session.no_autoflush:\n    pass",
        "repo = ReviewRepository(uow.session)",
        "self.session = make()",
    ],
)
def test_the_session_scan_catches_every_use(source: str) -> None:
    assert session_uses(source)


@pytest.mark.parametrize(
    "source",
    [
        "import sqlalchemy as sa",
        "from sqlmodel import col, select",
        "def f():\n    from sqlalchemy.orm import Session\n",
    ],
)
def test_the_sql_scan_catches_every_form_of_import(source: str) -> None:
    assert sql_imports(source)


@pytest.mark.parametrize(
    "source",
    [
        "with app.runtime.unit_of_work() as uow:\n    pass",
        "uow.commit()",
        "from capeval.models.outbox_queue import OutboxQueue",
        "import capeval.models",
        "from ..models import Application",
    ],
)
def test_the_cli_scan_catches_transaction_work(source: str) -> None:
    assert transaction_work(source)


@pytest.mark.parametrize(
    "source",
    ["from capeval.services import queries", "from .output import emit_json", "rows = queries.board(app.runtime)"],
)
def test_the_cli_scan_lets_service_calls_through(source: str) -> None:
    assert transaction_work(source) == []
