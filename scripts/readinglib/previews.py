"""Term previews: the data a page's script reads to preview its term links.

Each term link carries ``data-term="<slug>"`` and keeps its ``href``, so without
JavaScript it still leads to the entry. The hooks append to each page's content one
``<script type="application/json" id="term-previews">`` holding the previews of the
terms that page links, and nothing else: a page carries what it shows, and the data
grows with the page, not with the glossary. It is written by
:func:`readinglib.text.json_text` (as :func:`~readinglib.text.json_element` writes), so no source text can end the element or
open markup inside it: it is data, never markup, and reading.js shows it with
``textContent``.
"""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser

from readinglib.model import Library, Term
from readinglib.text import json_text, script_element

PREVIEWS_ID = "term-previews"
"""The id of the data element on each page (read by reading.js and the site check)."""
TERM_LINKS = "a.term-link[data-term]"


def long_date(date) -> str:  # type: ignore[no-untyped-def]
    return f"{date.day} {date:%B %Y}"


def term_preview(term: Term) -> dict[str, object]:
    """What a preview shows: name, category, short definition, the latest dated update."""
    data: dict[str, object] = {"name": term.term, "category": term.category, "short": term.short}
    if term.updates:
        latest = max(term.updates, key=lambda update: update.date)
        data["update"] = {"date": latest.date.isoformat(), "shown": long_date(latest.date), "text": latest.text}
    return data


_TERM_LINK_TAG = re.compile(r'<a\s[^<>]*?\sdata-term="([^"]*)"[^<>]*>')
_TERM_LINK_CLASS = re.compile(r'\sclass="(?:[^"]*\s)?term-link[\s"]')


def previewed_slugs(html: str) -> list[str]:
    """The terms a page's HTML previews (its term links' ``data-term``: :data:`TERM_LINKS`),
    in order, once each.

    Read from the tags, not a parsed tree: every tag on a page the library plans is ours or
    Markdown's (contributors' HTML is refused), a term link's is written by
    :func:`readinglib.pages.html_term_link` (or by Markdown from
    :func:`readinglib.pages.term_link`, in a heading), and text has no ``<`` unescaped.
    ``tests/test_reader_terms.py`` compares this with :data:`TERM_LINKS` on every built page."""
    if "data-term" not in html:
        return []
    slugs = (match[1] for match in _TERM_LINK_TAG.finditer(html) if _TERM_LINK_CLASS.search(match[0]))
    return list(dict.fromkeys(slug for slug in slugs if slug))


class PreviewData:
    """The pages' data elements (:data:`PREVIEWS_ID`), for every page of a build: each term's
    preview is written as JSON once, and a page's element joins those of the terms it links
    (the same text as :func:`readinglib.text.json_element` makes of them)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._members: dict[str, str] = {}

    def element(self, slugs: list[str]) -> str:
        """The page's data element: each previewed term that the glossary has, by slug
        (empty when the page previews none)."""
        members = [self._member(slug) for slug in sorted(set(slugs)) if slug in self.library.terms]
        return script_element(PREVIEWS_ID, "{" + ",".join(members) + "}") if members else ""

    def _member(self, slug: str) -> str:
        member = self._members.get(slug)
        if member is None:
            member = self._members[slug] = f"{json_text(slug)}:{json_text(term_preview(self.library.terms[slug]))}"
        return member


def read_previews(tree: LexborHTMLParser) -> dict[str, object] | None:
    """The previews on a built page (``None`` when it has no readable data element)."""
    node = tree.css_first(f"script#{PREVIEWS_ID}")
    return None if node is None else parse_previews(node.text() or "")


def parse_previews(text: str) -> dict[str, object] | None:
    """The previews in the data element's text (``None`` when it is not a JSON object)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
