"""Fuzzing: whatever an author writes, paperbuild answers with a report, never a traceback.

The front-matter reader and the project's discovery get arbitrary YAML (random text, and random
mappings of the keys they know, in every shape YAML allows), the reader through the real pandoc.
The whole check runs on mutated copies of the sample paper: slices deleted and duplicated,
Markdown/YAML syntax, controls, RTL marks and emoji inserted, lines swapped, files truncated.
Inputs the fuzzing found that still break paperbuild are pinned at the end, as strict xfails.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
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


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yaml_text())
@example('chapters: "\\U0001F600"')
@example("chapters: [paper.md, paper.md, ./paper.md, ../manuscript/paper.md, '']")
def test_project_discovery_takes_any_front_matter(text: str) -> None:
    """`chapters:` is read (by PyYAML) before any check runs, also when `doit list` loads."""
    with tempfile.TemporaryDirectory() as folder:
        discovered(Path(folder), f"---\nchapters: []\n{text}\n---\n\nBody.\n")


def discovered(root: Path, text: str) -> Project | None:
    (root / "manuscript").mkdir()
    (root / "manuscript" / "paper.md").write_text(text, encoding="utf-8")
    try:
        return Project.discover(root)
    except PaperError:
        return None


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
        kind = rng.choice(["delete", "duplicate", "insert", "insert", "repeat", "swap", "truncate"])
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
        elif kind == "repeat":  # nesting, kept shallow: pandoc is exponential in it (see below)
            at = rng.randint(0, n)
            piece = rng.choice(["[", "> ", "*", "_", "- ", "{", '"', "`", "::: x\n"])
            piece *= rng.randint(2, 6)
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


def _children() -> set[int]:
    """The processes this test process started and that still run (pandoc, typst)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _bounded(run: Any, seconds: float) -> tuple[str, Any]:
    """("ok", value), ("raised", exception), or ("hung", None) after `seconds` of wall clock
    (("stuck", None) if the run goes on when the processes it started are stopped).
    A thread, not signal.alarm, so a hang inside C code (a regular expression) is caught too;
    after a hang, the processes the run started are stopped, so none outlives the test."""
    box: dict[str, Any] = {}
    before = _children()

    def target() -> None:
        try:
            box["value"] = run()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for pid in _children() - before:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        thread.join(5)  # subprocess.run reaps its child
        return ("stuck" if thread.is_alive() else "hung"), None
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
    answered = 0
    started = time.monotonic()
    for index in range(MUTATIONS):
        text, done = mutate(original_md, rng)
        bib_text, bib_done = original_bib, []
        if rng.random() < 0.3:
            bib_text, bib_done = mutate(original_bib, rng)
            done += [f"bib {m}" for m in bib_done]
        manuscript.write_text(text, encoding="utf-8")
        bib.write_text(bib_text, encoding="utf-8")

        status, value = _bounded(lambda: checked(root, cache_dir), HANG_SECONDS)
        if status == "ok" and (value is None or isinstance(getattr(value, "report", None), Report)):
            answered += value is not None
            continue
        saved = tmp_path / f"crash-{index}"
        saved.mkdir()
        (saved / "paper.md").write_text(text, encoding="utf-8")
        (saved / "references.bib").write_text(bib_text, encoding="utf-8")
        if status in ("hung", "stuck"):
            error, frames = f"no answer in {HANG_SECONDS:.0f} s", ""
        elif status == "raised":
            error = f"{type(value).__name__}: {value}"
            frames = "".join(traceback.format_tb(value.__traceback__)[-4:])
        else:
            error, frames = f"returned {value!r}, not an Outcome with a Report", ""
        crashes.append(Crash(index, done, error, frames, saved))
        if status == "stuck":
            break  # the run is stuck in Python code and still holds the project
    elapsed = time.monotonic() - started
    print(f"{MUTATIONS} mutations, {answered} checked, {len(crashes)} crashes, {elapsed:.1f} s")
    assert not crashes, "\n\n".join(str(c) for c in crashes)


def checked(root: Path, cache_dir: Path) -> check.Outcome | None:
    try:
        project = Project.discover(root)
    except PaperError:
        return None  # e.g. a mutated `chapters:` naming no file: the CLI reports it
    return check.run(project, None, cache_dir, table=True)


# ---------------------------------------------------------------------------------------------
# What the fuzzing found and paperbuild does not handle yet


@pytest.mark.parametrize(
    "chapters",
    ['"\\U00110000"', "[" * 1000 + "]" * 1000],
    ids=["escape-past-unicode", "nested-1000-deep"],
)
def test_project_discovery_survives_yaml_that_breaks_pyyaml(tmp_path: Path, chapters: str) -> None:
    discovered(tmp_path, f"---\nchapters: {chapters}\n---\n\nBody.\n")


def test_check_answers_in_bounded_time_on_pathological_brackets(tmp_path: Path) -> None:
    """An author's `[obj.__init__]`, a line each, as a paper on Python might have them."""
    body = "\n".join(["[a.__b__]"] * 20)
    root = make_project(tmp_path / "paper", {"paper.md": f"---\ntitle: T\n---\n\n{body}\n"})
    status, value = _bounded(lambda: checked(root, root / "build" / ".cache"), 15)
    assert status == "ok", f"{status}: {value!r}"
