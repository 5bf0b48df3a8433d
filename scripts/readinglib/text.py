"""Source text on its way into a page: the one boundary between contributors' words and markup.

Every value read from a source is either *plain text* (titles, names, aliases,
categories, source fields, questions, event text) or *Markdown* (bodies,
paragraphs, notes). Plain text becomes markup only through :func:`markdown_text`
(into the Markdown MkDocs renders) or :func:`html_text` (into the HTML templates
MkDocs fills in, such as ``<title>`` and the navigation). Markdown is never
escaped: it is validated instead (:func:`markdown_problems`), so raw HTML, links
with unsafe schemes and event-handler attributes never reach a page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from markdown.extensions.attr_list import get_attrs_and_remainder

from readinglib.anchors import AUTOLINK, LINK_OR_IMAGE, link_definitions
from readinglib.references import code_ranges, in_ranges, line_column

# ASCII punctuation that Markdown, or an extension a site may enable, can read as syntax
# anywhere in a line, and what starts a list at the start of one ("1." "2)" "-" "+");
# written as numeric character references, which Markdown passes through as text.
_MARKDOWN_SYNTAX = re.compile(r"""[\\`*_{}\[\]()#!<>&|~^=:"'$%@]|^(?:\d+(?=[.)])|)[-+.)]""")

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# browsers ignore ASCII tabs and newlines anywhere in a URL and C0 controls and spaces around it
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"
# a raw HTML tag, comment or declaration; not an autolink such as <https://…> (checked as a URL)
RAW_HTML = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)(?=[A-Za-z/!?])")
# an angle-bracketed address (autolink syntax) with any scheme: ``<javascript:…>``
ANGLE_URL = re.compile(r"<(?P<target>[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
# Python-Markdown's attr_list syntax: ``{ #id .class key=value }`` or ``{: … }``
ATTR_LIST = re.compile(r"\{:?[ ]*(?P<attrs>[^}\n ][^}\n]*)[ ]*\}")
ALLOWED_ATTRIBUTES = frozenset({"id", "class", "title", "lang", "dir", "alt", "width", "height"})


def markdown_text(value: str) -> str:
    """Plain text as Markdown that shows it exactly, on one line, whatever the extensions."""
    return _MARKDOWN_SYNTAX.sub(_reference, " ".join(value.split()))


def _reference(match: re.Match[str]) -> str:
    """The last character of ``match`` as a numeric character reference (digits kept)."""
    found = match.group()
    return f"{found[:-1]}&#{ord(found[-1])};"


def html_text(value: str) -> str:
    """Plain text as HTML text or attribute value (for MkDocs' templates)."""
    return html.escape(" ".join(value.split()), quote=True)


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be a link target: only http(s), mailto and relative URLs may."""
    scheme = _SCHEME.match(_URL_IGNORED.sub("", url))
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return (f"'{scheme.group(1)}:' URLs are not allowed; link with http(s):, mailto: "
                "or a relative address")
    return None


def markdown_url(url: str) -> str:
    """A checked URL written so it cannot end a Markdown link early: ``( ) " < > [ ]`` and
    spaces are percent-encoded (the address stays the same)."""
    return quote(url.strip(), safe=_URL_SAFE)


@dataclass(frozen=True)
class Problem:
    """Something in Markdown that may not reach a page, at ``line``:``column`` of its file."""

    line: int
    column: int
    code: str
    message: str


def markdown_problems(text: str, first_line: int = 1) -> list[Problem]:
    """Raw HTML, unsafe link targets and disallowed attributes in Markdown (outside code)."""
    if "<" not in text and "{" not in text and ":" not in text:
        return []
    code = code_ranges(text)
    found: list[Problem] = []
    for offset, code_name, message in _unsafe(text):
        if not in_ranges(code, offset):
            found.append(Problem(*line_column(text, offset, first_line), code_name, message))
    return found


def _unsafe(text: str) -> Iterator[tuple[int, str, str]]:
    html_lines: set[int] = set()
    for match in RAW_HTML.finditer(text):
        line = text.count("\n", 0, match.start())
        if line not in html_lines:  # one finding a line: <b>…</b> is one problem
            html_lines.add(line)
            yield match.start(), "raw-html", ("raw HTML is not allowed in sources; write Markdown "
                                              "(use &lt; for a literal '<')")
    targets = [(m.start("target"), m.group("target")) for m in LINK_OR_IMAGE.finditer(text)]
    targets += [(m.start("target"), m.group("target")) for m in ANGLE_URL.finditer(text)]
    targets += [(m.start(2), m.group(2)) for m in link_definitions(text)]
    for offset, target in targets:
        problem = url_problem(target.strip("<>"))
        if problem:
            yield offset, "unsafe-url", problem
    for match in ATTR_LIST.finditer(text):
        attributes, _ = get_attrs_and_remainder(match.group("attrs"))
        names = sorted({name.lower() for name, _ in attributes} - ALLOWED_ATTRIBUTES)
        if names:
            yield match.start(), "unsafe-attribute", (
                f"attribute list sets {', '.join(names)}; only ids, classes and "
                f"{', '.join(sorted(ALLOWED_ATTRIBUTES - {'id', 'class'}))} may be set (write \\{{ for a literal brace)")


__all__ = ["AUTOLINK", "Problem", "markdown_problems", "markdown_text", "html_text", "markdown_url",
           "url_problem"]
