"""CPD arithmetic as `capeval cpd evaluate --json` reports it: conversions, rounding, credit hour, years."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .test_cli import run
from .test_cli_certificates import write_record


def evaluate(tmp_path: Path, policy: str, activities: list[dict[str, object]], **extra: object) -> dict[str, Any]:
    year = int(str(extra.pop("year", 2026)))
    path = write_record(tmp_path, activities, **extra)
    if year != 2026:
        document = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**document, "year": year}), encoding="utf-8")
    result = run("cpd", "evaluate", "--policy", policy, "--year", str(year), "--file", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_a_standard_drafted_as_its_sole_or_first_completer_counts_twenty_hours(tmp_path: Path) -> None:
    for role in ("sole", "first", "lead"):
        standard = {"kind": "standard", "date": "2026-06-01", "role": role}
        assert evaluate(tmp_path, "ce-2026", [standard])["total_hours"] == 20
    other = {"kind": "standard", "date": "2026-06-01", "role": "other"}
    assert evaluate(tmp_path, "ce-2026", [other])["total_hours"] == 10
