"""Turn the model into Markdown pages. MkDocs then renders them as usual.

Links are written as relative Markdown links to ``.md`` files, so MkDocs
resolves and validates them whatever ``use_directory_urls`` is.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import textwrap
from collections import defaultdict
from functools import lru_cache
from itertools import groupby

from readinglib.anchors import Link, rebase_links
from readinglib.model import Annotation, Assignment, Library, Mention, Paragraph, Reading, Section, Source, Term
from readinglib.references import Reference, replace_references

GLOSSARY_INDEX = "glossary/index.md"
CATALOGUE = "readings/index.md"
ASSIGNMENTS_INDEX = "assignments/index.md"
TIMELINE = "timeline.md"
ANNOTATION_STYLES = {"context": "info", "explanation": "note", "update": "warning"}
COPY_ICON = ('<svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">'
             '<path d="M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7a5 5 0 0 0 0 10h4v-1.9H7c-1.71 0-3.1-1.39'
             '-3.1-3.1M8 13h8v-2H8zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 3.1h-4V17h4a5 '
             '5 0 0 0 0-10"/></svg>')


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]]")


@lru_cache(maxsize=65536)
def relative(page: str, target: str) -> str:
    """Path of ``target`` as a link written in ``page`` (both normalised, docs-relative)."""
    folder = page.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(folder) and common < len(parts) - 1 and folder[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(folder) - common) + parts[common:])


def plain(text: str) -> str:
    """Plain text (a term's short definition) written so Markdown shows it as it is."""
    return MARKDOWN_SPECIAL.sub(r"\\\g<0>", html.escape(text, quote=False))


def term_link(term: Term, page: str, text: str | None = None, *, listed: bool = False) -> str:
    """A Markdown link to the term's page, its short definition as the tooltip.

    ``listed`` marks links in generated lists (key terms, study guides), which
    are not references written in the sources.
    """
    title = html.escape(term.short, quote=True)
    label = text if text is not None else term.term
    classes = ".term-link .term-list-link" if listed else ".term-link"
    return f'[{label}]({relative(page, term.page)} "{title}"){{ {classes} }}'


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


def _paragraph_controls(paragraph: Paragraph, href: str) -> str:
    n = paragraph.number
    return (f'[¶{n}]({href}){{ .para-num aria-label="Paragraph {n}, link to this paragraph" }}'
            f'<button type="button" class="para-copy" data-anchor="{paragraph.anchor}" '
            f'aria-label="Copy link to paragraph {n}" title="Copy link to paragraph {n}">'
            f"{COPY_ICON}</button> ")


def paragraph_markdown(library: Library, section: Section, paragraph: Paragraph, page: str) -> str:
    """A numbered, anchored paragraph and its annotations, as shown on ``page``.

    On the section's own page the number links to ``#pN``; elsewhere (an
    assignment) to the paragraph in the reading.
    """
    here = page == section.src_uri
    href = f"#{paragraph.anchor}" if here else f"{relative(page, section.src_uri)}#{paragraph.anchor}"
    text = shown_on(library, paragraph.text, paragraph.references, section.src_uri, page)
    parts = [f"{_paragraph_controls(paragraph, href)}{text}\n"
             f'{{ #{paragraph.anchor} .para data-para="{paragraph.number}" }}\n']
    parts += [annotation_markdown(library, a, paragraph, page, section.src_uri) for a in paragraph.annotations]
    return "\n".join(parts)


def shown_on(library: Library, text: str, references: list[Reference], written_in: str, page: str) -> str:
    """Text written in the page ``written_in`` (a section), as shown on ``page``.

    References become term links as on its own page; then every relative link moves, so the
    links the authors wrote keep their targets on an assignment or overview page too.
    """
    return moved_links(link_references(library, text, written_in, references), written_in, page)


def moved_links(text: str, written_in: str, page: str) -> str:
    """``text`` written in the page ``written_in``, its relative links rewritten to work from ``page``."""

    def rebase(target: str) -> str:
        link = Link(target, 0, 0)
        if link.is_external or target.startswith("/"):
            return target
        path, fragment = link.split()
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(written_in), path)) if path else written_in
        return relative(page, resolved) + (f"#{fragment}" if fragment is not None else "")

    return text if page == written_in else rebase_links(text, rebase)


def annotation_markdown(library: Library, annotation: Annotation, paragraph: Paragraph,
                        page: str, written_in: str) -> str:
    style = ANNOTATION_STYLES.get(annotation.kind, "note")
    heading = f"Editors' note on ¶{paragraph.number} · {_annotation_label(annotation)}".replace('"', "'")
    body = shown_on(library, annotation.text, annotation.references, written_in, page)
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
    parts += [paragraph_markdown(library, section, paragraph, page) for paragraph in section.paragraphs]
    parts.append(study_guide_markdown(library, section))
    return "\n".join(parts)


def section_terms(library: Library, section: Section) -> list[Term]:
    """Terms referenced in a section, in order of first mention."""
    found: dict[str, Term] = {}
    for paragraph in section.paragraphs:
        for term in filter(None, map(library.resolve, (r.target for r in paragraph.all_references()))):
            found.setdefault(term.slug, term)
    return list(found.values())


def study_guide_markdown(library: Library, section: Section) -> str:
    """Terms, editors' notes and questions of one section, derived from the model."""
    page = section.src_uri
    parts = ["## Study guide { #study-guide }\n", "### Terms in this section\n"]
    parts += [f"- {term_link(term, page, listed=True)}: {plain(term.short)}" for term in section_terms(library, section)]
    notes = [(paragraph, note) for paragraph in section.paragraphs for note in paragraph.annotations]
    if notes:
        parts.append("\n### Editors' notes\n")
        parts += [f"- [¶{paragraph.number}](#{paragraph.anchor}): {_annotation_label(note)}"
                  for paragraph, note in notes]
    if section.questions:
        parts.append("\n### Questions for discussion\n")
        parts += [f"{i}. {question}" for i, question in enumerate(section.questions, start=1)]
    return "\n".join(parts) + "\n"


def _annotation_label(annotation: Annotation) -> str:
    label = annotation.title or annotation.kind.capitalize()
    if annotation.kind == "update" and annotation.date:
        label = f"Since the article ({long_date(annotation.date)})" + (
            f": {annotation.title}" if annotation.title else "")
    return label


def key_terms(library: Library, reading: Reading) -> list[Term]:
    """Every term the reading references, A–Z."""
    slugs = {term.slug: term for section in reading.sections for term in section_terms(library, section)}
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
        text = shown_on(library, first.text, first.references, section.src_uri, page)
        parts.append(f"> {text} ({paragraph_link(reading, section, first, page)})\n"
                     "{ .standfirst }\n")
    if reading.introduction:
        parts.append(link_references(library, reading.introduction, page, reading.introduction_references) + "\n")
    parts.append("## Sections\n")
    for number, section in enumerate(reading.sections, start=1):
        mark = " *(heading supplied by the editors)*" if section.title_is_editorial else ""
        parts.append(f"{number}. [{section.title}]({relative(page, section.src_uri)}){mark} — "
                     f"¶{section.first}–¶{section.last}")
    parts.append("\n## Key terms\n")
    parts += [f"- {term_link(term, page, listed=True)}: {plain(term.short)}" for term in key_terms(library, reading)]
    parts.append("")
    parts.append(citation_markdown(reading))
    parts.append(f"\n## About this text\n\nThe article by {reading.author} was published by "
                 f"{reading.source} on {long_date(reading.date)}. It is reproduced verbatim, "
                 "paragraph by paragraph; headings, annotations and glossary links are the "
                 "editors' additions and are marked as such."
                 + (f" [Original article]({reading.url}){{ .external-link }}." if reading.url else "") + "\n")
    return "\n".join(parts)


def source_markdown(source: Source) -> str:
    text = f"[*{source.title}*]({source.url}){{ .external-link }}" if source.url else f"*{source.title}*"
    if source.publisher:
        text += f", {source.publisher}"
    if source.date:
        text += f", {long_date(source.date)}"
    return text + "."


def term_markdown(library: Library, term: Term, mentions: list[Mention]) -> str:
    page = term.page
    parts = [f"# {term.term}\n"]
    meta = f"**Category:** {term.category}"
    if term.aliases:
        meta += f" · **Also called:** {', '.join(term.aliases)}"
    parts.append(f"{meta}\n{{ .term-meta }}\n")
    parts.append(f"{plain(term.short)}\n{{ .term-short }}\n")
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
        parts += [f"- {term_link(other, page, listed=True)}" for other in see_also if other]
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
        by_letter[initial if initial.isalpha() else "0–9" if initial.isdigit() else "Other"].append(term)
    letters = sorted(by_letter, key=lambda letter: (len(letter) > 1, letter))
    parts = ["# Glossary\n",
             f"{len(terms)} terms, A–Z. Each entry gives a one-sentence definition, its category, "
             "its sources and every paragraph that mentions it.\n"]
    if letters:
        parts.append(" · ".join(f"[{letter}](#letter-{_letter_id(letter)})" for letter in letters)
                     + "\n{ .az-jump }\n")
    for letter in letters:
        parts.append(f"## {letter} {{ #letter-{_letter_id(letter)} }}\n")
        parts += [f"- {term_link(term, page, listed=True)} *({term.category})* — {plain(term.short)}"
                  for term in by_letter[letter]]
        parts.append("")
    return "\n".join(parts)


def _letter_id(letter: str) -> str:
    return {"0–9": "digits", "Other": "other"}.get(letter, letter.lower())


def catalogue_markdown(library: Library) -> str:
    page = CATALOGUE
    parts = ["# Readings\n"]
    for reading in library.readings:
        mark = " *(title supplied by the editors)*" if reading.title_is_editorial else ""
        parts.append(f"- [{reading.title}]({relative(page, reading.src_uri)}){mark} — "
                     f"{reading.dateline}, by {reading.author}")
    return "\n".join(parts) + "\n"


# -- citations -------------------------------------------------------------------


MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def _name_parts(author: str) -> tuple[str, list[str]]:
    """("Author", ["Ann"]) for "Ann Author"; ("Reuters", []) for an organisation."""
    words = author.split()
    return words[-1], words[:-1]


def citations(reading: Reading) -> dict[str, str]:
    """The original article cited in APA (7th), MLA (9th) and Chicago (17th, bibliography).

    Markdown, with the title in italics or quotes as each style asks. A title
    supplied by the editors is given in square brackets, as a description.
    """
    surname, given = _name_parts(reading.author)
    apa_author = f"{surname}, {' '.join(f'{name[0]}.' for name in given)}" if given else f"{surname}."
    full_author = f"{surname}, {' '.join(given)}." if given else f"{surname}."
    title = reading.published_title
    date = reading.date
    url = f" {reading.url}" if reading.url else ""
    apa_title = f"*{title}*" if title else f"[{reading.title}]"
    quoted = f"“{title}.”" if title else f"[{reading.title}]."
    mla_date = f"{date.day} {MLA_MONTHS[date.month - 1]} {date.year}"
    return {
        "APA": f"{apa_author} ({date.year}, {date:%B} {date.day}). {apa_title}. {reading.source}.{url}",
        "MLA": f"{full_author} {quoted} *{reading.source}*, {mla_date}"
               + (f", {reading.url}." if reading.url else "."),
        "Chicago": f"{full_author} {quoted} *{reading.source}*, {date:%B} {date.day}, {date.year}." + url,
    }


def _plain(markdown: str) -> str:
    return markdown.replace("*", "")


def citation_markdown(reading: Reading) -> str:
    parts = ["## Cite this reading { #cite }\n",
             "Citations of the original article, generated from the reading's details."
             + ("" if reading.published_title else
                " The title in square brackets is the editors' description: replace it with the "
                "headline as published if you have it.") + "\n"]
    for style, text in citations(reading).items():
        copy = html.escape(_plain(text), quote=True)
        parts.append(f"**{style}**\n{{ .citation-style }}\n\n{text}\n{{ .citation }}\n\n"
                     f'<button type="button" class="copy-text md-button" data-copy="{copy}" '
                     f'aria-label="Copy the {style} citation">Copy {style}</button>\n')
    return "\n".join(parts)


# -- timeline ---------------------------------------------------------------------


def timeline_markdown(library: Library) -> str:
    """Every dated event and update in the glossary, with each reading's date marked."""
    page = TIMELINE
    entries: list[tuple[dt.date, int, str]] = []
    for term in library.terms.values():
        link = term_link(term, page, listed=True)
        entries += [(e.date, 1, f"{e.text} ({link})") for e in term.events]
        entries += [(u.date, 1, f"{u.text} ({link}) *— update*") for u in term.updates]
    for reading in library.readings:
        entries.append((reading.date, 0,
                        f"**Published: [{reading.title}]({relative(page, reading.src_uri)})**, "
                        f"{reading.source}, by {reading.author}. *What the author could know ends here.*"))
    latest = max((r.date for r in library.readings), default=None)
    parts = ["# Timeline\n",
             "Every dated event in the glossary, oldest first. The date each reading was published "
             "is marked, so you can see what its author could and could not know; events after the "
             "latest reading are marked *after the article*.\n"]
    for year, group in groupby(sorted(entries, key=lambda e: (e[0], e[1], e[2])), key=lambda e: e[0].year):
        parts.append(f"## {year}\n")
        for date, is_event, text in group:
            after = " *(after the article)*" if is_event and latest and date > latest else ""
            marker = "{ .timeline-reading }" if not is_event else ""
            parts.append(f"- **{long_date(date)}** — {text}{after}")
            if marker:
                parts.append(f"  {marker}")
        parts.append("")
    return "\n".join(parts)


# -- assignments --------------------------------------------------------------------


def assignment_markdown(library: Library, assignment: Assignment) -> str:
    page = assignment.src_uri
    reading = library.reading(assignment.reading)
    parts = [f"# {assignment.title}\n"]
    meta = []
    if assignment.due:
        meta.append(f"**Due:** {long_date(assignment.due)}")
    if reading is not None:
        meta.append(f"**Reading:** [{reading.title}]({relative(page, reading.src_uri)}), "
                    f"{', '.join(str(r) for r in assignment.ranges)}")
    if meta:
        parts.append(" · ".join(meta) + "\n{ .assignment-meta }\n")
    if assignment.notes:
        parts.append(link_references(library, assignment.notes, page, assignment.references) + "\n")
    terms = [t for t in (library.resolve(name) for name in assignment.key_terms) if t]
    if terms:
        parts.append("## Key terms\n")
        parts += [f"- {term_link(term, page, listed=True)}: {plain(term.short)}" for term in terms]
        parts.append("")
    if reading is not None:
        parts.append("## Assigned paragraphs\n")
        for section in reading.sections:
            chosen = [p for p in section.paragraphs if assignment.covers(p.number)]
            if chosen:
                parts.append(f"### {section.title} {{ #{section_anchor(section)} }}\n")
                parts.append(f"From [{section.title}]({relative(page, section.src_uri)})"
                             f"{' (heading supplied by the editors)' if section.title_is_editorial else ''}"
                             f", {reading.dateline}, by {reading.author}.\n{{ .reading-byline }}\n")
                parts += [paragraph_markdown(library, section, p, page) for p in chosen]
    if assignment.questions:
        parts.append("## Questions\n")
        parts += [f"{i}. {q}" for i, q in enumerate(assignment.questions, start=1)]
        parts.append("")
    if reading is not None:
        on_page = _terms_in(library, assignment)
        noted = (library.resolve(r.target) for r in assignment.references if not r.problem)
        on_page += [t for t in [*terms, *noted] if t is not None and t not in on_page]
        parts.append("## Terms on this page\n")
        parts += [f"- {term_link(term, page, listed=True)}: {plain(term.short)}"
                  for term in sorted(on_page, key=lambda term: term.term.casefold())]
        parts.append("")
        parts.append(f"[Read the whole reading]({relative(page, reading.src_uri)}){{ .md-button }}\n")
    return "\n".join(parts)


def section_anchor(section: Section) -> str:
    return "section-" + posixpath.splitext(posixpath.basename(section.src_uri))[0]


def _terms_in(library: Library, assignment: Assignment) -> list[Term]:
    """Terms referenced in the paragraphs an assignment covers, A–Z."""
    found: dict[str, Term] = {}
    for paragraph in library.assigned_paragraphs(assignment):
        for term in filter(None, map(library.resolve, (r.target for r in paragraph.all_references()))):
            found.setdefault(term.slug, term)
    return sorted(found.values(), key=lambda term: term.term.casefold())


def assignments_index_markdown(library: Library) -> str:
    page = ASSIGNMENTS_INDEX
    parts = ["# Assignments\n"]
    if not library.assignments:
        parts.append("*No assignments yet. The instructor's guide explains how to add one.*")
    for assignment in sorted(library.assignments, key=lambda a: (a.due or dt.date.max, a.title)):
        reading = library.reading(assignment.reading)
        due = f" — due {long_date(assignment.due)}" if assignment.due else ""
        what = f": {reading.title}, {', '.join(str(r) for r in assignment.ranges)}" if reading else ""
        parts.append(f"- [{assignment.title}]({relative(page, assignment.src_uri)}){due}{what}")
    return "\n".join(parts) + "\n"


GENERATED_PAGES = {
    GLOSSARY_INDEX: glossary_index_markdown,
    CATALOGUE: catalogue_markdown,
    TIMELINE: timeline_markdown,
    ASSIGNMENTS_INDEX: assignments_index_markdown,
}
"""Index pages the hooks add unless the docs folder has a hand-written one."""
