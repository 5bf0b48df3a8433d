"""Checks on a written EPUB (:mod:`readinglib.epub`): every term reference resolves.

Each noteref must lead to a footnote of the same file that names a glossary term and
gives its short definition, and every link between the book's files (footnote to
glossary entry, glossary to paragraph, contents to chapter) must reach a file and an
id the book holds. Findings are reported at ``book.epub/EPUB/file.xhtml:line:column``,
the book read as if it were a folder.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.parsers import expat

from readinglib.diagnostics import Diagnostic, error
from readinglib.model import Library

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


@dataclass
class _Href:
    target: str
    line: int
    column: int
    noteref: bool


@dataclass
class _Footnote:
    term: str | None
    line: int
    column: int
    text: list[str] = field(default_factory=list)
    links: int = 0


@dataclass
class _Chapter:
    ids: set[str] = field(default_factory=set)
    links: list[_Href] = field(default_factory=list)
    footnotes: dict[str, _Footnote] = field(default_factory=dict)


EPUB_TYPE = f"{EPUB_NS} type"


def _read(content: bytes) -> _Chapter:
    """One XHTML file's ids, links and footnotes, with positions (expat raises on malformed XML).

    Most elements need only a look at their attributes: the text and the end of an element
    are followed only inside a footnote."""
    chapter = _Chapter()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    notes: list[tuple[_Footnote, int]] = []  # the open footnotes, each with the depth it opened at
    depth = 0  # of open elements inside the outermost footnote

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        if "id" in attributes:
            chapter.ids.add(attributes["id"])
        local = name[name.rfind(" ") + 1:]
        if notes:
            depth += 1
        if local == "aside" and "footnote" in attributes.get(EPUB_TYPE, "").split():
            note = _Footnote(attributes.get("data-term"), parser.CurrentLineNumber, parser.CurrentColumnNumber + 1)
            chapter.footnotes[attributes.get("id", "")] = note
            if not notes:
                depth = 1
                parser.EndElementHandler, parser.CharacterDataHandler = end, text
            notes.append((note, depth))
        if local == "a" and "href" in attributes:
            noteref = "noteref" in attributes.get(EPUB_TYPE, "").split()
            chapter.links.append(_Href(attributes["href"], parser.CurrentLineNumber,
                                       parser.CurrentColumnNumber + 1, noteref))
            for outer, _ in notes:
                outer.links += 1

    def end(name: str) -> None:
        nonlocal depth
        while notes and notes[-1][1] == depth:
            notes.pop()
        depth -= 1
        if not notes:
            parser.EndElementHandler = parser.CharacterDataHandler = None

    def text(data: str) -> None:
        for outer, _ in notes:
            outer.text.append(data)

    parser.StartElementHandler = start
    parser.Parse(content, True)
    return chapter


Glossary = dict[str, tuple[str, str]]
"""What a book's footnotes are checked against: each term's slug → (name, short definition)."""


def glossary_of(library: Library) -> Glossary:
    return {slug: (term.term, term.short) for slug, term in library.terms.items()}


def check_epubs(glossary: Glossary, books: list[tuple[Path, str]]) -> list[Diagnostic]:
    """:func:`check_epub` for each (path, display) of ``books``."""
    return [finding for path, display in books for finding in check_epub(glossary, path, display)]


def check_epub(glossary: Glossary, path: Path, display: str) -> list[Diagnostic]:
    """Every noteref, footnote and internal link of the EPUB at ``path`` (shown as ``display``)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist() if name.endswith((".xhtml", ".html"))}
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        return [error(display, 1, 1, "epub-malformed", f"cannot read the EPUB: {exc}")]
    found: list[Diagnostic] = []
    chapters: dict[str, _Chapter] = {}
    for name, content in sorted(members.items()):
        try:
            chapters[name] = _read(content)
        except expat.ExpatError as exc:
            found.append(error(f"{display}/{name}", exc.lineno, exc.offset + 1, "epub-malformed",
                               f"not well-formed XHTML: {expat.ErrorString(exc.code)}"))
    for name, chapter in sorted(chapters.items()):
        where = f"{display}/{name}"
        for link in chapter.links:
            found += _check_link(where, name, link, chapters, names)
        for note_id, note in chapter.footnotes.items():
            term = glossary.get(note.term or "")
            shown = " ".join("".join(note.text).split())
            if term is None:
                found.append(error(where, note.line, note.column, "epub-reference",
                                   f"footnote #{note_id} names no glossary term (data-term={note.term!r})"))
            elif " ".join(term[1].split()) not in shown:
                found.append(error(where, note.line, note.column, "epub-reference",
                                   f"footnote #{note_id} does not give the short definition of {term[0]!r}"))
            if note.links == 0:
                found.append(error(where, note.line, note.column, "epub-reference",
                                   f"footnote #{note_id} has no link to its glossary entry"))
    return found


@lru_cache(maxsize=65536)  # a book's files link the same places again and again
def _split(name: str, href: str) -> tuple[bool, str, str]:
    """(leads out of the book, file, fragment) of ``href`` written in the book's file ``name``."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return True, "", ""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parts.path))) if parts.path else name
    return False, target, unquote(parts.fragment)


def _check_link(where: str, name: str, link: _Href, chapters: dict[str, _Chapter],
                names: set[str]) -> list[Diagnostic]:
    outside, target, fragment = _split(name, link.target)
    if outside:
        if link.noteref:
            return [error(where, link.line, link.column, "epub-reference",
                          f"term reference to {link.target}, outside the book; it must lead to a footnote")]
        return []  # a link out of the book (the original article, a source): listed by the site checks
    if target not in names:
        return [error(where, link.line, link.column, "epub-reference",
                      f"link to {link.target}: the book has no file {target}")]
    chapter = chapters.get(target)
    if link.noteref:
        if chapter is None or fragment not in chapter.footnotes:
            return [error(where, link.line, link.column, "epub-reference",
                          f"term reference to {link.target}, which is no footnote of the book")]
        return []
    if fragment and chapter is not None and fragment not in chapter.ids:
        return [error(where, link.line, link.column, "epub-reference",
                      f"link to {link.target}: {target} has no id {fragment!r}")]
    return []


__all__ = ["check_epub", "check_epubs", "glossary_of"]
