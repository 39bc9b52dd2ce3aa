"""The demo package: data files instead of literals, named cases, no import cycle, no way around the services."""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import subprocess
import sys
import tomllib
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from capeval.demo.cast import Cases, load_cast
from capeval.demo.people import demo_applicants, demo_examiners, demo_workgroup, short_statement

PACKAGE = Path(__file__).resolve().parents[2] / "capeval" / "demo"
ROOT = PACKAGE.parents[1]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path) -> set[str]:
    """Every module an import statement of the file names, anywhere in the file (functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def demo_import_graph() -> dict[str, set[str]]:
    return {name: imported_modules(path) & set(MODULES) - {name} for name, path in MODULES.items()}


def test_the_demo_modules_import_each_other_without_a_cycle() -> None:
    graph = demo_import_graph()
    assert graph["capeval.demo.run"] >= {"capeval.demo.scenes.main_job", "capeval.demo.scenes.review"}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        pytest.fail(f"import cycle among the demo modules: {error.args[1]}")
    assert set(order) == set(MODULES)


def test_a_cycle_would_be_found() -> None:
    graph = demo_import_graph() | {"capeval.demo.stage": {"capeval.demo.scenes.main_job"}}
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())


def test_each_demo_module_imports_alone() -> None:
    script = (
        "import importlib, sys\n"
        f"for name in {sorted(MODULES)!r}:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('capeval.demo')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_demo_module_reaches_past_the_services(name: str) -> None:
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    assert not {m for m in imported_modules(path) if m == "capeval.models" or m.startswith("capeval.models.")}
    assert "uow." not in text and "unit_of_work(" not in text


def test_the_data_files_ship_with_the_package() -> None:
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    files = [p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "data").iterdir()]
    assert files and all(any(fnmatch.fnmatch(f, g) for g in globs["capeval.demo"]) for f in files)


def test_the_generated_people_and_statements_are_those_the_literals_gave() -> None:
    digest = hashlib.sha256()
    for applicant in demo_applicants():
        person = applicant.person
        digest.update((person.name + person.id_number + person.email).encode())
        digest.update((applicant.self_statement + short_statement(applicant)).encode())
    for person in demo_workgroup() + demo_examiners():
        digest.update((person.name + person.id_number + person.email + person.employer).encode())
    assert digest.hexdigest() == "9d0e3253a109835a65cb3055ad6f8f0a5cd3d70a3a0f26c4fb3e7909cafccbf1"


def test_everyone_in_the_story_has_a_key() -> None:
    cast = load_cast()
    assert len(cast.workgroup) == 3 and len(cast.examiners) == 8 and len(cast.applicants) == 20
    assert cast.applicants["yu_qiang"].person.name == "余强"
    assert [a.person.name for a in cast.applicants.values()] == [a.person.name for a in demo_applicants()]
    assert cast.staff in cast.workgroup
    assert cast.position("xie_pengfei") == 0 and cast.position("yu_guoqiang") == 19


def test_a_cast_that_does_not_name_the_generated_people_is_refused() -> None:
    with pytest.raises(ValueError, match="does not match the generated people"):
        load_cast(seed=3)


def test_cases_are_found_by_key_with_the_id_the_database_gave() -> None:
    cases = Cases()
    cases.add("li_pengfei", 12, "li_pengfei")
    cases.add("li_pengfei_again", 21, "li_pengfei")
    assert cases.id("li_pengfei_again") == 21 and cases.applicant("li_pengfei_again") == "li_pengfei"
    assert list(cases) == ["li_pengfei", "li_pengfei_again"] and "li_pengfei" in cases and len(cases) == 2
    with pytest.raises(ValueError, match="already open"):
        cases.add("li_pengfei", 13, "li_pengfei")
