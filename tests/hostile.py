"""Hostile input for the `capeval` command: every command that takes a file, and its main numeric options.

A prepared database (a society, a registered certificate, a case, a review task) gives each command
something to act on; `TARGETS` names, for every file-taking command, a valid document to start from and
the arguments that hand it in. `file_contents` draws what a careless or hostile person might hand in
instead (the valid document with a few values replaced, broken encodings, deep nesting, huge numbers),
`internal_error` says whether the command's answer is an internal error rather than a refusal.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from capeval.cli.main import cli
from capeval.states.application import Action
from capeval.states.clock import FixedClock
from capeval.states.review_policy import AREAS

from .factories import SOCIETY, act, at, id_number, load_society, person, society_document, statement, submitted_case
from .runtimes import new_runtime

HOLDER, APPLICANT = 1, 2
WORKGROUP, STAFF = "王秘书", "秘书处员"


@dataclass(frozen=True)
class Prepared:
    """A database with something for every command to act on."""

    url: str
    certificate: str
    holder: str
    case_id: int


def prepare(url: str) -> Prepared:
    """A society with members 1 and 2; member 1 holds a certificate, member 2 has a submitted case."""
    runtime = new_runtime(url, clock=FixedClock(at("2026-01-05")))
    try:
        load_society(runtime, [HOLDER, APPLICANT, 3])
        first = submitted_case(runtime, HOLDER)
        for action in (Action.ACCEPT_FOR_REVIEW, Action.PASS_MATERIAL_REVIEW, Action.APPROVE):
            act(runtime, first, action)
        number = act(runtime, first, Action.REGISTER).registration_number
        second = submitted_case(runtime, APPLICANT)
        with runtime.unit_of_work() as uow:
            context = uow.applications.context(first)
            assert context is not None
            holder = context.person.username
    finally:
        runtime.engine.dispose()
    return Prepared(url, str(number), holder, second)


class Raw:
    """A token written into a file as is (a 5,000-digit number, NaN, a lone-surrogate escape)."""

    def __init__(self, text: str) -> None:
        self.text = text


SPECIAL_VALUES: tuple[Any, ...] = (
    Raw("1" + "0" * 5000),
    Raw("-" + "9" * 4400),
    Raw("NaN"),
    Raw("Infinity"),
    Raw("1e999"),
    Raw('"\\ud800"'),
    Raw('"a\\u0000b"'),
    Raw("[" * 3000 + "]" * 3000),
    Raw("{" + '"a":{' * 2000 + "}" * 2001),
    2**63,
    2**63 - 1,
    -(2**63) - 1,
    10**30,
    -1,
    0,
    99,
    1.5,
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "",
    " ",
    "x" * 600,
    "名" * 5000,
    "１１０１０５１９８５０６１２００１",
    "²",
    "a\nb",
    "a\r\nBcc: x@y.z",
    "\x1b[31m红\x1b[0m",
    "Ｘ",
    "\u202e",
    True,
    None,
    [],
    {},
    [[[[[]]]]],
)

LEAF_VALUES = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.integers(),
    st.text(max_size=40),
    st.floats(),
    st.booleans(),
    st.dates().map(date.isoformat),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return document


@st.composite
def mutated(draw: st.DrawFn, template: Any) -> Any:
    """`template` with one to three values (or whole tables) replaced by hostile ones."""
    document = copy.deepcopy(template)
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(document))
        path = draw(st.sampled_from(paths[1:] or paths))
        document = _replace(document, path, draw(LEAF_VALUES))
    return document


def to_json(document: Any) -> str:
    """JSON text of `document`, with `Raw` tokens written as they are."""
    raws: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, Raw):
            raws.append(value.text)
            return f"\x00raw{len(raws) - 1}\x00"
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    text = json.dumps(document, ensure_ascii=False, default=default)
    for index, raw in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{index}\x00"), raw)
    return text


def to_toml(document: Any) -> str:
    """TOML text of a table: every value inline, `Raw` tokens as they are, None left out."""
    if not isinstance(document, dict):
        return f"value = {_toml_value(document)}\n"
    return "".join(f"{_toml_key(key)} = {_toml_value(value)}\n" for key, value in document.items() if value is not None)


def _toml_key(key: Any) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value.bit_length() < 4000 else "1" + "0" * 5000
    if isinstance(value, float):
        return repr(value) if value == value and abs(value) != float("inf") else ("nan" if value != value else "inf")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v is not None)
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value if item is not None) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


@st.composite
def file_contents(draw: st.DrawFn, template: Any, syntax: str) -> bytes:
    """The bytes of a hostile file in `syntax` (json, toml, csv or text) grown from `template`."""
    kind = draw(st.sampled_from(("mutated", "mutated", "mutated", "bytes", "encoding", "nested", "truncated")))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "nested":
        depth = draw(st.sampled_from((40, 1000, 100_000)))
        return ("[" * depth + "]" * depth).encode() if syntax != "toml" else ("a = " + "[" * depth).encode()
    valid = _written(template, syntax)
    if kind == "encoding":
        encoding = draw(st.sampled_from(("gbk", "utf-16", "latin-1", "utf-8-sig", "utf-32")))
        return _encoded(valid, encoding)
    if kind == "truncated":
        cut = draw(st.integers(0, max(0, len(valid) - 1)))
        return valid[:cut].encode()
    if syntax == "text":
        extra = draw(st.sampled_from(("\x00", "\ud800", "\x1b", "", "\ufeff")))
        return _encoded(draw(st.text(max_size=200)) + extra + valid, "utf-8")
    return _encoded(_written(draw(mutated(template)), syntax), "utf-8")


def _written(document: Any, syntax: str) -> str:
    if syntax == "json":
        return to_json(document)
    if syntax == "toml":
        return to_toml(document)
    if syntax == "csv":
        rows = [row if isinstance(row, list) else [row] for row in document]
        return "\n".join(",".join(_cell(cell) for cell in row) for row in rows) + "\n"
    return str(document)


def _cell(value: Any) -> str:
    text = value.text if isinstance(value, Raw) else "" if value is None else str(value)
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def application(serial: int) -> dict[str, Any]:
    """A valid application file (see README, "Application files")."""
    return {
        "applicant": {**person(serial), "language": "zh-CN"},
        "society": "CES",
        "field": "electrical",
        "level": "professional",
        "route": "standard",
        "self_statement": statement(2500),
        "commitment_signed": True,
        "evidence": [
            {"kind": "id_card_front", "reference": "id-front.pdf"},
            {"kind": "id_card_back", "reference": "id-back.pdf"},
            {"kind": "education", "reference": "diploma.pdf"},
        ],
    }


def activity() -> dict[str, Any]:
    return {"kind": "training", "date": "2026-03-02", "minutes": 480, "online": False, "subject": "professional"}


CALENDAR = {
    "year": 2027,
    "source": "国务院办公厅关于2027年部分节假日安排的通知",
    "holiday": [{"name": "元旦", "from": date(2027, 1, 1), "to": date(2027, 1, 1)}],
    "adjusted_working_day": [{"date": date(2027, 1, 9), "for": "元旦"}],
}
POLICY = {"pipeline": {"resubmission_working_days": 10, "self_statement_min_chars": 2000}}
REVIEW_RECORD = {
    "areas": {area: {"achieved": True, "justification": "材料中有项目证明"} for area in AREAS},
    "recommendation": "pass",
}
DECLARATION = {"employment": [{"id_number": id_number(901), "employer": "某设计院"}], "relation": []}
NOTICE_CONTEXT = {
    "case_id": 42,
    "applicant_name": "李明",
    "action": "return_for_revision",
    "stage": "returned",
    "previous_stage": "submitted",
    "reason": "学历证明模糊不清",
    "field_code": "electrical",
    "level": "professional",
    "due_on": "2026-02-27",
}
TRANSCRIPT = [["date", "minutes", "title"], ["2026-03-02", "480", "电气安全"], ["2026-04-01", "90", "继续教育"]]


@dataclass(frozen=True)
class Target:
    """A file-taking command: the file's syntax and suffix, a valid document, the arguments naming the file."""

    name: str
    syntax: str
    suffix: str
    template: Any
    arguments: Callable[[Prepared, Path], list[str]]


TARGETS = (
    Target("policy", "toml", ".toml", POLICY, lambda p, f: ["--policy", str(f), "rules", "list"]),
    Target("calendar import", "toml", ".toml", CALENDAR, lambda p, f: ["calendar", "import", str(f)]),
    Target("society load", "json", ".json", society_document([4]), lambda p, f: ["society", "load", str(f)]),
    Target("society load (toml)", "toml", ".toml", society_document([5]), lambda p, f: ["society", "load", str(f)]),
    Target("case create", "json", ".json", application(3), lambda p, f: ["case", "create", str(f), "--submit"]),
    Target("case create (toml)", "toml", ".toml", application(6), lambda p, f: ["case", "create", str(f)]),
    Target(
        "case revise",
        "text",
        ".txt",
        statement(2500),
        lambda p, f: ["case", "revise", str(p.case_id), "--actor", "p2", "--statement-file", str(f)],
    ),
    Target("review declare", "json", ".json", DECLARATION, lambda p, f: ["review", "declare", str(f)]),
    Target(
        "review submit",
        "json",
        ".json",
        REVIEW_RECORD,
        lambda p, f: ["review", "submit", "1", str(f), "--actor", "赵考官"],
    ),
    Target(
        "cpd evaluate",
        "json",
        ".json",
        {"member": "张三", "year": 2026, "activities": [activity()]},
        lambda p, f: ["cpd", "evaluate", "--year", "2026", "--file", str(f)],
    ),
    Target(
        "cpd record",
        "json",
        ".json",
        {"activities": [activity()]},
        lambda p, f: ["cpd", "record", p.certificate, "--actor", p.holder, "--file", str(f)],
    ),
    Target(
        "cpd import",
        "csv",
        ".csv",
        TRANSCRIPT,
        lambda p, f: ["cpd", "import", p.certificate, "--csv", str(f), "--actor", WORKGROUP],
    ),
    Target(
        "cpd plan load",
        "toml",
        ".toml",
        {"year": 2026, "item": [{"id": "P26-01", "title": "继电保护培训", "kind": "training", "hours": 8}]},
        lambda p, f: ["cpd", "plan", "load", str(f), "--society", SOCIETY, "--actor", WORKGROUP],
    ),
    Target(
        "notify preview",
        "json",
        ".json",
        NOTICE_CONTEXT,
        lambda p, f: ["notify", "preview", "application.return_for_revision", "--context", str(f)],
    ),
)


NUMBERS = st.one_of(
    st.sampled_from(("0", "-1", "99", "2147483648", str(2**63), str(2**63 - 1), "1" + "0" * 30, "²", "１２", "1e3")),
    st.integers().map(str),
)
DAYS = st.one_of(
    st.sampled_from(("9999-12-31", "0001-01-01", "2026-02-30", "2026-13-01", "２０２６-０１-０１", "1899-12-31")),
    st.dates().map(date.isoformat),
)


def option_arguments(prepared: Prepared) -> st.SearchStrategy[list[str]]:
    """The main numeric and date options and arguments, with hostile values."""
    number, day = NUMBERS, DAYS
    cert, holder = prepared.certificate, prepared.holder
    return st.one_of(
        st.tuples(number).map(lambda n: ["case", "show", n[0]]),
        st.tuples(number).map(lambda n: ["case", "act", n[0], "withdraw", "--actor", "p2"]),
        st.tuples(number).map(
            lambda n: [
                "case",
                "act",
                str(prepared.case_id),
                "accept_for_review",
                "--actor",
                WORKGROUP,
                "--expected-version",
                n[0],
            ]
        ),
        st.tuples(day, number).map(lambda a: ["calendar", "add-working-days", a[0], a[1]]),
        st.tuples(day).map(lambda a: ["calendar", "is-working-day", a[0]]),
        st.tuples(day).map(lambda a: ["--now", a[0], "case", "board"]),
        st.tuples(number).map(lambda n: ["cpd", "report", cert, "--year", n[0]]),
        st.tuples(day, number).map(
            lambda a: [
                "cpd",
                "record",
                cert,
                "--actor",
                holder,
                "--kind",
                "training",
                "--date",
                a[0],
                "--minutes",
                a[1],
            ]
        ),
        st.tuples(number).map(
            lambda n: [
                "cpd",
                "record",
                cert,
                "--actor",
                holder,
                "--kind",
                "training",
                "--date",
                "2026-05-06",
                "--days",
                n[0],
            ]
        ),
        st.tuples(day).map(lambda a: ["cpd", "lecturer", cert, "--since", a[0], "--actor", STAFF]),
        st.tuples(number).map(lambda n: ["review", "accept", n[0], "--actor", "赵考官"]),
        st.tuples(number).map(lambda n: ["interview", "list", n[0]]),
    )


def invoke(prepared: Prepared, arguments: list[str], env: dict[str, str] | None = None) -> Result:
    """Run `capeval --db URL ARGUMENTS` in this process, as a person at a terminal would."""
    return CliRunner().invoke(cli, ["--db", prepared.url, *arguments], env=env)


def internal_error(result: Result) -> str | None:
    """What makes `result` an internal error (exit 1, a traceback, the words), or None when it is not one."""
    output = result.stdout + result.stderr
    if result.exit_code == 1:
        return f"exit 1: {output.strip()[-300:] or repr(result.exception)}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"raised {type(result.exception).__name__}"
    if "internal error" in output or "Traceback" in output:
        return output.strip()[-300:]
    return None


@dataclass
class Survey:
    """What a run of hostile inputs found: how many were tried, and each internal error."""

    tried: int = 0
    failures: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self, limit: int = 8) -> str:
        lines = [f"{len(self.failures)} internal errors in {self.tried} inputs"]
        lines += [f"{name}: {sample!r} -> {problem}" for name, sample, problem in self.failures[:limit]]
        return "\n".join(lines)


def survey(prepared: Prepared, folder: Path, examples: int, targets: tuple[Target, ...] = TARGETS) -> Survey:
    """Hand `examples` hostile files to every target, and `examples` hostile option values, seeded (the same
    inputs every run); every answer that is an internal error is kept, none stops the run."""
    found = Survey()
    quick = settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    for target in targets:
        _hand_in(found, prepared, folder, target, quick)

    @quick
    @given(arguments=option_arguments(prepared))
    def type_in(arguments: list[str]) -> None:
        _record(found, "options", " ".join(arguments)[:160], invoke(prepared, arguments))

    type_in()
    return found


def _hand_in(found: Survey, prepared: Prepared, folder: Path, target: Target, quick: settings) -> None:
    @quick
    @given(content=file_contents(target.template, target.syntax))
    def hand_in(content: bytes) -> None:
        path = folder / f"hostile{target.suffix}"
        path.write_bytes(content)
        _record(found, target.name, repr(content[:120]), invoke(prepared, target.arguments(prepared, path)))

    hand_in()


def _record(found: Survey, name: str, sample: str, result: Result) -> None:
    found.tried += 1
    problem = internal_error(result)
    if problem is not None:
        found.failures.append((name, sample, problem))
