"""Study pages: a student's own notes ("My notes") and each reading's practice page.

Both are planned here from the model and registered by :func:`add_study_pages`, called
once from :func:`readinglib.pages.site_plans`. What their scripts need is embedded in
the page as inert JSON (:meth:`readinglib.plan.PagePlan.add_data`), so nothing is fetched
and they work from ``file://``:

- every section page carries ``script#study-page``: its reading and a fingerprint of
  each paragraph's source text (``study-boot.js`` and ``study-notes.js`` store it with
  a note; a different fingerprint later means the text changed: "may have moved");
- "My notes" carries ``script#my-notes-data``: every reading's sections and fingerprints,
  and links to each section (real links, so MkDocs resolves them and the page is useful
  without JavaScript);
- a practice page carries ``script#practice-data``: its cards (:mod:`readinglib.practice`),
  and lists them, folded, with their answers and links (``data-card``).
"""

from __future__ import annotations

import hashlib
import posixpath
from functools import lru_cache

from readinglib.model import Library, PageMeta, Paragraph, Reading
from readinglib.pages import BUTTON_CLASS, SitePlan, html_link, html_list, link, text
from readinglib.text import html_text
from readinglib.plan import PagePlan
from readinglib.practice import KIND_LABELS, deck

MY_NOTES = "my-notes.md"
SECTION_DATA = "study-page"
NOTES_DATA = "my-notes-data"
PRACTICE_DATA = "practice-data"
SOURCE_CLASS = ' class="practice-source"'
PRIVACY = ("**Private to this browser.** Your highlights, notes and practice progress are kept only in this "
           "browser's own storage (`localStorage`) on this device. Nothing is sent to this site or anyone "
           "else, there is no account, and no other device sees them. Clearing this site's data in your "
           "browser deletes them: export them to keep a copy.")


def fingerprint(paragraph: Paragraph) -> str:
    """A short digest of the paragraph's source text (white space folded): it changes when the words do."""
    return _digest(paragraph.text)


@lru_cache(maxsize=65536)  # a paragraph's is given on its section's page and on My notes
def _digest(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def practice_page(reading: Reading) -> str:
    return posixpath.join(posixpath.dirname(reading.src_uri), "practice.md")


def add_study_pages(library: Library, site: SitePlan) -> None:
    """My notes, a practice page per reading that has one, and each section's study data."""
    for reading in library.readings:
        for section in reading.sections:
            plan = site.pages.get(section.src_uri)
            if plan is not None:
                data = {"reading": reading.slug, "fp": {p.anchor: fingerprint(p) for p in section.paragraphs}}
                plan.add_data(SECTION_DATA, data)
        if reading.practice:
            site.add(practice_plan(library, reading))
    if MY_NOTES not in site.pages:
        site.add(my_notes_plan(library))


def practice_link(reading: Reading) -> str:
    """The overview's paragraph leading to the practice page (HTML)."""
    return ('<p class="practice-link">Test yourself on this reading: flashcards of its key terms, sentences with a '
            "term left out, and quotes to place in their section. "
            f"{html_link('Practise this reading', reading.src_uri, practice_page(reading), attributes=BUTTON_CLASS)}</p>")


def practice_plan(library: Library, reading: Reading) -> PagePlan:
    page = practice_page(reading)
    cards = deck(library, reading)
    title = f"Practice: {reading.title}"
    plan = PagePlan(page, reading.path, title, in_nav=False, generated=True, searchable=False,
                    meta=PageMeta(description=f"Flashcards and questions on {reading.title}, from its glossary "
                                              "terms and text."))
    plan.add(f"# {text(title)}\n\n")
    plan.add(f"{len(cards)} cards made from {link(text(reading.title), page, reading.src_uri)}: its key terms "
             "and their definitions, sentences with a term left out, and quotes to place in their section. "
             "Each card links to where its answer is written. Cards you get wrong come back sooner; "
             "cards you know come back after longer and longer breaks.\n\n")
    plan.add(f"{PRIVACY}\n{{ .study-privacy }}\n\n")
    plan.add_html('<div id="practice-app" class="practice-app" hidden></div>')
    plan.add('*The cards need JavaScript; without it, all of them are listed below with their answers.*\n'
             '{ .study-needs-script }\n\n')
    plan.add_html(f'<details class="practice-all">\n<summary>All {len(cards)} cards, with their answers</summary>')
    for kind, label in KIND_LABELS.items():
        chosen = [card for card in cards if card.kind == kind]
        if not chosen:
            continue
        plan.heading(2, label, f"cards-{kind}")
        plan.add_html(html_list([
            f'<li data-card="{html_text(card.id)}">{html_text(card.prompt)} → <strong>{html_text(card.answer)}</strong> · '
            f"{html_link(html_text(card.where), page, card.target, card.fragment, SOURCE_CLASS)}</li>\n"
            for card in chosen]))
    plan.add_html("</details>")
    plan.add_data(PRACTICE_DATA, {"reading": reading.slug, "title": reading.title, "kinds": KIND_LABELS,
                                  "cards": [card.as_data() for card in cards]})
    return plan


def my_notes_plan(library: Library) -> PagePlan:
    page = MY_NOTES
    plan = PagePlan(page, page, "My notes", in_nav=False, generated=True, searchable=False,
                    meta=PageMeta(description="Your own highlights and notes on the readings, kept in this browser."))
    plan.add("# My notes\n\n")
    plan.add("Your highlights and notes on the readings, by reading and paragraph. To make one, select some "
             "words in a paragraph and choose *Highlight* or *Add note*; with the keyboard, use *Add a note* "
             "at the top of a section. Notes print with their section.\n\n")
    plan.add(f"{PRIVACY}\n{{ .study-privacy }}\n\n")
    plan.add_html('<div id="my-notes-app" class="my-notes-app" hidden></div>')
    plan.add("*Your notes are kept and shown by this site's script: with JavaScript off there is nothing to "
             "show.*\n{ .study-needs-script }\n\n")
    plan.heading(2, "Where you can take notes", "readings")
    readings: dict[str, object] = {}
    for reading in library.readings:
        plan.heading(3, reading.title, f"reading-{reading.slug}")
        plan.add_html(html_list([f'<li data-section="{reading.slug}:{index}">'
                                 f"{html_link(html_text(section.title), page, section.src_uri)} — "
                                 f"¶{section.first}–¶{section.last}</li>\n"
                                 for index, section in enumerate(reading.sections)]))
        readings[reading.slug] = {
            "title": reading.title,
            "sections": [{"key": f"{reading.slug}:{index}", "title": s.title, "first": s.first, "last": s.last}
                         for index, s in enumerate(reading.sections)],
            "fp": {p.anchor: fingerprint(p) for p in reading.paragraphs},
        }
    plan.add_data(NOTES_DATA, {"readings": readings})
    return plan
