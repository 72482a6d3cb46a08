"""`doit diff rev=…`: the changes since a git revision, word by word, in every format."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import PNG, doit, libreoffice_resolved, libreoffice_text, make_project, pdf_images

BIB = """@book{a, author = {Doe, Jane}, title = {The First Book}, publisher = {P},
  address = {X}, year = {2001}}
@book{b, author = {Roe, Rick}, title = {The Second Book}, publisher = {P},
  address = {X}, year = {2002}}
"""
FIRST = """---
title: Paper
---

# Introduction

The state answers to the citizen [@a].

This paragraph stays exactly as it was.
"""
SECOND = """---
title: Paper
---

# Introduction

The government answers to every citizen [@b].

This paragraph stays exactly as it was.

A new closing paragraph.
"""
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W.strip("{}")}
GIT = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "e@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "e@example.org",
    "PATH": "/usr/bin:/bin",
    "HOME": "/nonexistent",
}


def submitted(root: Path) -> None:
    """`root` made a repository, everything in it committed as the version submitted."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "submitted")


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=GIT
    ).stdout.strip()


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A paper with two commits, the second revising the first; `doit diff rev=v1` run."""
    root = make_project(tmp_path_factory.mktemp("rev") / "paper", {"paper.md": FIRST}, BIB)
    (root / ".gitignore").write_text("/build/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Editor")  # who the tracked changes are by
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "submitted")
    git(root, "tag", "v1")
    (root / "manuscript" / "paper.md").write_text(SECOND, encoding="utf-8")
    bib = BIB.replace("The Second Book", "The Second Edition")
    (root / "bibliography" / "references.bib").write_text(bib, encoding="utf-8")
    git(root, "commit", "-q", "-am", "revised")
    result = doit(root, "diff", "rev=v1")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "words inserted" in result.stdout
    return root


def test_docx_has_tracked_insertions_and_deletions(revised: Path) -> None:
    with zipfile.ZipFile(revised / "build" / "diff" / "paper-diff.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    inserted = " ".join(
        "".join(t.text or "" for t in ins.iter(f"{W}t")) for ins in body.iter(f"{W}ins")
    )
    deleted = " ".join(
        "".join(t.text or "" for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")
    )
    assert "government" in inserted and "every" in inserted
    assert "A new closing paragraph." in inserted
    assert "state" in deleted
    assert "Second Edition" in inserted or "Edition" in inserted  # the reference changed too
    for change in [*body.iter(f"{W}ins"), *body.iter(f"{W}del")]:
        assert change.get(f"{W}author") == "Editor"
    unchanged = "This paragraph stays exactly as it was."
    plain = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert unchanged in plain
    assert unchanged not in inserted and unchanged not in deleted


def test_docx_opens_in_libreoffice(revised: Path, tmp_path: Path) -> None:
    text = libreoffice_text(revised / "build" / "diff" / "paper-diff.docx", tmp_path)
    assert "government" in text
    # A changed citation, in a tracked change inside its link: LibreOffice drops a link put
    # inside a tracked change, with its text.
    assert "(Roe 2002)" in " ".join(text.split())


def assert_links_hold_their_changes(root: Path) -> None:
    """No link inside a tracked change in the diff's DOCX, and a change inside a link."""
    with zipfile.ZipFile(root / "build" / "diff" / "paper-diff.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    ns = {"w": W.strip("{}")}
    assert body.xpath("//w:ins//w:hyperlink | //w:del//w:hyperlink", namespaces=ns) == []
    assert body.xpath("//w:hyperlink/w:ins", namespaces=ns)


def test_a_changed_citations_link_holds_its_tracked_change(revised: Path) -> None:
    assert_links_hold_their_changes(revised)


def test_html_marks_changes_and_counts_them(revised: Path) -> None:
    page = lxml_html.parse(str(revised / "build" / "diff" / "paper-diff.html")).getroot()
    summary = page.xpath("//p[@class='changes']")[0]
    marks = {tag: page.xpath(f"//main//{tag}") for tag in ("ins", "del")}
    words = {
        tag: sum(len(re.findall(r"\w+", e.text_content())) for e in elements)
        for tag, elements in marks.items()
    }
    # Counted words: each word of a change, a citation counting as one.
    assert int(summary.get("data-inserted")) > 0 and int(summary.get("data-deleted")) > 0
    assert words["ins"] >= int(summary.get("data-inserted")) - 2
    assert words["del"] >= int(summary.get("data-deleted")) - 2
    # The tag, and what it named then: a tag can move, and HEAD~1 would point elsewhere later.
    commit = git(revised, "log", "-1", "--format=%h of %cs", "v1")
    assert f"Changes since v1 ({commit}):" in summary.text_content()
    citations = [e.text_content() for e in marks["ins"] if "Roe" in e.text_content()]
    assert citations  # [@a] → [@b] shows as a change
    assert not any("stays exactly" in e.text_content() for e in marks["ins"] + marks["del"])


def test_pdf_shows_both_versions_and_the_summary(revised: Path) -> None:
    reader = pypdf.PdfReader(revised / "build" / "diff" / "paper-diff.pdf")
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert re.search(r"Changes since v1 \(\w+ of \d{4}-\d\d-\d\d\):", text)
    assert "state" in text and "government" in text


def test_the_working_tree_is_not_touched(revised: Path) -> None:
    assert git(revised, "status", "--porcelain") == ""
    assert (revised / "manuscript" / "paper.md").read_text(encoding="utf-8") == SECOND


def test_an_unknown_revision_is_a_clear_error(revised: Path) -> None:
    result = doit(revised, "diff", "rev=no-such-tag")
    assert result.returncode != 0
    assert "revision 'no-such-tag' does not exist" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_revision_before_the_manuscript_is_a_clear_error(tmp_path: Path) -> None:
    root = tmp_path / "paper"
    root.mkdir()
    (root / "README").write_text("notes\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "notes first")
    make_project(root, {"paper.md": FIRST}, BIB)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "paper")
    result = doit(root, "diff", "rev=HEAD~1")
    assert result.returncode != 0
    assert "predates the paper" in result.stderr


def test_a_paper_with_a_figure_compares_in_every_format(tmp_path: Path) -> None:
    """The DOCX writer embeds figures as data: URLs; the PDF still gets a file Typst reads."""
    import typst

    figure = "\n![A red square.](fig.png)\n"
    root = make_project(tmp_path / "paper", {"paper.md": FIRST + figure}, BIB)
    (root / "manuscript" / "fig.png").write_bytes(
        typst.compile(b"#set page(width: 4pt, height: 4pt, fill: red)", format="png")
    )
    submitted(root)
    (root / "manuscript" / "paper.md").write_text(SECOND + figure, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    assert pdf_images(root / "build" / "diff" / "paper-diff.pdf") == 1
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    assert page.xpath("//img")[0].get("src").startswith("data:image/png;base64,")
    with zipfile.ZipFile(root / "build" / "diff" / "paper-diff.docx") as docx:
        assert any(name.startswith("word/media/") for name in docx.namelist())


def test_a_paper_in_a_subfolder_of_its_repository_compares(tmp_path: Path) -> None:
    """Code and paper in one repository: git names a revision's files from the top."""
    repo = tmp_path / "repo"
    root = make_project(repo / "paper", {"paper.md": FIRST}, BIB)
    (repo / "code.py").write_text("print()\n")
    submitted(repo)
    (root / "manuscript" / "paper.md").write_text(SECOND, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    assert "A new closing paragraph." in " ".join(page.text_content().split())


def test_a_paper_outside_git_is_told_so(tmp_path: Path) -> None:
    root = make_project(tmp_path / "paper", {"paper.md": FIRST}, BIB)
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "rev=HEAD: error: the paper is not in a git repository" in result.stderr


def committed(tmp_path: Path, text: str, journal: str | None = None) -> Path:
    """A paper (in `journal`, if given) with a bibliography of four, committed."""
    if journal:
        front = f"---\ntitle: Paper\nabstract: A.\nauthor: [A. Author]\njournal: {journal}\n"
        text = text.replace("---\ntitle: Paper\n", front)
    more = BIB.replace("{a,", "{c,").replace("{b,", "{d,")
    more = more.replace("First", "Third").replace("Second", "Fourth")
    root = make_project(tmp_path / "paper", {"paper.md": text}, BIB + more)
    submitted(root)
    return root


def changes(root: Path) -> tuple[list[str], list[str], str]:
    """What the diff's HTML marks inserted and deleted, and what the command said."""
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    banner = re.compile(r"\d+ words? (inserted|deleted)")  # the page's summary of them

    def marked(tag: str) -> list[str]:
        texts = [" ".join(e.text_content().split()) for e in page.iter(tag)]
        return [text for text in texts if not banner.fullmatch(text)]

    return marked("ins"), marked("del"), result.stdout


def test_a_citation_added_near_the_start_marks_itself_not_every_later_number(
    tmp_path: Path,
) -> None:
    """In a numeric style every later number shifts: none of those is the author's change,
    nor is a reference entry's new number."""
    text = FIRST.replace("This paragraph", "Also [@b] and [@d]. This paragraph")
    root = committed(tmp_path, text, journal="ieee")
    chapter = root / "manuscript" / "paper.md"
    revised = chapter.read_text(encoding="utf-8").replace(
        "# Introduction\n", "# Introduction\n\nA new claim [@c].\n"
    )
    chapter.write_text(revised, encoding="utf-8")
    inserted, deleted, said = changes(root)
    assert deleted == [] and ", 0 deleted since HEAD" in said
    assert inserted[0] == "A new claim [1]."
    assert len(inserted) == 2 and "third book" in inserted[1].lower()  # its entry, nothing else


def test_a_figure_renamed_since_shows_the_earlier_picture_deleted(tmp_path: Path) -> None:
    import typst

    red = typst.compile(b"#set page(width: 4pt, height: 4pt, fill: red)", format="png")
    root = committed(tmp_path, FIRST + "\n![A red square.](fig.png)\n")
    (root / "manuscript" / "fig.png").write_bytes(red)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "with a figure")
    (root / "manuscript" / "fig.png").rename(root / "manuscript" / "fig-v2.png")
    text = FIRST + "\n![A red square.](fig-v2.png)\n"
    (root / "manuscript" / "paper.md").write_text(text, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    pictures = [img.get("src") for img in page.iter("img")]
    assert len(pictures) == 2 and all(p.startswith("data:image/png") for p in pictures)
    # A picture shows no strike or colour: each is framed in its change's colour.
    assert [img.getparent().tag for img in page.iter("img")] == ["del", "ins"]
    style = page.findtext("head/style")
    assert "del img { outline: 3px solid #cf222e;" in style and "ins img { outline" in style
    typst_source = (root / "build" / "diff" / "paper-diff.typ").read_text(encoding="utf-8")
    framed = re.findall(
        r'#box\(stroke: 3pt \+ rgb\("(#\w+)"\)\)\[#box\(image\("([^"]+)"', typst_source
    )
    assert [colour for colour, _ in framed] == ["#cf222e", "#1a7f37"]  # the old, the new
    assert Path(framed[1][1]).name == "fig-v2.png"


def test_a_new_footnotes_words_are_marked_and_counted(tmp_path: Path) -> None:
    root = committed(tmp_path, FIRST)
    text = FIRST.replace("as it was.", "as it was.[^new]\n\n[^new]: One two three four five.")
    (root / "manuscript" / "paper.md").write_text(text, encoding="utf-8")
    inserted, _, said = changes(root)
    assert "5 words inserted" in said
    assert any("One two three four five." in text for text in inserted)


def test_the_earlier_version_is_set_in_this_ones_journal(tmp_path: Path) -> None:
    """A paper resubmitted elsewhere: only what the author changed is marked."""
    root = committed(tmp_path, FIRST, journal="ieee")
    text = (root / "manuscript" / "paper.md").read_text(encoding="utf-8")
    (root / "manuscript" / "paper.md").write_text(
        text.replace("journal: ieee", "journal: apa").replace("answers", "replies"),
        encoding="utf-8",
    )
    inserted, deleted, _ = changes(root)
    assert (inserted, deleted) == (["replies"], ["answers"])


def test_a_figure_outside_manuscript_deleted_since_is_shown_as_it_was(tmp_path: Path) -> None:
    import typst

    root = committed(tmp_path, FIRST + "\n![Outer.](../figures/outer.png)\n")
    (root / "figures").mkdir()
    (root / "figures" / "outer.png").write_bytes(
        typst.compile(b"#set page(width: 4pt, height: 4pt, fill: red)", format="png")
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "with a figure outside manuscript/")
    (root / "figures" / "outer.png").unlink()
    (root / "manuscript" / "paper.md").write_text(FIRST, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    (picture,) = page.iter("img")
    assert picture.get("src").startswith("data:image/png;base64,")
    assert picture.xpath("ancestor::del|ancestor::*[contains(@class, 'deletion')]")


def test_a_link_in_emphasis_keeps_its_tracked_change_inside_it(tmp_path: Path) -> None:
    root = committed(tmp_path, FIRST + "\n*See [the site](https://example.org) now.*\n")
    text = FIRST + "\n*See [the new site](https://example.org/new) now.*\n"
    (root / "manuscript" / "paper.md").write_text(text, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    assert_links_hold_their_changes(root)


def test_a_list_item_added_before_renumbered_ones_is_the_one_marked(tmp_path: Path) -> None:
    """Which item pairs with which goes by the works cited, not the numbers printed: by those,
    "Method Zeta [1]" would pair with the old "Method Alpha [1]"."""
    text = "---\ntitle: Paper\n---\n\n# Methods\n\n- Method Alpha [@a].\n- Method Beta [@b].\n"
    root = committed(tmp_path, text, journal="ieee")
    chapter = root / "manuscript" / "paper.md"
    revised = chapter.read_text(encoding="utf-8").replace(
        "- Method Alpha", "- Method Zeta [@d].\n- Method Alpha"
    )
    chapter.write_text(revised, encoding="utf-8")
    inserted, deleted, _ = changes(root)
    assert deleted == []
    assert inserted[0] == "Method Zeta [1]."


BEFORE = """---
title: Paper
---

# Introduction

The state answers to the citizen [@a].

A paragraph the revision deletes.

This paragraph stays exactly as it was.

![A figure the revision deletes, from [@a].](fig.png){#fig-gone}

A paragraph between.

![A figure with an id, [linked](#fig-kept), it keeps.](fig.png){#fig-kept}

- the first item
- the last item

| City | Count | Note |
|------|-------|------|
| Almaty | 1 | |
| Astana | 2 | |
| Shymkent | 3 | |

: Cities.

The end.
"""
AFTER = """---
title: Paper
---

# Introduction

The state answers to the citizen [@a].

This paragraph stays exactly as it was.

A paragraph between.

![A figure with an id, [linked](#fig-kept), it keeps.](fig.png){#fig-kept}

- the first item
- an item the revision adds
- the last item

## A section the revision adds

With a paragraph of its own.

| City | Count | Note |
|------|-------|------|
| Almaty | 1 | |
| Shymkent | 3 | |
| Aktobe | 4 | |

: Cities.

The end.
"""


def test_accepting_every_change_gives_the_new_docx_and_rejecting_them_the_old(
    tmp_path: Path,
) -> None:
    """pandoc tracked the words but not the paragraph marks: Accept All left empty paragraphs,
    an empty bullet and the deleted figure's "Figure 1:" (a field that renumbered the later
    figures), and Reject All an empty heading."""
    versions = {}
    for name, text in (("old", BEFORE), ("new", AFTER)):
        root = make_project(tmp_path / name, {"paper.md": text}, BIB)
        (root / "manuscript" / "fig.png").write_bytes(PNG)
        assert doit(root, "docx").returncode == 0
        versions[name] = libreoffice_text_of(root / "build" / "paper.docx", tmp_path / name)
    root = tmp_path / "old"
    submitted(root)
    (root / "manuscript" / "paper.md").write_text(AFTER, encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    tracked = root / "build" / "diff" / "paper-diff.docx"

    def numbers_aside(text: str) -> str:
        # A caption's number is a Word field, counted afresh when the fields are updated (Word
        # does on printing): LibreOffice keeps the number counted with the deleted figure.
        return re.sub(r"(Figure|Table)\xa0\d+", r"\1 N", text)

    accepted = libreoffice_resolved(tracked, tmp_path, accept=True)
    assert numbers_aside(accepted) == numbers_aside(versions["new"])
    assert libreoffice_resolved(tracked, tmp_path, accept=False) == versions["old"]
    with zipfile.ZipFile(tracked) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    ids = body.xpath("//w:ins/@w:id | //w:del/@w:id | //w:bookmarkStart/@w:id", namespaces=NS)
    assert len(ids) == len(set(ids))  # each change an id of its own


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "abstract: An abstract that goes.\nkeywords: [one, two, three]\n",
            "keywords: [one, three, four]\n",
        ),
        (
            "keywords: [one, two]\n",
            "abstract: An abstract that comes.\nkeywords: [two, three]\n",
        ),
        ("keywords: [one]\n", "keywords: [two]\n"),
    ],
)
def test_accepting_or_rejecting_the_front_matters_changes_leaves_no_empty_place(
    tmp_path: Path, old: str, new: str
) -> None:
    """Accept All left "Keywords: one, , three", and a removed abstract's "Abstract." label
    before nothing."""
    texts = {
        name: f"---\ntitle: Paper\n{front}---\n\nText [@a].\n"
        for name, front in (("old", old), ("new", new))
    }
    versions = {}
    for name, text in texts.items():
        root = make_project(tmp_path / name, {"paper.md": text}, BIB)
        assert doit(root, "docx").returncode == 0
        versions[name] = libreoffice_text_of(root / "build" / "paper.docx", tmp_path / name)
    root = tmp_path / "old"
    submitted(root)
    (root / "manuscript" / "paper.md").write_text(texts["new"], encoding="utf-8")
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    tracked = root / "build" / "diff" / "paper-diff.docx"
    assert libreoffice_resolved(tracked, tmp_path, accept=True) == versions["new"]
    assert libreoffice_resolved(tracked, tmp_path, accept=False) == versions["old"]


def test_a_chapter_that_is_a_link_is_compared_by_the_text_it_led_to(tmp_path: Path) -> None:
    """git keeps a link as the path it names: the diff read "../shared/methods.md" as the old
    chapter's text, and showed the whole chapter inserted."""
    root = tmp_path / "repo" / "paper"
    make_project(root, {"01-intro.md": "---\ntitle: T\n---\n\n# Intro\n\nEnd.\n"}, BIB)
    (tmp_path / "repo" / "shared").mkdir()
    (tmp_path / "repo" / "shared" / "methods.md").write_text("# Methods\n\nShared text.\n")
    (root / "manuscript" / "02-methods.md").symlink_to("../../shared/methods.md")
    submitted(tmp_path / "repo")
    (root / "manuscript" / "01-intro.md").write_text(
        "---\ntitle: T\n---\n\n# Intro\n\nEnd, revised.\n"
    )
    result = doit(root, "diff", "rev=HEAD")
    assert result.returncode == 0, result.stderr + result.stdout
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    marked = [" ".join(e.text_content().split()) for e in page.xpath("//main//ins|//main//del")]
    assert marked == ["End.", "End, revised."]


def libreoffice_text_of(document: Path, workdir: Path) -> str:
    """A document without tracked changes, saved as text by the same macro."""
    return libreoffice_resolved(document, workdir, accept=True)


def test_a_revision_not_named_by_a_tag_or_branch_is_shown_as_its_commit(tmp_path: Path) -> None:
    root = committed(tmp_path, FIRST)
    (root / "manuscript" / "paper.md").write_text(SECOND, encoding="utf-8")
    assert doit(root, "diff", "rev=HEAD").returncode == 0
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    commit = git(root, "log", "-1", "--format=%h of %cs")
    assert (
        page.xpath("//p[@class='changes']")[0].text_content().startswith(f"Changes since {commit}:")
    )


def test_a_diff_for_another_journal_is_written_beside_its_build(tmp_path: Path) -> None:
    """It went to build/diff/, over the diff in the paper's own journal."""
    front = "---\ntitle: Paper\nabstract: A.\nauthor: [A. Author]\n"
    root = committed(tmp_path, FIRST.replace("---\ntitle: Paper\n", front))
    second = SECOND.replace("---\ntitle: Paper\n", front)
    (root / "manuscript" / "paper.md").write_text(second, encoding="utf-8")
    assert doit(root, "diff", "rev=HEAD").returncode == 0
    own = (root / "build" / "diff" / "paper-diff.html").read_bytes()
    result = doit(root, "diff", "rev=HEAD", "journal=apa")
    assert result.returncode == 0, result.stderr
    assert "build/apa/diff/paper-diff.html" in result.stdout
    assert (root / "build" / "apa" / "diff" / "paper-diff.pdf").exists()
    assert (root / "build" / "diff" / "paper-diff.html").read_bytes() == own


def test_the_front_matters_changes_are_marked_and_counted_in_every_format(tmp_path: Path) -> None:
    """The title, abstract and keywords were the current ones, unmarked: an editor could not
    see that the abstract had been rewritten."""
    before = "---\ntitle: Three cities\nabstract: An old abstract.\nkeywords: [law, state]\n---\n"
    after = "---\ntitle: Four cities\nabstract: A new abstract.\nkeywords: [law, court]\n---\n"
    root = committed(tmp_path, before + "\nText.\n")
    (root / "manuscript" / "paper.md").write_text(after + "\nText.\n", encoding="utf-8")
    inserted, deleted, said = changes(root)
    assert "4 words inserted, 4 deleted" in said
    assert sorted(inserted) == sorted(["Four", "A new", "court"])
    assert sorted(deleted) == sorted(["Three", "An old", "state"])
    page = lxml_html.parse(str(root / "build" / "diff" / "paper-diff.html")).getroot()
    # The page's own title and metadata are this version's, without the marks.
    assert page.findtext("head/title") == "Four cities"
    assert page.xpath("//meta[@name='citation_title']/@content") == ["Four cities"]
    reader = pypdf.PdfReader(root / "build" / "diff" / "paper-diff.pdf")
    assert (reader.metadata.title, reader.metadata["/Keywords"]) == ("Four cities", "law, court")
    text = reader.pages[0].extract_text()
    assert "Three" in text and "Four" in text and "state" in text and "court" in text
    with zipfile.ZipFile(root / "build" / "diff" / "paper-diff.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    tracked = {
        kind: ["".join(e.itertext()) for e in body.xpath(f"//w:{kind}", namespaces=NS)]
        for kind in ("ins", "del")
    }
    assert "Four" in tracked["ins"] and "Three" in tracked["del"]
    assert "court" in tracked["ins"] and "state" in tracked["del"]


def test_a_text_become_one_per_language_keeps_its_own_unmarked(tmp_path: Path) -> None:
    """The English abstract, unchanged, was shown inserted whole, and a keyword taken away
    was never shown deleted."""
    before = "---\ntitle: T\nabstract: The abstract.\nkeywords: [one, two, three]\n---\n"
    after = (
        "---\ntitle: T\nabstract: {en: The abstract., ru: Аннотация.}\n"
        "keywords: {en: [one, three, four], ru: [один]}\n---\n"
    )
    root = committed(tmp_path, before + "\nText.\n")
    (root / "manuscript" / "paper.md").write_text(after + "\nText.\n", encoding="utf-8")
    inserted, deleted, said = changes(root)
    assert sorted(inserted) == ["four", "Аннотация.", "один"]
    assert deleted == ["two"]
    assert "3 words inserted, 1 deleted" in said
