"""The site's search index: hits land on the paragraph, the glossary first, no furniture.

Material's search plugin indexes a page by its headings, so a phrase from an article
paragraph would only lead to the top of its section. The hooks use this module to

- keep numbered paragraphs (``p.para``) out of the entries Material makes (an assignment
  quotes paragraphs the reading already has) and add one entry per paragraph of a section
  page, at ``…/#pN``, with the paragraph's words and nothing else (no ¶ number or copy
  control);
- drop generated lists that repeat the glossary or the notes (study guides, key terms),
  and headings with nothing under them that search reads (the glossary's A–Z letters,
  whose entries are found on their own pages);
- keep code (the authoring examples of the instructor's guide) out of hand-written pages'
  entries;
- boost glossary entries, so a term or alias finds its entry first.

:func:`rewrite_index` edits ``search/search_index.json`` and, when Material's offline
plugin has written it, ``search/search_index.js`` (``var __index = {…}``), so the offline
copy searches the same entries.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from readinglib.model import Library

GLOSSARY_BOOST = 2.0
"""A glossary entry (its definition) outranks pages that only mention a term or alias."""
PARAGRAPH_BOOST = 3.0
"""A paragraph is one part of its page (Material favours whole pages over their parts); a phrase
from it finds it before pages that share some of its words."""
HANDWRITTEN_BOOST = 0.5
"""Hand-written pages (the home page, the instructor's guide) come after the readings and glossary."""
FURNITURE_SECTIONS = frozenset({
    "study-guide", "terms-in-this-section", "editors-notes",  # a section's study guide
    "key-terms", "terms-on-this-page",                         # term lists on overviews and assignments
    "notes", "changes",                                        # a reading's lists of its notes
})
"""Headings of generated lists on reading and assignment pages that search leaves out."""

_PARAGRAPH = re.compile(r'<p\b(?=[^>]*\bclass="para")(?=[^>]*\bid="p\d+")')
_PARAGRAPH_ID = re.compile(r"p\d+")
_CODE = re.compile(r"<pre>.*?</pre>|<code>.*?</code>", re.DOTALL)
OFFLINE_PREFIX = "var __index = "


@dataclass
class SearchPlan:
    """What the hooks learn about each page while rendering it, by its URL."""

    roles: dict[str, str] = field(default_factory=dict)
    """``src_uri`` → "section", "reading" (overviews, assignments), "term" or "handwritten"."""
    by_url: dict[str, str] = field(default_factory=dict)
    paragraphs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, library: Library) -> SearchPlan:
        roles: dict[str, str] = {}
        for reading in library.readings:
            roles[reading.src_uri] = "reading"
            roles.update((section.src_uri, "section") for section in reading.sections)
        roles.update((assignment.src_uri, "reading") for assignment in library.assignments)
        roles.update((term.page, "term") for term in library.terms.values())
        roles.update((page.src_uri, "handwritten") for page in library.pages)
        return cls(roles)

    def page_content(self, content: str, src_uri: str, url: str,
                     paragraphs: list[tuple[str, str]] | None = None) -> str:
        """The page's HTML with its numbered paragraphs marked for Material's indexer to skip;
        a section's paragraphs are kept for :func:`rewrite_index`: ``paragraphs`` when the
        page's rendering knows their words (:attr:`readinglib.markup.Rendered.paragraph_words`),
        else read from the HTML."""
        role = self.roles.get(src_uri)
        if role is None:
            return content
        self.by_url[url] = role
        if role == "section":
            self.paragraphs[url] = paragraph_texts(content) if paragraphs is None else paragraphs
        return self.mark(content, src_uri)

    def mark(self, content: str, src_uri: str) -> str:
        """The page's HTML with its numbered paragraphs marked for Material's indexer to skip."""
        if src_uri not in self.roles:
            return content
        return _PARAGRAPH.sub(lambda match: match.group() + " data-search-exclude", content)


def paragraph_texts(content: str) -> list[tuple[str, str]]:
    """(anchor, words) of every numbered paragraph in a page's HTML, without its controls."""
    found = []
    for node in LexborHTMLParser(content).css("p.para[id]"):
        for control in node.css(".para-num, button, .md-annotation, sup"):
            control.decompose()
        found.append((node.attributes["id"] or "", " ".join(node.text(deep=True).split())))
    return found


def rewrite(index: dict, plan: SearchPlan) -> dict:
    """The index with paragraph entries added, furniture dropped, code out of hand-written
    pages and the glossary boosted."""
    docs = []
    for entry in index.get("docs", []):
        page, _, anchor = entry["location"].partition("#")
        role = plan.by_url.get(page)
        if role in ("section", "reading") and anchor in FURNITURE_SECTIONS:
            continue
        if anchor and not entry.get("text", "").strip():
            continue  # a heading with nothing under it that search reads (the glossary's letters)
        if role == "section" and _PARAGRAPH_ID.fullmatch(anchor):
            continue  # added below (an index rewritten before keeps one entry per paragraph)
        if role == "handwritten":
            entry = {**entry, "text": " ".join(_CODE.sub(" ", entry["text"]).split())}
        if role == "term" and not anchor:
            entry = {**entry, "boost": GLOSSARY_BOOST}
        if role == "handwritten":
            entry = {**entry, "boost": HANDWRITTEN_BOOST}
        docs.append(entry)
        if role == "section" and not anchor:
            docs.extend({"location": f"{page}#{pid}", "title": f"¶{pid[1:]}", "text": f"<p>{html.escape(words)}</p>",
                         "boost": PARAGRAPH_BOOST} for pid, words in plan.paragraphs.get(page, []))
    return {**index, "docs": docs}


def rewrite_index(site_dir: str | Path, plan: SearchPlan) -> None:
    """Rewrite the built site's search index (JSON, and the offline copy's script) in place."""
    folder = Path(site_dir) / "search"
    data = folder / "search_index.json"
    if data.is_file():
        data.write_text(json.dumps(rewrite(json.loads(data.read_text(encoding="utf-8")), plan),
                                   ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    script = folder / "search_index.js"
    if script.is_file():
        raw = script.read_text(encoding="utf-8")
        if raw.startswith(OFFLINE_PREFIX):
            index = rewrite(json.loads(raw[len(OFFLINE_PREFIX):]), plan)
            script.write_text(OFFLINE_PREFIX + json.dumps(index, ensure_ascii=False, separators=(",", ":")),
                              encoding="utf-8")
