"""Generated HTML in a page: placeholders in its Markdown, filled in after conversion.

Converting Markdown is most of a build's time, and a page's furniture (lists, the study
guide, the paragraph controls, embedded data) needs none of it: we know its HTML already.
So a plan's :class:`~readinglib.plan.Markup` blocks reach Markdown as placeholders, a
few private-use characters Markdown leaves alone, and :meth:`Rendered.fill` puts the
HTML in their place afterwards. Each rendering has its own random key, so nothing a
contributor writes can pass for a placeholder.

Links the HTML makes to pages of the site are written as in Markdown, relative links to
``.md`` files; :meth:`Rendered.fill` turns them into the URLs MkDocs gives those pages
(with ``use_directory_urls`` or without), as MkDocs does for Markdown links.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from readinglib.plan import Markup

_PLACEHOLDER = re.compile("\ue000([0-9a-f]{8})-([0-9]+)\ue001(</p>)?")
"""A placeholder, and the end of the paragraph Markdown made of it. (Its literal start is
found fast; a pattern that began with the optional ``<p>`` would be tried at every character.)"""
_HEADING_ID = re.compile(r'<h[1-6]\b[^>]*\sid="([^"]*)"')
_OPENED = re.compile("<p(?: [^>]*)?>\\Z")
"""The paragraph's start, just before a placeholder (searched for in the text before it)."""
_WITHHELD = re.compile("\ue002([0-9a-f]{8})\ue003.*?</p>", re.S)
"""A paragraph whose lead is not searchable, from its mark to its end (in the copy search reads)."""
_PAGE_LINK = re.compile(r'(href=")(?![A-Za-z][A-Za-z0-9+.-]*:|/|#)([^"#?]*\.md)((?:#[^"]*)?")')


class MarkupError(Exception):
    """A placeholder did not come through Markdown as it went in (a bug of ours)."""


@dataclass
class Rendered:
    """A page as Markdown for MkDocs (``markdown``), and the HTML its placeholders stand for."""

    src_uri: str
    markdown: str = ""
    markup: list[Markup] = field(default_factory=list)
    key: str = field(default_factory=lambda: secrets.token_hex(4))
    paragraph_words: list[tuple[str, str]] | None = None
    """(anchor, words) of each numbered paragraph, when every one is put in whole as HTML
    (:mod:`readinglib.plaintext`): search need not read them from the page."""

    def placeholder(self, block: Markup) -> str:
        """Where ``block`` goes in the Markdown: a paragraph of its own, or within one."""
        self.markup.append(block)
        mark = f"\ue000{self.key}-{len(self.markup) - 1}\ue001"
        return f"\n\n{mark}\n\n" if block.place == "block" else mark

    def anchors(self) -> set[str]:
        """The ids the generated HTML gives the page (MkDocs validates links to them)."""
        return {anchor for block in self.markup for anchor in block.anchors}

    def _in_an_id(self, html: str) -> bool:
        """Whether the key is in a heading's id (a placeholder went into a heading)."""
        return f"{self.key}-" in html and any(self.key in found[1] for found in _HEADING_ID.finditer(html))

    def fill(self, html: str, url_of: Callable[[str], str | None]) -> Filled:
        """``html`` (the converted Markdown) with every placeholder replaced by its HTML, and
        the links in it to pages of the site as URLs: ``url_of(src_uri)`` gives a page's
        URL as written on this page, or None when the site has no such page."""
        if self._in_an_id(html):
            raise MarkupError(f"{self.src_uri}: a generated piece is in a heading, whose id it would change")
        filled = Filled(html)
        done: set[int] = set()

        folder = posixpath.dirname(self.src_uri)
        urls: dict[str, str | None] = {}  # a page links the same few pages many times

        def url(match: re.Match[str]) -> str:
            written = match[2]
            found = urls.get(written, "")
            if found == "":
                found = urls[written] = url_of(_target(folder, written))
                if found is None:
                    filled.missing.append(f"{self.src_uri}: a generated link goes to '{written}', "
                                          "which the site does not have")
            return match[0] if found is None else f"{match[1]}{found}{match[3]}"

        withheld = f"\ue002{self.key}\ue003"
        everything_searched = all(block.searchable and block.searched is None for block in self.markup)
        converted: dict[str, str] = {}  # a page repeats its term links
        shown: list[str] = []
        searched: list[str] = []
        last = 0
        for match in _PLACEHOLDER.finditer(html):
            key, number, closed = match.groups("")
            if key != self.key:
                continue  # not ours: a contributor's characters, left as they are
            index = int(number)
            block = self.markup[index]
            start = match.start()
            if block.place != "inline":  # (an inline piece leaves its paragraph's tags where they are)
                before = _OPENED.search(html, last, start)
                opened = "" if before is None else before[0]
                if (block.place == "block" and not (opened and closed)) or (block.place == "lead" and not opened):
                    raise MarkupError(f"{self.src_uri}: generated HTML #{index} ({block.place}) lost its paragraph")
                start = start if before is None else before.start()
            done.add(index)
            piece = converted.get(block.html)
            if piece is None:
                piece = converted[block.html] = _PAGE_LINK.sub(url, block.html) if ".md" in block.html else block.html
            if block.place != "block":  # a block takes its paragraph's place; the others keep its end
                piece += closed
            between = html[last:start]
            shown += (between, piece)
            if not everything_searched:
                if block.searched is not None:  # (a block, whose parts search reads only some of)
                    piece = _PAGE_LINK.sub(url, block.searched) if ".md" in block.searched else block.searched
                searched += (between, piece if block.searchable else withheld if block.place == "lead" else "")
            last = match.end()
        if len(done) != len(self.markup):
            lost = sorted(set(range(len(self.markup))) - done)
            raise MarkupError(f"{self.src_uri}: generated HTML {lost} did not come through Markdown")
        filled.html = "".join(shown) + html[last:]
        if everything_searched:
            filled.searchable = filled.html
        else:  # a withheld lead withholds its paragraph
            filled.searchable = _WITHHELD.sub(lambda match: "" if match[1] == self.key else match[0],
                                              "".join(searched) + html[last:])
        return filled


@lru_cache(maxsize=65536)  # pages in one folder link the same pages
def _target(folder: str, written: str) -> str:
    """The page a link ``written`` in a page of ``folder`` leads to (docs-relative)."""
    return posixpath.normpath(posixpath.join(folder, written))


@dataclass
class Filled:
    """A page's HTML with its generated HTML in place; ``searchable``: the same without
    what search should not index; ``missing``: a message for each link to a missing page."""

    html: str
    searchable: str = ""
    missing: list[str] = field(default_factory=list)
