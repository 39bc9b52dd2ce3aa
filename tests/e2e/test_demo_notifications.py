"""The demo's notification scene: reminder sweep and dispatch as Prefect flows, emails as .eml files."""

from __future__ import annotations

from pathlib import Path

from capeval.demo.scenes.notifications import run_scene
from capeval.flows.prefect_setup import fast_flow_runs
from capeval.states.application import Action
from capeval.states.clock import FixedClock

from ..factories import act, at, load_society, submitted_case
from ..runtimes import new_runtime


class SceneDemo:
    """The part of the main job's Demo that the scene uses."""

    def __init__(self, folder: Path) -> None:
        self.database_url = f"sqlite:///{folder / 'capeval.db'}"
        self.clock = FixedClock(at("2026-01-05"))
        self.runtime = new_runtime(self.database_url, clock=self.clock)
        self.lines: list[str] = []

    def say(self, text: str) -> None:
        self.lines.append(text)


def test_the_scene_warns_and_writes_every_queued_message_as_an_eml_file(tmp_path: Path) -> None:
    demo = SceneDemo(tmp_path)
    load_society(demo.runtime, members=[1, 2])
    cases = [submitted_case(demo.runtime, serial) for serial in (1, 2)]
    demo.clock.set(at("2026-09-25"))
    act(demo.runtime, cases[0], Action.RETURN_FOR_REVISION, "材料不全")
    demo.clock.set(at("2026-10-13"))
    with fast_flow_runs():
        run_scene(demo)
    demo.runtime.engine.dispose()

    assert len(list((tmp_path / "mail").glob("*.eml"))) == 2 + 1 + 1 + 1  # submits, return, warning, digest
    assert "1 lapse warnings and 1 workgroup digests queued" in demo.lines[0]
    assert demo.lines[1].startswith("outbox dispatch (Prefect flow): 5 emails written")
    assert demo.lines[2].endswith(".eml")
