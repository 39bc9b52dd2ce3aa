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


def test_a_qualified_lecturers_70_minutes_are_doubled_to_140_then_converted(tmp_path: Path) -> None:
    teaching = {"kind": "teaching", "date": "2026-05-01", "minutes": 70}
    report = evaluate(tmp_path, "cpd-2024", [teaching], qualified_lecturer=True)
    assert report["total_hours"] == 3 and "140 min" in report["lines"][0]["rule"]
    assert evaluate(tmp_path, "cpd-2024", [teaching])["total_hours"] == 1


def test_a_hundred_online_courses_of_30_minutes_count_66_hours(tmp_path: Path) -> None:
    courses = [
        {"kind": "training", "date": f"2026-{1 + i % 12:02d}-10", "minutes": 30, "online": True} for i in range(100)
    ]
    report = evaluate(tmp_path, "cpd-en", courses)
    assert report["total_hours"] == 66 and report["compliant"] is True
    assert "3000 min of training, online so far this year" in report["lines"][-1]["rule"]
    assert evaluate(tmp_path, "cpd-2024", courses[:1])["total_hours"] == 0


def test_ce_2026_lecturing_counts_six_times_in_45_minute_hours(tmp_path: Path) -> None:
    lecture = {"kind": "teaching", "date": "2026-05-01", "minutes": 45}
    assert evaluate(tmp_path, "ce-2026", [lecture])["total_hours"] == 6
    assert evaluate(tmp_path, "ce-2026", [{**lecture, "minutes": 44}])["total_hours"] == 5


def test_ce_2026_refuses_to_judge_2025_in_one_line(tmp_path: Path) -> None:
    training = {
        "kind": "training",
        "date": "2025-03-02",
        "minutes": 450,
        "subject": "professional",
        "institution": "某院",
    }
    path = write_record(tmp_path, [training])
    document = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**document, "year": 2025}), encoding="utf-8")
    refused = run("cpd", "evaluate", "--policy", "ce-2026", "--year", "2025", "--file", str(path), "--json")
    assert refused.returncode == 2 and refused.stdout == ""
    assert "applies from 2026; it does not judge 2025" in refused.stderr and "Traceback" not in refused.stderr
    assert evaluate(tmp_path, "cpd-2024", [training], year=2025)["total_hours"] == 10
    assert evaluate(tmp_path, "ce-2026", [{**training, "date": "2026-01-01"}])["total_hours"] == 8
