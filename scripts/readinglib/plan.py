"""Page plans: the one statement of what goes on each page of the site.

A plan is an ordered list of blocks. An :class:`Authored` block is Markdown a
contributor wrote, with the file and line it comes from; a :class:`Furniture`
block is Markdown we generate, and a :class:`Markup` block HTML we generate (it skips
Markdown conversion, which is most of a page's build time); both declare the anchors
they emit. Everything
that needs to know a page reads its plan: rendering (the hooks), link and
anchor checks, duplicate anchors, the references the built page must carry,
and the page's title and metadata. Nothing recovers ids by re-reading
Markdown we wrote: an anchor is recorded when it is emitted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from readinglib.anchors import Link, anchors_in_markdown, heading_slug, links_in_markdown
from readinglib.model import PageMeta
from readinglib.references import Reference
from readinglib.text import json_element, markdown_text


@dataclass(frozen=True)
class Authored:
    """Markdown as a contributor wrote it: ``text`` starts at ``path``:``line``.

    ``written_in`` is the page its relative links are written from (a paragraph
    quoted on an assignment was written in its section); ``indent`` nests it
    (a note's body inside its admonition).
    """

    text: str
    path: str
    line: int
    written_in: str
    references: tuple[Reference, ...] = ()
    indent: str = ""


@dataclass(frozen=True)
class WrittenLink:
    """A link target a source wrote outside Markdown (a ``url`` in front matter), and where."""

    target: str
    path: str
    line: int
    column: int


@dataclass(frozen=True)
class Furniture:
    """Markdown we generate, every plain-text value in it already escaped; the ids it emits
    and the links from front matter it carries."""

    markdown: str
    anchors: tuple[str, ...] = ()
    links: tuple[WrittenLink, ...] = ()


@dataclass(frozen=True)
class Markup:
    """HTML we generate, every plain-text value in it already escaped
    (:func:`readinglib.text.html_text`): the page's Markdown holds a placeholder, and the
    HTML takes its place after conversion (:mod:`readinglib.markup`).

    ``place`` is where it stands: ``block`` (a paragraph of its own), ``lead`` (it opens
    the paragraph whose Markdown follows, so it brings that paragraph's own ``<p …>``
    tag) or ``inline`` (within a line of Markdown). Its links to pages of the site are
    relative links to ``.md`` files, as in Markdown: they become URLs when it is put in.
    ``searchable`` is False for what the site's search should not index (lists that repeat
    the article or the glossary, embedded data): the search plugin never reads it. A lead
    that is not searchable withholds its whole paragraph.
    """

    html: str
    place: str = "block"
    anchors: tuple[str, ...] = ()
    links: tuple[WrittenLink, ...] = ()
    searchable: bool = True
    searched: str | None = None
    """What search reads in its place, where that is only part of ``html`` (blocks joined
    into one, :func:`readinglib.pages.render`, of which search reads some)."""


@dataclass(frozen=True)
class Deferred:
    """Generated HTML made when the page is rendered, not when it is planned (a term's
    concordance): the checker reads every plan and renders none, so it never makes it.
    It emits no ids and carries no front-matter links."""

    make: Callable[[], str]
    searchable: bool = True
    anchors: tuple[str, ...] = ()
    links: tuple[WrittenLink, ...] = ()

    def markup(self) -> Markup:
        return Markup(self.make(), searchable=self.searchable)


Block = Authored | Furniture | Markup | Deferred


@dataclass(frozen=True)
class PlannedAnchor:
    """An id a page will have, and where it comes from (``authored``: written in ``path``)."""

    name: str
    path: str
    line: int
    column: int
    authored: bool


@dataclass
class PagePlan:
    """One page: ``src_uri`` in the docs tree, made from the source file ``path``."""

    src_uri: str
    path: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    meta: PageMeta = PageMeta()
    in_nav: bool = True
    generated: bool = False
    """Added by the hooks (no file in the docs folder holds it)."""
    searchable: bool = True
    """In the site's search index (a practice page, which repeats the reading, is not)."""
    anchors: dict[str, PlannedAnchor] = field(default_factory=dict, repr=False)
    duplicate_anchors: list[tuple[PlannedAnchor, PlannedAnchor]] = field(default_factory=list, repr=False)

    # -- writing the plan ----------------------------------------------------------------

    def add(self, markdown: str, *anchors: str, links: tuple[WrittenLink, ...] = ()) -> None:
        """Generated Markdown, the ids it emits and the front-matter links it carries."""
        self.blocks.append(Furniture(markdown, anchors, links))
        for name in anchors:
            self._record(PlannedAnchor(name, self.path, 1, 1, authored=False))

    def add_html(self, html: str, *anchors: str, place: str = "block", links: tuple[WrittenLink, ...] = (),
                 searchable: bool = True) -> None:
        """Generated HTML (:class:`Markup`), the ids it emits and the front-matter links it carries."""
        self.blocks.append(Markup(html, place, anchors, links, searchable))
        for name in anchors:
            self._record(PlannedAnchor(name, self.path, 1, 1, authored=False))

    def add_later(self, make: Callable[[], str], searchable: bool = True) -> None:
        """Generated HTML, with no ids, made only if the page is rendered (:class:`Deferred`)."""
        self.blocks.append(Deferred(make, searchable))

    def add_data(self, element_id: str, data: object) -> None:
        """Data for the page's scripts, as inert JSON (:func:`readinglib.text.json_element`)
        in the element ``element_id``; search does not read it."""
        self.add_html(json_element(element_id, data), element_id, searchable=False)

    def heading(self, level: int, text: str, anchor: str | None = None, suffix: str = "") -> str:
        """A heading showing the plain ``text``; returns its id (``anchor``, or made from the text)."""
        anchor = anchor or heading_slug(text) or f"h{len(self.blocks)}"
        self.add(f"{'#' * level} {markdown_text(text)}{suffix} {{ #{anchor} }}\n", anchor)
        return anchor

    def authored(self, text: str, path: str, line: int, written_in: str,
                 references: list[Reference] | tuple[Reference, ...] = (), indent: str = "") -> None:
        """Markdown a contributor wrote, with the ids its headings and attribute lists give."""
        self.blocks.append(Authored(text, path, line, written_in, tuple(references), indent))
        if "{" in text or "#" in text:
            for anchor in anchors_in_markdown(text, line):
                self._record(PlannedAnchor(anchor.name, path, anchor.line, anchor.column, authored=True))

    def _record(self, anchor: PlannedAnchor) -> None:
        """Record an id; a second one of the same name is kept, with the first, as a duplicate."""
        first = self.anchors.setdefault(anchor.name, anchor)
        if first is not anchor:
            self.duplicate_anchors.append((first, anchor))

    # -- reading the plan ----------------------------------------------------------------

    def authored_blocks(self) -> Iterator[Authored]:
        return (block for block in self.blocks if isinstance(block, Authored))

    def references(self) -> list[Reference]:
        """Every well-formed reference this page shows: each must become one term link."""
        return [r for block in self.authored_blocks() for r in block.references if not r.problem]

    def links(self) -> Iterator[tuple[str, Link]]:
        """(source file, link) of every link a source wrote for this page: in Markdown (quoted
        text is checked on the page it was written for) and in front matter."""
        for block in self.blocks:
            if not isinstance(block, Authored):
                yield from ((w.path, Link(w.target, w.line, w.column)) for w in block.links)
            elif block.written_in == self.src_uri:
                yield from ((block.path, link) for link in links_in_markdown(block.text, block.line))

    def paragraph_numbers(self) -> list[int]:
        return sorted(int(name[1:]) for name in self.anchors if name[:1] == "p" and name[1:].isdigit())
