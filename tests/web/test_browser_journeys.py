"""The console in a real headless Chromium (Playwright, the system's browser): its journeys end to end.

The screenshots the README shows are made here, in docs/screenshots/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from capeval.services import case_documents, interviews, queries, review
from capeval.services.runtime import Runtime
from capeval.states.clock import FixedClock
from capeval.states.uploads import sha256_digest
from capeval.web.app import create_app

from ..factories import at, minimal_pdf
from ..runtimes import new_runtime
from .support import EXAMINERS, INTERVIEWED, PASSWORD, REGISTERED, WORKGROUP, populate

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

if not CHROMIUM.exists():
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{CHROMIUM} is missing: .ci/run installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (CI installs it)", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Runtime, dict[int, int]]]:
    """On SQLite only: the journeys check the browser side; the same pages run on both backends in the
    TestClient tests."""
    folder = tmp_path_factory.mktemp("browser")
    runtime = new_runtime(f"sqlite:///{folder / 'capeval.db'}", clock=FixedClock(at("2026-01-05")))
    cases = populate(runtime)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", runtime, cases
    server.should_exit = True
    thread.join(timeout=10)
    runtime.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]:has-text('登录')")


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_secretary_returns_a_case_with_a_reason(served: tuple[str, Runtime, dict[int, int]], page: Page) -> None:
    base, runtime, cases = served
    _sign_in(page, base, WORKGROUP)
    page.wait_for_selector("#board")
    _shot(page, "board")
    page.click(f"#board a[href='/cases/{cases[1]}']")
    form = page.locator("form.action", has=page.locator("input[value=return_for_revision]"))
    form.locator("textarea[name=reason]").fill("请补充主要项目的验收证明")
    form.locator("button").click()
    page.wait_for_selector(".notice")
    assert "已退回修改" in page.inner_text("#stage")
    _shot(page, "case")
    assert queries.show(runtime, cases[1])["stage"] == "returned"


def test_the_applicant_resubmits_with_an_upload(served: tuple[str, Runtime, dict[int, int]], page: Page) -> None:
    base, runtime, cases = served
    _sign_in(page, base, "p1")
    page.goto(f"{base}/cases/{cases[1]}")
    assert "请补充主要项目的验收证明" in page.content()
    report = minimal_pdf("acceptance certificate")
    page.set_input_files(
        "input[name=file_achievement]", {"name": "验收证明.pdf", "mimeType": "application/pdf", "buffer": report}
    )
    page.click("form[action$='/statement'] button[type=submit]")
    page.wait_for_selector(".notice")
    assert "验收证明.pdf" in page.inner_text("#documents")
    held = case_documents.case_documents(runtime, cases[1], "p1")
    assert [d.filename for d in held if d.digest == sha256_digest(report)] == ["验收证明.pdf"]
    page.locator("form.action", has=page.locator("input[value=resubmit]")).locator("button").click()
    page.wait_for_selector(".notice")
    assert queries.show(runtime, cases[1])["stage"] == "submitted"
    page.goto(f"{base}/my")
    _shot(page, "my-applications")


def test_an_examiner_submits_a_record(served: tuple[str, Runtime, dict[int, int]], page: Page) -> None:
    base, runtime, cases = served
    case_id = cases[2]
    _sign_in(page, base, WORKGROUP)
    page.goto(f"{base}/cases/{case_id}")
    page.locator("form.action", has=page.locator("input[value=accept_for_review]")).locator("button").click()
    page.wait_for_selector(".notice")
    page.click("form[action$='/assign'] button")
    page.wait_for_selector(".notice")
    _sign_in(page, base, EXAMINERS[0])
    page.goto(f"{base}/inbox")
    page.click("#inbox button[value=accept]")
    page.wait_for_selector(".notice")
    _shot(page, "inbox")
    page.click("#inbox a[href$='/record']")
    for area in ("knowledge", "ethics", "teamwork", "learning", "leadership"):
        page.check(f"input[name=achieved_{area}][value=yes]")
        page.fill(f"textarea[name=justification_{area}]", "项目材料证明达到要求")
    page.select_option("select[name=recommendation]", "pass")
    _shot(page, "review-record")
    page.click("button:has-text('提交评审记录')")
    page.wait_for_selector(".notice")
    tasks = review.inbox(runtime, EXAMINERS[0], open_only=False)
    assert any(task.case_id == case_id and task.state == "submitted" for task in tasks)


def test_the_public_searches_the_register(served: tuple[str, Runtime, dict[int, int]], page: Page) -> None:
    base, _, _ = served
    page.goto(f"{base}/register")
    page.fill("input[name=name]", f"申请人{REGISTERED}")
    page.click("button:has-text('查询')")
    page.wait_for_selector("#register-results")
    row = page.inner_text("#register-results")
    assert f"申请人{REGISTERED}" in row and "专业工程会员" in row and "有效" in row
    _shot(page, "register")


def test_a_panelist_sees_the_verdict_while_filling_in_the_sheet(
    served: tuple[str, Runtime, dict[int, int]], page: Page
) -> None:
    """The vendored htmx asks the server for the pass rule's verdict as the scores are typed, no button pressed."""
    base, runtime, cases = served
    [interview] = interviews.interviews_of_case(runtime, cases[INTERVIEWED])
    scripts = []
    page.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
    _sign_in(page, base, EXAMINERS[0])
    page.goto(f"{base}/interviews/{interview.interview_id}/sheet")
    assert scripts and all(url.startswith(f"{base}/static/") for url in scripts)
    low = {"knowledge": "5", "ethics": "5", "teamwork": "5", "learning": "5", "leadership": "5"}
    for area, score in low.items():
        page.fill(f"#sheet-form input[name=score_{area}]", score)
    page.wait_for_selector("#verdict-box #verdict:has-text('按通过规则不能通过')")
    high = {"knowledge": "25", "ethics": "15", "teamwork": "10", "learning": "10", "leadership": "10"}
    for area, score in high.items():
        page.fill(f"#sheet-form input[name=score_{area}]", score)
    page.wait_for_selector("#verdict-box #verdict:has-text('按通过规则可以通过')")
    _shot(page, "score-sheet")
    page.fill("#sheet-form input[name=score_ethics]", "")
    page.wait_for_selector("#verdict-box #verdict", state="detached")
    assert interviews.interviews_of_case(runtime, cases[INTERVIEWED]) == [interview]
