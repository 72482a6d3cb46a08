"""Citation keys with a CiTO citation type (`@method:smith2020`), as pandoc-scholar writes them.

The typing says why a work is cited; the work is `smith2020`. The properties and short aliases
are those of pandoc's `cito` Lua filter (github.com/pandoc/lua-filters, MIT licence).
"""

from __future__ import annotations

PROPERTIES: dict[str, tuple[str, ...]] = {
    "agrees_with": ("agree_with",),
    "citation": (),
    "cites": (),
    "cites_as_authority": ("as_authority", "authority"),
    "cites_as_data_source": ("as_data_source", "data_source"),
    "cites_as_evidence": ("as_evidence", "evidence"),
    "cites_as_metadata_document": ("as_metadata_document", "metadata_document", "metadata"),
    "cites_as_recommended_reading": ("as_recommended_reading", "recommended_reading"),
    "disagrees_with": ("disagree", "disagrees"),
    "disputes": (),
    "documents": (),
    "extends": (),
    "includes_excerpt_from": ("excerpt", "excerpt_from"),
    "includes_quotation_from": ("quotation", "quotation_from"),
    "obtains_background_from": ("background", "background_from"),
    "refutes": (),
    "replies_to": (),
    "updates": (),
    "uses_data_from": ("data", "data_from"),
    "uses_method_in": ("method", "method_in"),
}
_NAMES = {name for prop, aliases in PROPERTIES.items() for name in (prop, *aliases)}

# pandoc-crossref's label prefixes: `@fig:x` refers to a figure, not to a work.
CROSSREF_PREFIXES = ("fig:", "tbl:", "eq:", "sec:", "lst:")


def cited_work(key: str, known: set[str] | dict[str, object]) -> str:
    """The bibliography key a citation means: `method:smith2020` → `smith2020` when only the
    latter exists; any other key unchanged."""
    if key in known or ":" not in key:
        return key
    prefix, rest = key.split(":", 1)
    return rest if prefix in _NAMES and rest in known else key


def is_crossref(key: str) -> bool:
    return key.startswith(CROSSREF_PREFIXES)
