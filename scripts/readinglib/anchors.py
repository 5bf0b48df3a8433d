"""Links and anchors in Markdown sources, found the way Python-Markdown finds them.

Used by the checks to know, without building, which ``#anchor`` each page will
have (headings slugified like the ``toc`` extension, explicit ``{ #id }``
attribute lists) and where each Markdown link is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions.toc import slugify

from readinglib.references import code_ranges, line_column

HEADING = re.compile(r"^(#{1,6})[ \t]+(?P<text>.*?)[ \t]*(?:\{:?(?P<attrs>[^}]*)\})?[ \t]*#*[ \t]*$",
                     re.MULTILINE)
BLOCK_ATTRS = re.compile(r"^\{:?(?P<attrs>[^}]*)\}[ \t]*$", re.MULTILINE)
ID_ATTR = re.compile(r"(?:^|\s)#([\w:.-]+)")
# an inline link or image, ``[text](target "title")``; the text may hold brackets two levels deep
LINK_OR_IMAGE = re.compile(r"\[(?P<text>(?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*)\]"
                           r"\((?P<target><[^>]*>|[^()\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# a reference-style link definition, ``[name]: address "title"``: Python-Markdown's own pattern
# (the address is group 2); footnote definitions ``[^1]: …`` are not links
LINK_DEFINITION = ReferenceProcessor.RE
AUTOLINK = re.compile(r"<(?P<target>https?://[^>\s]+)>")
LINK_TEXT = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKUP = re.compile(r"[*_`]")


@dataclass(frozen=True)
class Anchor:
    name: str
    line: int
    column: int
    explicit: bool


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    column: int

    @property
    def is_external(self) -> bool:
        return bool(re.match(r"^[a-z][a-z0-9+.-]*:", self.target, re.IGNORECASE))

    def split(self) -> tuple[str, str | None]:
        """(path, fragment); path is empty for a link within the page."""
        path, _, fragment = self.target.partition("#")
        return path, fragment if "#" in self.target else None


def heading_slug(text: str) -> str:
    """The id the ``toc`` extension gives a heading with this Markdown text."""
    plain = MARKUP.sub("", LINK_TEXT.sub(r"\1", text))
    return slugify(plain, "-")


def anchors_in_markdown(text: str, first_line: int = 1) -> list[Anchor]:
    """Every id the page will have, in order, duplicates included.

    Heading ids that repeat are reported as written; the toc extension would
    silently rename the second one (``_1``), which breaks links to it.
    """
    code = code_ranges(text)
    found: list[tuple[int, Anchor]] = []
    for match in HEADING.finditer(text):
        if any(start <= match.start() < end for start, end in code):
            continue
        line, column = line_column(text, match.start(), first_line)
        ids = ID_ATTR.findall(match.group("attrs") or "")
        name, explicit = (ids[0], True) if ids else (heading_slug(match.group("text")), False)
        found.append((match.start(), Anchor(name, line, column, explicit)))
    for match in BLOCK_ATTRS.finditer(text):
        if any(start <= match.start() < end for start, end in code):
            continue
        line, column = line_column(text, match.start(), first_line)
        found += [(match.start(), Anchor(name, line, column, True))
                  for name in ID_ATTR.findall(match.group("attrs"))]
    return [anchor for _, anchor in sorted(found, key=lambda pair: pair[0])]


def links_in_markdown(text: str, first_line: int = 1) -> list[Link]:
    """Inline links, images, autolinks and link definitions (``[x]: url``), with where they are written."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return []
    code = code_ranges(text)
    found = [(match.start(), match.group("target")) for pattern in (LINK_OR_IMAGE, AUTOLINK)
             for match in pattern.finditer(text)]
    found += [(match.start(), match.group(2)) for match in link_definitions(text)]
    return sorted((Link(target.strip("<>"), *line_column(text, start, first_line))
                   for start, target in found if not any(a <= start < b for a, b in code)),
                  key=lambda link: (link.line, link.column))


def link_definitions(text: str) -> list[re.Match[str]]:
    """Reference-style link definitions in ``text`` (footnote definitions are not links)."""
    if "]:" not in text:
        return []
    return [match for match in LINK_DEFINITION.finditer(text) if not match.group(1).startswith("^")]


def rebase_links(text: str, rebase: Callable[[str], str]) -> str:
    """``text`` with the target of every inline link and image (outside code) replaced by ``rebase(target)``."""
    if "](" not in text:
        return text
    code = code_ranges(text)
    pieces: list[str] = []
    position = 0
    for match in LINK_OR_IMAGE.finditer(text):
        if any(start <= match.start() < end for start, end in code):
            continue
        start, end = match.span("target")
        target = match.group("target")
        wrapped = target.startswith("<")
        new = rebase(target.strip("<>"))
        pieces += [text[position:start], f"<{new}>" if wrapped else new]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
