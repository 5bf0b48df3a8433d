"""Practice cards for a reading, made from the model when the site is built.

Four kinds of card, each linking back to where its answer is written:

- ``term``: a key term; the answer is its ``short`` definition (self-graded);
- ``definition``: the ``short`` definition with the term's own names blanked; the answer is the term;
- ``cloze``: a sentence of the reading with a linked term blanked; the answer is chosen from a short list;
- ``section``: a short quote; the answer is the section it comes from.

Cards are plain data (ids stable across builds, so a student's progress survives a rebuild);
the practice page (:mod:`readinglib.studypages`) embeds them as JSON and ``practice.js``
shows them with ``textContent``. A term whose ``short`` cannot make a card is reported by
:func:`check_practice` and left out of the deck.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

from readinglib.diagnostics import Diagnostic, warning
from readinglib.model import Library, Paragraph, Reading, Section, Term
from readinglib.pages import plain_text, section_terms, sentence_at
from readinglib.references import Reference, plain_words, replace_references

BLANK = "_____"
CHOICES = 4
"""Answers offered on a choice card (the right one and up to three others)."""
QUOTE_WORDS = 25
CLOZE_WORDS = 45
QUOTES_PER_SECTION = 2
WORD = re.compile(r"[^\W\d_]{2,}")
ARTICLES = {"a", "an", "the"}
KIND_LABELS = {"term": "Term → definition", "definition": "Definition → term",
               "cloze": "Fill the gap", "section": "Which section says…"}


@dataclass(frozen=True)
class Card:
    """One card: ``prompt`` and ``answer`` are plain text; ``options`` (choice cards) hold the
    answer among others; ``target``/``fragment`` is the page and anchor it links back to."""

    id: str
    kind: str
    prompt: str
    answer: str
    target: str
    fragment: str | None
    where: str
    options: tuple[str, ...] = ()

    def as_data(self) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id, "kind": self.kind, "prompt": self.prompt, "answer": self.answer}
        if self.options:
            data["options"] = list(self.options)
        return data


def reading_terms(library: Library, reading: Reading) -> list[Term]:
    """The terms a reading links, in order of first mention."""
    found: dict[str, Term] = {}
    for section in reading.sections:
        for term in section_terms(library, section):
            found.setdefault(term.slug, term)
    return list(found.values())


def _may_name(text: str, names: list[str]) -> bool:
    """Whether a whole-word, case-ignoring pattern for ``names`` could match in ``text``: false
    only when all are ASCII and no name is in the text (found without compiling a pattern;
    beyond ASCII, case-folding is the pattern's to judge)."""
    if not (text.isascii() and all(name.isascii() for name in names)):
        return True
    lowered = text.lower()
    return any(name.lower() in lowered for name in names)


def _blanked(text: str, names: list[str]) -> str:
    names = sorted({name for name in names if name.strip()}, key=len, reverse=True)
    if not _may_name(text, names):
        return text  # nothing to blank, and no pattern to compile for the term
    return re.sub(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", BLANK, text, flags=re.IGNORECASE)


def _says_something(text: str) -> bool:
    return any(word.casefold() not in ARTICLES for word in WORD.findall(text))


def blanked_definition(term: Term) -> str:
    """The definition card's prompt: the short definition with every name of the term blanked,
    or only its own name when its aliases are all the definition says ("The first letter.")."""
    return _blanked_definition(term.short, tuple(term.names), term.term)


@lru_cache(maxsize=16384)  # every reading that links a term asks again
def _blanked_definition(short: str, names: tuple[str, ...], name: str) -> str:
    every = _blanked(short, list(names))
    return every if _says_something(every) else _blanked(short, [name])


def definition_problem(term: Term) -> str | None:
    """Why the term's ``short`` cannot make a card, or ``None``."""
    blanked = blanked_definition(term)
    if not _says_something(blanked):
        return (f"'short' of \"{term.term}\" cannot make a practice card: with the term's own names blanked it "
                f"reads \"{blanked}\"; write a sentence that says what it is without naming it")
    return None


def check_practice(library: Library) -> list[Diagnostic]:
    """Terms used by a reading's practice page whose ``short`` cannot make a card (each once)."""
    found: list[Diagnostic] = []
    reported: set[str] = set()
    for reading in library.readings:
        if not reading.practice:
            continue
        shorts: dict[str, Term] = {}
        for term in reading_terms(library, reading):
            where = (term.path, *term.position("short"))
            key = " ".join(term.short.casefold().split())
            other = shorts.setdefault(key, term)
            if term.slug in reported:
                continue
            problem = definition_problem(term)
            if problem is None and other is not term:
                problem = (f"'short' of \"{term.term}\" is the same as that of \"{other.term}\" ({other.path}): a "
                           "practice card could not say which is meant; make each definition its own")
            if problem:
                reported.add(term.slug)
                found.append(warning(*where, "practice-card", problem))
    return found


def _order(seed: str, items: list[str]) -> list[str]:
    """``items`` in an order fixed by ``seed``: the same on every build, different per card."""
    return sorted(items, key=lambda item: (zlib.crc32(f"{seed}\x00{item}".encode()), item))


def _choices(card_id: str, answer: str, others: dict[str, None]) -> tuple[str, ...]:
    """The answer and up to ``CHOICES - 1`` of ``others`` (a dict's keys: each once, in order),
    picked and ordered by the card's id: the same on every build, different per card."""
    candidates = [other for other in others if other != answer]
    picked = random.Random(card_id).sample(candidates, min(CHOICES - 1, len(candidates)))
    return tuple(_order(card_id + "#options", [answer, *picked]))


def _trim(words: list[str], around: int, limit: int) -> str:
    """At most ``limit`` words, keeping the word at ``around``; cuts marked with an ellipsis."""
    if len(words) <= limit:
        return " ".join(words)
    start = max(0, min(around - limit // 2, len(words) - limit))
    shown = " ".join(words[start:start + limit])
    return ("…" if start else "") + shown + ("…" if start + limit < len(words) else "")


def cloze_sentence(paragraph: Paragraph, reference: Reference) -> str | None:
    """The sentence of ``paragraph`` holding ``reference``, its words (and any repeat of them) blanked."""
    marker = "\x00"
    spot = (reference.start, reference.end)
    shown = plain_words(replace_references(paragraph.text, lambda r: marker if (r.start, r.end) == spot else r.text,
                                           paragraph.references), [])
    label = plain_text(reference.text)
    if marker not in shown or not label.strip():
        return None
    sentence = sentence_at(shown, shown.index(marker))
    if _may_name(sentence, [label]):
        sentence = _whole_words(label).sub(BLANK, sentence)
    words = sentence.split(" ")
    at = sentence.count(" ", 0, sentence.index(marker)) if marker in sentence else 0  # the word holding it
    return _trim(words, at, CLOZE_WORDS).replace(marker, BLANK)


@lru_cache(maxsize=4096)  # a glossary's labels recur in every reading
def _whole_words(label: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(label) + r"(?!\w)", re.IGNORECASE)


def _first_uses(library: Library, reading: Reading) -> dict[str, tuple[Section, Paragraph, Reference]]:
    """Where the reading first links each term, by slug."""
    found: dict[str, tuple[Section, Paragraph, Reference]] = {}
    for section in reading.sections:
        for paragraph in section.paragraphs:
            for reference in paragraph.references:
                term = None if reference.problem else library.resolve(reference.target)
                if term is not None and term.slug not in found:
                    found[term.slug] = (section, paragraph, reference)
    return found


def _where(section: Section, paragraph: Paragraph) -> str:
    return f"¶{paragraph.number}, {section.title}"


def deck(library: Library, reading: Reading) -> list[Card]:
    """Every card of the reading, the four kinds taking turns."""
    terms = reading_terms(library, reading)
    usable = [term for term in terms if definition_problem(term) is None]
    shorts = [" ".join(t.short.casefold().split()) for t in usable]
    usable = [t for t, s in zip(usable, shorts) if shorts.count(s) == 1]
    names = [term.term for term in terms]
    flash = [Card(f"term:{t.slug}", "term", t.term, t.short, t.page, None, f"Glossary: {t.term}") for t in usable]
    reverse = [Card(f"definition:{t.slug}", "definition", blanked_definition(t), t.term, t.page, None,
                    f"Glossary: {t.term}") for t in usable]
    cloze: list[Card] = []
    unique_names = dict.fromkeys(names)
    first_uses = _first_uses(library, reading)
    for term in terms if len(names) > 1 else []:
        found = first_uses.get(term.slug)
        sentence = cloze_sentence(found[1], found[2]) if found else None
        if found and sentence:
            section, paragraph, _ = found
            card_id = f"cloze:{term.slug}:{paragraph.anchor}"
            cloze.append(Card(card_id, "cloze", sentence, term.term, section.src_uri, paragraph.anchor,
                              _where(section, paragraph), _choices(card_id, term.term, unique_names)))
    quotes: list[Card] = []
    titles = [section.title for section in reading.sections]
    unique_titles = dict.fromkeys(titles)
    for section in reading.sections if len(set(titles)) > 1 else []:
        count = len(section.paragraphs)
        for index in sorted({count // 4, (3 * count) // 4})[:QUOTES_PER_SECTION] if count else []:
            paragraph = section.paragraphs[index]
            words = sentence_at(paragraph.plain, 0).split(" ")
            card_id = f"section:{paragraph.anchor}"
            quotes.append(Card(card_id, "section", "“" + _trim(words, 0, QUOTE_WORDS) + "”", section.title,
                               section.src_uri, paragraph.anchor, _where(section, paragraph),
                               _choices(card_id, section.title, unique_titles)))
    turns = [flash, cloze, reverse, quotes]
    return [kind[i] for i in range(max(map(len, turns))) for kind in turns if i < len(kind)]
