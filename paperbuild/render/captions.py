"""Figure and table numbers in captions, for a writer that prints none (pandoc's HTML): the
PDF's Typst numbers them, the DOCX's fields do, and text that says "Table 2" must find it."""

from __future__ import annotations

from paperbuild import pandoc, yamlio
from paperbuild.pandoc_ast import Blocks, Plain, Space, Span, Str, blocks_in_order
from paperbuild.profiles import Profile, base_language

# After the number, as pandoc's DOCX writer puts it whatever the language ("Рис. 1: …"); the
# PDF's Typst is told the same (its own would be "Рис. 1. …", "Fig. 1. – …").
SEPARATOR = ":"


def number(blocks: Blocks, profile: Profile, lang: str) -> None:
    """Each figure's and table's caption, in place, led by "Figure 3:" in the document's
    language, counted in reading order as the PDF and the DOCX count them: those with a
    caption."""
    label = words(profile, lang)
    counts = {"Figure": 0, "Table": 0}
    for block in blocks_in_order(blocks):
        kind = block["t"]
        if kind not in counts:
            continue
        caption = block["c"][1][1]
        if not caption:
            continue
        counts[kind] += 1
        span = Span(
            [Str(f"{label[kind]}\u00a0{counts[kind]}{SEPARATOR}")], classes=["caption-label"]
        )
        if caption[0]["t"] in ("Plain", "Para"):
            caption[0]["c"][:0] = [span, Space()]
        else:
            caption.insert(0, Plain([span]))


def words(profile: Profile, lang: str) -> dict[str, str]:
    """ "Figure" and "Table" in `lang`, as every format prints them: the journal's shared
    translations, else pandoc's (its DOCX writer's)."""
    own = profile.shared_dir / "translations" / f"{base_language(lang)}.yaml"
    terms = yamlio.load_file(own) if own.is_file() else {}
    if not {"Figure", "Table"} <= terms.keys():
        terms = {**pandoc.translations(lang), **terms}
    return {kind: str(terms.get(kind, kind)) for kind in ("Figure", "Table")}
