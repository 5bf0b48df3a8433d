"""Findings about the sources, each pinned to ``file:line:column``."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding. Sorting orders findings by file, then position."""

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    code: str

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        """The dataclass order as a plain tuple: sorting many findings stays in C."""
        return (self.path, self.line, self.column, self.severity, self.message, self.code)

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _known(code: str) -> str:
    if code not in SOURCE_CHECKS and code not in SITE_CHECKS:
        raise ValueError(f"undocumented check code {code!r}: add it to SOURCE_CHECKS or SITE_CHECKS")
    return code


def error(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "error", message, _known(code))


def warning(path: str, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, column, "warning", message, _known(code))


SOURCE_CHECKS: dict[str, str] = {
    "not-utf8": "a source file is not UTF-8",
    "unreadable": "a source file cannot be read (a folder named *.md, no permission)",
    "no-index": "a folder under docs/readings/ has section files but no index.md",
    "missing-folder": "the docs folder named in mkdocs.yml does not exist",
    "front-matter": "YAML front matter is malformed (reported at the YAML error) or never closed",
    "missing-field": "a required field (term, short, category, sources; title, source, author, date) is missing or empty",
    "bad-field": "a field has the wrong shape (e.g. aliases not a list, a source without a title)",
    "unknown-key": "a front-matter key nothing reads, usually a typo such as see-also for see_also (warning)",
    "bad-date": "a date is not written YYYY-MM-DD",
    "bad-slug": "a glossary file name or reading folder name is not a lower-case slug",
    "duplicate-name": "a term, alias or slug collides with another entry's, case-insensitively",
    "raw-html": "raw HTML in a source's Markdown (any body, paragraph or note)",
    "unsafe-url": "a link target with a scheme other than http(s):, mailto: or a relative address (javascript:, data:…), in Markdown or front matter",
    "unsafe-attribute": "an attribute list ({ … }) setting anything but ids, classes, title, lang, dir, alt, width or height (onclick, style, href…)",
    "page-collision": "two sources make the same page (a glossary file named index.md, a hand-written docs/glossary/<slug>.md)",
    "outside-docs": "a link that leaves the docs folder (../../mkdocs.yml), which the site does not hold",
    "long-short": "a 'short' definition longer than a tooltip should be (warning)",
    "empty-body": "a glossary entry with no body, so its page shows only the short definition (warning)",
    "heading-in-body": "a Markdown heading inside a section (headings come from front matter)",
    "link-definition": "a reference-style link definition ([name]: address) in a section, which Markdown would cut out of the paragraph",
    "bad-annotation": "an annotation that is unknown, unclosed, empty, undated (update) or before any paragraph",
    "no-sections": "a reading without section files",
    "no-paragraphs": "a section without paragraphs",
    "bad-reference": "a malformed [[...]] reference (empty, empty label, never closed)",
    "unknown-term": "a reference to no glossary entry (with the closest name as a suggestion)",
    "see-also-missing": "see_also names a missing entry",
    "see-also-self": "see_also names the entry itself",
    "see-also-one-way": "see_also is not reciprocated (warning)",
    "unreferenced-term": "a glossary entry no reading references (warning)",
    "unlinked-mention": "a term mentioned in a section but never linked there (warning)",
    "unsourced-note": "an editors' note without a '*Source:*' line, or a glossary update with no sources (warning)",
    "missing-page": "a link to a page that does not exist",
    "missing-file": "a link to a file (image, download) that does not exist",
    "missing-anchor": "a link to a missing #anchor or #pN paragraph of an existing page",
    "duplicate-anchor": "the same anchor twice on one page",
    "absolute-link": "an absolute link that breaks when the site moves (warning)",
    "nav-missing-page": "a nav entry in mkdocs.yml that points to a missing file",
    "not-in-nav": "a page missing from nav in mkdocs.yml (warning)",
    "config": "mkdocs.yml cannot be read, or does not load the hooks that turn references into links",
    "unknown-reading": "an assignment names a reading that does not exist",
    "bad-range": "an assignment's paragraph range is malformed or reversed (9-1)",
    "assignment-terms": "an assignment's key term mentioned in none of its paragraphs, or a question naming a term that is not a key term (warning)",
    "review": "a glossary entry or editors' note last reviewed --review-months or more ago, or dated after its own review (warning)",
    "event-id": "an event id recorded by two entries, or a shared_events id no entry records",
    "duplicate-event": "two events on the same day in nearly the same words: probably one event recorded twice (warning)",
    "citation-incomplete": "a reading whose citations lack the headline as published (an editors' title and no 'published_title') or the address (no 'url'), with no 'citation_note' saying why (warning)",
    "range-out-of-bounds": "an assignment's paragraph range goes beyond the reading's paragraphs",
    "overlapping-range": "an assignment's paragraph ranges overlap or are out of order",
    "practice-card": "a term a reading's practice page uses whose 'short' cannot make a card: nothing left once its own names are blanked, or the same as another term's (warning)",
}

SITE_CHECKS: dict[str, str] = {
    "site-broken-link": "an internal href or src that resolves to no file",
    "site-missing-anchor": "a #fragment that resolves to no id in the target file",
    "site-missing-tooltip": "a glossary link without its preview (no data-term), or a term missing from its page's preview data (script#term-previews)",
    "site-wrong-tooltip": "a glossary link previewing another term, or a preview whose definition is not the term's short definition",
    "site-url": "site_url is unset or a placeholder (example.org, localhost…) on a site you publish (--publish): copied paragraph links would be dead",
    "site-reference-count": "a reference in the sources that did not become exactly one link",
    "site-missing-page": "a source page that has no built page",
    "site-script": "a <script> not shipped by the theme or the project, an on* attribute, or a javascript:/vbscript:/data: URL on a built page",
    "external-link": "an external link that failed when fetched (only with --external)",
    "epub-reference": "in an EPUB (--epub, or found under --site): a term reference (noteref) to no footnote, a footnote naming no term or without its short definition or glossary link, or a link to a missing file or id",
    "epub-malformed": "an EPUB that cannot be read (not a zip) or holds XHTML that is not well-formed",
}
