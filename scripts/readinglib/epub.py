"""The EPUB 3 edition: one book per reading (or one for the whole library), built from the model.

Nothing here reads the built site. Plain source text enters a book only through
:func:`plain` (which escapes with :func:`readinglib.text.html_text`); authored Markdown is
rendered by Python-Markdown after the loader has validated it (no raw HTML, safe URLs
only), its ``[[…]]`` references turned into EPUB 3 pop-up footnotes
(``a epub:type="noteref"`` → ``aside epub:type="footnote"``), each footnote linking to
the book's glossary chapter. The archive is written with :mod:`zipfile` so that the
same sources give the same bytes: fixed member order and timestamps, ``mimetype``
first and stored, and a modification date taken from the sources, never the clock.
"""

from __future__ import annotations

import html.entities
import io
import posixpath
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from xml.parsers import expat

import markdown
import yaml
from markdown.extensions.abbr import AbbrExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.tables import TableExtension

from readinglib.anchors import Link, rebase_links
from readinglib.matcher import Occurrence
from readinglib.model import (
    Annotation,
    Library,
    Paragraph,
    Reading,
    Section,
    Source,
    Term,
)
from readinglib.pages import (
    annotation_label,
    citations,
    context_pieces,
    editors_title_note,
    first_sentence,
    key_terms,
    long_date,
    note_kind,
    relative,
    term_facts,
)
from readinglib.references import Reference, replace_references
from readinglib.text import html_text, url_problem

MEDIA_TYPE = "application/epub+zip"
CONTAINER = "META-INF/container.xml"
PACKAGE = "EPUB/package.opf"
NAV = "EPUB/nav.xhtml"
GLOSSARY = "EPUB/glossary.xhtml"
STYLE = "EPUB/style.css"
EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record: no build clock in the file
NOTEREF_CLASS = "epub-noteref"
UNLINKED = "#epub-unlinked"  # an authored link with no place in the book: kept as its words
# XML 1.0 forbids these characters outright; a source holding one shows U+FFFD instead
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})

STYLESHEET = """\
body { line-height: 1.5; }
.para-num { font-size: 0.8em; font-weight: bold; margin-right: 0.3em; }
.editorial-mark, .byline, .term-meta, .last-reviewed { font-style: italic; }
aside.note { border-left: 0.2em solid; margin: 0.5em 0 1em 1em; padding-left: 0.8em; }
aside.note .note-label { font-weight: bold; }
aside.footnote { margin: 0.5em 0; }
section.entry { margin-bottom: 2em; }
"""


class EpubError(Exception):
    """A book that cannot be made from these sources (one line, said to the user)."""


@dataclass(frozen=True)
class Edition:
    """What a book says about who made it, read from ``mkdocs.yml`` (the site's own values)."""

    site_name: str = "Annotated Reading Library"
    site_url: str | None = None
    language: str = "en"

    @classmethod
    def from_config(cls, config: Path) -> Edition:
        """``site_name``, ``site_url`` and ``theme.language``, following ``INHERIT`` as MkDocs does."""
        settings: dict[str, object] = {}
        current: Path | None = config
        seen: set[Path] = set()
        while current is not None and current not in seen:
            seen.add(current)
            loaded = yaml.load(current.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
            parent = loaded.pop("INHERIT", None) if isinstance(loaded, dict) else None
            for key, value in (loaded.items() if isinstance(loaded, dict) else ()):
                settings.setdefault(key, value)
            current = current.parent / parent if isinstance(parent, str) else None
        theme = settings.get("theme")
        language = theme.get("language") if isinstance(theme, dict) else None
        name, url = settings.get("site_name"), settings.get("site_url")
        return cls(site_name=name if isinstance(name, str) and name.strip() else cls.site_name,
                   site_url=url if isinstance(url, str) and url.strip() else None,
                   language=language if isinstance(language, str) and language.strip() else "en")


class _IgnoreTags(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' own tags (``!ENV``, ``!!python/name:``) as nothing."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


# -- the one way plain text enters a book -------------------------------------------------


def plain(value: str) -> str:
    """Plain source text as XHTML text or attribute value: escaped by :func:`html_text`,
    characters XML forbids replaced, one space kept at either edge it had."""
    value = _NOT_XML.sub("\ufffd", value)
    return " " * value[:1].isspace() + html_text(value) + " " * (value[-1:].isspace() and bool(value.strip()))


def _xml_safe(rendered: str) -> str:
    """Rendered HTML as XML: named entities (``&nbsp;``) as characters, forbidden characters replaced."""

    def entity(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES:
            return match.group()
        if name.startswith("#"):  # a numeric reference XML would refuse (&#0;, a surrogate) is replaced
            digits = name[1:]
            code = int("0" + digits, 0) if digits[:1] in "xX" else int(digits)
            valid = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF and not _NOT_XML.match(chr(code))
            return match.group() if valid else "\ufffd"
        character = html.entities.html5.get(name + ";")
        return "".join(f"&#{ord(c)};" for c in character) if character else "&amp;" + name + ";"

    return _ENTITY.sub(entity, _NOT_XML.sub("\ufffd", rendered))


# -- the book's parts ------------------------------------------------------------------------


@dataclass
class Document:
    """One XHTML file of the book: its path in the archive, title, and body."""

    path: str
    title: str
    body: list[str] = field(default_factory=list)
    footnotes: dict[str, Term] = field(default_factory=dict)
    """Terms this document references, each with one footnote (in order of first mention)."""

    def href(self, target: str, fragment: str | None = None) -> str:
        here = "" if target == self.path else relative(self.path, target)
        return plain(here + (f"#{fragment}" if fragment else ""))


@dataclass
class Book:
    """A book's readings and terms, and where each paragraph and entry lives in it."""

    library: Library
    readings: list[Reading]
    edition: Edition
    terms: dict[str, Term] = field(default_factory=dict)
    chapters: dict[str, str] = field(default_factory=dict)
    """Docs ``src_uri`` of each reading page → its document's path in the archive."""

    def __post_init__(self) -> None:
        for reading in self.readings:
            self.chapters[reading.src_uri] = overview_path(reading)
            for number, section in enumerate(reading.sections, 1):
                self.chapters[section.src_uri] = section_path(reading, number)
            introduced = (self.library.resolve(r.target) for r in reading.introduction_references if not r.problem)
            for term in [*key_terms(self.library, reading), *filter(None, introduced)]:
                self.terms.setdefault(term.slug, term)
        self.terms = dict(sorted(self.terms.items(), key=lambda item: item[1].term.casefold()))
        self._markdown = _markdown()

    # -- authored Markdown ---------------------------------------------------------------

    def render(self, document: Document, text: str, written_in: str, references: Iterable[Reference],
               *, notes: bool = True) -> str:
        """Authored Markdown as XHTML: references as pop-up footnotes (``notes``) or, in the
        glossary, as links to entries; links into the reading kept, others to the site or dropped."""

        def reference(found: Reference) -> str:
            term = self.library.resolve(found.target)
            if term is None or term.slug not in self.terms:
                return found.text
            if notes:
                document.footnotes.setdefault(term.slug, term)
                return f"[{found.text}](#{footnote_id(term)}){{ .{NOTEREF_CLASS} }}"
            return f"[{found.text}]({relative(document.path, GLOSSARY)}#{entry_id(term)})"

        shown = rebase_links(replace_references(text, reference, list(references)),
                             lambda target: self._link(document, target, written_in))
        self._markdown.reset()
        rendered = self._markdown.convert(shown)
        rendered = rendered.replace(f'<a class="{NOTEREF_CLASS}" href=',
                                    '<a epub:type="noteref" role="doc-noteref" href=')
        rendered = re.sub(rf'<a href="{UNLINKED}">(.*?)</a>', r"\1", rendered, flags=re.DOTALL)
        rendered = re.sub(rf'<img alt="([^"]*)" src="{UNLINKED}"[^>]*/>', r"\1", rendered)
        return _xml_safe(rendered)

    def _link(self, document: Document, target: str, written_in: str) -> str:
        """An authored link target as it works in the book."""
        if target.startswith((f"#{footnote_id_prefix()}", "#term-")):
            return target  # one of ours, made by reference() above
        written = Link(target, 0, 0)
        if written.is_external:
            return target if url_problem(target) is None else UNLINKED
        path, fragment = written.split()
        if target.startswith("/"):
            return UNLINKED
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(written_in), path)) if path else written_in
        chapter = self.chapters.get(resolved)
        if chapter is not None:
            return (relative(document.path, chapter) if chapter != document.path else "") + (
                f"#{fragment}" if fragment else "")
        if resolved.startswith("glossary/") and resolved.removeprefix("glossary/").removesuffix(".md") in self.terms:
            term = self.terms[resolved.removeprefix("glossary/").removesuffix(".md")]
            return f"{relative(document.path, GLOSSARY)}#{entry_id(term)}"
        if self.edition.site_url and self.edition.site_url.startswith(("http://", "https://")):
            page = resolved.removesuffix(".md").removesuffix("index")
            return self.edition.site_url.rstrip("/") + "/" + page + (f"#{fragment}" if fragment else "")
        return UNLINKED


@lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    """One renderer for every book (reset before each text): building one costs more than a chapter."""
    return markdown.Markdown(extensions=[AbbrExtension(), AttrListExtension(), TableExtension()],
                             output_format="xhtml")


def overview_path(reading: Reading) -> str:
    return f"EPUB/readings/{reading.slug}.xhtml"


def section_path(reading: Reading, number: int) -> str:
    return f"EPUB/readings/{reading.slug}--{number:02d}.xhtml"  # "--" never occurs in a slug


def footnote_id_prefix() -> str:
    return "fn-"


def footnote_id(term: Term) -> str:
    return f"{footnote_id_prefix()}{term.slug}"


def entry_id(term: Term) -> str:
    return f"term-{term.slug}"


# -- chapters ----------------------------------------------------------------------------------


def _footnotes(document: Document, heading: str = "Terms in this section") -> str:
    """Each term the document references, once: a pop-up footnote with the short definition
    and a link to the full entry."""
    if not document.footnotes:
        return ""
    notes = "".join(
        f'<aside epub:type="footnote" role="doc-footnote" class="footnote" id="{footnote_id(term)}" '
        f'data-term="{term.slug}"><p><b>{plain(term.term)}</b> ({plain(term.category)}): {plain(term.short)} '
        f'<a href="{document.href(GLOSSARY, entry_id(term))}">Full entry in the glossary</a></p></aside>\n'
        for term in document.footnotes.values())
    return f'<section class="terms" aria-labelledby="terms"><h2 id="terms">{plain(heading)}</h2>\n{notes}</section>\n'


def _note(book: Book, document: Document, section: Section, paragraph: Paragraph, index: int,
          note: Annotation) -> str:
    """An editors' note as an aside after its paragraph, marked by kind (updates dated)."""
    label_id = f"note-{paragraph.anchor}-{index}"
    if note.kind == "update" and note.date:
        label = annotation_label(note)
    else:
        label = note_kind(note) + (f": {note.title}" if note.title else "")
    reviewed = (f'<p class="last-reviewed">Last reviewed {plain(long_date(note.reviewed))}.</p>'
                if note.reviewed else "")
    return (f'<aside class="note note-{plain(note.kind)}" role="note" aria-labelledby="{label_id}">'
            f'<p class="note-label" id="{label_id}">{plain(f"Editors’ note on ¶{paragraph.number} · {label}")}</p>\n'
            f"{book.render(document, note.text, section.src_uri, note.references)}\n{reviewed}</aside>\n")


def _paragraph(book: Book, document: Document, section: Section, paragraph: Paragraph) -> str:
    """A numbered paragraph that keeps the site's id (``p12``), then its notes."""
    number = f'<span class="para-num">¶{paragraph.number}</span> '
    rendered = book.render(document, paragraph.text, section.src_uri, paragraph.references)
    opening = re.match(r"<p>", rendered)
    if opening and rendered.count("<p") == 1 and rendered.endswith("</p>"):
        shown = f'<p class="para" id="{paragraph.anchor}">{number}{rendered[3:]}'
    else:  # a paragraph with attributes of its own, or not a plain paragraph (a list, a quote)
        shown = f'<div class="para" id="{paragraph.anchor}">{number}{rendered}</div>'
    notes = "".join(_note(book, document, section, paragraph, index, note)
                    for index, note in enumerate(paragraph.annotations, 1))
    return shown + "\n" + notes


def _byline(reading: Reading) -> str:
    return f"{reading.title} · {reading.dateline} · by {reading.author}"


def section_document(book: Book, reading: Reading, number: int, section: Section) -> Document:
    document = Document(section_path(reading, number), f"{section.title} · {reading.title}")
    body = document.body
    body.append(f'<h1 id="title">{plain(section.title)}</h1>\n')
    if section.title_is_editorial:
        body.append('<p class="editorial-mark">Heading supplied by the editors: this part of the article '
                    "has no heading of its own.</p>\n")
    body.append(f'<p class="byline">{plain(_byline(reading))} · section {number} of {len(reading.sections)}</p>\n')
    body += [_paragraph(book, document, section, paragraph) for paragraph in section.paragraphs]
    study = _footnotes(document)
    if section.questions:
        study += ('<section class="questions" aria-labelledby="questions"><h2 id="questions">Questions for '
                  "discussion</h2>\n<ol>" + "".join(f"<li>{plain(q)}</li>" for q in section.questions)
                  + "</ol></section>\n")
    if study:
        body.append(f'<section class="study-guide" aria-label="Study guide">\n{study}</section>\n')
    return document


def overview_document(book: Book, reading: Reading) -> Document:
    """The reading's opening chapter: title and attribution, the editors' introduction, what
    changed since publication, and the citation in three styles."""
    document = Document(overview_path(reading), reading.title)
    body = document.body
    body.append(f'<h1 id="title">{plain(reading.title)}</h1>\n')
    if reading.title_is_editorial:
        body.append(f'<p class="editorial-mark">{plain(editors_title_note(reading))}</p>\n')
    body.append(f'<p class="byline">{plain(reading.dateline)} · by {plain(reading.author)}</p>\n')
    if reading.introduction:
        body.append('<section class="introduction" aria-labelledby="introduction">'
                    '<h2 id="introduction">Introduction by the editors</h2>\n'
                    + book.render(document, reading.introduction, reading.src_uri, reading.introduction_references)
                    + "\n</section>\n")
    body.append('<section aria-labelledby="sections"><h2 id="sections">Sections</h2>\n<ol>'
                + "".join(f'<li><a href="{document.href(section_path(reading, n))}">{plain(section.title)}</a>'
                          f'{" (heading supplied by the editors)" if section.title_is_editorial else ""} — '
                          f"¶{section.first}–¶{section.last}</li>"
                          for n, section in enumerate(reading.sections, 1)) + "</ol></section>\n")
    updates = sorted(((note.date, n, section, paragraph, note) for n, section in enumerate(reading.sections, 1)
                      for paragraph in section.paragraphs for note in paragraph.annotations
                      if note.kind == "update" and note.date), key=lambda found: found[0], reverse=True)
    if updates:
        items = "".join(
            f"<li><b>{plain(long_date(date))}</b> {plain(note.title or first_sentence(note.text, 120))} — on "
            f'<a href="{document.href(section_path(reading, n), paragraph.anchor)}">¶{paragraph.number}</a> '
            f"({plain(section.title)})</li>"
            for date, n, section, paragraph, note in updates)
        body.append('<section aria-labelledby="changes"><h2 id="changes">What changed since publication</h2>\n'
                    f"<p>Editors’ updates on what happened after {plain(long_date(reading.date))}, newest first.</p>\n"
                    f"<ul>{items}</ul></section>\n")
    body.append('<section aria-labelledby="cite"><h2 id="cite">Cite this reading</h2>\n'
                "<p>Citations of the original article, generated from the reading’s details."
                + ("" if reading.headline else " The title in square brackets was supplied by the editors.")
                + (f" Editors’ note on these citations: {plain(reading.citation_note)}" if reading.citation_note else "")
                + "</p>\n<dl>"
                + "".join(f"<dt>{style}</dt><dd>"
                          + "".join(f"<i>{plain(piece)}</i>" if italic else plain(piece) for piece, italic in citation)
                          + "</dd>" for style, citation in citations(reading).items())
                + "</dl></section>\n")
    original = (f' <a href="{plain(reading.url)}">Original article</a>.'
                if reading.url and url_problem(reading.url) is None else "")
    body.append('<section aria-labelledby="about"><h2 id="about">About this text</h2>\n'
                f"<p>The article by {plain(reading.author)} was published by {plain(reading.source)} on "
                f"{plain(long_date(reading.date))}. It is reproduced verbatim, paragraph by paragraph, each "
                "paragraph numbered as on the site (¶12 here is ¶12 there); headings, notes and glossary "
                f"entries are the editors’ additions and are marked as such.{original}</p></section>\n")
    body.append(_footnotes(document, "Terms in the introduction"))
    return document


def _source(source: Source) -> str:
    title = f"<i>{plain(source.title)}</i>"
    shown = (f'<a href="{plain(source.url)}">{title}</a>'
             if source.url and url_problem(source.url) is None and "://" in source.url else title)
    if source.publisher:
        shown += f", {plain(source.publisher)}"
    if source.date:
        shown += f", {plain(long_date(source.date))}"
    return shown


def _concordance(book: Book, document: Document, occurrences: list[Occurrence]) -> str:
    readings = {reading.slug for reading in book.readings}
    items = []
    for found in occurrences:
        if found.reading.slug not in readings:
            continue
        before, mention, after = context_pieces(found)
        number = found.reading.sections.index(found.section) + 1
        where = f"{found.section.title} (editors’ note)" if found.note else found.section.title
        if len(book.readings) > 1:
            where = f"{found.reading.title}: {where}"
        items.append(f"<li>{plain(before)}<mark>{plain(mention)}</mark>{plain(after)} — "
                     f'<a href="{document.href(section_path(found.reading, number), found.paragraph.anchor)}">'
                     f"¶{found.paragraph.number}</a> · {plain(where)}</li>")
    return "<ul>" + "".join(items) + "</ul>" if items else "<p>Not mentioned in this book’s text.</p>"


def glossary_document(book: Book) -> Document:
    """Every term the book references, in full: definition, dated updates, key dates, sources
    and where the term appears."""
    document = Document(GLOSSARY, "Glossary")
    library = book.library
    body = document.body
    body.append('<h1 id="title">Glossary</h1>\n<p>Every term this book links, A–Z, as the editors wrote '
                "it: what it is, what has changed since the article, its sources and where it appears.</p>\n")
    for term in book.terms.values():
        anchor = entry_id(term)
        parts = [(f'<section class="entry" id="{anchor}" aria-labelledby="{anchor}-name">'
                  f'<h2 id="{anchor}-name"><dfn>{plain(term.term)}</dfn></h2>\n')]
        meta = " · ".join(f"{label}: {value}" if label else value for label, value in term_facts(term))
        parts.append(f'<p class="term-meta">{plain(meta)}</p>\n<p class="term-short">{plain(term.short)}</p>\n')
        if term.body:
            parts.append(book.render(document, term.body, term.page, term.references, notes=False) + "\n")
        if term.updates:
            parts.append("<h3>Since the article</h3>\n" + "".join(
                f"<p><b>Update, {plain(long_date(note.date))}:</b> {plain(note.text)}"
                + (" Sources: " + "; ".join(_source(s) for s in note.sources) + "." if note.sources else "")
                + "</p>\n" for note in term.updates))
        events = sorted([*term.events, *(library.events[i][1] for i in term.shared_events if i in library.events)],
                        key=lambda event: event.date)
        if events:
            parts.append("<h3>Key dates</h3>\n<ul>" + "".join(
                f"<li><b>{plain(long_date(e.date))}</b> — {plain(e.text)}</li>" for e in events) + "</ul>\n")
        if term.sources:
            parts.append("<h3>Sources</h3>\n<ol>" + "".join(f"<li>{_source(s)}.</li>" for s in term.sources)
                         + "</ol>\n")
        parts.append("<h3>Where this term appears</h3>\n"
                     + _concordance(book, document, library.concordance.get(term.slug, [])) + "\n")
        see_also = [other for other in map(library.resolve, term.see_also) if other and other.slug in book.terms]
        if see_also:
            parts.append("<h3>See also</h3>\n<ul>" + "".join(
                f'<li><a href="#{entry_id(other)}">{plain(other.term)}</a></li>' for other in see_also) + "</ul>\n")
        parts.append("</section>\n")
        body.append("".join(parts))
    return document


# -- the package --------------------------------------------------------------------------------


def xhtml(document: Document, edition: Edition) -> str:
    language = plain(edition.language)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
            f'lang="{language}" xml:lang="{language}">\n<head>\n<meta charset="UTF-8"/>\n'
            f"<title>{plain(document.title)}</title>\n"
            f'<link rel="stylesheet" type="text/css" href="{document.href(STYLE)}"/>\n</head>\n'
            f"<body>\n<main>\n{''.join(document.body)}</main>\n</body>\n</html>\n")


def nav_document(book: Book, documents: list[Document]) -> Document:
    """The book's table of contents (sections under their reading) and landmarks."""
    document = Document(NAV, "Contents")
    by_path = {d.path: d for d in documents}

    def entry(path: str) -> str:
        return f'<a href="{document.href(path)}">{plain(by_path[path].title.split(" · ")[0])}</a>'

    items = []
    for reading in book.readings:
        sections = "".join(f"<li>{entry(section_path(reading, n))}</li>" for n in range(1, len(reading.sections) + 1))
        items.append(f"<li>{entry(overview_path(reading))}<ol>{sections}</ol></li>")
    items.append(f"<li>{entry(GLOSSARY)}</li>")
    first = overview_path(book.readings[0])
    document.body.append(
        '<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title"><h1 id="toc-title">Contents</h1>\n'
        f"<ol>{''.join(items)}</ol></nav>\n"
        '<nav epub:type="landmarks" id="landmarks" aria-label="Landmarks" hidden="hidden"><ol>'
        f'<li><a epub:type="toc" href="{document.href(NAV)}#toc">Contents</a></li>'
        f'<li><a epub:type="bodymatter" href="{document.href(first)}">{plain(book.readings[0].title)}</a></li>'
        f'<li><a epub:type="glossary" href="{document.href(GLOSSARY)}">Glossary</a></li></ol></nav>\n')
    return document


def _modified(book: Book) -> str:
    """The newest date the sources carry, as the book's modification time: never the clock."""
    dates = [reading.date for reading in book.readings]
    for reading in book.readings:
        for paragraph in reading.paragraphs:
            dates += [d for note in paragraph.annotations for d in (note.date, note.reviewed) if d]
    for term in book.terms.values():
        dates += [note.date for note in term.updates] + ([term.reviewed] if term.reviewed else [])
    return f"{max(dates):%Y-%m-%d}T00:00:00Z"


ACCESSIBILITY_SUMMARY = (
    "The article's text in reading order, every paragraph numbered, with headings and a table of contents. "
    "Glossary terms are linked as footnotes (pop-ups where the reading system supports them) that lead to "
    "a glossary chapter; editors' notes follow their paragraph and are labelled by kind. No images, audio, "
    "video, scripts or fonts.")


def package_document(book: Book, documents: list[Document], identifier: str) -> str:
    edition = book.edition
    if len(book.readings) == 1:
        reading = book.readings[0]
        title, creators, date = reading.title, [reading.author], reading.date
        description = f"{reading.title} ({reading.dateline}, by {reading.author}), annotated for study."
        source = reading.url or f"{reading.source}, {long_date(reading.date)}"
    else:
        title, creators = edition.site_name, list(dict.fromkeys(r.author for r in book.readings))
        date = max(r.date for r in book.readings)
        description = f"{len(book.readings)} readings, annotated for study, with their glossary."
        source = None
    metadata = [f'<dc:identifier id="book-id">{plain(identifier)}</dc:identifier>',
                f"<dc:title>{plain(title)}</dc:title>"]
    for index, creator in enumerate(creators, 1):
        metadata += [f'<dc:creator id="creator-{index}">{plain(creator)}</dc:creator>',
                     f'<meta refines="#creator-{index}" property="role" scheme="marc:relators">aut</meta>']
    metadata += [f'<dc:contributor id="editors">{plain(edition.site_name)} editors</dc:contributor>',
                 '<meta refines="#editors" property="role" scheme="marc:relators">edt</meta>',
                 f"<dc:publisher>{plain(edition.site_name)}</dc:publisher>",
                 f"<dc:date>{date:%Y-%m-%d}</dc:date>",
                 f"<dc:language>{plain(edition.language)}</dc:language>",
                 f"<dc:description>{plain(description)}</dc:description>"]
    if source:
        metadata.append(f"<dc:source>{plain(source)}</dc:source>")
    metadata += [f'<meta property="dcterms:modified">{_modified(book)}</meta>',
                 '<meta property="schema:accessMode">textual</meta>',
                 '<meta property="schema:accessModeSufficient">textual</meta>',
                 *(f'<meta property="schema:accessibilityFeature">{feature}</meta>'
                   for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "annotations")),
                 '<meta property="schema:accessibilityHazard">none</meta>',
                 f'<meta property="schema:accessibilitySummary">{plain(ACCESSIBILITY_SUMMARY)}</meta>']
    manifest = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
                '<item id="style" href="style.css" media-type="text/css"/>']
    spine = ['<itemref idref="nav"/>']  # the contents page opens the book (and the landmarks may point to it)
    for index, document in enumerate(documents, 1):
        href = posixpath.relpath(document.path, "EPUB")
        manifest.append(f'<item id="doc-{index}" href="{plain(href)}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="doc-{index}"/>')
    language = plain(edition.language)
    newline = "\n    "
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
            f'xml:lang="{language}">\n'
            f'  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n    {newline.join(metadata)}\n  </metadata>\n'
            f"  <manifest>\n    {newline.join(manifest)}\n  </manifest>\n"
            f"  <spine>\n    {newline.join(spine)}\n  </spine>\n</package>\n")


CONTAINER_XML = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
                 '  <rootfiles>\n    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>\n'
                 "  </rootfiles>\n</container>\n")


def _identifier(book: Book) -> str:
    """A stable identifier: the same reading always gets the same one."""
    base = book.edition.site_url or "urn:annotated-reading-library:"
    path = f"readings/{book.readings[0].slug}/" if len(book.readings) == 1 else "readings/"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, base.rstrip('/') + '/' + path)}"


def _well_formed(path: str, content: str) -> None:
    """Every file we write parses as XML, or the book is not written (a bug of ours, said plainly)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise EpubError(f"internal error: {path} would not be well-formed XML ({exc})") from exc


def build(library: Library, readings: list[Reading], edition: Edition) -> bytes:
    """One EPUB 3 holding ``readings`` (one reading, or the whole library) and their glossary."""
    if not readings:
        raise EpubError("no readings to put in the book")
    book = Book(library, readings, edition)
    documents: list[Document] = []
    for reading in readings:
        documents.append(overview_document(book, reading))
        documents += [section_document(book, reading, n, s) for n, s in enumerate(reading.sections, 1)]
    documents.append(glossary_document(book))
    files = {document.path: xhtml(document, edition) for document in documents}
    files[NAV] = xhtml(nav_document(book, documents), edition)
    files[PACKAGE] = package_document(book, documents, _identifier(book))
    files[CONTAINER] = CONTAINER_XML
    for path, content in files.items():
        _well_formed(path, content)
    files[STYLE] = STYLESHEET
    return _archive(files)


def _archive(files: dict[str, str]) -> bytes:
    """The zip: ``mimetype`` first and stored, then every file in name order, all at one fixed time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content, method in [("mimetype", MEDIA_TYPE, zipfile.ZIP_STORED),
                                      *((n, files[n], zipfile.ZIP_DEFLATED) for n in sorted(files))]:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = method
            info.create_system = 0
            info.external_attr = 0o644 << 16
            archive.writestr(info, content.encode("utf-8"), compress_type=method, compresslevel=6)
    return buffer.getvalue()


def reading_epub(library: Library, reading: Reading, edition: Edition) -> bytes:
    return build(library, [reading], edition)


def library_epub(library: Library, edition: Edition) -> bytes:
    return build(library, list(library.readings), edition)


__all__ = ["Edition", "EpubError", "build", "library_epub", "plain", "reading_epub"]
