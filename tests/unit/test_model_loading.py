"""The models package loads a table module only when one of its classes is asked for, and lists them all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import capeval.models
from capeval.models import TABLE_MODULES

MODELS = Path(capeval.models.__file__).parent
TABLE_CLASS = re.compile(r"^class (\w+)\(\w+, table=True\):", re.MULTILINE)


def _loaded_after(program: str) -> dict[str, object]:
    script = (
        "import json, sys\n"
        f"{program}\n"
        "from sqlmodel import SQLModel\n"
        "print(json.dumps({'modules': sorted(m for m in sys.modules if m.startswith('capeval.models.')),\n"
        "                  'tables': sorted(SQLModel.metadata.tables)}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    found: dict[str, object] = json.loads(done.stdout)
    return found


def test_every_table_class_of_the_package_is_listed_under_its_module() -> None:
    defined = {
        file.stem: sorted(TABLE_CLASS.findall(file.read_text(encoding="utf-8")))
        for file in sorted(MODELS.glob("*.py"))
        if TABLE_CLASS.search(file.read_text(encoding="utf-8"))
    }
    assert defined == {module: sorted(names) for module, names in TABLE_MODULES.items()}
    assert set(capeval.models.__all__) == {name for names in TABLE_MODULES.values() for name in names}


def test_a_class_asked_for_loads_its_own_module_alone() -> None:
    found = _loaded_after("from capeval.models import Application")
    assert found["modules"] == ["capeval.models.cases", "capeval.models.types"]
    assert found["tables"] == ["application", "deadline", "evidence_item", "stage_history"]


def test_load_every_table_puts_the_whole_schema_on_the_metadata() -> None:
    found = _loaded_after("from capeval.models import load_every_table\nload_every_table()")
    tables = found["tables"]
    assert isinstance(tables, list) and len(tables) == sum(len(names) for names in TABLE_MODULES.values())
    assert {"application", "stage_count", "web_account", "appeal"} <= set(tables)


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        capeval.models.NoSuchTable  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as error:
        assert "NoSuchTable" in str(error)
    else:
        raise AssertionError("an unknown name was found")
