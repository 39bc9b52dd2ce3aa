"""Evidence files on the console and the API: uploaded with the application, a revision or a supplement,
listed on the case page, served only to the case's readers; refusals keep nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from capeval.services import accounts, case_documents, review
from capeval.services import console as console_service
from capeval.services.bootstrap import init_runtime
from capeval.services.directory import load_directory
from capeval.services.runtime import Runtime
from capeval.settings import Settings
from capeval.states.application import Action, Party
from capeval.states.clock import FixedClock
from capeval.states.uploads import sha256_digest

from ..factories import (
    ACTOR_OF_PARTY,
    FIELD,
    SOCIETY,
    act,
    at,
    id_number,
    minimal_pdf,
    person,
    society_document,
    statement,
    tiny_png,
)
from ..runtimes import TEST_ID_KEY
from .support import EXAMINERS, PASSWORD, SUPPLEMENTING, Console, app_client, page_csrf, populate, sign_in

LIMIT = 8192
"""The largest document these tests' console accepts, in bytes."""
STRANGER = "p3"
EXAMINER_USERNAMES = {"赵考官": EXAMINERS[0], "钱考官": EXAMINERS[1]}
FRESH = {"listed": 11, "private": 12, "refused": 13, "revised": 14, "reviewed": 15, "api": 16}
"""Members without a case yet, one for each test that opens an application."""
Upload = tuple[str, tuple[str, bytes, str]]


def _runtime(url: str, folder: Path) -> Runtime:
    settings = Settings.load(database_url=url, id_key=TEST_ID_KEY, document_max_bytes=LIMIT, document_dir=folder)
    return init_runtime(settings, clock=FixedClock(at("2026-01-05")))


@pytest.fixture(scope="module")
def docs(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    folder = tmp_path_factory.mktemp("documents")
    runtime = _runtime(module_database_url, folder / "store")
    cases = populate(runtime)
    members = [{**person(serial), "status": "active"} for serial in FRESH.values()]
    load_directory(runtime, {"society": society_document()["society"], "member": members}, origin="test")
    for serial in FRESH.values():
        accounts.set_password(runtime, f"p{serial}", PASSWORD)
    with app_client(runtime) as client:
        yield Console(runtime, FixedClock(at("2026-01-05")), client, cases)
    runtime.engine.dispose()


def _application(client: TestClient, serial: int, files: list[Upload], text: str = "") -> Any:
    fields = {
        "csrf_token": page_csrf(client, "/apply"),
        "id_number": id_number(serial),
        "society": SOCIETY,
        "field": FIELD,
        "level": "professional",
        "route": "standard",
        "statement": text or statement(),
        "commitment": "1",
    }
    return client.post("/apply", data=fields, files=files)


def _pdf(name: str, data: bytes) -> Upload:
    return ("file_id_card_front", (name, data, "application/pdf"))


def _case_of(answer: Any) -> int:
    assert answer.status_code == 303, answer.text.split('class="error"')[-1][:300]
    return int(answer.headers["location"].split("/cases/")[1].split("?")[0])


def _own_case_count(console: Console, username: str) -> int:
    with console.runtime.unit_of_work() as uow:
        person = uow.directory.person_by_username(username)
        assert person is not None and person.id is not None
        return len(console_service.own_cases(console.runtime, person.id))


def test_files_sent_with_an_application_are_listed_and_served_to_the_applicant(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['listed']}")
    front, back = minimal_pdf("front of the card"), tiny_png()
    files = [
        ("file_id_card_front", ("身份证正面.pdf", front, "application/pdf")),
        ("file_id_card_back", ("back.png", back, "image/png")),
    ]
    case_id = _case_of(_application(client, FRESH["listed"], files))
    page = client.get(f"/cases/{case_id}")
    table = page.text.split('id="documents"')[1].split("</table>")[0]
    assert "身份证正面.pdf" in table and "back.png" in table and "image/png" in table
    digest = sha256_digest(front)
    shown = client.get(f"/cases/{case_id}/documents/{digest}")
    assert shown.status_code == 200 and shown.content == front
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-disposition"].startswith("inline;")
    saved = client.get(f"/cases/{case_id}/documents/{digest[:12]}", params={"download": "1"})
    disposition = saved.headers["content-disposition"]
    assert saved.status_code == 200 and disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81%E6%AD%A3%E9%9D%A2.pdf" in disposition
    assert client.get(f"/cases/{case_id}/documents/{'0' * 64}").status_code == 404


def test_a_stranger_is_refused_the_documents_of_a_case(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['private']}")
    data = minimal_pdf("only for the applicant")
    case_id = _case_of(_application(client, FRESH["private"], [_pdf("private.pdf", data)]))
    sign_in(client, STRANGER)
    refused = client.get(f"/cases/{case_id}/documents/{sha256_digest(data)}")
    assert refused.status_code == 403 and 'class="error"' in refused.text and data not in refused.content


def test_an_upload_over_the_limit_is_refused_with_413_and_nothing_is_kept(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['refused']}")
    before = _own_case_count(docs, f"p{FRESH['refused']}")
    good, big = minimal_pdf("kept only with the others"), b"%PDF-1.4\n" + b"0" * LIMIT
    files = [_pdf("good.pdf", good), ("file_education", ("big.pdf", big, "application/pdf"))]
    answer = _application(client, FRESH["refused"], files)
    assert answer.status_code == 413 and "big.pdf" in answer.text
    assert f"超过了单个文件{LIMIT}字节的上限" in answer.text
    assert _own_case_count(docs, f"p{FRESH['refused']}") == before
    assert not docs.runtime.documents.exists(sha256_digest(good))
    assert not docs.runtime.documents.exists(sha256_digest(big))


def test_a_file_of_a_type_not_accepted_is_refused_with_422_and_nothing_is_kept(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['refused']}")
    before = _own_case_count(docs, f"p{FRESH['refused']}")
    disguised = b"<html><script>alert(1)</script></html>"
    answer = _application(client, FRESH["refused"], [("file_education", ("diploma.pdf", disguised, "application/pdf"))])
    assert answer.status_code == 422 and "diploma.pdf" in answer.text and "pdf" in answer.text
    assert _own_case_count(docs, f"p{FRESH['refused']}") == before
    assert not docs.runtime.documents.exists(sha256_digest(disguised))


def test_multipart_forms_without_the_csrf_token_are_refused(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{SUPPLEMENTING}")
    data = minimal_pdf("sent without a token")
    case_id = docs.cases[SUPPLEMENTING]
    for path, field in (("/apply", "file_education"), (f"/cases/{case_id}/supplement", "file_supplement")):
        answer = client.post(path, data={"statement": "x"}, files=[(field, ("x.pdf", data, "application/pdf"))])
        assert answer.status_code == 403 and "表单已失效" in answer.text
    assert not docs.runtime.documents.exists(sha256_digest(data))


def test_the_applicant_sends_a_supplement_as_a_file_and_a_stranger_may_not(docs: Console) -> None:
    client = docs.client
    case_id = docs.cases[SUPPLEMENTING]
    intruding = minimal_pdf("not the applicant's")
    sign_in(client, STRANGER)
    csrf = page_csrf(client, "/account/password")
    files = [("file_supplement", ("intrude.pdf", intruding, "application/pdf"))]
    refused = client.post(f"/cases/{case_id}/supplement", data={"csrf_token": csrf}, files=files)
    assert refused.status_code == 403 and not docs.runtime.documents.exists(sha256_digest(intruding))
    sign_in(client, f"p{SUPPLEMENTING}")
    report = minimal_pdf("acceptance report")
    csrf = page_csrf(client, f"/cases/{case_id}")
    files = [("file_supplement", ("验收报告.pdf", report, "application/pdf"))]
    sent = client.post(f"/cases/{case_id}/supplement", data={"csrf_token": csrf}, files=files)
    assert sent.status_code == 303, sent.text[-600:]
    listed = case_documents.case_documents(docs.runtime, case_id, f"p{SUPPLEMENTING}")
    assert [(d.kind, d.filename, d.digest) for d in listed if d.kind == "supplement"] == [
        ("supplement", "验收报告.pdf", sha256_digest(report))
    ]


def test_a_revision_of_a_draft_adds_the_files_sent_with_it(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['revised']}")
    case_id = _case_of(_application(client, FRESH["revised"], []))
    award = tiny_png()
    fields = {"csrf_token": page_csrf(client, f"/cases/{case_id}"), "statement": statement(2600)}
    revised = client.post(
        f"/cases/{case_id}/statement", data=fields, files=[("file_award", ("award.png", award, "image/png"))]
    )
    assert revised.status_code == 303, revised.text[-600:]
    listed = case_documents.case_documents(docs.runtime, case_id, f"p{FRESH['revised']}")
    assert ("award", "award.png", sha256_digest(award)) in [(d.kind, d.filename, d.digest) for d in listed]


def test_the_examiner_reads_the_statement_escaped_and_the_documents_on_the_task_page(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['reviewed']}")
    evidence = minimal_pdf("diploma")
    files = [
        ("file_id_card_front", ("front.pdf", minimal_pdf("front"), "application/pdf")),
        ("file_id_card_back", ("back.pdf", minimal_pdf("back"), "application/pdf")),
        ("file_education", ("diploma.pdf", evidence, "application/pdf")),
    ]
    text = "<b>主持</b>" + statement()
    case_id = _case_of(_application(client, FRESH["reviewed"], files, text))
    csrf = page_csrf(client, f"/cases/{case_id}")
    assert client.post(f"/cases/{case_id}/act", data={"csrf_token": csrf, "action": "submit"}).status_code == 303
    act(docs.runtime, case_id, Action.ACCEPT_FOR_REVIEW)
    [task, *_] = review.assign(docs.runtime, case_id, ACTOR_OF_PARTY[Party.WORKGROUP])
    sign_in(client, EXAMINER_USERNAMES[task.examiner_name])
    page = client.get(f"/tasks/{task.task_id}")
    assert page.status_code == 200
    viewer = page.text.split('id="statement">')[1].split("</div>")[0]
    assert viewer.startswith("&lt;b&gt;主持&lt;/b&gt;") and "<b>" not in viewer
    assert "diploma.pdf" in page.text.split('id="documents"')[1]
    assert client.get(f"/cases/{case_id}/documents/{sha256_digest(evidence)}").content == evidence


def test_the_api_lists_a_cases_documents_and_serves_each_to_its_readers(docs: Console) -> None:
    client = docs.client
    sign_in(client, f"p{FRESH['api']}")
    data = minimal_pdf("through the api")
    case_id = _case_of(_application(client, FRESH["api"], [_pdf("api.pdf", data)]))
    client.cookies.clear()

    def bearer(username: str) -> dict[str, str]:
        answer = client.post("/api/token", data={"username": username, "password": PASSWORD})
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}

    listed = client.get(f"/api/v1/cases/{case_id}/documents", headers=bearer(f"p{FRESH['api']}"))
    assert listed.status_code == 200
    [item] = [i for i in listed.json() if i["digest"] == sha256_digest(data)]
    assert item["filename"] == "api.pdf" and item["media_type"] == "application/pdf" and item["size"] == len(data)
    served = client.get(item["download"], headers=bearer(f"p{FRESH['api']}"))
    assert served.status_code == 200 and served.content == data
    assert served.headers["x-content-type-options"] == "nosniff"
    for path in (f"/api/v1/cases/{case_id}/documents", item["download"]):
        refused = client.get(path, headers=bearer(STRANGER))
        assert refused.status_code == 403 and refused.json()["code"] == "case_reading_refused"
