"""Latin spellings for the transliterated reference list: the schemes journals name, and no
Cyrillic letter left behind whatever the text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperbuild.transliterate import DEFAULTS, SCHEMES, scheme, scheme_names, transliterate


def cyrillic_letters(text: str) -> list[str]:
    return [c for c in text if c.isalpha() and unicodedata.name(c, "").startswith("CYRILLIC")]


# Russian: BS 2979:1958 ("bsi") and BGN/PCGN, as Kazakh journals' author guides ask.


@pytest.mark.parametrize(
    ("text", "bsi", "bgn_pcgn"),
    [
        ("Мироненко М. Б.", "Mironenko M. B.", "Mironenko M. B."),
        (
            "Юридическая ответственность государства",
            "Yuridicheskaya otvetstvennostʹ gosudarstva",
            "Yuridicheskaya otvet·stvennost’ gosudarstva",
        ),
        ("Щёкин", "Shchëkin", "Shchëkin"),
        (
            "Ёлкин А. Ю. Большой подъезд",
            "Ëlkin A. Yu. Bolʹshoĭ podʺezd",
            "Yëlkin A. Yu. Bol’shoy pod”yezd",
        ),
    ],
)
def test_russian_by_bsi_and_bgn_pcgn(text: str, bsi: str, bgn_pcgn: str) -> None:
    assert transliterate(text, "ru") == bsi  # BSI is Russian's default
    assert transliterate(text, "ru-RU", {"ru": "bsi"}) == bsi
    assert transliterate(text, "ru", {"ru": "bgn-pcgn"}) == bgn_pcgn


def test_yo_becomes_the_latin_letter_e_with_diaeresis() -> None:
    """iuliia's BS 2979 writes ё as the Cyrillic ё itself; the Latin ë must replace it."""
    assert transliterate("Щёкин Ё.", "ru") == "Shch\u00ebkin \u00cb."
    assert unicodedata.name("\u00eb") == "LATIN SMALL LETTER E WITH DIAERESIS"
    for name in ("bsi", "bgn-pcgn", "gost_779", "ala_lc", "scientific", "ungegn_1987"):
        latin = transliterate("Щёкин", "ru", {"ru": name})
        assert "\u00eb" in latin and not cyrillic_letters(latin), name


def test_words_in_capitals_stay_in_capitals() -> None:
    assert transliterate("ЩЁКИН Ю. ЯКОВЛЕВ", "ru") == "SHCHËKIN Yu. YAKOVLEV"
    assert transliterate("ЖУРНАЛ", "ru", {"ru": "bgn-pcgn"}) == "ZHURNAL"


def test_every_iuliia_schema_is_known_by_its_own_name() -> None:
    assert transliterate("Щи", "ru", {"ru": "gost_7034"}) == "Shhi"
    assert transliterate("Юлия", "ru", {"ru": "wikipedia"}) == "Yuliya"
    assert {"bsi", "bgn-pcgn", "kazakh-2021", "ukrainian-2010", "gost_7034"} <= set(SCHEMES)


# Kazakh: the Latin alphabet of 2021.


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Сапарғалиев Ғ. С.", "Saparğaliev Ğ. S."),
        ("Қазақстан Республикасы", "Qazaqstan Respublikasy"),
        ("Әділет", "Ädılet"),
        ("Шығыс", "Şyğys"),
        ("Өзара жауапкершілік", "Özara jauapkerşılık"),
        ("Шымкент", "Şymkent"),
        ("ШЫҒЫС", "ŞYĞYS"),
        ("ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ", "QAZAQSTAN RESPUBLİKASYNYÑ"),
        ("Ұлттық Үкімет Һ", "Ūlttyq Ükımet H"),
        ("Ирина Ахметова, Айгүл", "İrina Ahmetova, Aigül"),
    ],
)
def test_kazakh_by_the_2021_alphabet(text: str, latin: str) -> None:
    assert transliterate(text, "kk") == latin
    assert transliterate(text, "kk-KZ", {"kk": "kazakh-2021"}) == latin


def test_kazakh_matches_the_published_example_of_the_2021_alphabet() -> None:
    """The 1902 text that Wikipedia's "Kazakh alphabets" spells in the 2021 alphabet."""
    text = (
        "Бұрыңғы өткен заманда, бір данышпан кісі, Бағдат шаһарының бір үлкен қазысының үйіне "
        "келіп қоныпты. Қазыменен сөйлесіп, қазыны сөзге жеңе беріпті. Сонда қазы қорқып, — "
        "„Бұл маған келген бала — менің қазылығымды тартып алса керек! Не де болса, бұған "
        "жалынып, сый беріп, орнымда қалайын!“ — деп, қатынына ақылдасыпты."
    )
    assert transliterate(text, "kk") == (
        "Būryñğy ötken zamanda, bır danyşpan kısı, Bağdat şaharynyñ bır ülken qazysynyñ üiıne "
        "kelıp qonypty. Qazymenen söilesıp, qazyny sözge jeñe berıptı. Sonda qazy qorqyp, — "
        "„Būl mağan kelgen bala — menıñ qazylyğymdy tartyp alsa kerek! Ne de bolsa, būğan "
        "jalynyp, syi berıp, ornymda qalaiyn!“ — dep, qatynyna aqyldasypty."
    )


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Щучинск", "Şşuçinsk"),
        ("Цой Чехов", "Tsoi Çehov"),
        ("Юсупов Ясауи Ёлкин", "İusupov İasaui İolkin"),
        ("ЯСАУИ", "İASAUİ"),
        ("съезд, Гоголь, поэзия", "sezd, Gogol, poeziia"),
    ],
)
def test_russian_only_letters_in_kazakh_text(text: str, latin: str) -> None:
    assert transliterate(text, "kk") == latin


def test_kazakh_letters_in_a_russian_entry_are_spelt_as_in_kazakh() -> None:
    assert transliterate("Вестник КазНУ. Қазақстан, Әділет", "ru") == (
        "Vestnik KazNU. Qazaqstan, Ädilet"
    )


# Ukrainian: the national system of 2010.


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Згурський Є. Ї.", "Zghurskyi Ye. Yi."),
        ("Гаєвський, Київ, Ґалаґан", "Haievskyi, Kyiv, Galagan"),
        ("Знам'янка, Короп’є", "Znamianka, Koropie"),
        ("Йосипівка, Стрий, Марія, Юрій", "Yosypivka, Stryi, Mariia, Yurii"),
        ("ЖИТОМИР", "ZHYTOMYR"),
    ],
)
def test_ukrainian_by_the_2010_national_system(text: str, latin: str) -> None:
    assert DEFAULTS["uk"] == "ukrainian-2010"
    assert transliterate(text, "uk-UA") == latin


# What is not a Cyrillic letter is left alone.


@pytest.mark.parametrize("lang", ["ru", "kk", "uk", "en", "be"])
def test_latin_text_digits_and_signs_pass_unchanged(lang: str) -> None:
    text = "Vol. 12, № 3. P. 45–67. 2020. doi:10.1234/x, «Law & Order» §5 O'Brien İstanbul"
    assert transliterate(text, lang) == text
    assert transliterate("Т. 12, № 3. С. 45–67. 2020.", lang).endswith("12, № 3. S. 45–67. 2020.")


def test_stress_marks_and_decomposed_letters() -> None:
    assert transliterate("молоко́", "ru") == "moloko\u0301"
    assert transliterate("и\u0306од", "ru") == "ĭod"  # й typed as и + combining breve


# Schemes by name.


def test_an_unknown_scheme_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown transliteration scheme 'bs'.*bgn-pcgn.*bsi"):
        transliterate("текст", "ru", {"ru": "bs"})
    # Misspelt for another language: still an error, before an entry in it turns up.
    with pytest.raises(ValueError, match="kazakh-2021"):
        transliterate("текст", "ru", {"kk": "kazakh2021"})
    with pytest.raises(ValueError):
        scheme("nonsense")


def test_scheme_names_are_sorted_and_each_spells_all_of_cyrillic() -> None:
    names = scheme_names()
    assert names == sorted(names) and len(names) >= 30
    text = "Съешь же ещё этих мягких французских булок, да выпей чаю. ҚАЗАҚ Әділет Ґ Є Ї Ў Ђ Ѣ"
    for name in names:
        assert not cyrillic_letters(transliterate(text, "ru", {"ru": name})), name


def test_a_language_without_a_default_gets_the_generic_scheme() -> None:
    assert transliterate("Беларусь, Ўладзімір", "be") == "Belarus', Uladzimir"
    assert transliterate("България", "bg-BG") == "B'lgariya"


# Whatever the text, no Cyrillic letter is left.

_CYRILLIC_HEAVY = st.text(
    st.one_of(
        st.characters(min_codepoint=0x0400, max_codepoint=0x052F),
        st.characters(min_codepoint=0x1C80, max_codepoint=0x1C8F),
        st.characters(min_codepoint=0xA640, max_codepoint=0xA69F),
        st.characters(min_codepoint=0x0300, max_codepoint=0x036F),
        st.sampled_from(" -'’.,№1İıi"),
    )
)


@pytest.mark.parametrize("lang", ["ru", "kk", "uk", "en", "ky-KG", "xx"])
@settings(max_examples=200, deadline=None)
@given(text=st.one_of(st.text(), _CYRILLIC_HEAVY))
def test_no_cyrillic_letter_is_left(lang: str, text: str) -> None:
    assert cyrillic_letters(transliterate(text, lang)) == []


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_text_without_cyrillic_letters_is_unchanged(text: str) -> None:
    if not cyrillic_letters(text):
        for lang in ("ru", "kk", "uk"):
            assert transliterate(text, lang) == text
