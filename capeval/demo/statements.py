"""Self-statements assembled from the field's project templates and the sentence templates of the data folder.

The same random stream always gives the same text; the words live in `fields.toml`, `projects.toml` and
`statements.toml`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from capeval.demo.vocabulary import FieldWords, field_words, projects, statement_words

AREA_HEADINGS: tuple[str, ...] = statement_words().headings
"""The five competence areas, in the order a statement presents them."""
STATEMENT_MIN_CHARS = 2000
STATEMENT_MAX_CHARS = 4000
REFERENCE_YEAR = 2025
"""The year the statements are written in: ages and years of work count up to it."""


@dataclass(frozen=True)
class Author:
    """What a statement needs to know about its writer."""

    name: str
    employer: str
    birth_year: int


def _fill_params(rng: random.Random, spec: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, options in spec.items():
        choice = rng.choice(options)
        if isinstance(choice, dict):
            values.update(choice)
        else:
            values[key] = choice
    if "city2" in values:
        while values["city2"] == values.get("city"):
            values["city2"] = rng.choice(projects().cities)
    return values


def _pick(rng: random.Random, options: Sequence[str], k: int) -> str:
    return "、".join(rng.sample(options, k))


@dataclass
class _Section:
    heading: str
    core: list[str]
    extras: list[str]


def _general_values(rng: random.Random, level: str, vocab: FieldWords, titles: list[str]) -> dict[str, Any]:
    mentees = rng.randint(3, 9)
    n_mid = {"apprentice": (6, 18), "professional": (12, 40), "senior": (20, 60)}[level]
    docs = {"apprentice": (8, 20), "professional": (20, 60), "senior": (50, 120)}[level]
    papers = {"apprentice": (1, 3), "professional": (3, 9), "senior": (12, 36)}[level]
    patents = {"apprentice": (1, 2), "professional": (2, 6), "senior": (6, 20)}[level]
    return {
        "p_any": rng.choice(titles),
        "d_small": rng.randint(3, 12),
        "d_mid": rng.randint(15, 45),
        "n_small": rng.randint(2, 6),
        "n_mid": rng.randint(*n_mid),
        "pct": rng.randint(8, 30),
        "pct_high": rng.choice((92, 95, 96, 98)),
        "hours_year": rng.randint(56, 96),
        "papers": rng.randint(*papers),
        "patents": rng.randint(*patents),
        "team": rng.randint(8, 40),
        "team_small": rng.randint(4, 9),
        "team_big": rng.randint(35, 160),
        "docs": rng.randint(*docs),
        "mentees": mentees,
        "mentees_ok": rng.randint(1, mentees - 1),
        "save_wan": rng.randint(80, 900),
        "budget_big": rng.choice(("1.6", "3.2", "5.8", "8.6", "12.4")),
        "disciplines": rng.choice(vocab.disciplines),
        "partner": rng.choice(vocab.partners),
        "topics": _pick(rng, vocab.topics, 2),
        "trend": rng.choice(vocab.trends),
        "self_learn": rng.choice(vocab.self_learn),
        "conf": rng.choice(vocab.confs),
        "rd": rng.choice(vocab.rd),
        "field_name": vocab.name,
        "level_cn": statement_words().levels[level].name,
    }


def build_statement(rng: random.Random, author: Author, field_code: str, level: str) -> str:
    """A complete self-statement of 2,000 to 4,000 characters over the five competence areas."""
    words, vocab = statement_words(), field_words()[field_code]
    level_words = words.levels[level]
    age = REFERENCE_YEAR - author.birth_year
    low, high = level_words.work_years
    degrees = [name for name, degree in words.degrees.items() if low <= age - degree.age <= high]
    if level == "apprentice" and "博士" in degrees:
        degrees.remove("博士")
    degree = rng.choice(degrees)
    grad_year = author.birth_year + words.degrees[degree].age
    work_years = REFERENCE_YEAR - grad_year

    n_projects = 2 if level == "apprentice" or rng.random() < 0.4 else 3
    templates = rng.sample(projects().by_field[field_code], n_projects)
    starts = [rng.randint(max(grad_year, t.since), REFERENCE_YEAR - 1) for t in templates]
    order = sorted(range(n_projects), key=lambda i: starts[i])
    templates, starts = [templates[i] for i in order], [starts[i] for i in order]
    role_title = rng.choice(level_words.roles)

    blocks: list[str] = []
    titles: list[str] = []
    duties: list[str] = []
    for number, (template, start) in enumerate(zip(templates, starts), start=1):
        params = _fill_params(rng, template.params)
        title = template.title.format(**params)
        end = min(REFERENCE_YEAR, start + rng.randint(1, 3))
        role = rng.choice(words.role_sentences).format(role=role_title, duty=template.duty)
        tasks = [t.format(**params) for t in template.tasks]
        rng.shuffle(tasks)
        body = template.scale.format(**params) + role + "".join(tasks) + template.result.format(**params)
        blocks.append(f"（{number}）{title}（{start}—{end}年）\n{body}")
        titles.append(title)
        duties.append(template.duty.removeprefix("负责"))

    fixed = {
        "p1": titles[0],
        "p2": titles[1],
        "duty_short": duties[0],
        "role": role_title,
        "cert": rng.choice(vocab.certs),
    }

    def values() -> dict[str, Any]:
        return _general_values(rng, level, vocab, titles) | fixed

    intro = rng.choice(words.intros).format(
        name=author.name,
        grad_year=grad_year,
        university=rng.choice(vocab.universities),
        major=rng.choice(vocab.majors),
        degree=degree,
        degree_word=words.degrees[degree].studies,
        employer=author.employer,
        title=rng.choice(level_words.titles),
        work=rng.choice(vocab.work),
        work_years=work_years,
        n_projects=n_projects,
    )
    opener = rng.choice(words.knowledge_openers).format(
        knowledge=_pick(rng, vocab.knowledge, 3),
        standards=_pick(rng, vocab.standards, 2),
        tools=_pick(rng, vocab.tools, 2),
        work_years=work_years,
        n_projects=n_projects,
    )

    def shuffled(pool: Sequence[str]) -> list[str]:
        items = [s.format(**values()) for s in pool]
        rng.shuffle(items)
        return items

    ethics = shuffled(vocab.ethics) + shuffled(words.ethics)
    team = shuffled([t for t in words.team if level != "apprentice" or "{mentees}" not in t])
    learning = shuffled(level_words.learning) + shuffled(words.learning)
    leading = shuffled(level_words.leadership)
    sections = [
        _Section(AREA_HEADINGS[0], [opener, *blocks], shuffled(words.knowledge_extras)),
        _Section(AREA_HEADINGS[1], ethics[:2], ethics[2:]),
        _Section(AREA_HEADINGS[2], team[:3], team[3:]),
        _Section(AREA_HEADINGS[3], learning[:3], learning[3:]),
        _Section(AREA_HEADINGS[4], leading[:3], leading[3:]),
    ]
    closing = rng.choice(words.closings).format(**values())

    def render() -> str:
        parts = [intro]
        for number, section in enumerate(sections):
            body = "\n".join(section.core[1:]) if number == 0 else "".join(section.core)
            lead = section.core[0] + "\n" if number == 0 else ""
            parts.append(f"{words.numerals[number]}、{section.heading}\n{lead}{body}")
        parts.append(closing)
        return "\n\n".join(parts)

    target = rng.randint(2400, 3700)
    text = render()
    while len(text) < target:
        candidates = [s for s in sections if s.extras]
        if not candidates:
            break
        section = rng.choice(candidates)
        sentence = section.extras.pop(0)
        if len(text) + len(sentence) > STATEMENT_MAX_CHARS - 50:
            continue
        section.core.append(sentence)
        text = render()
    while len(text) > STATEMENT_MAX_CHARS:
        longest = max(sections[1:], key=lambda s: len(s.core))
        longest.core.pop()
        text = render()
    if not STATEMENT_MIN_CHARS <= len(text) <= STATEMENT_MAX_CHARS:
        raise RuntimeError(f"statement length {len(text)} outside the allowed range")
    return text


def shorten(statement: str, seed: str) -> str:
    """A deliberately too-short draft (about 600-900 characters): the opening and first sentences of each area."""
    rng = random.Random(seed)
    paragraphs = statement.split("\n\n")
    intro, sections = paragraphs[0], paragraphs[1 : 1 + len(AREA_HEADINGS)]
    pools: list[tuple[str, list[str]]] = []
    for section in sections:
        heading, _, body = section.partition("\n")
        sentences = [s + "。" for s in body.replace("\n", "").split("。") if s.strip()]
        pools.append((heading, sentences))
    chosen: list[list[str]] = [[] for _ in pools]
    target = rng.randint(680, 820)

    def render() -> str:
        parts = [intro] + [f"{heading}\n{''.join(picked)}" for (heading, _), picked in zip(pools, chosen)]
        return "\n\n".join(parts)

    progress = True
    while len(render()) < target and progress:
        progress = False
        for (_, sentences), picked in zip(pools, chosen):
            if len(picked) < len(sentences):
                candidate = sentences[len(picked)]
                if len(render()) + len(candidate) <= 900:
                    picked.append(candidate)
                    progress = True
            if len(render()) >= target:
                break
    return render()
