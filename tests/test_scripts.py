"""Mixed-script words: found in prose only, fixed towards the script each word was meant in."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperbuild import scripts
from paperbuild.scripts import CYRILLIC, LATIN, Word

from conftest import REPO, doit, make_project

SOURCE = REPO.parent / "shared" / "manuscript-source" / "article-kk.txt"
# The substitutions ../shared/manuscript-source/README.md counts in the article.
LOOKALIKES = {"a": "а", "i": "і", "c": "с", "o": "о", "ə": "ә", "O": "О", "C": "С", "A": "А"}


def script_set(word: str) -> set[str]:
    return {s for s in map(scripts.script_of, word) if s}


def words_of(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def fix(root: Path) -> str:
    result = doit(root, "fix_script")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_whole_source_article_is_fixed_and_nothing_else_changes(tmp_path: Path) -> None:
    if not SOURCE.exists():
        pytest.skip(f"{SOURCE} is not here")
    original = "---\nlang: kk-KZ\ntitle: Мақала\n---\n\n" + SOURCE.read_text(encoding="utf-8")
    root = make_project(tmp_path / "p", {"paper.md": original})
    out = fix(root)
    fixed = (root / "manuscript" / "paper.md").read_text(encoding="utf-8")

    assert len(fixed) == len(original)
    changed = {(a, b) for a, b in zip(original, fixed, strict=True) if a != b}
    assert changed <= set(LOOKALIKES.items())
    counts = {
        a: sum(1 for x, y in zip(original, fixed, strict=True) if x == a and y != a)
        for a in LOOKALIKES
    }
    assert counts == {"a": 1883, "i": 1066, "c": 475, "o": 319, "ə": 148, "O": 8, "C": 6, "A": 6}
    body = fixed.split("\n---\n", 1)[1]
    mixed = [w for w in words_of(body) if len(script_set(w)) > 1]
    assert mixed == []
    latin = {w for w in words_of(body) if script_set(w) == {LATIN}}
    assert latin == set()  # `ic` (іс) and the initial `C.` were Kazakh too
    assert re.search(
        r"^\d+ words fixed in 1 file; the originals and changes.diff are in "
        r"build/backups/fix_script-[\d-]+/$",
        out,
        flags=re.MULTILINE,
    )
    backup = next((root / "build" / "backups").iterdir())
    assert (backup / "manuscript" / "paper.md").read_text(encoding="utf-8") == original
    assert "+++ b/manuscript/paper.md" in (backup / "changes.diff").read_text(encoding="utf-8")

    # Idempotent, and the check agrees.
    assert "nothing to fix" in fix(root)
    assert (root / "manuscript" / "paper.md").read_text(encoding="utf-8") == fixed
    check = doit(root, "check")
    assert check.returncode == 0, check.stderr
    assert "mixes" not in check.stderr


LEGITIMATE = """---
lang: kk-KZ
title: Латын әріптері
reference-numbers: [smith2020]
---

Microsoft пен Oxford University Press және John Smith туралы. UNESCO, NATO және OECD
ұйымдары. XIX ғасыр мен XXI ғасыр, IV тарау. Су H2O, көмірқышқыл газ CO2 және NaCl тұзы.
Сайт https://example.org/path/ic және <http://www.site.kz/caca> мекенжайы, хат
author@mail.kz арқылы, DOI 10.1000/xyz123 бойынша [@smith2020] және [1] сілтемелер.
Код `ic = a + c`, формула $a + c = i$, *de facto* және *ipso iure* ережелері, Smith et al.

::: {lang=ru}
Компании Microsoft и Apple, стандарт ISO 9001, XX век, формула CO2, сайт https://a.ru/c,
*de jure* и *a priori*, пункт IV.
:::

```
ic caca aca ic
```
"""


def test_legitimate_latin_is_left_alone(tmp_path: Path) -> None:
    bib = (
        "@book{smith2020, author = {Smith, J.}, title = {T}, publisher = {P},"
        " address = {A}, year = {2020}}\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": LEGITIMATE}, bib)
    assert "nothing to fix" in fix(root)
    assert (root / "manuscript" / "paper.md").read_text(encoding="utf-8") == LEGITIMATE
    check = doit(root, "check")
    assert "mixes" not in check.stderr and "Latin letters between" not in check.stderr


def test_mixed_words_are_errors_with_place_and_suggestion(tmp_path: Path) -> None:
    text = (
        "---\nlang: kk-KZ\ntitle: Т\n---\n\nМемлекет бaрлық ic жүзінде.\n\n"
        "[Cоса-Cola]{lang=en} бар.\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root, "check")
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert (
        "manuscript/paper.md:6:10: error: 'бaрлық' mixes Cyrillic and Latin letters; it "
        "should read 'барлық' (`doit fix_script` fixes it)"
    ) in lines
    assert (
        "manuscript/paper.md:6:17: error: 'ic' is typed in Latin letters between Cyrillic "
        "words; it should read 'іс' (`doit fix_script` fixes it)"
    ) in lines
    # A Latin word with Cyrillic look-alikes in it is fixed towards Latin.
    assert any(
        "'Cоса' mixes Latin and Cyrillic letters; it should read 'Cocа'" not in line
        and "'Cоса'" in line
        and "'Coca'" in line
        for line in lines
    ), lines


def test_front_matter_prose_is_checked_and_fixed(tmp_path: Path) -> None:
    text = (
        "---\nlang: kk-KZ\ntitle: Мемлекет\nabstract:\n  kk: Бұл мaқaлa.\n"
        "  ru: Это стaтья.\nkeywords:\n  kk: [құқық]\n---\n\nМәтін.\n"
    )
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root, "check")
    assert "manuscript/paper.md:5:11: error: 'мaқaлa' mixes" in result.stderr
    assert "manuscript/paper.md:6:11: error: 'стaтья' mixes" in result.stderr
    fix(root)
    fixed = (root / "manuscript" / "paper.md").read_text(encoding="utf-8")
    assert fixed == text.replace("мaқaлa", "мақала").replace("стaтья", "статья")


def test_fix_script_counts_lines_as_the_check_does_and_keeps_the_files_mode(
    tmp_path: Path,
) -> None:
    """A U+2028 or a form feed is no line end to the check: fix_script counted it as one, so
    it reported a word fixed and left it; it also made the file readable by all."""
    text = "---\nlang: kk\n---\n\nБұл бір\u2028жол\x0c.\n\nБұл қaлa өте үлкен.\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    chapter = root / "manuscript" / "paper.md"
    chapter.chmod(0o600)
    assert "1 word fixed" in fix(root)
    assert chapter.read_text(encoding="utf-8") == text.replace("қaлa", "қала")
    assert chapter.stat().st_mode & 0o777 == 0o600


def test_each_fix_script_run_keeps_its_own_originals_and_a_link_stays_a_link(
    tmp_path: Path,
) -> None:
    """Two runs in one second wrote the same backup folder: the first run's originals, the only
    copy of the author's text, were lost. A chapter that is a link became a copy."""
    root = make_project(tmp_path / "p")
    real = tmp_path / "real.md"
    real.write_text("---\nlang: kk\n---\n\nБұл қaлa.\n", encoding="utf-8")
    (root / "manuscript").mkdir()
    (root / "manuscript" / "paper.md").symlink_to(real)
    fix(root)
    with real.open("a", encoding="utf-8") as more:
        more.write("\nТағы ic.\n")
    fix(root)
    assert (root / "manuscript" / "paper.md").is_symlink()
    assert real.read_text(encoding="utf-8").endswith("Бұл қала.\n\nТағы іс.\n")
    kept = sorted((root / "build" / "backups").glob("fix_script-*/manuscript/paper.md"))
    assert len(kept) == 2
    assert "Бұл қaлa." in {path.read_text(encoding="utf-8").split("\n")[4] for path in kept}


def test_fix_script_changes_nothing_while_a_file_it_fixes_cannot_be_written(
    tmp_path: Path,
) -> None:
    """A chapter linked to a file in a read-only folder: the first file was fixed, then a
    traceback, the fix half made."""
    root = make_project(tmp_path / "p", {"paper.md": "---\nlang: kk\n---\n\nБұл қaлa.\n"})
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "methods.md").write_text("Бұл мысaл.\n", encoding="utf-8")
    (root / "manuscript" / "zz-methods.md").symlink_to(shared / "methods.md")
    shared.chmod(0o555)
    try:
        if os.access(shared, os.W_OK):
            pytest.skip("this user (root?) writes to any folder whatever its mode")
        result = doit(root, "fix_script")
    finally:
        shared.chmod(0o755)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().startswith(
        f"manuscript/zz-methods.md: error: cannot write manuscript/zz-methods.md (a link to "
        f"{shared / 'methods.md'}): it or its folder is read-only"
    )
    assert "қaлa" in (root / "manuscript" / "paper.md").read_text(encoding="utf-8")


# -- properties ---------------------------------------------------------------------------------

KAZAKH = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
ENGLISH = "abcdefghijklmnopqrstuvwxyz"
kazakh_words = st.text(alphabet=KAZAKH + KAZAKH.upper(), min_size=1, max_size=12)
english_words = st.text(alphabet=ENGLISH.upper(), min_size=2, max_size=8)  # acronyms
latin_typos = st.sampled_from(sorted(LOOKALIKES))


@st.composite
def kazakh_paragraphs(draw: st.DrawFn) -> list[str]:
    """Kazakh words, some with Latin look-alikes typed in, some acronyms among them."""
    words = []
    for word in draw(st.lists(kazakh_words, min_size=1, max_size=12)):
        letters = list(word)
        for index in draw(st.lists(st.integers(0, len(word) - 1), max_size=3)):
            cyrillic = letters[index]
            typo = [k for k, v in LOOKALIKES.items() if v == cyrillic]
            if typo:
                letters[index] = typo[0]
        words.append("".join(letters))
    if draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), draw(english_words))
    return words


def fixed_words(words: list[str], lang: str = "kk-KZ") -> list[str]:
    """The words with each finding's suggestion put in its place, as `doit fix_script` does:
    word by word, not every word of the same spelling (`C` may be a Cyrillic word typed in
    Latin in one place and a Latin initial in another)."""
    paragraph = [Word(t, lang, True) for t in words]
    findings = {id(f.word): f.suggestion for f in scripts.check([paragraph])}
    return [findings.get(id(w)) or w.text for w in paragraph]


@settings(max_examples=300, deadline=None)
@given(kazakh_paragraphs())
def test_fixing_is_idempotent(words: list[str]) -> None:
    once = fixed_words(words)
    assert fixed_words(once) == once
    assert scripts.check([[Word(t, "kk-KZ", True) for t in once]]) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(kazakh_words, english_words), min_size=1, max_size=15))
def test_single_script_words_never_change(words: list[str]) -> None:
    # Cyrillic words and Latin acronyms in Kazakh text; a lower-case Latin word between
    # Cyrillic ones is the one single-script case that is a typo (`ic` for `іс`).
    assert fixed_words(words) == words


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=30))
def test_the_checker_takes_any_text(text: str) -> None:
    tokens = scripts.prose_tokens(text)
    paragraphs = [[Word(t, lang, True) for t in tokens] for lang in ("kk", "en", "el")]
    findings = scripts.check(paragraphs)
    for finding in findings:
        assert finding.suggestion is None or len(script_set(finding.suggestion)) == 1
        assert finding.suggestion is None or len(finding.suggestion) == len(finding.word.text)


def test_replacements_are_chosen_for_the_target_script() -> None:
    # TR39 folds ə with ә, y with у and ү, I with І: the target script's letter is chosen.
    assert scripts.replacement("ə", CYRILLIC, "kk") == "ә"
    assert scripts.replacement("y", CYRILLIC, "kk") == "у"
    assert scripts.replacement("i", CYRILLIC, "kk") == "і"
    assert scripts.replacement("I", CYRILLIC, "kk") == "І"
    assert scripts.replacement("с", LATIN, "en") == "c"
    assert scripts.replacement("k", CYRILLIC, "kk") is None  # no look-alike: a real Latin word
    assert unicodedata.name(scripts.replacement("ә", LATIN, "az")) == "LATIN SMALL LETTER SCHWA"


def test_findings_kept_by_chapter_are_the_findings(tmp_path: Path) -> None:
    from paperbuild import chapters, mixed_scripts
    from paperbuild.project import Project

    texts = {
        "01-a.md": "---\ntitle: Т\nlang: kk\n---\n\nМемлекет пен қaла ic жүзінде.\n",
        "02-b.md": "# Екі\n\nБұл бөлімде aрнайы сөз бар.\n",
    }
    root = make_project(tmp_path / "p", texts)
    store = tmp_path / "findings"

    def find(cache: mixed_scripts.Cache | None) -> list[mixed_scripts.Located]:
        parts = chapters.read(Project.discover(root), tmp_path / "asts")
        return mixed_scripts.find(parts, "kk", cache)

    plain = find(None)
    assert [f.finding.word.text for f in plain] == ["қaла", "ic", "aрнайы"]
    assert find(mixed_scripts.Cache(store, [])) == plain  # written
    assert find(mixed_scripts.Cache(store, [])) == plain  # read back
    second = root / "manuscript" / "02-b.md"
    second.write_text("# Екі\n\nТүзетілген арнайы сөз.\n", encoding="utf-8")
    assert [f.finding.word.text for f in find(mixed_scripts.Cache(store, []))] == ["қaла", "ic"]
    assert len(list(store.iterdir())) == 1  # chapter two, now in one alphabet, is not read


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Біз c++ тілінде жазамыз", []),  # a programming language's name
        ("Біз C# тілінде жазамыз", []),
        ("ХIX ғасыр", [("ХIX", "XIX")]),  # a Roman numeral, whatever its look-alikes
        ("ХIХ ғасыр", [("ХIХ", "XIX")]),
        ("XIX ғасыр", []),
        ("бұл ic жасады", [("ic", "іс")]),
    ],
)
def test_code_names_and_roman_numerals_are_not_made_cyrillic(
    text: str, found: list[tuple[str, str]]
) -> None:
    words = [Word(t, "kk", True) for token in text.split() for t in scripts.prose_tokens(token)]
    assert [(f.word.text, f.suggestion) for f in scripts.check([words])] == found


def test_a_word_in_a_table_with_its_caption_below_is_placed_and_fixed(tmp_path: Path) -> None:
    """pandoc reads the caption before the cells: the cells' words were found nowhere, so the
    check gave no line and fix_script said there was nothing to fix."""
    text = "---\nlang: kk\n---\n\nМәтін.\n\n| Бағана |\n|--------|\n| қaлa   |\n\n: Кесте\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root, "check")
    assert "manuscript/paper.md:9:3: error: 'қaлa' mixes" in result.stderr
    fix(root)
    fixed = (root / "manuscript" / "paper.md").read_text(encoding="utf-8")
    assert fixed == text.replace("қaлa", "қала")


def test_fix_script_finds_lines_ended_by_a_lone_cr_as_the_check_does(tmp_path: Path) -> None:
    text = "---\nlang: en\n---\n\nIntro\rpasted.\nA Tеst here.\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    assert "1 word fixed" in fix(root)
    assert (root / "manuscript" / "paper.md").read_bytes().decode() == text.replace("Tеst", "Test")


def test_the_same_word_in_the_text_and_in_a_captioned_table_is_two_places(tmp_path: Path) -> None:
    text = "---\nlang: kk\n---\n\nБұл қaлa.\n\n| Бағана |\n|--------|\n| қaлa   |\n\n: Кесте\n"
    root = make_project(tmp_path / "p", {"paper.md": text})
    result = doit(root, "check")
    assert "manuscript/paper.md:5:5: error: 'қaлa'" in result.stderr
    assert "manuscript/paper.md:9:3: error: 'қaлa'" in result.stderr
    fix(root)
    fixed = (root / "manuscript" / "paper.md").read_text(encoding="utf-8")
    assert fixed == text.replace("қaлa", "қала")


def findings_in(text: str, lang: str) -> list[tuple[str, str | None]]:
    words = [Word(t, lang, True) for token in text.split() for t in scripts.prose_tokens(token)]
    return [(f.word.text, f.suggestion) for f in scripts.check([words])]


@pytest.mark.parametrize(
    ("text", "lang", "found"),
    [
        # Greek letters as scientific symbols in Latin words: they stopped English papers.
        ("Cells 10 μm wide, 2 μg/mL, 5 μM ATP; αβT-cells; Δt; λmax; NF-κB; ΣPCB; 10 kΩ", "en", []),
        ("Το μM και ο Δt", "el", [("μM", "μΜ")]),  # in Greek, a Latin M in a Greek word
        ("An Αpple and ΑTP", "en", [("Αpple", "Apple"), ("ΑTP", "ATP")]),  # Greek capital alpha
        # A lone Latin letter among Cyrillic words: a variable or a point, unless a word or an
        # initial.
        ("переменные x и z, точка A лежит на прямой a", "ru", [("a", "а")]),
        ("говорил c другом", "ru", [("c", "с")]),
        ("ғалым C. Сапарғалиев айтты", "kk", [("C", "С")]),
        ("нүкте x пен y", "kk", [("y", "у")]),
    ],
)
def test_symbols_and_variables_are_not_look_alikes(
    text: str, lang: str, found: list[tuple[str, str]]
) -> None:
    assert findings_in(text, lang) == found


@pytest.mark.parametrize("letter", ["β", "κ", "Σ", "ϲ"])
def test_a_fix_brings_in_no_letter_outside_the_scripts_basic_ones(letter: str) -> None:
    # They became ß, ĸ, Ʃ: letters of other languages, and a change of the text's meaning.
    fixed = scripts.replacement(letter, LATIN, "en")
    assert fixed is None or (fixed.isascii() and fixed.isalpha())
