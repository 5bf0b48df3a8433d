"""The library model: readings, sections, paragraphs, annotations and terms.

Plain data, loaded once by :mod:`readinglib.loader`; the hooks and the checker
only read it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from readinglib.diagnostics import Diagnostic
from readinglib.matcher import NameMatcher, Occurrence, concordance
from readinglib.references import Reference, normalise_name, plain_words


@dataclass(frozen=True)
class Source:
    """A named document an entry rests on (treaty text, resolution, statement)."""

    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    url_position: tuple[int, int] = field(default=(1, 1), compare=False)
    """Where ``url`` is written in its file's front matter (line, column)."""


@dataclass(frozen=True)
class DatedNote:
    """A dated event, or a dated note on what changed since a reading was written."""

    date: dt.date
    text: str
    sources: tuple[Source, ...] = ()
    position: tuple[int, int] = field(default=(1, 1), compare=False)
    """Where the note is written in its file's front matter (line, column)."""
    id: str | None = None
    """An event other entries share by naming it in ``shared_events``."""


@dataclass(frozen=True)
class PageMeta:
    """Page metadata MkDocs and Material read (``description``, ``hide``), as validated."""

    description: str | None = None
    hide: tuple[str, ...] = ()


class FrontMatterPositions:
    """For model objects read from front matter: where each key was written."""

    positions: dict[object, tuple[int, int]]

    def position(self, key: object) -> tuple[int, int]:
        """Where a front-matter key (``(key, index)``: a list item) is written; else the file's top."""
        return self.positions.get(key, (1, 1))


@dataclass
class Term(FrontMatterPositions):
    slug: str
    term: str
    short: str
    category: str
    path: str
    aliases: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)
    events: list[DatedNote] = field(default_factory=list)
    shared_events: list[str] = field(default_factory=list)
    """Ids of events recorded once, in another entry's ``events``, that concern this term too."""
    updates: list[DatedNote] = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    reviewed: dt.date | None = None
    references: list[Reference] = field(default_factory=list)
    positions: dict[object, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        """The term and its aliases: every name a reference may use."""
        return [self.term, *self.aliases]

    @property
    def page(self) -> str:
        """The generated page's path in the docs tree."""
        return f"glossary/{self.slug}.md"


@dataclass
class Annotation:
    """An editors' note attached to one paragraph."""

    kind: str
    text: str
    line: int
    text_line: int
    date: dt.date | None = None
    title: str | None = None
    reviewed: dt.date | None = None
    """When the note was last checked against its sources."""
    references: list[Reference] = field(default_factory=list)

    @property
    def names_a_source(self) -> bool:
        """Whether a line of the note starts ``*Source:*`` or ``*Sources:*`` (emphasis optional, any case)."""
        return SOURCE_LINE.search(self.text) is not None


SOURCE_LINE = re.compile(r"^[ \t]*(?:\*{1,2}|_{1,2})?Sources?(?:\*{1,2}|_{1,2})?:", re.MULTILINE | re.IGNORECASE)


@dataclass
class Paragraph:
    number: int
    text: str
    line: int
    references: list[Reference] = field(default_factory=list)
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """Stable anchor: depends on the number, never on the words."""
        return f"p{self.number}"

    @cached_property
    def plain(self) -> str:
        """The paragraph as the words a reader sees (:func:`readinglib.references.plain_words`)."""
        return plain_words(self.text, self.references)

    def all_references(self) -> list[Reference]:
        """Well-formed references in the paragraph, then in its annotations."""
        found = [*self.references, *(r for a in self.annotations for r in a.references)]
        return [reference for reference in found if not reference.problem]


@dataclass
class Section:
    """One page of a reading. ``path`` is the source file (for diagnostics),
    ``src_uri`` the same file relative to the docs folder (for links)."""

    reading: str
    path: str
    src_uri: str
    title: str
    title_is_editorial: bool
    paragraphs: list[Paragraph] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    meta: PageMeta = PageMeta()

    @property
    def first(self) -> int:
        return self.paragraphs[0].number if self.paragraphs else 0

    @property
    def last(self) -> int:
        return self.paragraphs[-1].number if self.paragraphs else 0


@dataclass
class Reading(FrontMatterPositions):
    """A reading; ``path``/``src_uri`` name its ``index.md`` (see :class:`Section`)."""

    slug: str
    path: str
    src_uri: str
    title: str
    title_is_editorial: bool
    source: str
    author: str
    date: dt.date
    url: str | None = None
    citation_note: str | None = None
    """Why the citations lack the headline as published or the address (plain text)."""
    published_title: str | None = None
    introduction: str = ""
    introduction_line: int = 1
    introduction_references: list[Reference] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    meta: PageMeta = PageMeta()
    positions: dict[object, tuple[int, int]] = field(default_factory=dict, repr=False)
    practice: bool = True
    """Whether the reading has a practice page (front matter ``practice: false`` turns it off)."""

    @property
    def headline(self) -> str | None:
        """The headline as published: ``published_title``, or the title when it is the article's own."""
        return self.published_title or (None if self.title_is_editorial else self.title)

    @property
    def paragraphs(self) -> Iterator[Paragraph]:
        for section in self.sections:
            yield from section.paragraphs

    @property
    def dateline(self) -> str:
        """Source and date, as a newspaper prints them: ``The Daily Paper 4 March 2021``."""
        return f"{self.source} {self.date.day} {self.date:%B %Y}"


@dataclass
class Page:
    """A hand-written docs page outside the readings (home page, guides).

    ``path`` is the source file, ``src_uri`` the same file relative to docs/.
    """

    path: str
    src_uri: str
    body: str
    body_line: int
    references: list[Reference] = field(default_factory=list)
    title: str | None = None
    meta: PageMeta = PageMeta()


@dataclass(frozen=True)
class ParagraphRange:
    """``first``–``last`` (inclusive) as written in an assignment, with its position."""

    first: int
    last: int
    line: int
    column: int

    def __str__(self) -> str:
        return f"¶{self.first}" if self.first == self.last else f"¶{self.first}–¶{self.last}"


@dataclass
class Assignment(FrontMatterPositions):
    """An instructor's assignment: paragraph ranges of one reading, terms, questions."""

    path: str
    src_uri: str
    title: str
    reading: str
    ranges: list[ParagraphRange] = field(default_factory=list)
    due: dt.date | None = None
    key_terms: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    notes: str = ""
    notes_line: int = 1
    references: list[Reference] = field(default_factory=list)
    positions: dict[object, tuple[int, int]] = field(default_factory=dict, repr=False)
    meta: PageMeta = PageMeta()

    def covers(self, number: int) -> bool:
        return any(r.first <= number <= r.last for r in self.ranges)


class Mention(NamedTuple):  # (a tuple: one is made for every reference, and it is quick to make)
    """Where a term is referenced: a paragraph, or an annotation on it."""

    reading: Reading
    section: Section
    paragraph: Paragraph
    reference: Reference
    annotation: Annotation | None = None


@dataclass
class Library:
    """Everything the site is built from, plus what was wrong with it."""

    root: str
    docs_dir: str = "docs"
    glossary_dir: str = "glossary"
    files_read: int = 0
    readings: list[Reading] = field(default_factory=list)
    terms: dict[str, Term] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    unloaded_terms: set[str] = field(default_factory=set)
    """Slugs of glossary files that exist but could not be loaded (already reported)."""
    unloaded_pages: set[str] = field(default_factory=set)
    """``src_uri`` of reading files that exist but could not be loaded (already reported)."""

    def resolve(self, target: str) -> Term | None:
        """The term a reference target names (slug, term or alias; any case)."""
        slug = self.names.get(normalise_name(target))
        return self.terms.get(slug) if slug else None

    def mentions(self) -> Iterator[Mention]:
        """Every well-formed reference in every reading, in reading order."""
        for reading in self.readings:
            for section in reading.sections:
                for paragraph in section.paragraphs:
                    for reference in paragraph.references:
                        yield Mention(reading, section, paragraph, reference)
                    for annotation in paragraph.annotations:
                        for reference in annotation.references:
                            yield Mention(reading, section, paragraph, reference, annotation)

    def notes(self) -> Iterator[tuple[Section, Paragraph, Annotation]]:
        """Every editors' note, with its section and paragraph, in reading order."""
        for reading in self.readings:
            for section in reading.sections:
                for paragraph in section.paragraphs:
                    for note in paragraph.annotations:
                        yield section, paragraph, note

    def reading(self, slug: str) -> Reading | None:
        return next((reading for reading in self.readings if reading.slug == slug), None)

    def assigned_paragraphs(self, assignment: Assignment) -> list[Paragraph]:
        """The paragraphs of its reading that an assignment covers, in order."""
        reading = self.reading(assignment.reading)
        return [p for p in reading.paragraphs if assignment.covers(p.number)] if reading else []

    @cached_property
    def backlinks(self) -> dict[str, list[Mention]]:
        """For each term slug, the mentions that resolve to it (one pass, then kept)."""
        found: dict[str, list[Mention]] = {slug: [] for slug in self.terms}
        for mention in self.mentions():
            term = None if mention.reference.problem else self.resolve(mention.reference.target)
            if term is not None:
                found[term.slug].append(mention)
        return found

    @cached_property
    def section_terms(self) -> dict[str, list[Term]]:
        """For each section by ``src_uri``, the terms it references (its notes too), in order
        of first mention (one pass, then kept)."""
        return {section.src_uri: self.terms_of(section) for reading in self.readings for section in reading.sections}

    def terms_of(self, section: Section) -> list[Term]:
        """The terms ``section`` references (its notes too), in order of first mention."""
        terms: dict[str, Term] = {}
        for paragraph in section.paragraphs:
            for reference in paragraph.all_references():
                term = self.resolve(reference.target)
                if term is not None:
                    terms.setdefault(term.slug, term)
        return list(terms.values())

    @cached_property
    def events(self) -> dict[str, tuple[Term, DatedNote]]:
        """Every event that has an id, with the entry that records it (the first, if two do)."""
        found: dict[str, tuple[Term, DatedNote]] = {}
        for term in self.terms.values():
            for event in term.events:
                if event.id:
                    found.setdefault(event.id, (term, event))
        return found

    @cached_property
    def matcher(self) -> NameMatcher:
        """Every name of every term, matched in one pass (built once)."""
        return NameMatcher(self.names)

    @cached_property
    def concordance(self) -> dict[str, list[Occurrence]]:
        """For each term slug, every paragraph and note that mentions it, linked or not."""
        return concordance(self)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]
