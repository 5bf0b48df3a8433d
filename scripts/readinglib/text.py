"""Source text on its way into a page: the one boundary between contributors' words and markup.

Every value read from a source is either *plain text* (titles, names, aliases,
categories, source fields, questions, event text) or *Markdown* (bodies,
paragraphs, notes). Plain text becomes markup only through :func:`markdown_text`
(into the Markdown MkDocs renders) or :func:`html_text` (into the HTML templates
MkDocs fills in, such as ``<title>`` and the navigation), and data a page's script
reads only through :func:`json_element`. Markdown is never
escaped: it is validated instead (:func:`markdown_problems`), so raw HTML, links
with unsafe schemes and event-handler attributes never reach a page.
"""

from __future__ import annotations

import html
from functools import lru_cache
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

from markdown.extensions.attr_list import get_attrs_and_remainder

from readinglib.anchors import link_definitions
from readinglib.references import code_ranges, in_ranges, line_column

# ASCII punctuation that Markdown, or an extension a site may enable, can read as syntax
# anywhere in a line, and what starts a list at the start of one ("1." "2)" "-" "+");
# written as numeric character references, which Markdown passes through as text.
_MARKDOWN_SYNTAX = re.compile(r"""[\\`*_{}\[\]()#!<>&|~^=:"'$%@]|^(?:\d+(?=[.)])|)[-+.)]""")

SAFE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
# browsers ignore ASCII tabs and newlines anywhere in a URL and C0 controls and spaces around it
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
_URL_UNSAFE = re.compile(r"[<>\x00-\x20\x7f]")
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


@lru_cache(maxsize=65536)  # names, definitions and titles recur on many pages
def html_text(value: str) -> str:
    """Plain text as HTML text or attribute value (for MkDocs' templates and the HTML the
    hooks generate, :mod:`readinglib.markup`)."""
    return html.escape(" ".join(value.split()), quote=True)


_UNSAFE_IN_SCRIPT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def json_element(element_id: str, data: object) -> str:
    """``data`` as an inert ``<script type="application/json">`` a page's script reads: every
    non-ASCII character and ``<``, ``>``, ``&`` escaped, so no text in it can end the element
    or open markup; ``element_id`` is ours (lower-case words), never source text. Keys keep
    their order (a page may list them in order)."""
    return script_element(element_id, json_text(data))


def json_text(data: object) -> str:
    """``data`` as :func:`json_element` writes it (ASCII; ``<``, ``>``, ``&`` escaped), without the
    element: JSON texts joined into an array or object stay safe."""
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    for character, escaped in _UNSAFE_IN_SCRIPT:  # (three passes in C: faster than a translation table)
        payload = payload.replace(character, escaped)
    return payload


def script_element(element_id: str, payload: str) -> str:
    """The data element holding ``payload``, JSON made by :func:`json_text`."""
    return f'<script type="application/json" id="{element_id}">{payload}</script>'


def url_problem(url: str) -> str | None:
    """Why ``url`` may not be a link target: only http(s), mailto and relative URLs may."""
    scheme = _SCHEME.match(_URL_IGNORED.sub("", url))
    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
        return (f"'{scheme.group(1)}:' URLs are not allowed; link with http(s):, mailto: "
                "or a relative address")
    return None


def front_matter_url_problem(url: str) -> str | None:
    """:func:`url_problem`, and a URL written in front matter must be one: no spaces,
    quotes, angle brackets or backslashes (percent-encode them)."""
    if not _URL_CHARACTERS.fullmatch(url):
        return f"{url[:60]!r} is not a URL: spaces, quotes, angle brackets and backslashes must be percent-encoded"
    return url_problem(url)


def html_url(url: str) -> str:
    """A checked URL as an HTML attribute value: ``<``, ``>``, spaces and control characters
    percent-encoded (as :func:`markdown_url` does), then escaped."""
    return html.escape(_URL_UNSAFE.sub(lambda match: quote(match.group()), url.strip()), quote=True)


def markdown_url(url: str) -> str:
    """A checked URL as a Markdown link destination that nothing in it can end early: written
    in angle brackets, with ``<``, ``>``, spaces and control characters percent-encoded."""
    return "<" + _URL_UNSAFE.sub(lambda match: quote(match.group()), url.strip()) + ">"


@dataclass(frozen=True)
class Problem:
    """Something in Markdown that may not reach a page, at ``line``:``column`` of its file."""

    line: int
    column: int
    code: str
    message: str


def markdown_problems(text: str, first_line: int = 1) -> list[Problem]:
    """Raw HTML, unsafe link targets and disallowed attributes in Markdown (outside code)."""
    if "<" not in text and "{" not in text and ":" not in text and "&" not in text:
        return []
    code = code_ranges(text)
    found: dict[tuple[int, str], Problem] = {}
    for offset, code_name, message in _unsafe(text):
        if not in_ranges(code, offset):
            line, column = line_column(text, offset, first_line)
            found.setdefault((line, code_name), Problem(line, column, code_name, message))  # one a line
    return sorted(found.values(), key=lambda problem: (problem.line, problem.column))


def link_destinations(text: str) -> Iterator[tuple[int, str]]:
    """(offset, destination) after every ``](`` in ``text``, read as Python-Markdown reads a
    link destination: ``<…>``, or up to white space or the ``)`` that balances the ``(``."""
    start = text.find("](")
    while start >= 0:
        at = start + 2
        if text.startswith("<", at):
            end = text.find(">", at)
            end = len(text) if end < 0 else end + 1
        else:
            depth, end = 0, at
            while end < len(text) and not text[end].isspace():
                if text[end] == "(":
                    depth += 1
                elif text[end] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                end += 1
        yield at, text[at:end]
        start = text.find("](", at)


def _unsafe(text: str) -> Iterator[tuple[int, str, str]]:
    html_lines: set[int] = set()
    for match in RAW_HTML.finditer(text):
        line = text.count("\n", 0, match.start())
        if line not in html_lines:  # one finding a line: <b>…</b> is one problem
            html_lines.add(line)
            yield match.start(), "raw-html", ("raw HTML is not allowed in sources; write Markdown "
                                              "(use &lt; for a literal '<')")
    targets = list(link_destinations(text))
    targets += [(m.start("target"), m.group("target")) for m in ANGLE_URL.finditer(text)]
    targets += [(m.start(2), m.group(2)) for m in link_definitions(text)]
    for offset, target in targets:
        # entities are decoded before the browser reads the scheme: &#106;avascript: is javascript:
        problem = url_problem(html.unescape(target.strip("<>")))
        if problem:
            yield offset, "unsafe-url", problem
    for match in ATTR_LIST.finditer(text):
        attributes, _ = get_attrs_and_remainder(match.group("attrs"))
        names = sorted({name.lower() for name, _ in attributes} - ALLOWED_ATTRIBUTES)
        if names:
            yield match.start(), "unsafe-attribute", (
                f"attribute list sets {', '.join(names)}; only ids, classes and "
                f"{', '.join(sorted(ALLOWED_ATTRIBUTES - {'id', 'class'}))} may be set (write \\{{ for a literal brace)")


__all__ = ["Problem", "link_destinations", "markdown_problems", "markdown_text", "html_text", "markdown_url",
           "url_problem"]
