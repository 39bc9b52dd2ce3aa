"""A society's own templates, checked before use.

The folder (`CAPEVAL_TEMPLATES_DIR`) holds `<CODE>/<language>/<template>.j2` (and optionally
`<CODE>/layout.text.j2`, `<CODE>/layout.html.j2`); `<CODE>` is a society code or `federation`. An override
must extend `layout`, define a `subject` and a `body` block, and use only the variables its template
offers (`capeval notify variables TEMPLATE`). A broken one is refused with its file, line and the name at
fault, and no message is sent with it.
"""

from __future__ import annotations

import traceback
from functools import cache
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from capeval.states.errors import InputError

from .letterheads import Letterhead
from .samples import sample_context
from .variables import ENVELOPE_VARIABLES, RULE_NAMES, SENDER_KEYS

FILTERS_AND_GLOBALS = (
    "loop",
    "self",
    "super",
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "varargs",
    "kwargs",
    "caller",
)


def template_variables(template: str) -> list[str]:
    """The variables `template` offers: its own context (as its sample shows it) and the envelope."""
    return sorted(set(sample_context(template)) | set(ENVELOPE_VARIABLES) | {"layout"})


def _bound_names(tree: nodes.Template) -> set[str]:
    bound: set[str] = set()
    for node in tree.find_all((nodes.For, nodes.Assign, nodes.AssignBlock, nodes.Macro, nodes.With)):
        targets = []
        if isinstance(node, nodes.For | nodes.Assign | nodes.AssignBlock):
            targets.append(node.target)
        if isinstance(node, nodes.Macro):
            bound.update(arg.name for arg in node.args)
        if isinstance(node, nodes.With):
            targets.extend(node.targets)
        for target in targets:
            bound.update(name.name for name in target.find_all(nodes.Name))
            if isinstance(target, nodes.Name):
                bound.add(target.name)
    return bound


def static_problems(path: Path, source: str, template: str) -> list[tuple[int, str]]:
    """(line, name) of every variable the override uses that `template` does not offer."""
    from .rendering import environment

    env = environment()
    tree = env.parse(source)
    offered = set(template_variables(template)) | _bound_names(tree) | set(FILTERS_AND_GLOBALS)
    found = [(n.lineno, n.name) for n in tree.find_all(nodes.Name) if n.ctx == "load" and n.name not in offered]
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name == "rules" and node.attr not in RULE_NAMES:
            found.append((node.lineno, f"rules.{node.attr}"))
        if isinstance(node.node, nodes.Name) and node.node.name == "sender" and node.attr not in SENDER_KEYS:
            found.append((node.lineno, f"sender.{node.attr}"))
    return sorted(found)


def check_source(path: Path, source: str, template: str) -> None:
    """Refuse an override that cannot be parsed, lacks a block, or names an unknown variable."""
    from .rendering import environment

    try:
        tree = environment().parse(source)
    except TemplateSyntaxError as error:
        raise InputError(
            "template_override_syntax", file=str(path), line=error.lineno, error=error.message or ""
        ) from None
    if not path.name.startswith("layout."):
        blocks = {block.name for block in tree.find_all(nodes.Block)}
        for needed in ("subject", "body"):
            if needed not in blocks:
                raise InputError("template_override_block", file=str(path), line=1, variable=needed)
    problems = static_problems(path, source, template)
    if problems:
        line, name = problems[0]
        raise InputError("template_override_variable", file=str(path), line=line, variable=name, template=template)


def _layouts(overrides: Path, society: str) -> list[Path]:
    return [p for p in (overrides / society / f"layout.{fmt}.j2" for fmt in ("text", "html")) if p.is_file()]


@cache
def _checked(own: str, stamps: tuple[float, ...], template: str, language: str, overrides: str, society: str) -> None:
    folder = Path(overrides)
    if own:
        check_source(Path(own), Path(own).read_text(encoding="utf-8"), template)
    for layout in _layouts(folder, society):
        check_source(layout, layout.read_text(encoding="utf-8"), template)
    _trial_render(Path(own) if own else None, template, language, folder, society)


def _trial_render(own: Path | None, template: str, language: str, overrides: Path, society: str) -> None:
    """Render with the template's sample context, as the dispatcher would: an error is refused with its line."""
    from .compose import Stationery, full_context
    from .message import DEFAULT_FROM, MailIdentity
    from .rendering import environment

    env = environment(overrides)
    sender = Letterhead(society, society, society, "contact@example.org", "contact@example.org")
    paper = Stationery(MailIdentity.parse(DEFAULT_FROM))
    variables = {
        **full_context(template, sample_context(template), paper, sender, language, None),
        "language": language,
    }
    name = f"@{society}/{language}/{template}" if own is not None else f"{language}/{template}"
    try:
        for fmt in ("text", "html"):
            env.get_template(f"{fmt}:{name}").render(variables, layout=f"{fmt}:@{society}/layout")
    except Exception as error:  # jinja2's UndefinedError, TypeError … of the template's own code
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename and f.filename.endswith(".j2")]
        line = frames[-1].lineno if frames else 0
        where = Path(frames[-1].filename) if frames else (own or overrides / society)
        name = str(error).split("'")[1] if str(error).count("'") >= 2 else ""
        raise InputError(
            "template_override_render", file=str(where), line=line, variable=name, error=str(error)
        ) from None


def check_society(overrides: Path, society: str, template: str, language: str, own: Path | None) -> None:
    """Check what a society has of its own for `template` in `language`: the template, its layouts.

    Cached while the files are unchanged; InputError names the file, the line and the variable."""
    files = ([own] if own is not None else []) + _layouts(overrides, society)
    if not files:
        return
    stamps = tuple(f.stat().st_mtime for f in files)
    _checked(str(own or ""), stamps, template, language, str(overrides), society)


def check_override(path: Path, template: str, language: str, *, overrides: Path | None, society: str | None) -> None:
    """Check one override and the society's layouts (see `check_society`)."""
    assert overrides is not None and society is not None
    check_society(overrides, society, template, language, path)


def overrides_of(overrides: Path, society: str) -> list[tuple[str, str, Path]]:
    """(template, language, file) of every override a society has."""
    folder = overrides / society
    found = []
    for language_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        for file in sorted(language_dir.glob("*.j2")):
            found.append((file.name[: -len(".j2")], language_dir.name, file))
    return found
