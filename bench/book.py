"""A generated book-sized paper project for benchmarks: 30 chapters, about 150,000 words,
2,000 numeric citations of 1,000 BibTeX entries, a few tables and figures.

    python bench/book.py /tmp/book      # writes the project (templates and dodo.py copied)
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHAPTERS = 30
WORDS = 150_000
ENTRIES = 1_000
CITATIONS = 2_000
SYLLABLES = [
    "ка",
    "за",
    "қы",
    "мем",
    "ле",
    "кет",
    "құ",
    "қық",
    "жа",
    "уап",
    "кер",
    "ші",
    "лік",
    "та",
    "ра",
    "ту",
    "ры",
    "лы",
    "ба",
    "ғы",
    "нор",
    "ма",
    "ның",
    "дың",
    "ер",
    "ке",
]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def bibliography(rng: random.Random) -> str:
    """Kazakh works, said so (`langid`): a title of random syllables may lack the letters that
    tell Kazakh from Russian, and a Russian work takes a citeproc run of its own."""
    entries = []
    for n in range(1, ENTRIES + 1):
        author = f"{word(rng).capitalize()}, {rng.choice('АБВГДЕЖЗ')}. {rng.choice('КЛМН')}."
        title = " ".join(word(rng) for _ in range(rng.randint(3, 8))).capitalize()
        if n % 2:
            entries.append(
                f"@article{{ref{n},\n  author = {{{author}}},\n  title = {{{title}}},\n"
                f"  journal = {{Хабаршы}},\n  langid = {{kazakh}},\n"
                f"  year = {{{rng.randint(1990, 2024)}}},\n"
                f"  volume = {{{rng.randint(1, 90)}}},\n  number = {{{rng.randint(1, 4)}}},\n"
                f"  pages = {{{(p := rng.randint(1, 300))}--{p + rng.randint(3, 20)}}}\n}}\n"
            )
        else:
            entries.append(
                f"@book{{ref{n},\n  author = {{{author}}},\n  title = {{{title}}},\n"
                f"  publisher = {{Жеті жарғы}},\n  address = {{Алматы}},\n  langid = {{kazakh}},\n"
                f"  year = {{{rng.randint(1990, 2024)}}},\n"
                f"  pagetotal = {{{rng.randint(80, 600)}}}\n}}\n"
            )
    return "\n".join(entries)


def chapters(rng: random.Random) -> list[str]:
    """Numbers first cited in order; later citations reuse earlier numbers."""
    per_chapter = WORDS // CHAPTERS
    citations_left = CITATIONS
    next_new = 1
    texts = []
    for index in range(CHAPTERS):
        lines = [f"# {word(rng).capitalize()} {index + 1}", ""]
        written = 0
        cites_here = citations_left // (CHAPTERS - index)
        paragraph: list[str] = []
        cite_every = max(per_chapter // max(cites_here, 1), 1)
        while written < per_chapter:
            paragraph.append(word(rng))
            written += 1
            if written % cite_every == 0 and citations_left > 0:
                if next_new <= ENTRIES and (
                    rng.random() < 0.55 or citations_left <= ENTRIES - next_new + 1
                ):
                    number = next_new
                    next_new += 1
                else:
                    number = rng.randint(1, max(next_new - 1, 1))
                form = rng.choice(["[{n}]", "[{n}, б. {p}]", "[{n}, с. {p}]"])
                paragraph[-1] += " " + form.format(n=number, p=rng.randint(1, 300))
                citations_left -= 1
            if len(paragraph) >= 120:
                lines += [" ".join(paragraph) + ".", ""]
                paragraph = []
        lines += [" ".join(paragraph) + ".", ""]
        if index % 10 == 0:
            lines += [
                "| Бағана | Мән |",
                "|---|---|",
                *[f"| {word(rng)} | {rng.randint(1, 99)} |" for _ in range(5)],
                "",
            ]
            lines += [f"![{word(rng).capitalize()} суреті](figure.png)", ""]
        texts.append("\n".join(lines))
    return texts


def front_matter() -> str:
    numbers = "\n".join(f"  - ref{n}" for n in range(1, ENTRIES + 1))
    return (
        "---\njournal: kz-journal\nlang: kk-KZ\ntitle: Кітап\n"
        "translated-title: {ru: Книга, en: Book}\nauthor: [Автор А. А.]\n"
        "udc: '342'\nirsti: '10.15'\n"
        "abstract: {kk: Аңдатпа., ru: Аннотация., en: Abstract.}\n"
        "keywords: {kk: [кітап], ru: [книга], en: [book]}\n"
        f"reference-numbers:\n{numbers}\n---\n\n"
    )


def write(root: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    (root / "manuscript").mkdir(parents=True)
    (root / "bibliography").mkdir()
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "dodo.py", root / "dodo.py")
    (root / "bibliography" / "references.bib").write_text(bibliography(rng), encoding="utf-8")
    for index, text in enumerate(chapters(rng), start=1):
        head = front_matter() if index == 1 else ""
        (root / "manuscript" / f"{index:02d}-chapter.md").write_text(head + text, encoding="utf-8")
    import typst

    figure = typst.compile(
        b"#set page(width: 60pt, height: 40pt)\n#rect(width: 100%, height: 100%)", format="png"
    )
    (root / "manuscript" / "figure.png").write_bytes(figure)
    return root


if __name__ == "__main__":
    print(write(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/paperbuild-book")))
