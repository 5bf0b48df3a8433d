"""Where terms are mentioned: every name of every term matched in one pass.

The one matcher for the checker's mention checks and the term pages' concordance:
all names (slug, term, aliases; normalised) sit in one Aho–Corasick automaton, and
a text is scanned once for all of them, whole words only, longest name first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

import ahocorasick

from readinglib.references import Reference

if TYPE_CHECKING:
    from readinglib.model import Annotation, Library, Paragraph, Reading, Section


class Found(NamedTuple):  # (a tuple: made for every name in every text, it is quick to make)
    """A name of the term ``slug`` at ``start``:``end`` of a text."""

    slug: str
    start: int
    end: int


class NameMatcher:
    """Every name of a glossary in one automaton (build once, scan many texts)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.automaton = ahocorasick.Automaton()
        for key, slug in names.items():
            if key:
                self.automaton.add_word(key, (slug, len(key)))
        if len(self.automaton):
            self.automaton.make_automaton()

    def __bool__(self) -> bool:
        return len(self.automaton) > 0

    def find(self, text: str) -> Iterator[Found]:
        """Each whole-word name in ``text`` (case ignored), left to right, longest first."""
        if not self:
            return
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lowered
            lowered = text
        for end, (slug, length) in self.automaton.iter_long(lowered):
            start = end - length + 1
            if is_word_edge(lowered, start, end + 1):
                yield Found(slug, start, end + 1)


def is_word_edge(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


# an inline link or image, whose words a reader sees; emphasis and code markers, which they do not
_LINK = re.compile(r"!?\[(?P<words>[^\[\]]*)\]\((?:<[^>]*>|[^()\s]*(?:\([^()\s]*\))?[^()\s]*)(?:\s+\"[^\"]*\")?\)")
_MARKUP = re.compile(r"[*_`]+")


def visible_text(text: str, references: list[Reference], resolve) -> tuple[str, list[Found]]:  # type: ignore[no-untyped-def]
    """What a reader sees of Markdown ``text`` (references as their words, links as their
    words, no emphasis markers, one line), and where each reference that ``resolve``
    (target → slug or None) knows now stands in it."""
    events: list[tuple[int, int, str, str | None]] = [
        (r.start, r.end, r.text, resolve(r.target)) for r in references if not r.problem]
    if "](" in text:
        events += [(m.start(), m.end(), m.group("words"), None) for m in _LINK.finditer(text)]
    if "*" in text or "_" in text or "`" in text:
        events += [(m.start(), m.end(), "", None) for m in _MARKUP.finditer(text)]
    events.sort()
    pieces: list[str] = []
    linked: list[Found] = []
    length = position = 0
    for start, end, words, slug in events:
        if start < position:
            continue  # inside an earlier reference or link
        pieces.append(text[position:start])
        length += start - position
        words = _MARKUP.sub("", words)
        if slug:
            linked.append(Found(slug, length, length + len(words)))
        pieces.append(words)
        length += len(words)
        position = end
    pieces.append(text[position:])
    return "".join(pieces).replace("\n", " "), linked


def mentions(text: str, references: list[Reference], resolve, matcher: NameMatcher) -> tuple[str, list[Found]]:  # type: ignore[no-untyped-def]
    """The visible text and every mention in it: references, and names linked or not (the
    longest first where they overlap)."""
    shown, found = visible_text(text, references, resolve)
    taken = [(f.start, f.end) for f in found]
    for name in matcher.find(shown):
        if not any(start < name.end and name.start < end for start, end in taken):
            found.append(name)
            taken.append((name.start, name.end))
    return shown, sorted(found, key=lambda f: f.start)


class Occurrence(NamedTuple):
    """A term mentioned in a paragraph (or a note on it): ``shown`` is what a reader sees of
    that text, the mention at ``start``:``end`` of it."""

    reading: Reading
    section: Section
    paragraph: Paragraph
    note: Annotation | None
    shown: str
    start: int
    end: int


def concordance(library: Library) -> dict[str, list[Occurrence]]:
    """For each term, every paragraph and note that mentions it by any name, linked or not,
    in reading order: one pass of the library's matcher over each text."""
    found: dict[str, list[Occurrence]] = defaultdict(list)

    def slug_of(target: str) -> str | None:
        term = library.resolve(target)
        return term.slug if term else None

    for reading in library.readings:
        for section in reading.sections:
            for paragraph in section.paragraphs:
                texts = [(None, paragraph.text, paragraph.references),
                         *((note, note.text, note.references) for note in paragraph.annotations)]
                for note, markdown, references in texts:
                    shown, names = mentions(markdown, references, slug_of, library.matcher)
                    seen: set[str] = set()
                    for name in names:
                        if name.slug not in seen:  # one line a text for each term
                            seen.add(name.slug)
                            found[name.slug].append(Occurrence(reading, section, paragraph, note, shown,
                                                               name.start, name.end))
    return found
