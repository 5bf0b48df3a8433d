"""Turn the model into page plans (:mod:`readinglib.plan`), and plans into Markdown.

Every page of the site is planned here, once: :func:`site_plans`. Authored Markdown
enters as :class:`~readinglib.plan.Authored` blocks, already validated by the loader.
What we generate is HTML (:class:`~readinglib.plan.Markup`, put in after Markdown
conversion, :mod:`readinglib.markup`), except headings and the odd line that wraps
authored text, which stay Markdown so the page's table of contents lists them; so is an
authored paragraph of plain words, which Markdown would leave as it is
(:mod:`readinglib.plaintext`). Plain
text from the sources enters a page only through :func:`readinglib.text.html_text`
(HTML) or :func:`readinglib.text.markdown_text` (Markdown). Links are relative links
to ``.md`` files, so they work whatever ``use_directory_urls`` is: MkDocs resolves and
validates those in Markdown, :mod:`readinglib.markup` those in generated HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import groupby

from readinglib.anchors import HEADING, MARKUP, Link, rebase_links
from readinglib.diagnostics import Diagnostic, error
from readinglib.model import (
    Annotation, Assignment, Library, Page, PageMeta, Paragraph, ParagraphRange, Reading, Section, Source, Term,
)
from readinglib.matcher import Occurrence
from readinglib.markup import Rendered
from readinglib.plaintext import PlainText
from readinglib.plan import Authored, Block, Deferred, Furniture, Markup, PagePlan, WrittenLink
from readinglib.references import Reference, plain_words, replace_references
from readinglib.text import html_text, html_url, json_element, markdown_text

GLOSSARY_INDEX = "glossary/index.md"
CATALOGUE = "readings/index.md"
ASSIGNMENTS_INDEX = "assignments/index.md"
TIMELINE = "timeline.md"
ANNOTATION_STYLES = {"context": "info", "explanation": "note", "update": "warning"}
text = markdown_text  # the one way plain source text enters a page's Markdown


def long_date(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def relative(page: str, target: str) -> str:
    """Path of ``target`` as a link written in ``page`` (both normalised, docs-relative)."""
    return _relative(page.rpartition("/")[0], target)


@lru_cache(maxsize=65536)  # the pages of a folder link the same pages
def _relative(page_folder: str, target: str) -> str:
    folder = page_folder.split("/") if page_folder else []
    parts = target.split("/")
    common = 0
    while common < len(folder) and common < len(parts) - 1 and folder[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(folder) - common) + parts[common:])


def link(label_markdown: str, page: str, target: str, fragment: str | None = None) -> str:
    """A Markdown link from ``page`` to the docs page ``target``; the label is Markdown already."""
    return f"[{label_markdown}]({relative(page, target)}{'#' + fragment if fragment else ''})"


def term_link(term: Term, page: str, label_markdown: str | None = None, *, listed: bool = False,
              preview: bool = True) -> str:
    """A link to the term's page that previews the term (``data-term``, read by reading.js
    from the page's preview data, :mod:`readinglib.previews`); without JavaScript it leads to the entry.

    ``listed`` marks links in generated lists (key terms, study guides), which
    are not references written in the sources. ``preview=False`` where the short
    definition is printed beside the link, so nobody is told it twice.
    """
    label = label_markdown if label_markdown is not None else text(term.term)
    classes = ".term-link .term-list-link" if listed else ".term-link"
    data = f' data-term="{term.slug}"' if preview else ""  # a slug: lower-case words, nothing to escape
    return f"[{label}]({relative(page, term.page)}){{ {classes}{data} }}"


def html_link(label_html: str, page: str, target: str, fragment: str | None = None, attributes: str = "") -> str:
    """An HTML link from ``page`` to the docs page ``target``, written as a relative ``.md``
    link that becomes the page's URL when the HTML is put in (:mod:`readinglib.markup`);
    the label is HTML already, ``attributes`` ours (`` class="…"``)."""
    if target == page and fragment:
        href = f"#{fragment}"
    else:
        href = relative(page, target) + (f"#{fragment}" if fragment else "")
    return f'<a href="{href}"{attributes}>{label_html}</a>'


def html_term_link(term: Term, page: str, label_html: str | None = None, *, listed: bool = False,
                   preview: bool = True) -> str:
    """:func:`term_link` as HTML."""
    classes = "term-link term-list-link" if listed else "term-link"
    data = f' data-term="{term.slug}"' if preview else ""
    label = label_html if label_html is not None else html_text(term.term)
    return html_link(label, page, term.page, attributes=f' class="{classes}"{data}')


def html_term_item(term: Term, page: str) -> str:
    """A term linked, then its short definition, as an HTML list item (key terms, study guides)."""
    return f"<li>{html_term_link(term, page, listed=True, preview=False)}: {html_text(term.short)}</li>\n"


def html_list(items: list[str], tag: str = "ul") -> str:
    """List items (HTML) as a list, as Markdown writes one."""
    return f"<{tag}>\n{''.join(items)}</{tag}>"


# -- rendering a plan ------------------------------------------------------------------


def render(library: Library, plan: PagePlan, plain: PlainText | None = None) -> Rendered:
    """The Markdown MkDocs renders for ``plan``: furniture as planned (generated HTML as
    placeholders, :mod:`readinglib.markup`), authored text with its references as term
    links and its relative links moved to work from this page. With ``plain`` (the site's
    Markdown, :mod:`readinglib.plaintext`), an authored paragraph of plain words is HTML too."""
    rendered = Rendered(plan.src_uri)
    pieces: list[str] = []
    openings: dict[str, Markup] = {}  # a page links the same terms again and again
    blocks = [block.markup() if isinstance(block, Deferred) else block for block in plan.blocks]
    if plain is not None and not plain.defines_abbreviations(block.text for block in plan.authored_blocks()):
        words: list[tuple[str, str]] = []
        blocks = list(_plain_paragraphs(library, blocks, plan.src_uri, plain, openings, words))
        leads = sum(1 for block in plan.blocks if isinstance(block, Markup) and block.place == "lead")
        rendered.paragraph_words = words if len(words) == leads else None
    for block in _joined(blocks):
        if isinstance(block, Furniture):
            pieces.append(block.markdown)
        elif isinstance(block, Markup):
            pieces.append(rendered.placeholder(block))
        else:
            pieces.append(shown_on(library, rendered, block.text, list(block.references), block.written_in,
                                   openings))
    rendered.markdown = "".join(pieces)
    return rendered


def _plain_paragraphs(library: Library, blocks: list[Block], page: str, plain: PlainText,
                      openings: dict[str, Markup], words: list[tuple[str, str]]) -> Iterator[Block]:
    """The blocks of ``page``, each authored paragraph of plain words (with the lead that
    opens it, if any) as the HTML Markdown would make of it; ``words`` gets (anchor, words)
    of each numbered paragraph (one opened by a lead) put in so."""
    last = len(blocks) - 1
    skip = False
    for at, block in enumerate(blocks):
        if skip:
            skip = False
            continue
        after = blocks[at + 1] if at < last else None
        if isinstance(block, Markup) and block.place == "lead" and isinstance(after, Authored):
            shown = _plain_html(library, page, after, plain, openings)
            if shown is not None and _ends_paragraph(blocks[at + 2] if at + 1 < last else None):
                yield Markup(f"{block.html}{shown}</p>", "block", block.anchors, block.links, block.searchable)
                words.extend((anchor, plain_words(after.text, list(after.references))) for anchor in block.anchors[:1])
                skip = True
                continue
        elif isinstance(block, Authored) and _ends_paragraph(blocks[at - 1] if at else None, before=True) \
                and _ends_paragraph(after):
            shown = _plain_html(library, page, block, plain, openings)
            if shown is not None:
                yield Markup(f"<p>{shown}</p>")
                continue
        yield block


def _ends_paragraph(block: Block | None, before: bool = False) -> bool:
    """Whether ``block`` (None: the page's start or end) parts the paragraphs on each side of it."""
    if block is None or (isinstance(block, Markup) and block.place == "block"):
        return True
    return isinstance(block, Furniture) and (block.markdown.endswith("\n\n") if before
                                             else block.markdown.startswith("\n\n"))


def _plain_html(library: Library, page: str, block: Authored, plain: PlainText,
                openings: dict[str, Markup]) -> str | None:
    """The HTML of ``block`` on ``page`` when it is plain words (its references' labels too),
    as Markdown would make it; else None."""
    if block.indent:
        return None
    references = list(block.references)
    if not plain.is_plain(replace_references(block.text, lambda reference: reference.text, references)
                          if references else block.text):
        return None

    def as_link(reference: Reference) -> str:
        term = library.resolve(reference.target)
        if term is None:
            return reference.text
        return f"{_opening(term, page, openings).html}{reference.text}</a>"

    return replace_references(block.text, as_link, references) if references else block.text


def _joined(blocks: list[Block]) -> Iterator[Block]:
    """The blocks, each run of HTML blocks as one (one placeholder: each is converted as a
    paragraph of Markdown), with what search reads of it, and the blank lines between
    them dropped (a placeholder stands apart without them)."""
    run: list[Markup] = []
    gap: list[Block] = []  # blank lines after the run, until it goes on or ends
    for block in [*blocks, None]:
        if isinstance(block, Markup) and block.place == "block":
            run.append(block)
            gap = []
            continue
        if run and isinstance(block, Furniture) and not block.markdown.strip() and not block.anchors \
                and not block.links:
            gap.append(block)
            continue
        if run:
            yield run[0] if len(run) == 1 else _one_block(run)
            run = []
        yield from gap
        gap = []
        if block is not None:
            yield block


def _one_block(run: list[Markup]) -> Markup:
    """HTML blocks that follow each other as one, as Markdown would set them apart."""
    searchable = [block.searchable and block.searched is None for block in run]
    mixed = any(searchable) and not all(searchable)
    return Markup("\n".join(block.html for block in run), anchors=tuple(a for b in run for a in b.anchors),
                  links=tuple(link for b in run for link in b.links), searchable=any(searchable),
                  searched="\n".join(block.html if seen else block.searched or "" for block, seen in zip(run, searchable))
                  if mixed else None)


def shown_on(library: Library, rendered: Rendered, markdown: str, references: list[Reference],
             written_in: str, openings: dict[str, Markup] | None = None) -> str:
    """Authored Markdown written in the page ``written_in``, as shown on the page being
    rendered: each reference a term link, relative links moved to work from there.

    A term link is HTML around the reference's words, which stay Markdown; in a heading,
    whose text names its anchor, it is a Markdown link. ``openings`` keeps each term's
    opening tag for the rest of the page."""
    page = rendered.src_uri
    openings = {} if openings is None else openings

    def as_link(reference: Reference) -> str:
        term = library.resolve(reference.target)
        if term is None:
            return reference.text
        if _in_heading(markdown, reference.start):
            return term_link(term, written_in, reference.text)  # moved below, as the text's own links
        return rendered.placeholder(_opening(term, page, openings)) + reference.text + rendered.placeholder(_CLOSING)

    return moved_links(replace_references(markdown, as_link, references), written_in, page)


def _opening(term: Term, page: str, openings: dict[str, Markup]) -> Markup:
    """The opening tag of a link to ``term`` on ``page`` (made once a page: ``openings``)."""
    opening = openings.get(term.slug)
    if opening is None:
        opening = openings[term.slug] = Markup(html_term_link(term, page, label_html="").removesuffix("</a>"),
                                               place="inline")
    return opening


_CLOSING = Markup("</a>", place="inline")
_UNDERLINE = re.compile(r"[ ]{0,3}(?:=+|-+)[ \t]*")
_ATX = re.compile(r"(?:[ \t]*(?:>|[-*+][ \t]|\d+[.)][ \t]))*[ \t]*#")
"""A heading line, also in a quote or a list item (``> ## …``, ``- ## …``)."""


def _in_heading(markdown: str, at: int) -> bool:
    """Whether position ``at`` of ``markdown`` is in a heading: ``# …``, or a line underlined."""
    if _ATX.match(markdown, markdown.rfind("\n", 0, at) + 1):  # (the pattern stays on its line)
        return True
    end = markdown.find("\n", at)
    if end < 0:  # the last line: none under it
        return False
    following = markdown.find("\n", end + 1)
    return _UNDERLINE.fullmatch(markdown, end + 1, len(markdown) if following < 0 else following) is not None


def moved_links(markdown: str, written_in: str, page: str) -> str:
    """``markdown`` written in the page ``written_in``, its relative links rewritten to work from ``page``."""

    def rebase(target: str) -> str:
        written = Link(target, 0, 0)
        if written.is_external or target.startswith("/"):
            return target
        path, fragment = written.split()
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(written_in), path)) if path else written_in
        return relative(page, resolved) + (f"#{fragment}" if fragment is not None else "")

    return markdown if page == written_in else rebase_links(markdown, rebase)


# -- readings ----------------------------------------------------------------------------


def add_paragraph(plan: PagePlan, section: Section, paragraph: Paragraph) -> None:
    """A numbered, anchored paragraph and its notes. On the section's own page the number
    links to ``#pN``; elsewhere (an assignment) to the paragraph in the reading."""
    n = paragraph.number
    # One tab stop per paragraph: reading.js shows the button (hidden without JavaScript, when
    # it could not copy) and takes the number out of the tab order. The button opens a menu:
    # copy the paragraph's link, or cite it (the page's PARAGRAPH_CITATIONS data).
    number = html_link(f"¶{n}", plan.src_uri, section.src_uri, paragraph.anchor,
                       f' aria-label="Paragraph {n}, link to this paragraph" class="para-num"')
    plan.add_html(f'<p class="para" data-para="{n}" id="{paragraph.anchor}">{number}'
                  f'<button type="button" class="para-copy" data-anchor="{paragraph.anchor}" hidden '
                  f'aria-haspopup="menu" aria-expanded="false" aria-label="Link or cite paragraph {n}" '
                  f'title="Link or cite paragraph {n}"></button> ',  # its icon is CSS (reading.css), not markup
                  paragraph.anchor, place="lead", searchable=False)  # indexed one by one (searchindex)
    plan.authored(paragraph.text, section.path, paragraph.line, section.src_uri, paragraph.references)
    plan.add("\n\n")
    for note in paragraph.annotations:
        style = ANNOTATION_STYLES.get(note.kind, "note")
        plan.add_html(f'<details class="{style} annotation">\n<summary>{note_summary(note, n)}</summary>')
        plan.authored(note.text, section.path, note.text_line, section.src_uri, note.references)
        if note.reviewed:
            plan.add_html(f'<p class="last-reviewed">Last reviewed {long_date(note.reviewed)}.</p>')
        plan.add_html("</details>")


def annotation_label(annotation: Annotation) -> str:
    """A note's label as plain text."""
    label = annotation.title or annotation.kind.capitalize()
    if annotation.kind == "update" and annotation.date:
        label = f"Since the article ({long_date(annotation.date)})" + (
            f": {annotation.title}" if annotation.title else "")
    return label


NOTE_KINDS = {"context": "Context", "explanation": "Explanation", "update": "Update"}


def note_kind(annotation: Annotation) -> str:
    return NOTE_KINDS.get(annotation.kind, annotation.kind.capitalize())


def note_summary(annotation: Annotation, number: int) -> str:
    """A note's one-line marker (HTML, every plain-text value escaped): who wrote it and
    where (for screen readers), its kind, or for an update a dated badge, and its title."""
    where = '<em class="note-where">' + html_text(f"Editors' note on ¶{number}:") + "</em>"
    return f"{where} {note_marker(annotation)}"


def note_marker(annotation: Annotation) -> str:
    """:func:`note_marker` as HTML."""
    if annotation.kind == "update" and annotation.date:
        kind = f'<em class="note-badge">{html_text(f"Update {long_date(annotation.date)}")}</em>'
    else:
        kind = f'<em class="note-kind">{html_text(note_kind(annotation))}</em>'
    return kind + (f" · {html_text(annotation.title)}" if annotation.title else "")


def byline(reading: Reading, page: str) -> str:
    """The reading, its date and author, as the HTML paragraph under a section's title."""
    mark = " (title supplied by the editors)" if reading.title_is_editorial else ""
    return (f'<p class="reading-byline">{html_link(html_text(reading.title), page, reading.src_uri)}{mark} · '
            f"{html_text(reading.dateline)} · by {html_text(reading.author)}</p>")


WORDS_PER_MINUTE = 200
NOTES_SWITCH = ' <button type="button" class="notes-switch md-button" hidden>Show all notes</button>'
"""The page's one switch for its editors' notes; ``notes.js`` shows it and remembers the choice."""


@lru_cache(maxsize=65536)  # the same texts serve descriptions, reading times and practice cards
def plain_text(markdown: str) -> str:
    """Authored Markdown as the words a reader sees (:func:`readinglib.references.plain_words`):
    for descriptions and reading times, never shown as Markdown. A paragraph's own is
    :attr:`readinglib.model.Paragraph.plain`."""
    return plain_words(markdown)


def first_sentence(markdown: str, limit: int = 200, words: str | None = None) -> str:
    """The first sentence of ``markdown`` (whose plain ``words`` the caller may know), cut at ``limit``."""
    words = plain_text(markdown) if words is None else words
    sentence = sentence_at(words, 0)
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"


_SENTENCE_BREAK = re.compile(r"[.!?](\s+)(?=[A-Z“\"‘'])")
"""The space after a sentence's closing mark and before a capital or an opening quote (its
group); found by the mark, a literal start, which is quick."""


def sentence_at(words: str, at: int) -> str:
    """The sentence of plain ``words`` holding position ``at`` (0: the first)."""
    start, end = 0, len(words)
    for found in _SENTENCE_BREAK.finditer(words):
        if found.end(1) <= at:
            start = found.end(1)
        else:
            end = found.start(1)
            break
    return words[start:end]


def reading_minutes(section: Section) -> int:
    words = sum(len(p.plain.split()) for p in section.paragraphs)
    return max(1, round(words / WORDS_PER_MINUTE))


def section_position(reading: Reading, section: Section) -> str:
    """"Section 2 of 3 · about 4 min", plain text."""
    number = reading.sections.index(section) + 1
    return f"Section {number} of {len(reading.sections)} · about {reading_minutes(section)} min"


def section_description(reading: Reading, section: Section) -> str:
    number = reading.sections.index(section) + 1
    first = section.paragraphs[0] if section.paragraphs else None
    opening = f": {first_sentence(first.text, words=first.plain)}" if first else ""
    return f"{reading.title}, section {number} of {len(reading.sections)}, {section.title}{opening}"


def section_plan(library: Library, reading: Reading, section: Section, citations_data: str | None = None) -> PagePlan:
    """A section's page; ``citations_data`` is the reading's paragraph citations as a data element
    (:func:`paragraph_citations_data`), when the caller has made it for all of its sections."""
    meta = section.meta if section.meta.description else replace(
        section.meta, description=section_description(reading, section))
    plan = PagePlan(section.src_uri, section.path, section.title, meta=meta)
    plan.add(f"# {text(section.title)}\n\n")
    if section.title_is_editorial:
        plan.add_html('<p class="editorial-mark"><em>Heading supplied by the editors: this part of the article '
                      "has no heading of its own.</em></p>")
    plan.add_html(byline(reading, plan.src_uri))
    switch = NOTES_SWITCH if any(paragraph.annotations for paragraph in section.paragraphs) else ""
    plan.add_html(f'<p class="section-position"><em>{html_text(section_position(reading, section))}</em>'
                  f"{switch}{PRINT_BUTTON}</p>")
    for paragraph in section.paragraphs:
        add_paragraph(plan, section, paragraph)
    add_study_guide(library, plan, section)
    add_handout_furniture(plan, reading.title, button=False)  # the button sits on the position line
    add_paragraph_citations(plan, reading, citations_data)
    return plan


def section_terms(library: Library, section: Section) -> list[Term]:
    """Terms referenced in a section, in order of first mention."""
    known = library.section_terms.get(section.src_uri)
    return known if known is not None else library.terms_of(section)


def add_study_guide(library: Library, plan: PagePlan, section: Section) -> None:
    """Terms, editors' notes and questions of one section, derived from the model."""
    page = plan.src_uri
    notes = [(paragraph, note) for paragraph in section.paragraphs for note in paragraph.annotations]
    # folded under its heading, so the page is mostly the article; opened when printed or linked into
    plan.add_html('<details class="study-guide">\n<summary>')
    plan.heading(2, "Study guide", "study-guide")
    plan.add_html("</summary>")
    plan.heading(3, "Terms in this section", "terms-in-this-section")
    plan.add_html(html_list([html_term_item(term, page) for term in section_terms(library, section)]),
                  searchable=False)  # the glossary's words
    if notes:
        plan.heading(3, "Editors' notes", "editors-notes")
        plan.add_html(html_list([f'<li><a href="#{p.anchor}">¶{p.number}</a>: {html_text(annotation_label(note))}</li>\n'
                                 for p, note in notes]), searchable=False)
    if section.questions:
        plan.heading(3, "Questions for discussion", "questions-for-discussion")
        plan.add_html(html_list([f"<li>{html_text(question)}</li>\n" for question in section.questions], "ol"))
    plan.add_html("</details>")


def key_terms(library: Library, reading: Reading) -> list[Term]:
    """Every term the reading references, A–Z."""
    slugs = {term.slug: term for section in reading.sections for term in section_terms(library, section)}
    return sorted(slugs.values(), key=lambda term: term.term.casefold())


def epub_download(reading: Reading) -> str:
    """Where the site offers the reading's EPUB (:mod:`readinglib.epub`): beside its overview."""
    return f"readings/{reading.slug}/{reading.slug}.epub"


def overview_plan(library: Library, reading: Reading) -> PagePlan:
    page = reading.src_uri
    first = next(reading.paragraphs, None)
    meta = reading.meta if reading.meta.description or first is None else replace(
        reading.meta, description=f"{reading.title} ({reading.source}, {long_date(reading.date)}, by "
                                  f"{reading.author}), annotated: {first_sentence(first.text, words=first.plain)}")
    plan = PagePlan(page, reading.path, reading.title, meta=meta)
    plan.add(f"# {text(reading.title)}\n\n")
    if reading.title_is_editorial:
        plan.add_html(f'<p class="editorial-mark"><em>{html_text(editors_title_note(reading))}</em></p>')
    plan.add_html(f'<p class="reading-byline">{html_text(reading.dateline)} · by {html_text(reading.author)}</p>')
    if first is not None:
        section = reading.sections[0]
        plan.add("> ")
        plan.authored(first.text, section.path, first.line, section.src_uri, first.references)
        plan.add(f" ({link(f'¶{first.number}', page, section.src_uri, first.anchor)})\n{{ .standfirst }}\n\n")
    if reading.introduction:
        plan.authored(reading.introduction, reading.path, reading.introduction_line, page,
                      reading.introduction_references)
        plan.add("\n\n")
    plan.heading(2, "Sections", "sections")
    items = []
    for section in reading.sections:
        mark = " <em>(heading supplied by the editors)</em>" if section.title_is_editorial else ""
        items.append(f"<li>{html_link(html_text(section.title), page, section.src_uri)}{mark} — "
                     f"¶{section.first}–¶{section.last} · about {reading_minutes(section)} min</li>\n")
    plan.add_html(html_list(items, "ol"))
    from readinglib.studypages import practice_link  # studypages plans with this module's helpers

    if reading.practice:
        plan.add_html(practice_link(reading))
    plan.add_html(f"<p>{html_link('Download the EPUB', page, epub_download(reading), attributes=EPUB_CLASS)}: "
                  "this reading as an e-book, with its notes and glossary, for reading offline on an e-reader "
                  "or phone.</p>")
    add_reading_notes(plan, reading)
    plan.heading(2, "Key terms", "key-terms")
    plan.add_html(html_list([html_term_item(term, page) for term in key_terms(library, reading)]), searchable=False)
    add_citations(plan, reading)
    plan.heading(2, "About this text", "about-this-text")
    original = (f' <a class="external-link" href="{html_url(reading.url)}">Original article</a>.'
                if reading.url else "")
    plan.add_html(f"<p>The article by {html_text(reading.author)} was published by {html_text(reading.source)} on "
                  f"{long_date(reading.date)}. It is reproduced verbatim, paragraph by paragraph; headings, "
                  f"annotations and glossary links are the editors' additions and are marked as such.{original}</p>",
                  links=_written(reading.url, reading.path, reading.position(("url", "value"))))
    return plan


def term_facts(term: Term) -> list[tuple[str, str]]:
    """The line under an entry's name, as (label, plain text) pairs: category, other names,
    last review (no label)."""
    facts = [("Category", term.category)]
    if term.aliases:
        facts.append(("Also called", ", ".join(term.aliases)))
    if term.reviewed:
        facts.append(("", f"Last reviewed {long_date(term.reviewed)}"))
    return facts


EPUB_CLASS = ' class="epub-download"'


def editors_title_note(reading: Reading) -> str:
    """Under an editors' title (plain text): what the article was published as."""
    original = (f"published under the headline “{reading.published_title}”" if reading.published_title
                else "the text is reproduced without its original headline")
    return f"Title supplied by the editors: {original}."


def add_reading_notes(plan: PagePlan, reading: Reading) -> None:
    """Every editors' note of the reading, filterable by kind (radio buttons: the filter is
    CSS, so it works without JavaScript or a server), and every dated update, newest first."""
    page = plan.src_uri
    notes = [(section, paragraph, note) for section in reading.sections
             for paragraph in section.paragraphs for note in paragraph.annotations]
    if not notes:
        return

    def where(section: Section, paragraph: Paragraph) -> str:
        return f"{html_link(f'¶{paragraph.number}', page, section.src_uri, paragraph.anchor)} ({html_text(section.title)})"

    plan.heading(2, "Editors' notes", "notes")
    counts = {kind: sum(note.kind == kind for _, _, note in notes)
              for kind in dict.fromkeys(note.kind for _, _, note in notes)}
    choices = [("all", f"All ({len(notes)})")] + [
        (kind, f"{NOTE_KINDS.get(kind, kind.capitalize())} ({count})") for kind, count in counts.items()]
    radios = "".join(
        f'<label><input type="radio" name="note-kind" value="{html_text(kind)}"{" checked" if kind == "all" else ""}> '
        f'{html_text(label)}</label>' for kind, label in choices)
    plan.add_html(f'<fieldset class="note-filter"><legend>Filter notes by kind</legend>{radios}</fieldset>\n'
                  '<p class="note-filter-status" role="status" aria-live="polite"></p>')
    plan.add_html(html_list([
        f'<li class="note-item" data-kind="{html_text(note.kind)}">{note_marker(note)} — '
        f"{where(section, paragraph)}</li>\n" for section, paragraph, note in notes]), searchable=False)
    updates = sorted(((note.date, section, paragraph, note) for section, paragraph, note in notes
                      if note.kind == "update" and note.date), key=lambda update: update[0], reverse=True)
    if updates:
        plan.heading(2, "What changed since publication", "changes")
        plan.add_html(f"<p>Editors' updates on what happened after {long_date(reading.date)}, newest first.</p>")
        plan.add_html(html_list([
            f'<li><em class="note-badge">{long_date(date)}</em> {html_text(note.title or first_sentence(note.text, 120))}'
            f" — on {where(section, paragraph)}</li>\n"
            for date, section, paragraph, note in updates]), searchable=False)


def catalogue_plan(library: Library) -> PagePlan:
    page = CATALOGUE
    plan = PagePlan(page, page, "Readings", in_nav=False, generated=True)
    plan.add("# Readings\n\n")
    items = []
    for reading in library.readings:
        mark = " <em>(title supplied by the editors)</em>" if reading.title_is_editorial else ""
        items.append(f"<li>{html_link(html_text(reading.title), page, reading.src_uri)}{mark} — "
                     f"{html_text(reading.dateline)}, by {html_text(reading.author)}</li>\n")
    if items:
        plan.add_html(html_list(items))
    return plan


# -- citations -------------------------------------------------------------------


MLA_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
Citation = list[tuple[str, bool]]
"""A citation as pieces of plain text, each ``True`` when the style sets it in italics."""


def _name_parts(author: str) -> tuple[str, list[str]]:
    """("Author", ["Ann"]) for "Ann Author"; ("Reuters", []) for an organisation."""
    words = author.split()
    return words[-1], words[:-1]


def citations(reading: Reading) -> dict[str, Citation]:
    """The original article cited in APA (7th), MLA (9th) and Chicago (17th, bibliography).

    A title supplied by the editors is given in square brackets, as a description.
    """
    surname, given = _name_parts(reading.author)
    apa_author = f"{surname}, {' '.join(f'{name[0]}.' for name in given)}" if given else f"{surname}."
    full_author = f"{surname}, {' '.join(given)}." if given else f"{surname}."
    title = reading.headline
    date = reading.date
    url = f" {reading.url}" if reading.url else ""
    apa_title = [(title, True)] if title else [(f"[{reading.title}]", False)]
    quoted = f"“{title}.”" if title else f"[{reading.title}]."
    mla_date = f"{date.day} {MLA_MONTHS[date.month - 1]} {date.year}"
    return {
        "APA": [(f"{apa_author} ({date.year}, {date:%B} {date.day}). ", False), *apa_title,
                (f". {reading.source}.{url}", False)],
        "MLA": [(f"{full_author} {quoted} ", False), (reading.source, True),
                (f", {mla_date}" + (f", {reading.url}." if reading.url else "."), False)],
        "Chicago": [(f"{full_author} {quoted} ", False), (reading.source, True),
                    (f", {date:%B} {date.day}, {date.year}.{url}", False)],
    }


PARAGRAPH_CITATIONS = "paragraph-citations"
"""The id of the data element holding a page's paragraph citations (read by reading.js)."""


def paragraph_citations(reading: Reading) -> dict[str, list[list[str]]]:
    """How to cite one paragraph of ``reading`` in each style, as labelled lines in which
    ``{n}`` stands for the paragraph's number: the in-text citation or note with the
    paragraph as locator, then the full entry (:func:`citations`)."""
    surname, given = _name_parts(reading.author)
    title = f"“{reading.headline},”" if reading.headline else f"[{reading.title}],"
    date = reading.date
    url = f", {reading.url}" if reading.url else ""
    full = {style: citation_text(citation) for style, citation in citations(reading).items()}
    return {
        "APA": [["In text", f"({surname}, {date.year}, para. {{n}})"], ["Reference", full["APA"]]],
        "MLA": [["In text", f"({surname}, par. {{n}})"], ["Works cited", full["MLA"]]],
        "Chicago": [["Note", f"{' '.join([*given, surname])}, {title} {reading.source}, "
                             f"{date:%B} {date.day}, {date.year}, para. {{n}}{url}."],
                    ["Bibliography", full["Chicago"]]],
    }


def paragraph_citations_data(reading: Reading) -> str:
    """The data element the paragraphs' "Cite ¶N" menu items copy (inert JSON, escaped in one place)."""
    return json_element(PARAGRAPH_CITATIONS, paragraph_citations(reading))


def add_paragraph_citations(plan: PagePlan, reading: Reading, data: str | None = None) -> None:
    """The reading's :func:`paragraph_citations_data` (``data``, when made already)."""
    plan.add_html(data or paragraph_citations_data(reading), PARAGRAPH_CITATIONS, searchable=False)


def citation_text(citation: Citation) -> str:
    return "".join(piece for piece, _ in citation)


def citation_html(citation: Citation) -> str:
    def shown(piece: str, italic: bool) -> str:
        lead, trail = " " * (piece[:1] == " "), " " * (piece[-1:] == " ")  # pieces join at spaces
        return f"{lead}<em>{html_text(piece)}</em>{trail}" if italic else f"{lead}{html_text(piece)}{trail}"

    return "".join(shown(piece, italic) for piece, italic in citation)


def add_citations(plan: PagePlan, reading: Reading) -> None:
    plan.heading(2, "Cite this reading", "cite")
    plan.add_html("<p>Citations of the original article, generated from the reading's details."
                  + ("" if reading.headline else
                     " The title in square brackets was supplied by the editors: the headline as published "
                     "is not recorded.")
                  + (f" Editors' note on these citations: {html_text(reading.citation_note)}"
                     if reading.citation_note else "")
                  + " To cite one paragraph, use the ¶ button beside it.</p>")
    for style, citation in citations(reading).items():
        plan.add_html(f'<p class="citation-style"><strong>{style}</strong></p>\n'
                      f'<p class="citation">{citation_html(citation)}</p>\n'
                      f'<p><button type="button" class="copy-text md-button" data-copy="{html_text(citation_text(citation))}" '
                      f'aria-label="Copy the {style} citation">Copy {style}</button></p>')


# -- glossary ----------------------------------------------------------------------------


def _written(url: str | None, path: str, position: tuple[int, int]) -> tuple[WrittenLink, ...]:
    return (WrittenLink(url, path, *position),) if url else ()


def _source_links(sources: tuple[Source, ...] | list[Source], path: str) -> tuple[WrittenLink, ...]:
    return tuple(link for source in sources for link in _written(source.url, path, source.url_position))


def spaced(value: str) -> str:
    """Plain text as HTML, keeping one space at either edge it had (each text is new: not
    through :func:`html_text`'s memory)."""
    shown = html.escape(" ".join(value.split()), quote=True)
    return " " * value[:1].isspace() + shown + " " * (value[-1:].isspace() and bool(shown))


def context_pieces(occurrence: Occurrence, width: int = 70) -> tuple[str, str, str]:
    """The plain text before the mention (cut at a word), the mention, and after it."""
    shown, start, end = occurrence.shown, occurrence.start, occurrence.end
    before, after = shown[max(0, start - width):start], shown[end:end + width]
    if start > width:
        before = "…" + (before.split(" ", 1)[1] if " " in before else before)
    if end + width < len(shown):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return before, shown[start:end], after


def keyword_in_context(occurrence: Occurrence, width: int = 70) -> str:
    """A line of the text around the mention, the mention marked (HTML)."""
    before, mention, after = context_pieces(occurrence, width)
    return f"{spaced(before)}<mark>{html_text(mention)}</mark>{spaced(after)}"


def add_concordance(plan: PagePlan, occurrences: list[Occurrence]) -> None:
    """"Where this term appears (N)": each mention in context, then ¶, section and reading."""
    page = plan.src_uri
    plan.heading(2, f"Where this term appears ({len(occurrences)})", "appears-in")
    if not occurrences:
        plan.add_html("<p><em>No reading mentions this term yet.</em></p>")
    for reading, group in groupby(occurrences, key=lambda o: o.reading):  # the article's own words: search
        plan.add_later(partial(_mentions_in, page, reading, list(group)), searchable=False)  # finds them there


def _mentions_in(page: str, reading: Reading, occurrences: list[Occurrence]) -> str:
    """A reading's mentions of a term, in context (HTML), for the term's ``page``."""
    items = []
    for o in occurrences:
        where = f"{o.section.title} (editors' note)" if o.note else o.section.title
        items.append(f"<li>{keyword_in_context(o)} — "
                     f"{html_link(f'¶{o.paragraph.number}', page, o.section.src_uri, o.paragraph.anchor)} · "
                     f"{html_text(where)}</li>\n")
    return f"<p><strong>{html_link(html_text(reading.title), page, reading.src_uri)}</strong></p>\n" + html_list(items)


def source_html(source: Source, end: str = ".") -> str:
    """A source as HTML: its title (a link when it has an address), publisher and date."""
    title = f"<em>{html_text(source.title)}</em>"
    shown = f'<a class="external-link" href="{html_url(source.url)}">{title}</a>' if source.url else title
    if source.publisher:
        shown += f", {html_text(source.publisher)}"
    if source.date:
        shown += f", {long_date(source.date)}"
    return shown + end


def term_plan(library: Library, term: Term, occurrences: list[Occurrence]) -> PagePlan:
    page = term.page
    plan = PagePlan(page, term.path, term.term, in_nav=False, generated=True,
                    meta=PageMeta(description=f"{term.term}: {term.short}"))
    plan.add(f"# {text(term.term)}\n\n")
    meta = " · ".join(f"<strong>{label}:</strong> {html_text(value)}" if label else html_text(value)
                      for label, value in term_facts(term))
    plan.add_html(f'<p class="term-meta">{meta}</p>\n<p class="term-short">{html_text(term.short)}</p>')
    add_concordance(plan, occurrences)
    if term.body:
        plan.authored(term.body, term.path, term.body_line, page, term.references)
        plan.add("\n\n")
    if term.updates:
        plan.heading(2, "Updates", "updates")
        for note in term.updates:
            sources = "; ".join(source_html(s, end="") for s in note.sources)
            plan.add_html(f'<div class="admonition warning">\n<p class="admonition-title">Update, '
                          f"{long_date(note.date)}</p>\n<p>{html_text(note.text)}</p>\n"
                          + (f"<p>Sources: {sources}.</p>\n" if sources else "") + "</div>",
                          links=_source_links(note.sources, term.path))
    events = sorted([*term.events, *(library.events[i][1] for i in term.shared_events if i in library.events)],
                    key=lambda event: event.date)
    if events:
        plan.heading(2, "Key dates", "key-dates")
        plan.add_html(html_list([f"<li><strong>{long_date(e.date)}</strong> — {html_text(e.text)}</li>\n"
                                 for e in events]))
    if term.sources:
        plan.heading(2, "Sources", "sources")
        plan.add_html(html_list([f"<li>{source_html(s)}</li>\n" for s in term.sources], "ol"),
                      links=_source_links(term.sources, term.path))
    see_also = [other for other in map(library.resolve, term.see_also) if other]
    if see_also:
        plan.heading(2, "See also", "see-also")
        plan.add_html(html_list([f"<li>{html_term_link(other, page, listed=True)}</li>\n" for other in see_also]))
    return plan


_FILING_PREFIX = re.compile(r"^(?:(?:the|a|an)\s+|\d{4}\s+)+", re.IGNORECASE)


def filing_name(name: str) -> str:
    """The name as an index files it: leading articles and years ignored
    ("2022 Israeli legislative election" files under I)."""
    return (_FILING_PREFIX.sub("", name) or name).casefold()


def _letter(name: str) -> str:
    initial = filing_name(name)[:1].upper()
    return initial if initial.isalpha() else "0–9" if initial.isdigit() else "Other"


def _token(value: str) -> str:
    """A category or slug as a filter value: lower-case letters, digits and '-' only."""
    return re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-") or "other"


def _letter_id(letter: str) -> str:
    return "letter-" + {"0–9": "digits", "Other": "other"}.get(letter, letter.lower())


def glossary_index_plan(library: Library) -> PagePlan:
    """Every term and every alias ("IRGC → see …"), A–Z as filed, filterable by category and reading."""
    page = GLOSSARY_INDEX
    plan = PagePlan(page, page, "Glossary", in_nav=False, generated=True)
    terms = sorted(library.terms.values(), key=lambda term: filing_name(term.term))
    readings = {term.slug: sorted({o.reading.slug for o in occurrences})
                for term in terms for occurrences in [library.concordance.get(term.slug, [])]}
    entries: list[tuple[str, str]] = []
    for term in terms:
        data = (f'<li><span class="filter-entry" data-category="{_token(term.category)}" '
                f'data-category-name="{html_text(term.category)}" data-reading="{" ".join(readings[term.slug])}">'
                "</span>")
        entries.append((filing_name(term.term), f"{data}{html_term_link(term, page, listed=True, preview=False)} "
                                                 f"<em>({html_text(term.category)})</em> — {html_text(term.short)}</li>\n"))
        entries += [(filing_name(alias), f"{data}{html_text(alias)} → see "
                                         f'{html_link(html_text(term.term), page, term.page, attributes=SEE_LINK)}</li>\n')
                    for alias in term.aliases if filing_name(alias) != filing_name(term.term)]
    by_letter: dict[str, list[str]] = defaultdict(list)
    for key, entry in sorted(entries):
        by_letter[_letter(key)].append(entry)
    letters = sorted(by_letter, key=lambda letter: (len(letter) > 1, letter))
    plan.add("# Glossary\n\n")
    plan.add(f"{len(terms)} terms, A–Z, with every other name they go by. Each entry gives a one-sentence "
             "definition, its category, its sources and every paragraph that mentions it.\n\n")
    plan.add_html('<div class="list-filters" hidden data-filters="category reading">'
                  + "".join(f'<span data-filter="reading" data-value="{reading.slug}">{html_text(reading.title)}</span>'
                            for reading in library.readings) + "</div>")
    if letters:
        plan.add_html('<p class="az-jump">' + " · ".join(f'<a href="#{_letter_id(letter)}">{letter}</a>'
                                                          for letter in letters) + "</p>")
    for letter in letters:
        plan.heading(2, letter, _letter_id(letter))
        plan.add_html(html_list(by_letter[letter]), searchable=False)  # search finds each entry on its own page
    if terms:
        rows = "".join(f"<tr>\n<td>{long_date(term.reviewed) if term.reviewed else '<em>never</em>'}</td>\n"
                       f"<td>{html_link(html_text(term.term), page, term.page)}</td>\n</tr>\n"
                       for term in sorted(terms, key=lambda t: (t.reviewed or dt.date.min, t.term.casefold())))
        plan.add_html('<details class="info">\n<summary>For instructors: entries by last review, the oldest first'
                      "</summary>\n<p>Each entry's date is when it was last checked against its sources.</p>\n"
                      "<table>\n<thead>\n<tr>\n<th>Last reviewed</th>\n<th>Entry</th>\n</tr>\n</thead>\n"
                      f"<tbody>\n{rows}</tbody>\n</table>\n</details>")
    return plan


SEE_LINK = ' class="see-link"'


def timeline_plan(library: Library) -> PagePlan:
    """Every dated event once, with the terms it concerns, and the glossary's dated updates;
    each reading's date marked; before and since the article apart; filterable by term and category."""
    page = TIMELINE
    plan = PagePlan(page, page, "Timeline", in_nav=False, generated=True)
    sharing: dict[str, list[Term]] = defaultdict(list)
    for term in library.terms.values():
        for event_id in term.shared_events:
            sharing[event_id].append(term)
    entries: list[tuple[dt.date, int, str, str]] = []
    for term in library.terms.values():
        for event in term.events:
            if event.id and library.events.get(event.id, (None, event))[1] is not event:
                continue  # recorded twice: the checker reports it; shown once
            concerned = [term, *sharing.get(event.id or "", [])]
            entries.append((event.date, 1, event.text, _timeline_entry(page, html_text(event.text), concerned)))
        entries += [(u.date, 1, u.text, _timeline_entry(page, f"{html_text(u.text)} <em>— update</em>", [term]))
                    for u in term.updates]
    for reading in library.readings:
        entries.append((reading.date, 0, reading.title,
                        f"<strong>Published: {html_link(html_text(reading.title), page, reading.src_uri)}</strong>, "
                        f"{html_text(reading.source)}, by {html_text(reading.author)}. "
                        "<em>What the author could know ends here.</em>"))
    latest = max((r.date for r in library.readings), default=None)
    plan.add("# Timeline\n\n")
    plan.add("Every dated event in the glossary, oldest first, each with the entries it concerns. The date "
             "each reading was published is marked, so you can see what its author could and could not know.\n\n")
    terms = sorted(library.terms.values(), key=lambda t: filing_name(t.term))
    plan.add_html('<div class="list-filters" hidden data-filters="term category">'
                  + "".join(f'<span data-filter="term" data-value="{t.slug}">{html_text(t.term)}</span>' for t in terms)
                  + "</div>")
    ordered = sorted(entries, key=lambda e: e[:3])
    parts = [("Before the article", "before-the-article", [e for e in ordered if not latest or e[0] <= latest]),
             ("Since the article", "since-the-article", [e for e in ordered if latest and e[0] > latest])]
    for title, anchor, part in parts:
        if not part:
            continue
        plan.heading(2, title, anchor)
        for year, group in groupby(part, key=lambda e: e[0].year):
            plan.heading(3, str(year), f"{anchor.split('-')[0]}-{year}")
            plan.add_html(html_list([f"{READING_ITEM if kind == 0 else '<li>'}<strong>{long_date(date)}</strong> — "
                                     f"{shown}</li>\n" for date, kind, _, shown in group]))
    return plan


READING_ITEM = '<li class="timeline-reading">'
"""A reading's own line in the timeline: when it was published."""


def _timeline_entry(page: str, shown: str, terms: list[Term]) -> str:
    """One timeline line: the event, the entries it concerns, and what the filters read."""
    data = (f'<span class="filter-entry" data-term="{" ".join(t.slug for t in terms)}" '
            f'data-category="{" ".join(sorted({_token(t.category) for t in terms}))}" '
            f'data-category-name="{html_text(" · ".join(sorted({t.category for t in terms})))}"></span>')
    listed = ", ".join(html_term_link(t, page, listed=True, preview=False) for t in terms)
    return f"{data}{shown} ({listed})"


# -- assignments --------------------------------------------------------------------


def section_anchor(section: Section) -> str:
    return "section-" + posixpath.splitext(posixpath.basename(section.src_uri))[0]


def assignment_plan(library: Library, assignment: Assignment) -> PagePlan:
    page = assignment.src_uri
    plan = PagePlan(page, assignment.path, assignment.title, meta=assignment.meta)
    reading = library.reading(assignment.reading)
    plan.add(f"# {text(assignment.title)}\n\n")
    meta = []
    if assignment.due:
        meta.append(f"<strong>Due:</strong> {long_date(assignment.due)}")
    if reading is not None:
        meta.append(f"<strong>Reading:</strong> {html_link(html_text(reading.title), page, reading.src_uri)}, "
                    f"{', '.join(str(r) for r in assignment.ranges)}")
    if meta:
        plan.add_html('<p class="assignment-meta">' + " · ".join(meta) + "</p>")
    add_handout_furniture(plan, reading.title if reading else assignment.title)
    plan.add_html('<p class="handout-fields">Name: <span class="handout-line"></span> '
                  'Date: <span class="handout-line handout-line--short"></span></p>')
    if assignment.notes:
        plan.authored(assignment.notes, assignment.path, assignment.notes_line, page, assignment.references)
        plan.add("\n\n")
    terms = [t for t in (library.resolve(name) for name in assignment.key_terms) if t]
    if terms:
        plan.heading(2, "Key terms", "key-terms")
        plan.add_html(html_list([html_term_item(term, page) for term in terms]), searchable=False)
    if reading is not None:
        plan.heading(2, "Assigned paragraphs", "assigned-paragraphs")
        previous = None
        for section in reading.sections:
            chosen = [p for p in section.paragraphs if assignment.covers(p.number)]
            if chosen:
                plan.heading(3, section.title, section_anchor(section))
                mark = " (heading supplied by the editors)" if section.title_is_editorial else ""
                plan.add_html(f'<p class="reading-byline">From {html_link(html_text(section.title), page, section.src_uri)}'
                              f"{mark}, {html_text(reading.dateline)}, by {html_text(reading.author)}.</p>")
                for paragraph in chosen:
                    if previous is not None and paragraph.number > previous + 1:
                        skipped = ParagraphRange(previous + 1, paragraph.number - 1, 0, 0)
                        plan.add_html(f'<p class="omission"><em>[{skipped} omitted]</em></p>')
                    add_paragraph(plan, section, paragraph)
                    previous = paragraph.number
    if assignment.questions:
        plan.heading(2, "Questions", "questions")
        plan.add_html('<div class="handout-questions">\n'
                      + html_list([f"<li>{html_text(q)}</li>\n" for q in assignment.questions], "ol") + "\n</div>")
    if reading is not None:
        on_page = _terms_in(library, assignment)
        noted = (library.resolve(r.target) for r in assignment.references if not r.problem)
        on_page += [t for t in [*terms, *noted] if t is not None and t not in on_page]
        plan.add_html('<div class="screen-only">')  # key terms print once, above
        plan.heading(2, "Terms on this page", "terms-on-this-page")
        plan.add_html(html_list([html_term_item(term, page)
                                 for term in sorted(on_page, key=lambda term: term.term.casefold())]), searchable=False)
        plan.add_html("</div>")
        plan.add_html(f"<p>{html_link('Read the whole reading', page, reading.src_uri, attributes=BUTTON_CLASS)}</p>")
        add_paragraph_citations(plan, reading)
    return plan


BUTTON_CLASS = ' class="md-button"'
PRINT_BUTTON = ' <button type="button" class="print-button md-button" hidden>Print this page</button>'
"""Shown by handout.js (printing needs the browser's own command without it)."""


def add_handout_furniture(plan: PagePlan, reading_title: str, *, button: bool = True) -> None:
    """A print button and the footer every printed page carries: the reading and the
    page's permanent address (filled in by handout.js)."""
    if button:
        plan.add_html(f"<p>{PRINT_BUTTON.strip()}</p>")
    plan.add_html(f'<div class="print-footer" aria-hidden="true">{html_text(reading_title)} · '
                  '<span class="print-url"></span></div>', searchable=False)


def _terms_in(library: Library, assignment: Assignment) -> list[Term]:
    """Terms referenced in the paragraphs an assignment covers, A–Z."""
    found: dict[str, Term] = {}
    for paragraph in library.assigned_paragraphs(assignment):
        for term in filter(None, map(library.resolve, (r.target for r in paragraph.all_references()))):
            found.setdefault(term.slug, term)
    return sorted(found.values(), key=lambda term: term.term.casefold())


def assignments_index_plan(library: Library) -> PagePlan:
    page = ASSIGNMENTS_INDEX
    plan = PagePlan(page, page, "Assignments", in_nav=False, generated=True)
    plan.add("# Assignments\n\n")
    if not library.assignments:
        plan.add_html("<p><em>No assignments yet. The instructor's guide explains how to add one.</em></p>")
    items = []
    for assignment in sorted(library.assignments, key=lambda a: (a.due or dt.date.max, a.title)):
        reading = library.reading(assignment.reading)
        due = f" — due {long_date(assignment.due)}" if assignment.due else ""
        what = f": {html_text(reading.title)}, {', '.join(str(r) for r in assignment.ranges)}" if reading else ""
        items.append(f"<li>{html_link(html_text(assignment.title), page, assignment.src_uri)}{due}{what}</li>\n")
    if items:
        plan.add_html(html_list(items))
    return plan


# -- hand-written pages and the whole site -------------------------------------------------


def handwritten_plan(page: Page) -> PagePlan:
    plan = PagePlan(page.src_uri, page.path, page.title or _first_heading(page.body) or "", meta=page.meta)
    plan.authored(page.body, page.path, page.body_line, page.src_uri, page.references)
    plan.add("\n")
    return plan


def _first_heading(markdown: str) -> str | None:
    """The plain text of the first level-1 heading, as MkDocs would title the page."""
    for match in HEADING.finditer(markdown):
        if len(match.group(1)) == 1:
            return MARKUP.sub("", match.group("text"))
    return None


GENERATED_PAGES: dict[str, Callable[[Library], PagePlan]] = {
    GLOSSARY_INDEX: glossary_index_plan,
    CATALOGUE: catalogue_plan,
    TIMELINE: timeline_plan,
    ASSIGNMENTS_INDEX: assignments_index_plan,
}
"""Index pages the hooks add unless the docs folder has a hand-written one."""


@dataclass
class SitePlan:
    """Every page of the site by ``src_uri``, and the collisions found while planning it."""

    pages: dict[str, PagePlan] = field(default_factory=dict)
    collisions: list[Diagnostic] = field(default_factory=list)

    def add(self, plan: PagePlan) -> None:
        """Record a page; a second page at the same address is an error in the file that made it."""
        first = self.pages.setdefault(plan.src_uri, plan)
        if first is not plan:
            made_by = "the generated index" if first.generated and first.path == first.src_uri else first.path
            self.collisions.append(error(
                plan.path, 1, 1, "page-collision",
                f"{plan.path} would make the page {plan.src_uri}, which {made_by} already makes; "
                "rename one of them"))


def site_plans(library: Library) -> SitePlan:
    """All pages: hand-written ones, readings, assignments, terms and the generated indexes."""
    site = SitePlan()
    for page in library.pages:
        site.add(handwritten_plan(page))
    for reading in library.readings:
        site.add(overview_plan(library, reading))
        citations_data = paragraph_citations_data(reading)  # the same on each of its sections
        for section in reading.sections:
            site.add(section_plan(library, reading, section, citations_data))
    for assignment in library.assignments:
        site.add(assignment_plan(library, assignment))
    occurrences = library.concordance
    generated = {src_uri: make for src_uri, make in GENERATED_PAGES.items() if src_uri not in site.pages}
    for src_uri, make in generated.items():
        site.add(make(library))
    for term in library.terms.values():
        site.add(term_plan(library, term, occurrences.get(term.slug, [])))
    from readinglib.studypages import add_study_pages  # studypages plans with this module's helpers

    add_study_pages(library, site)
    return site

