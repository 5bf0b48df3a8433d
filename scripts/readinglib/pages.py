"""Turn the model into Markdown pages. MkDocs then renders them as usual.

Links are written as relative Markdown links to ``.md`` files, so MkDocs
resolves and validates them whatever ``use_directory_urls`` is.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import textwrap
from collections import defaultdict
from itertools import groupby

from readinglib.model import Annotation, Library, Mention, Paragraph, Reading, Section, Source, Term
from readinglib.references import Reference, replace_references

GLOSSARY_INDEX = "glossary/index.md"
CATALOGUE = "readings/index.md"
ANNOTATION_STYLES = {"context": "info", "explanation": "note", "update": "warning"}
COPY_ICON = ('<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">'
             '<path d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0 0 10h4v-1.9H7c-1.71 0-3.1-1.39'
             '-3.1-3.1M8 13h8v-2H8zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4a5 '
             '5 0 0 0 0-10"/></svg>')


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def relative(page: str, target: str) -> str:
    """Path of ``target`` as a link written in ``page`` (both docs-relative)."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def term_link(term: Term, page: str, text: str | None = None) -> str:
    """A Markdown link to the term's page, its short definition as the tooltip."""
    title = html.escape(term.short, quote=True)
    label = text if text is not None else term.term
    return f'[{label}]({relative(page, term.page)} "{title}"){{ .term-link }}'


def link_references(library: Library, text: str, page: str,
                    references: list[Reference] | None = None) -> str:
    """``text`` with every resolvable reference turned into a term link."""

    def render(reference: Reference) -> str:
        term = library.resolve(reference.target)
        return term_link(term, page, reference.text) if term else reference.text

    return replace_references(text, render, references)


def paragraph_link(reading: Reading, section: Section, paragraph: Paragraph, page: str) -> str:
    return f"[¶{paragraph.number}]({relative(page, section.src_uri)}#{paragraph.anchor})"


def _indent(text: str) -> str:
    return textwrap.indent(text, "    ", lambda line: True)


def _paragraph_controls(paragraph: Paragraph) -> str:
    n = paragraph.number
    return (f'<a class="para-num" href="#{paragraph.anchor}" '
            f'aria-label="Paragraph {n}, link to this paragraph">¶{n}</a>'
            f'<button type="button" class="para-copy" data-anchor="{paragraph.anchor}" '
            f'aria-label="Copy link to paragraph {n}" title="Copy link to paragraph {n}">'
            f"{COPY_ICON}</button> ")


def annotation_markdown(library: Library, annotation: Annotation, paragraph: Paragraph,
                        page: str) -> str:
    style = ANNOTATION_STYLES.get(annotation.kind, "note")
    label = annotation.title or annotation.kind.capitalize()
    if annotation.kind == "update" and annotation.date:
        label = f"Since the article ({long_date(annotation.date)})" + (
            f": {annotation.title}" if annotation.title else "")
    heading = f"Editors' note on ¶{paragraph.number} · {label}".replace('"', "'")
    body = link_references(library, annotation.text, page, annotation.references)
    return f'???+ {style} annotation "{heading}"\n\n{_indent(body)}\n'


def byline(reading: Reading, page: str) -> str:
    title = f"[{reading.title}]({relative(page, reading.src_uri)})"
    mark = " (title supplied by the editors)" if reading.title_is_editorial else ""
    return f"{title}{mark} · {reading.dateline} · by {reading.author}\n{{ .reading-byline }}\n"


def section_markdown(library: Library, reading: Reading, section: Section) -> str:
    page = section.src_uri
    parts = [f"# {section.title}\n"]
    if section.title_is_editorial:
        parts.append("*Heading supplied by the editors: this part of the article has no heading "
                     "of its own.*\n{ .editorial-mark }\n")
    parts.append(byline(reading, page))
    for paragraph in section.paragraphs:
        text = link_references(library, paragraph.text, page, paragraph.references)
        parts.append(f"{_paragraph_controls(paragraph)}{text}\n"
                     f'{{ #{paragraph.anchor} .para data-para="{paragraph.number}" }}\n')
        parts += [annotation_markdown(library, a, paragraph, page) for a in paragraph.annotations]
    return "\n".join(parts)


def key_terms(library: Library, reading: Reading) -> list[Term]:
    slugs: dict[str, Term] = {}
    for mention in library.mentions():
        term = library.resolve(mention.reference.target)
        if mention.reading is reading and term is not None:
            slugs.setdefault(term.slug, term)
    return sorted(slugs.values(), key=lambda term: term.term.casefold())


def overview_markdown(library: Library, reading: Reading) -> str:
    page = reading.src_uri
    parts = [f"# {reading.title}\n"]
    if reading.title_is_editorial:
        parts.append("*Title supplied by the editors: the text below is reproduced without its "
                     "original headline.*\n{ .editorial-mark }\n")
    parts.append(f"{reading.dateline} · by {reading.author}\n{{ .reading-byline }}\n")
    first = next(reading.paragraphs, None)
    if first is not None:
        section = reading.sections[0]
        text = link_references(library, first.text, page, first.references)
        parts.append(f"> {text} ({paragraph_link(reading, section, first, page)})\n"
                     "{ .standfirst }\n")
    if reading.introduction:
        parts.append(reading.introduction + "\n")
    parts.append("## Sections\n")
    for number, section in enumerate(reading.sections, start=1):
        mark = " *(heading supplied by the editors)*" if section.title_is_editorial else ""
        parts.append(f"{number}. [{section.title}]({relative(page, section.src_uri)}){mark} — "
                     f"¶{section.first}–¶{section.last}")
    parts.append("\n## Key terms\n")
    parts += [f"- {term_link(term, page)}: {term.short}" for term in key_terms(library, reading)]
    parts.append(f"\n## About this text\n\nThe article by {reading.author} was published by "
                 f"{reading.source} on {long_date(reading.date)}. It is reproduced verbatim, "
                 "paragraph by paragraph; headings, annotations and glossary links are the "
                 "editors' additions and are marked as such."
                 + (f" [Original article]({reading.url})." if reading.url else "") + "\n")
    return "\n".join(parts)


def source_markdown(source: Source) -> str:
    text = f"*{source.title}*"
    if source.publisher:
        text += f", {source.publisher}"
    if source.date:
        text += f", {long_date(source.date)}"
    return text + (f". <{source.url}>" if source.url else ".")


def term_markdown(library: Library, term: Term, mentions: list[Mention]) -> str:
    page = term.page
    parts = [f"# {term.term}\n"]
    meta = f"**Category:** {term.category}"
    if term.aliases:
        meta += f" · **Also called:** {', '.join(term.aliases)}"
    parts.append(f"{meta}\n{{ .term-meta }}\n")
    parts.append(f"{term.short}\n{{ .term-short }}\n")
    if term.body:
        parts.append(link_references(library, term.body, page) + "\n")
    if term.updates:
        parts.append("## Updates\n")
        for note in term.updates:
            sources = "; ".join(source_markdown(s) for s in note.sources)
            text = note.text + (f"\n\nSources: {sources}" if sources else "")
            parts.append(f'!!! warning "Update, {long_date(note.date)}"\n\n{_indent(text)}\n')
    if term.events:
        parts.append("## Key dates\n")
        parts += [f"- **{long_date(event.date)}** — {event.text}" for event in term.events]
        parts.append("")
    if term.sources:
        parts.append("## Sources\n")
        parts += [f"{i}. {source_markdown(s)}" for i, s in enumerate(term.sources, start=1)]
        parts.append("")
    see_also = [library.resolve(name) for name in term.see_also]
    if any(see_also):
        parts.append("## See also\n")
        parts += [f"- {term_link(other, page)}" for other in see_also if other]
        parts.append("")
    parts.append("## Appears in\n")
    if not mentions:
        parts.append("*No reading links to this term yet.*\n")
    for reading, group in groupby(mentions, key=lambda m: m.reading):
        parts.append(f"**[{reading.title}]({relative(page, reading.src_uri)})**\n")
        seen: set[tuple[int, bool]] = set()
        for mention in group:
            key = (mention.paragraph.number, mention.annotation is not None)
            if key in seen:
                continue
            seen.add(key)
            where = " (editors' note)" if mention.annotation else ""
            parts.append(f"- {paragraph_link(reading, mention.section, mention.paragraph, page)} "
                         f"· {mention.section.title}{where}")
        parts.append("")
    return "\n".join(parts)


def glossary_index_markdown(library: Library) -> str:
    page = GLOSSARY_INDEX
    terms = sorted(library.terms.values(), key=lambda term: term.term.casefold())
    by_letter: dict[str, list[Term]] = defaultdict(list)
    for term in terms:
        initial = term.term[:1].upper()
        by_letter[initial if initial.isalpha() else "#"].append(term)
    letters = sorted(by_letter, key=lambda letter: (letter == "#", letter))
    parts = ["# Glossary\n",
             f"{len(terms)} terms, A–Z. Each entry gives a one-sentence definition, its category, "
             "its sources and every paragraph that mentions it.\n",
             " · ".join(f"[{letter}](#letter-{_letter_id(letter)})" for letter in letters)
             + "\n{ .az-jump }\n"]
    for letter in letters:
        parts.append(f"## {letter} {{ #letter-{_letter_id(letter)} }}\n")
        parts += [f"- {term_link(term, page)} *({term.category})* — {term.short}"
                  for term in by_letter[letter]]
        parts.append("")
    return "\n".join(parts)


def _letter_id(letter: str) -> str:
    return letter.lower() if letter.isalnum() else "other"


def catalogue_markdown(library: Library) -> str:
    page = CATALOGUE
    parts = ["# Readings\n"]
    for reading in library.readings:
        mark = " *(title supplied by the editors)*" if reading.title_is_editorial else ""
        parts.append(f"- [{reading.title}]({relative(page, reading.src_uri)}){mark} — "
                     f"{reading.dateline}, by {reading.author}")
    return "\n".join(parts) + "\n"
