"""A journal profile is validated: unknown keys and wrong types name the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperbuild import pandoc, profiles
from paperbuild.errors import ProfileError

from conftest import REPO


def write_profile(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates" / "j"
    folder.mkdir(parents=True)
    (folder / "profile.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "templates"


def test_kz_journal_profile_loads() -> None:
    profile = profiles.load(REPO / "templates", "kz-journal")
    assert profile.csl == "gost-r-7-0-5-2008-numeric.csl"  # the shipped one, mended
    assert profile.page.size == "a4"
    assert profile.languages == ("kk", "ru", "en")
    assert profile.terms_for("kk-KZ").references == "Пайдаланылған әдебиеттер тізімі"
    assert profile.terms_for("ru").keywords == "Ключевые слова"
    assert profile.terms_for("de").abstract == "Abstract"  # falls back to English


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: J\ncsl: apa\ncolour: red\n", "unknown key 'colour'"),
        ("name: J\ncsl: apa\npage: {sise: a4}\n", "unknown key 'page.sise'"),
        ("name: J\ncsl: apa\npage: {size: a5}\n", "'page.size' must be one of a4, letter"),
        ("name: J\ncsl: apa\nfont: {size: big}\n", "'font.size' must be a length"),
        (
            "name: J\ncsl: apa\nfont: {line-spacing: wide}\n",
            "'font.line-spacing' must be a number such as 1.5, not 'wide'",
        ),
        (
            "name: J\ncsl: apa\npage:\n  size: a4\n  margin-top: 20\n",
            "profile.yaml:5: error: 'page.margin-top' is 20, with no unit; write it with its "
            "unit: 20mm",
        ),
        ("name: J\ncsl: apa\nfont:\n  justify: 1\n", ":4: error: 'font.justify' must be true or"),
        ("name: J\ncsl: apa\nlanguages: en\n", "'languages' must be a list"),
        ("name: J\n", "missing key 'csl'"),
        ("name: J\ncsl: apa\nterms: {en: {abstract: A}}\n", "missing key 'terms.en.keywords'"),
        ("name: [unclosed\n", "not valid YAML"),
        # PyYAML's own words, which name the character (libyaml's do not).
        ("name: J\n\tcsl: apa\n", "not valid YAML: found character '\\t' that cannot start"),
    ],
)
def test_invalid_profile_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    templates = write_profile(tmp_path, text)
    with pytest.raises(ProfileError) as error:
        profiles.load(templates, "j")
    assert message in str(error.value)
    assert str(error.value).startswith("templates/j/profile.yaml:")


def test_unknown_journal_lists_ids(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="kz-journal"):
        profiles.load(REPO / "templates", "no-such-journal")
    with pytest.raises(ProfileError, match="unknown journal"):
        profiles.load(REPO / "templates", "../kz-journal")


def test_lengths_convert_to_points() -> None:
    assert profiles.points("72pt") == 72
    assert profiles.points("1in") == 72
    assert round(profiles.points("25.4mm"), 6) == 72


def test_yaml_reads_the_same_whichever_parser(tmp_path: Path) -> None:
    import yaml

    from paperbuild import yamlio

    for path in sorted((REPO / "templates").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yamlio.load(text) == yaml.safe_load(text), path


def test_keywords_are_headed_in_the_summarys_language() -> None:
    """pandoc's translations give "Abstract" and "References" but no "Keywords": a Turkish
    abstract ("Özet") was followed by "Keywords:"."""
    profile = profiles.load(REPO / "templates", "apa")
    assert profile.terms_for("tr", pandoc.translations).abstract == "Özet"
    assert profile.terms_for("tr", pandoc.translations).keywords == "Anahtar kelimeler"
    assert profile.terms_for("de-AT").keywords == "Schlüsselwörter"
    assert profile.terms_for("en").keywords == "Keywords"
    assert profile.terms_for("xx").keywords == "Keywords"
