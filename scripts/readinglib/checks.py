"""Consistency checks on the sources, shared by the build hook and the checker."""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from readinglib.anchors import AUTOLINK, LINK_OR_IMAGE, link_definitions
from readinglib.diagnostics import Diagnostic, error, warning
from readinglib.model import DatedNote, Library, Section, Term
from readinglib.navigation import Navigation
from readinglib.matcher import NameMatcher
from readinglib.pages import SitePlan, site_plans
from readinglib.plan import PagePlan
from readinglib.practice import check_practice
from readinglib.references import Reference, code_ranges, line_column, normalise_name

PARAGRAPH_ANCHOR = re.compile(r"^p(\d+)$")
DUPLICATE_EVENT_RATIO = 0.6
"""How many of their words (longer than two letters) two events of one day must share to be
reported as one event recorded twice ("Widget first described" and "Gadget first described"
share half, and are two events)."""


@dataclass(frozen=True)
class ReviewPolicy:
    """How old a review may be before the checker says so (``today`` is fixed for tests)."""

    months: int = 12
    today: dt.date = field(default_factory=dt.date.today)

    def is_stale(self, reviewed: dt.date) -> bool:
        age = (self.today.year - reviewed.year) * 12 + self.today.month - reviewed.month
        return age - (self.today.day < reviewed.day) >= self.months


def check_sources(library: Library, navigation: Navigation | None = None,
                  site: SitePlan | None = None, review: ReviewPolicy | None = None) -> list[Diagnostic]:
    """Everything wrong with the sources: load problems plus every cross-reference check.

    ``navigation`` (from :func:`readinglib.navigation.read_navigation`) adds the
    checks of ``nav`` against the pages; ``site`` reuses the plans already made by
    :func:`readinglib.pages.site_plans`.
    """
    found = list(library.diagnostics)
    if any(finding.code == "missing-folder" for finding in found):
        return sorted(set(found), key=Diagnostic.sort_key)  # with no pages, every other check would mislead
    found += check_references(library)
    found += check_see_also(library)
    found += check_unreferenced_terms(library)
    found += check_unlinked_mentions(library)
    found += check_unsourced_notes(library)
    found += check_citations(library)
    found += check_assignments(library)
    found += check_assignment_terms(library)
    found += check_events(library)
    found += check_reviews(library, review or ReviewPolicy())
    found += check_practice(library)
    site = site if site is not None else site_plans(library)
    found += site.collisions
    found += check_links(library, site.pages)
    found += check_duplicate_anchors(site.pages)
    if navigation is not None:
        found += check_nav(navigation, site.pages, library.unloaded_pages)
    return sorted(set(found), key=Diagnostic.sort_key)


def _all_references(library: Library) -> Iterator[tuple[str, Reference]]:
    for mention in library.mentions():
        yield mention.section.path, mention.reference
    for reading in library.readings:
        for reference in reading.introduction_references:
            yield reading.path, reference
    for page in library.pages:
        for reference in page.references:
            yield page.path, reference
    for term in library.terms.values():
        for reference in term.references:
            yield term.path, reference
    for assignment in library.assignments:
        for reference in assignment.references:
            yield assignment.path, reference


def suggest(library: Library, target: str) -> str:
    names = {normalise_name(name): name for term in library.terms.values()
             for name in (term.slug, *term.names)}
    close = difflib.get_close_matches(normalise_name(target), list(names), n=1, cutoff=0.6)
    return f' — did you mean "{names[close[0]]}"?' if close else ""


def check_references(library: Library) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for path, reference in _all_references(library):
        if reference.problem:
            found.append(error(path, reference.line, reference.column, "bad-reference",
                               reference.problem))
        elif library.resolve(reference.target) is None and reference.key not in library.unloaded_terms:
            found.append(error(
                path, reference.line, reference.column, "unknown-term",
                f'unknown term "{reference.target.strip()}"{suggest(library, reference.target)}'
                " (or add a glossary entry with that name or alias)"))
    return found


def check_see_also(library: Library) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for term in library.terms.values():
        for index, other_slug in enumerate(term.see_also):
            line, column = term.position(("see_also", index))
            other = library.resolve(other_slug)
            if other is None and normalise_name(other_slug) in library.unloaded_terms:
                continue
            if other is None:
                found.append(error(term.path, line, column, "see-also-missing",
                                   f'see_also names "{other_slug}", which is no glossary entry'
                                   f"{suggest(library, other_slug)}"))
            elif other.slug == term.slug:
                found.append(error(term.path, line, column, "see-also-self",
                                   f'see_also names the entry itself ("{other_slug}"); remove it'))
            elif term.slug not in {library.names.get(normalise_name(s)) for s in other.see_also}:
                found.append(warning(term.path, line, column, "see-also-one-way",
                                     f'see_also names "{other.slug}" but {other.path} does not name '
                                     f'"{term.slug}" back; add it there'))
    return found


def check_unsourced_notes(library: Library) -> list[Diagnostic]:
    """Facts added after a reading was written must say where they come from."""
    found = [warning(term.path, *update.position, "unsourced-note",
                     f'update of {update.date.isoformat()} names no sources; add "sources:" with at least one title')
             for term in library.terms.values() for update in term.updates if not update.sources]
    found += [warning(section.path, note.line, 1, "unsourced-note",
                      f"editors' note on ¶{paragraph.number} names no source; end it with a line '*Source:* …'")
              for section, paragraph, note in library.notes() if not note.names_a_source]
    return found


def check_unreferenced_terms(library: Library) -> list[Diagnostic]:
    if library.unloaded_pages:
        return []  # a reading that failed to load may reference them; its error comes first
    used = {slug for slug, mentions in library.backlinks.items() if mentions}
    return [warning(term.path, 1, 1, "unreferenced-term",
                    f'no reading references "{term.term}"; link it with [[{term.slug}]] or remove the entry')
            for term in library.terms.values() if term.slug not in used]


def _prose(text: str, references: list[Reference]) -> str:
    """``text`` with references, code, links and line breaks overwritten by spaces.

    What is left is the prose a reader sees, at the same offsets.
    """
    spans = [(reference.start, reference.end) for reference in references]
    spans += code_ranges(text)
    if "](" in text or "]:" in text or "<" in text:
        # a mention inside a link (its words or its address) cannot be linked again
        spans += [match.span() for pattern in (LINK_OR_IMAGE, AUTOLINK) for match in pattern.finditer(text)]
        spans += [match.span() for match in link_definitions(text)]
    text = text.replace("\n", " ").replace("\t", " ")
    pieces: list[str] = []
    position = 0
    for start, end in sorted(spans):
        start = max(start, position)  # (spans may overlap)
        if end > start:
            pieces += (text[position:start], " " * (end - start))
            position = end
    pieces.append(text[position:])
    return "".join(pieces)


def unlinked_mentions(library: Library, section: Section,
                      matcher: NameMatcher) -> Iterator[tuple[int, int, str, str]]:
    """(line, column, slug, words) of the first plain mention of each term the section never links."""
    linked = {term.slug for term in (library.resolve(r.target) for r in _section_references(section))
              if term is not None}
    reported: set[str] = set()
    for paragraph in section.paragraphs:
        text = _prose(paragraph.text, paragraph.references)
        for found in matcher.find(text):
            if found.slug in linked or found.slug in reported:
                continue
            reported.add(found.slug)
            yield (*line_column(paragraph.text, found.start, paragraph.line), found.slug,
                   text[found.start:found.end])


def _section_references(section: Section) -> Iterator[Reference]:
    for paragraph in section.paragraphs:
        yield from paragraph.all_references()


def check_unlinked_mentions(library: Library) -> list[Diagnostic]:
    matcher = library.matcher
    if not matcher:
        return []
    found: list[Diagnostic] = []
    for reading in library.readings:
        for section in reading.sections:
            for line, column, slug, words in unlinked_mentions(library, section, matcher):
                term = library.terms[slug]
                named = f'"{words}"' + (f' ({term.term})' if normalise_name(words) != normalise_name(term.term) else "")
                found.append(warning(section.path, line, column, "unlinked-mention",
                                     f"{named} is mentioned but never linked in this section; "
                                     f"mark its first mention [[{slug}|{words}]]"))
    return found


def _paragraph_range(plan: PagePlan) -> str:
    numbers = plan.paragraph_numbers()
    return f" (it has ¶{numbers[0]}–¶{numbers[-1]})" if numbers else ""


def check_links(library: Library, site: dict[str, PagePlan]) -> list[Diagnostic]:
    """Every relative link goes to a page or file in the docs folder, and to an anchor on it."""
    found: list[Diagnostic] = []
    docs = Path(library.root) / library.docs_dir
    for plan in site.values():
        for written_in, link in plan.links():
            if link.is_external:
                continue
            path, fragment = link.split()
            where = (written_in, link.line, link.column)
            if path.startswith("/"):
                found.append(warning(*where, "absolute-link",
                                     f"absolute link '{link.target}' breaks when the site moves; "
                                     "link to the .md file with a relative path"))
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(plan.src_uri), unquote(path))) \
                if path else plan.src_uri
            if target == ".." or target.startswith("../"):
                found.append(error(*where, "outside-docs",
                                   f"link to '{link.target}' leaves the {library.docs_dir} folder, which is "
                                   "all the site holds; link to a page or file inside it"))
                continue
            if not target.endswith(".md"):
                if not (docs / target).is_file():
                    found.append(error(*where, "missing-file",
                                       f"link to '{link.target}': no file {library.docs_dir}/{target}; "
                                       "link to an existing file (pages by their .md name)"))
                continue
            if target in library.unloaded_pages:
                continue
            if target not in site:
                found.append(error(*where, "missing-page",
                                   f"link to '{link.target}': no page {target} in the site"))
                continue
            if fragment and fragment not in site[target].anchors:
                what = f"paragraph ¶{fragment[1:]}" if PARAGRAPH_ANCHOR.match(fragment) else f"anchor '#{fragment}'"
                found.append(error(*where, "missing-anchor",
                                   f"link to '{link.target}': no {what} in {target}{_paragraph_range(site[target])}"))
    return found


def check_duplicate_anchors(site: dict[str, PagePlan]) -> list[Diagnostic]:
    """An id given twice on one page: reported where an author wrote it, naming the other."""
    found: list[Diagnostic] = []
    for plan in site.values():
        for first, second in plan.duplicate_anchors:
            written = second if second.authored else first
            other = first if written is second else second
            if not other.authored:
                first_at = "the page's own heading or paragraph has it"
            elif other.path == written.path:
                first_at = f"first at line {min(other.line, written.line)}"
            else:
                first_at = f"also at {other.path}:{other.line}"
            page = "this page" if plan.path == written.path else plan.src_uri
            found.append(error(written.path, written.line, written.column, "duplicate-anchor",
                               f"anchor '#{written.name}' appears twice on {page} ({first_at}); give one another id"))
    return found


def check_nav(navigation: Navigation, site: dict[str, PagePlan],
              unloaded: set[str] | None = None) -> list[Diagnostic]:
    """``nav`` names only existing pages, and every page that belongs in it is there."""
    found: list[Diagnostic] = []
    listed: set[str] = set()
    for entry in navigation.entries:
        if entry.is_external:
            continue
        target = posixpath.normpath(entry.target)
        listed.add(target)
        if target not in site and target not in (unloaded or set()):
            found.append(error(entry.path, entry.line, entry.column, "nav-missing-page",
                               f"nav entry '{entry.target}' points to a missing file "
                               f"{navigation.docs_dir}/{target}"))
    if navigation.explicit:
        for page in site.values():
            if page.in_nav and page.src_uri not in listed:
                found.append(warning(page.path, 1, 1, "not-in-nav",
                                     f"page {page.src_uri} is missing from nav in mkdocs.yml; add it"))
    return found


def external_links(library: Library, site: dict[str, PagePlan]) -> list[tuple[str, str, int, int]]:
    """(url, path, line, column) of every external link written in the sources."""
    return sorted({(link.target, path, link.line, link.column) for plan in site.values()
                   for path, link in plan.links() if link.is_external and link.target.startswith("http")})


def check_citations(library: Library) -> list[Diagnostic]:
    """A reading's citations need the headline as published and the article's address, or
    the editors' word (``citation_note``) on why they cannot be given."""
    found = []
    for reading in library.readings:
        missing = [gap for gap, given in (("published_title (its title is the editors')", reading.headline),
                                          ("url", reading.url)) if not given]
        if missing and not reading.citation_note:
            found.append(warning(reading.path, 1, 1, "citation-incomplete",
                                 f"reading '{reading.slug}' has no {' and no '.join(missing)}, so its citations "
                                 "are incomplete: add them, or say why in citation_note"))
    return found


def check_assignments(library: Library) -> list[Diagnostic]:
    """Each assignment names a reading, paragraphs inside it in order, and known terms."""
    found: list[Diagnostic] = []
    for assignment in library.assignments:
        reading = library.reading(assignment.reading)
        if reading is None:
            slugs = [r.slug for r in library.readings]
            close = difflib.get_close_matches(assignment.reading, slugs, n=1)
            hint = f' — did you mean "{close[0]}"?' if close else f" (readings: {', '.join(slugs) or 'none'})"
            found.append(error(assignment.path, *assignment.position(("reading", "value")), "unknown-reading",
                               f'unknown reading "{assignment.reading}"{hint}'))
        last_paragraph = max((p.number for p in reading.paragraphs), default=0) if reading else None
        previous = None
        for span in assignment.ranges:
            where = (assignment.path, span.line, span.column)
            if span.first > span.last:
                found.append(error(*where, "bad-range",
                                   f"range {span.first}-{span.last} is reversed; write {span.last}-{span.first}"))
                continue
            if last_paragraph is not None and (span.first < 1 or span.last > last_paragraph):
                found.append(error(*where, "range-out-of-bounds",
                                   f"{span} is out of range: reading \"{assignment.reading}\" has "
                                   f"¶1–¶{last_paragraph}"))
            if previous is not None and span.first <= previous.last:
                found.append(error(*where, "overlapping-range",
                                   f"{span} overlaps or comes before {previous}; list ranges once, in order"))
            previous = span
        for index, name in enumerate(assignment.key_terms):
            if library.resolve(name) is None and normalise_name(name) not in library.unloaded_terms:
                found.append(error(assignment.path, *assignment.position(("key_terms", index)), "unknown-term",
                                   f'unknown key term "{name}"{suggest(library, name)}'))
    return found


def check_reviews(library: Library, policy: ReviewPolicy) -> list[Diagnostic]:
    """Every entry and note says when it was last checked, recently, and after its own updates."""
    found: list[Diagnostic] = []
    age = f"{policy.months} months"
    for term in library.terms.values():
        if term.reviewed is None:
            continue  # a new entry; the real library's tests require a review date on every one
        where = (term.path, *term.position("reviewed"))
        if policy.is_stale(term.reviewed):
            found.append(warning(*where, "review", f"last reviewed {term.reviewed.isoformat()}, {age} or more "
                                                   "ago; check it against its sources again"))
        found += [warning(term.path, *update.position, "review",
                          f"update of {update.date.isoformat()} is dated after the entry's review "
                          f"({term.reviewed.isoformat()}); review the entry and move 'reviewed' on")
                  for update in term.updates if update.date > term.reviewed]
    for section, paragraph, note in library.notes():
        where = (section.path, note.line, 1)
        if note.reviewed is None:
            continue
        if policy.is_stale(note.reviewed):
            found.append(warning(*where, "review", f"editors' note on ¶{paragraph.number} was last reviewed "
                                                   f"{note.reviewed.isoformat()}, {age} or more ago; check it again"))
        elif note.date and note.date > note.reviewed:
            found.append(warning(*where, "review", f"editors' note on ¶{paragraph.number} is dated after its "
                                                   "review; review it"))
    return found


def check_assignment_terms(library: Library) -> list[Diagnostic]:
    """An assignment's key terms appear in its paragraphs, and its questions name only key terms."""
    matcher = library.matcher
    if not matcher:
        return []
    found: list[Diagnostic] = []
    for assignment in library.assignments:
        paragraphs = library.assigned_paragraphs(assignment)
        if not paragraphs or any(span.first > span.last for span in assignment.ranges):
            continue  # its reading or ranges are wrong: that error comes first
        key = {term.slug for term in map(library.resolve, assignment.key_terms) if term}
        mentioned: set[str] = set()
        for paragraph in paragraphs:
            mentioned |= {r.slug for r in map(library.resolve, (r.target for r in paragraph.all_references())) if r}
            mentioned |= {name.slug for name in matcher.find(paragraph.text)}
        for index, name in enumerate(assignment.key_terms):
            term = library.resolve(name)
            if term is not None and term.slug not in mentioned:
                found.append(warning(assignment.path, *assignment.position(("key_terms", index)), "assignment-terms",
                                     f'key term "{name}" is not mentioned in any assigned paragraph '
                                     f"({', '.join(str(r) for r in assignment.ranges)}); widen the range or drop it"))
        for index, question in enumerate(assignment.questions):
            named: set[str] = set()
            for name in matcher.find(question):
                slug, words = name.slug, question[name.start:name.end]
                if slug not in key and slug not in named:
                    named.add(slug)
                    found.append(warning(assignment.path, *assignment.position(("questions", index)),
                                         "assignment-terms",
                                         f'question {index + 1} names "{words}" ({library.terms[slug].term}), '
                                         f"which is not among the key terms; add [{slug}] to key_terms"))
    return found


def check_events(library: Library) -> list[Diagnostic]:
    """Each event is recorded once: ids are unique and exist where shared, and two events on
    one day in nearly the same words are probably one (warning)."""
    found: list[Diagnostic] = []
    for term in library.terms.values():
        for index, event in enumerate(term.events):
            owner = library.events.get(event.id) if event.id else None
            if owner is not None and owner[1] is not event:
                found.append(error(term.path, *event.position, "event-id",
                                   f"event id '{event.id}' is already recorded in {owner[0].path}; record the "
                                   f"event once and name it in shared_events here"))
        for index, event_id in enumerate(term.shared_events):
            if event_id not in library.events:
                close = difflib.get_close_matches(event_id, sorted(library.events), n=1)
                hint = f' — did you mean "{close[0]}"?' if close else ""
                found.append(error(term.path, *term.position(("shared_events", index)), "event-id",
                                   f"shared_events names '{event_id}', which no entry's events record{hint}"))
    by_date: dict[dt.date, list[tuple[Term, DatedNote]]] = {}
    for term in library.terms.values():
        for event in term.events:
            by_date.setdefault(event.date, []).append((term, event))
    for events in by_date.values():
        for later, (term, event) in enumerate(events):
            for other_term, other in events[:later]:
                ours, theirs = _content_words(event.text), _content_words(other.text)
                if ours and len(ours & theirs) / len(ours | theirs) >= DUPLICATE_EVENT_RATIO:
                    found.append(warning(term.path, *event.position, "duplicate-event",
                                         f"this event of {event.date.isoformat()} reads almost like one in "
                                         f"{other_term.path}; record it once (give it an id) and name that id in "
                                         "shared_events"))
                    break
    return found


def _content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"\w+", text.casefold()) if len(word) > 2}
