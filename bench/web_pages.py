#!/usr/bin/env python
"""The web console's board and case pages served by uvicorn to 20 concurrent clients, against the bare SQL.

Run:  python bench/web_pages.py [--backend sqlite|postgresql|both] [--cases 100000] [--clients 20]
                                [--requests 10] [--posts 30] [--workers 1] [--quick] [--strict]

For each backend a fresh database is initialised by `init_runtime` and filled with SQLAlchemy Core
executemany (`board.fill`: one society, `--cases` applicants with one case each and its reference, stages
spread over the stage table, one case in ten with an open deadline), plus one workgroup member of the
society with a console password. The console (`create_app` over `bootstrap(settings)`, as `capeval web`
serves it) runs under uvicorn on 127.0.0.1 at a free port in `--workers` processes of its own (as `capeval
web --workers N` runs it; the first line says how many); the clients are httpx AsyncClients over TCP in
this process: `--clients` clients, each signed in through the login form with
its own session, request the page `--requests` times each, all at once. Two times per request:

* server: the app's `Server-Timing: app;dur=` header, from the request reaching the app to its response
  headers (routing, session, services, SQL, template), including any wait for the app's thread pool;
* client: around the client's call (adds uvicorn's HTTP parsing, loopback TCP and httpx).

Pages (the board shows 50 rows a page here):

* board:        `GET /board`, the first page and its counts by stage;
* board due:    `GET /board?due_within=10`, cases due within 10 working days;
* board over:   `GET /board?overdue=1`, overdue cases (every open deadline of the fill is past by now, so
                both due-date rows match the 10,000 cases with one, and their counts stop at the
                `board_count_cap` setting);
* case:         `GET /cases/<id>` of a case in material review.

Beside each page, the bare SQL of the same page in the same run: every statement one request of the
page sent (caught with a SQLAlchemy event listener on an in-process app over the same database and, as
the served console, on the real clock, so a due-date filter matches the same cases; with its
parameters), replayed on the driver's own cursor of a connection kept open (rows fetched, the
transaction ended), one client at a time.

The POST row: `POST /cases/<id>/act` returning a submitted case for revision (one client, not following
the redirect; server and client time), against `handle(runtime, TakeAction(...))` of the same command on
other cases in this process, the CLI's handler path, interleaved; and the statements one of each sends
(the POST on an in-process app over the same database, caught with the same listener).

Targets: board p95 <= 150 ms, case page p95 <= 100 ms (20 clients, server time), POST server time /
handler <= 2 (medians). Exit status 0 unless something fails; with --strict, 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from board import fill  # noqa: E402
from handler_throughput import (  # noqa: E402
    BENCH_ID_KEY,
    BENCH_MOMENT,
    DEFAULT_ADMIN_URL,
    Unreachable,
    postgres_database,
    sqlite_database,
)

from capeval.cli.web import WORKER_HEALTHCHECK_SECONDS  # noqa: E402
from capeval.models import Application, Person, StaffAssignment  # noqa: E402
from capeval.models.tables import table_of  # noqa: E402
from capeval.services import accounts, console  # noqa: E402
from capeval.services.bootstrap import bootstrap, init_runtime  # noqa: E402
from capeval.services.handlers import handle  # noqa: E402
from capeval.services.runtime import Runtime  # noqa: E402
from capeval.settings import Settings  # noqa: E402
from capeval.states.application import Action  # noqa: E402
from capeval.states.clock import FixedClock  # noqa: E402
from capeval.states.commands import TakeAction  # noqa: E402
from capeval.web.app import create_app  # noqa: E402
from capeval.web.serving import worker_app  # noqa: E402

WORKGROUP = "bench-wg"
PASSWORD = "bench-password-123"
REASON = "学历证明不清晰"
BOARD_TARGET_MS = 150.0
CASE_TARGET_MS = 100.0
POST_TARGET = 2.0
PAGE_SIZE = 50
SERVER = """
import sys
sys.path[:0] = sys.argv[4:6]  # the bench folder and the project
import uvicorn
uvicorn.run(
    "web_pages:served_app", factory=True, workers=int(sys.argv[3]), host="127.0.0.1", port=int(sys.argv[2]),
    log_level="warning", access_log=False, timeout_worker_healthcheck=int(sys.argv[6]),
)
"""


def served_app() -> Any:
    """The console of one server process, as `capeval web` builds it (`CAPEVAL_DATABASE_URL` from the
    benchmark), with the benchmark's board page size."""
    console.BOARD_PAGE_SIZE = PAGE_SIZE
    return worker_app()


class Timed(NamedTuple):
    """One request: seconds around the client's call, and the app's own seconds (None without the header)."""

    client: float
    server: float | None


def add_workgroup(runtime: Runtime) -> None:
    """One workgroup member of the benchmark society, with a console password."""
    now = datetime.now(UTC)
    with runtime.engine.begin() as connection:
        society_id = connection.execute(sa.text("SELECT id FROM society")).scalar_one()
        person_id = connection.execute(
            sa.insert(table_of(Person)).returning(table_of(Person).c.id),
            {
                "username": WORKGROUP,
                "name": "工作组 基准",
                "id_number_digest": "w" * 64,
                "id_number_masked": "110105***********X",
                "email": "wg@example.cn",
                "language": "zh-CN",
                "employer": "",
                "created_at": now,
            },
        ).scalar_one()
        connection.execute(
            sa.insert(table_of(StaffAssignment)),
            [{"person_id": person_id, "role": "workgroup", "society_id": society_id}],
        )
    accounts.set_password(runtime, WORKGROUP, PASSWORD)


def cases_in(runtime: Runtime, stage: str, count: int) -> list[int]:
    table = table_of(Application)
    with runtime.engine.connect() as connection:
        query = sa.select(table.c.id).where(table.c.stage == stage).order_by(table.c.id).limit(count)
        return list(connection.execute(query).scalars())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def served(url: str, workers: int) -> Iterator[str]:
    """The console on `url` under uvicorn with `workers` processes of its own; its base URL once it answers."""
    port = free_port()
    env = {**os.environ, "CAPEVAL_ID_KEY": BENCH_ID_KEY, "CAPEVAL_DATABASE_URL": url}
    paths = [str(ROOT / "bench"), str(ROOT)]
    arguments = [url, str(port), str(workers), *paths, str(WORKER_HEALTHCHECK_SECONDS)]
    server = subprocess.Popen([sys.executable, "-c", SERVER, *arguments], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"the server stopped with status {server.returncode}")
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer within 30 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


async def signed_in(client: httpx.AsyncClient) -> httpx.AsyncClient:
    form = await client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token, "the login page has no CSRF token"
    data = {"username": WORKGROUP, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"}
    answer = await client.post("/login", data=data)
    assert answer.status_code == 303, answer.text[:300]
    return client


def server_seconds(answer: httpx.Response) -> float | None:
    found = re.search(r"app;dur=([0-9.]+)", answer.headers.get("server-timing", ""))
    return float(found.group(1)) / 1000 if found else None


async def concurrent(clients: list[httpx.AsyncClient], path: str, requests: int) -> list[Timed]:
    """Every client asks for `path` `requests` times, all clients at once; each request's times."""
    times: list[Timed] = []

    async def one(client: httpx.AsyncClient) -> None:
        for _ in range(requests):
            started = time.perf_counter()
            answer = await client.get(path)
            times.append(Timed(time.perf_counter() - started, server_seconds(answer)))
            assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])

    await asyncio.gather(*(one(client) for client in clients))
    return times


@contextmanager
def statements_of(runtime: Runtime) -> Iterator[list[tuple[str, Any]]]:
    sent: list[tuple[str, Any]] = []

    def before(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    sa.event.listen(runtime.engine, "before_cursor_execute", before)
    try:
        yield sent
    finally:
        sa.event.remove(runtime.engine, "before_cursor_execute", before)


async def statements_of_page(runtime: Runtime, path: str) -> list[tuple[str, Any]]:
    """Every statement one signed-in request of `path` sends (the app in this process, the same database)."""
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await signed_in(client)
        await client.get(path)
        with statements_of(runtime) as sent:
            answer = await client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    return sent


def bare_replay(runtime: Runtime, sent: list[tuple[str, Any]], rounds: int) -> list[float]:
    """The statements of one request, replayed `rounds` times on the driver's cursor; seconds per replay."""
    raw = runtime.engine.raw_connection()
    cursor = raw.cursor()
    times = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            for statement, parameters in sent:
                cursor.execute(statement, parameters)
                if cursor.description is not None:
                    cursor.fetchall()
            raw.rollback()
            times.append(time.perf_counter() - started)
    finally:
        raw.close()
    return times


async def measure(runtime: Runtime, base: str, options: argparse.Namespace) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=1)
    clients = [
        await signed_in(httpx.AsyncClient(base_url=base, limits=limits, timeout=120)) for _ in range(options.clients)
    ]
    [reviewed] = cases_in(runtime, "material_review", 1)
    pages = {
        "board": "/board",
        "board due": "/board?due_within=10",
        "board over": "/board?overdue=1",
        "case": f"/cases/{reviewed}",
    }
    as_served = bootstrap(runtime.settings)  # the served console's clock: today, not the fill's moment
    found: dict[str, Any] = {}
    try:
        for name, path in pages.items():
            await concurrent(clients[:2], path, 2)  # warm up
            sent = await statements_of_page(as_served, path)
            alone = await concurrent(clients[:1], path, options.requests * 2)
            loaded = await concurrent(clients, path, options.requests)
            bare = bare_replay(runtime, sent, options.requests * 2)
            found[name] = (alone, loaded, bare, len(sent))
        found["post"] = await posts(runtime, clients[0], options.posts)
    finally:
        for client in clients:
            await client.aclose()
        as_served.engine.dispose()
    return found


async def statements_of_post(runtime: Runtime, on_web: int, on_cli: int) -> tuple[int, int]:
    """How many statements one POST /cases/<id>/act sends (the app in this process, the same database), and
    how many handle() of the same command sends, on two submitted cases."""
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        await signed_in(client)
        page = await client.get(f"/cases/{on_web}")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token, "the case page has no CSRF token"
        form = {"csrf_token": token.group(1), "action": Action.RETURN_FOR_REVISION.value, "reason": REASON}
        with statements_of(runtime) as web:
            answer = await client.post(f"/cases/{on_web}/act", data={**form, "expected_version": "2"})
        assert answer.status_code == 303, answer.text[:500]
    with statements_of(runtime) as direct:
        handle(runtime, TakeAction(on_cli, Action.RETURN_FOR_REVISION, WORKGROUP, REASON, 2))
    return len(web), len(direct)


async def posts(
    runtime: Runtime, client: httpx.AsyncClient, count: int
) -> tuple[list[Timed], list[float], tuple[int, int]]:
    """POST /cases/<id>/act against handle() of the same command, interleaved, on submitted cases; the
    statements of one of each."""
    submitted = cases_in(runtime, "submitted", 2 * count + 4)
    if len(submitted) < 2 * count + 4:
        raise RuntimeError(f"only {len(submitted)} submitted cases; ask for more --cases or fewer --posts")
    page = await client.get(f"/cases/{submitted[0]}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the case page has no CSRF token"
    web: list[Timed] = []
    direct: list[float] = []
    for n in range(count + 1):
        on_web, on_cli = submitted[2 * n], submitted[2 * n + 1]
        form = {"csrf_token": token.group(1), "action": Action.RETURN_FOR_REVISION.value, "reason": REASON}
        started = time.perf_counter()
        answer = await client.post(f"/cases/{on_web}/act", data={**form, "expected_version": "2"})
        timed = Timed(time.perf_counter() - started, server_seconds(answer))
        assert answer.status_code == 303, answer.text[:500]
        started = time.perf_counter()
        outcome = handle(runtime, TakeAction(on_cli, Action.RETURN_FOR_REVISION, WORKGROUP, REASON, 2))
        cli_seconds = time.perf_counter() - started
        assert outcome.stage == "returned"
        if n:  # the first pair warms up
            web.append(timed)
            direct.append(cli_seconds)
    return web, direct, await statements_of_post(runtime, submitted[-2], submitted[-1])


def milliseconds(values: list[float | None], share: float) -> str:
    known = [value for value in values if value is not None]
    return f"{percentile(known, share) * 1000:7.1f}" if known else "      -"


def run_backend(url_of: Callable[[], Any], name: str, options: argparse.Namespace) -> list[str]:
    lines, misses = [], []
    with url_of() as url:
        settings = Settings.load(database_url=url, id_key=BENCH_ID_KEY)
        runtime = init_runtime(settings, clock=FixedClock(BENCH_MOMENT))
        try:
            fill(runtime, options.cases)
            add_workgroup(runtime)
            with served(url, options.workers) as base:
                found = asyncio.run(measure(runtime, base, options))
        finally:
            runtime.engine.dispose()
    for page in ("board", "board due", "board over", "case"):
        alone, loaded, bare, statements = found[page]
        target = CASE_TARGET_MS if page == "case" else BOARD_TARGET_MS
        server = [timed.server for timed in loaded]
        client = [timed.client for timed in loaded]
        known = [value for value in server if value is not None]
        p95 = percentile(known or client, 0.95) * 1000
        bare50 = statistics.median(bare) * 1000
        alone_server = [timed.server for timed in alone if timed.server is not None]
        alone50 = statistics.median(alone_server or [timed.client for timed in alone]) * 1000
        ok = p95 <= target
        if not ok:
            misses.append(f"{name} {page} p95")
        lines.append(
            f"{name:<11} {page:<10} {options.clients} clients: server p50 {milliseconds(server, 0.5)} "
            f"p95 {milliseconds(server, 0.95)} ms, client p50 {milliseconds(client, 0.5)} p95 "
            f"{milliseconds(client, 0.95)} ms; target p95 <= {target:g} ms {'PASS' if ok else 'MISS'}; "
            f"one client server p50 {alone50:6.1f} ms; bare SQL ({statements} statements) p50 {bare50:6.2f} ms, "
            f"one client / bare {alone50 / bare50:5.1f}x"
        )
    web, direct, (web_statements, direct_statements) = found["post"]
    web_server = [timed.server for timed in web if timed.server is not None]
    web50 = statistics.median(web_server or [timed.client for timed in web])
    client50 = statistics.median(timed.client for timed in web)
    ratio = web50 / statistics.median(direct)
    ok = ratio <= POST_TARGET
    if not ok:
        misses.append(f"{name} POST / handler")
    lines.append(
        f"{name:<11} POST act   server p50 {web50 * 1000:7.1f} ms (client {client50 * 1000:.1f} ms) vs handle() "
        f"{statistics.median(direct) * 1000:7.1f} ms: {ratio:4.2f}x target <= {POST_TARGET:g}x "
        f"{'PASS' if ok else 'MISS'}; statements {web_statements} vs handle() {direct_statements}"
    )
    return lines + [f"MISSED {m}" for m in misses]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=10, help="requests per client and page")
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (capeval web --workers)")
    parser.add_argument("--quick", action="store_true", help="5,000 cases, 5 requests per client, 20 posts")
    parser.add_argument("--strict", action="store_true")
    options = parser.parse_args()
    if options.workers < 1:
        parser.error(f"--workers must be 1 or more, not {options.workers}")
    if options.quick:
        options.cases, options.requests, options.posts = 5_000, 5, 20
    console.BOARD_PAGE_SIZE = PAGE_SIZE
    admin = os.environ.get("CAPEVAL_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    backends: dict[str, Callable[[], Any]] = {
        "sqlite": sqlite_database,
        "postgresql": lambda: postgres_database(admin),
    }
    chosen = list(backends) if options.backend == "both" else [options.backend]
    print(
        f"web console pages, {options.cases:,} cases, {options.clients} clients x {options.requests} requests "
        f"(uvicorn on 127.0.0.1, {options.workers} worker process(es) of its own; httpx clients over TCP); "
        f"load {os.getloadavg()[0]:.2f}"
    )
    lines: list[str] = []
    for name in chosen:
        try:
            lines += run_backend(backends[name], name, options)
        except Unreachable as error:
            lines.append(f"{name:<11} skipped: {error}")
    for line in lines:
        print(line)
    missed = any(line.startswith("MISSED") for line in lines)
    return 1 if options.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
