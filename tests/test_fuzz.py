"""Fuzzing: whatever an author writes, paperbuild answers with a report, never a traceback.

Two tests. The front-matter reader gets arbitrary YAML (random text, and random mappings of the
keys it knows, in every shape YAML allows) parsed by the real pandoc. The whole check runs on
mutated copies of the sample paper: slices deleted and duplicated, Markdown/YAML syntax,
controls, RTL marks and emoji inserted, lines swapped, files truncated.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paperbuild import check, frontmatter, pandoc
from paperbuild.errors import PaperError, ToolError
from paperbuild.project import Project
from paperbuild.report import Report

from conftest import make_project

# ---------------------------------------------------------------------------------------------
# The front-matter reader over arbitrary YAML


def _no_surrogates(text: str) -> bool:
    return not any("\ud800" <= c <= "\udfff" for c in text)


# Text authors really type in front matter, plus the characters that break naive code.
YAML_CHARS = st.characters(codec="utf-8")
texts = st.text(YAML_CHARS, max_size=30)
words = st.one_of(
    texts,
    st.sampled_from(
        ["kk", "ru", "en", "kk-KZ", "ru_RU", "", " ", "-", "@", "@ref3", "a b", "null", "yes"]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    words,
)
# Any YAML value: scalars nested in lists and maps keyed by random strings.
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=12,
)
lists_or_text = st.one_of(words, st.lists(words, max_size=4), values)


def by_language(item: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`abstract:`, `keywords:`, `translated-title:`: a value, or a map language → value."""
    codes = st.one_of(st.sampled_from(["kk", "ru", "en", "kk-KZ", "en_US", "de"]), words)
    return st.one_of(item, st.dictionaries(codes, st.one_of(item, values), max_size=4), values)


author_map = st.fixed_dictionaries(
    {},
    optional={
        "name": st.one_of(words, values),
        "affiliation": st.one_of(words, values),
        "email": st.one_of(words, values),
        "orcid": st.one_of(words, values),
        "institute": st.one_of(words, st.lists(words, max_size=3), values),
    },
)
# pandoc-scholar: `- Jane Doe: {institute: [id], email: ...}`
scholar_author = st.dictionaries(words, st.one_of(author_map, values), min_size=1, max_size=1)
authors = st.one_of(
    words,
    author_map,
    scholar_author,
    st.lists(st.one_of(words, author_map, scholar_author, values), max_size=4),
    values,
)
institutes = st.one_of(
    st.lists(
        st.dictionaries(words, st.one_of(words, st.fixed_dictionaries({"name": words}), values)),
        max_size=3,
    ),
    values,
)
reference_numbers = st.one_of(
    st.lists(
        st.one_of(words, st.integers(), st.floats(), st.lists(words, max_size=3), values),
        max_size=6,
    ),
    words,
    st.integers(),
    values,
)
front_matter = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(words, values),
        "author": authors,
        "institute": institutes,
        "abstract": by_language(lists_or_text),
        "keywords": by_language(st.lists(words, max_size=4)),
        "translated-title": by_language(words),
        "reference-numbers": reference_numbers,
        "journal": st.one_of(words, values),
        "lang": st.one_of(words, values),
        "udc": st.one_of(words, st.integers(), st.floats(), values),
        "irsti": st.one_of(words, st.integers(), st.floats(), values),
        "date": st.one_of(words, st.dates(), values),
        "chapters": st.one_of(st.lists(words, max_size=3), values),
    },
)


@st.composite
def yaml_text(draw: st.DrawFn) -> str:
    """The YAML between the `---` lines: dumped from a mapping, that dump spliced with random
    text, or random text alone."""
    kind = draw(st.sampled_from(["dump", "spliced", "raw"]))
    if kind == "raw":
        return draw(st.text(YAML_CHARS, max_size=200))
    data = draw(front_matter)
    extra = draw(st.dictionaries(words, values, max_size=2))
    dumped = yaml.safe_dump(
        {**extra, **data},
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([None, True, False])),
        sort_keys=draw(st.booleans()),
    )
    if kind == "spliced":
        at = draw(st.integers(0, len(dumped)))
        dumped = dumped[:at] + draw(st.text(YAML_CHARS, max_size=20)) + dumped[at:]
    return dumped


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_text())
def test_front_matter_reader_takes_any_yaml(text: str) -> None:
    data = f"---\n{text}\n---\n\nBody.\n".encode()
    try:
        result = pandoc.run(["--from", "markdown", "--to", "json"], data=data)
    except ToolError:
        return  # not YAML pandoc reads: chapters.read reports it in the author's terms
    meta = json.loads(result.output)["meta"]
    with contextlib.suppress(PaperError):  # an author's mistake, said as one
        frontmatter.read(meta, Path("manuscript/paper.md"))


# ---------------------------------------------------------------------------------------------
# The whole check on mutated copies of the sample paper

SEED = 1234
MUTATIONS = 40
HANG_SECONDS = 20.0

POOL = (
    "[]{}()#*_`$\\:-|>!<^~@\n\t\"'"
    + "0123456789"
    + "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯәғқңөұүһіӘҒҚҢӨҰҮҺІ"
    + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    + "".join(chr(c) for c in range(0x20))
    + "😀🎉👍🏽\u200d🇰🇿"
    + "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi marks
    + "\ufeff\u00ad\u00a0\u2028\u2029"
)
# Whole pieces of syntax the check gives meaning to.
TOKENS = [
    "---\n",
    "\n---\n",
    "...\n",
    "[@",
    "@ref3",
    "[@ref3; @mironenko, p. 4]",
    "[7]",
    "[1-3]",
    "[2, с. 14]",
    "[^1]",
    "[^1]: note\n",
    "::: {lang=ru}\n",
    ":::\n",
    "![x](missing.png)",
    "{#fig:x}",
    "@fig:x",
    "@method:ref3",
    "reference-numbers: [a, 1, [b]]\n",
    "journal: ../../etc\n",
    "chapters: [nope.md]\n",
    "lang: \n",
    "lang: {a: b}\n",
    "author: {x: {institute: [q]}}\n",
    "nocite: '@*'\n",
    "@misc{",
    "@article{dup,\n  title = {T},\n}\n",
    "author = {",
    "}\n",
    "\\",
    "$x$",
    "`",
    "<!--",
    "&amp;",
]


@dataclass
class Crash:
    index: int
    mutations: list[str]
    error: str
    frames: str
    saved: Path

    def __str__(self) -> str:
        return (
            f"mutation {self.index} (seed {SEED}) {self.mutations}: {self.error}\n"
            f"  inputs kept in {self.saved}\n{self.frames}"
        )


def _insertion(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(TOKENS)
    return "".join(rng.choice(POOL) for _ in range(rng.randint(1, 20)))


def mutate(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """`text` with 1–5 random edits, and what they were."""
    done = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.choice(["delete", "duplicate", "insert", "insert", "swap", "truncate"])
        n = len(text)
        if kind == "delete" and n:
            a = rng.randrange(n)
            b = min(n, a + rng.randint(1, 200))
            text = text[:a] + text[b:]
            done.append(f"delete[{a}:{b}]")
        elif kind == "duplicate" and n:
            a = rng.randrange(n)
            b = min(n, a + rng.randint(1, 200))
            at = rng.randint(0, len(text))
            text = text[:at] + text[a:b] + text[at:]
            done.append(f"duplicate[{a}:{b}]@{at}")
        elif kind == "insert":
            at = rng.randint(0, n)
            piece = _insertion(rng)
            text = text[:at] + piece + text[at:]
            done.append(f"insert@{at}:{piece!r}")
        elif kind == "swap":
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
            done.append(f"swap lines {i + 1},{j + 1}")
        elif kind == "truncate" and n:
            at = rng.randrange(n)
            text = text[:at]
            done.append(f"truncate@{at}")
    return text, done


def _bounded(run: Any, seconds: float) -> tuple[str, Any]:
    """("ok", value), ("raised", exception) or ("hung", None) after `seconds` of wall clock.
    A thread, not signal.alarm, so a hang inside C code (a regular expression) is caught too."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = run()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        return "hung", None
    if "error" in box:
        return "raised", box["error"]
    return "ok", box["value"]


def test_check_survives_mutated_samples(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", sample=True)
    manuscript = root / "manuscript" / "paper.md"
    bib = root / "bibliography" / "references.bib"
    original_md = manuscript.read_text(encoding="utf-8")
    original_bib = bib.read_text(encoding="utf-8")
    cache_dir = root / "build" / ".cache" / "chapters"
    rng = random.Random(SEED)
    crashes: list[Crash] = []
    checked = 0
    started = time.monotonic()
    for index in range(MUTATIONS):
        text, done = mutate(original_md, rng)
        bib_text, bib_done = original_bib, []
        if rng.random() < 0.3:
            bib_text, bib_done = mutate(original_bib, rng)
            done += [f"bib {m}" for m in bib_done]
        manuscript.write_text(text, encoding="utf-8")
        bib.write_text(bib_text, encoding="utf-8")

        def one() -> check.Outcome | None:
            try:
                project = Project.discover(root)
            except PaperError:
                return None  # e.g. a mutated `chapters:` naming no file: the CLI reports it
            return check.run(project, None, cache_dir, table=True)

        status, value = _bounded(one, HANG_SECONDS)
        if status == "ok" and (value is None or isinstance(value.report, Report)):
            checked += value is not None
            continue
        saved = tmp_path / f"crash-{index}"
        saved.mkdir()
        (saved / "paper.md").write_text(text, encoding="utf-8")
        (saved / "references.bib").write_text(bib_text, encoding="utf-8")
        if status == "hung":
            error, frames = f"no answer in {HANG_SECONDS:.0f} s", ""
        elif status == "raised":
            error = f"{type(value).__name__}: {value}"
            frames = "".join(traceback.format_tb(value.__traceback__)[-4:])
        else:
            error, frames = f"returned {value!r}, not an Outcome with a Report", ""
        crashes.append(Crash(index, done, error, frames, saved))
        if status == "hung":
            break  # the hung thread still holds the project: what follows would not be fair
    elapsed = time.monotonic() - started
    print(f"{MUTATIONS} mutations, {checked} checked, {len(crashes)} crashes, {elapsed:.1f} s")
    assert not crashes, "\n\n".join(str(c) for c in crashes)
