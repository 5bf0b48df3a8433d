"""Load the library model from its source files.

Layout (relative to the project root)::

    glossary/<slug>.md                 one term per file: YAML front matter + Markdown body
    docs/readings/<slug>/index.md      a reading's metadata (front matter) and introduction
    docs/readings/<slug>/<NN-name>.md  its sections, in file-name order

Problems are collected as diagnostics on the returned library; loading never
raises for bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from readinglib.anchors import link_definitions
from readinglib.diagnostics import Diagnostic, error, warning
from readinglib.model import (
    Annotation, Assignment, DatedNote, Library, Page, Paragraph, ParagraphRange, Reading, Section,
    Source, Term,
)
from readinglib.references import FENCE, code_ranges, find_references, line_column, normalise_name
from readinglib.sourcefile import SourceFile, read_source

READINGS_DIR = "readings"
ASSIGNMENTS_DIR = "assignments"
RANGE = re.compile(r"\s*(?P<first>\d+)\s*(?:[-–]\s*(?P<last>\d+)\s*)?$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RAW_HTML = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)(?=[A-Za-z/!?])")  # not an autolink <https://…>
ANNOTATION_OPEN = re.compile(
    r'^:::\s*(?P<kind>[A-Za-z-]+)(?:\s+(?P<date>\d{4}-\d{2}-\d{2}))?(?:\s+"(?P<title>[^"]*)")?\s*$'
)
ANNOTATION_CLOSE = ":::"
ANNOTATION_KINDS = ("context", "explanation", "update")
TITLE_SOURCES = ("article", "editors")
PLAIN_TEXT_BREAKERS = re.compile(r"[*_`\[\n]")
# page metadata MkDocs and Material read themselves; allowed in any reading or assignment file
PAGE_META = frozenset({"title", "description", "template", "hide", "search", "status", "tags", "icon",
                       "subtitle", "social", "comments"})
KEYS = {
    "term": frozenset({"term", "aliases", "short", "category", "sources", "see_also", "events", "updates"}),
    "reading": PAGE_META | {"title_source", "published_title", "source", "author", "date", "url"},
    "section": PAGE_META | {"title_source", "questions"},
    "assignment": PAGE_META | {"due", "reading", "paragraphs", "key_terms", "questions"},
}


class _Loader:
    """Collects diagnostics while turning source files into model objects."""

    def __init__(self, root: Path, docs: Path) -> None:
        self.root = root
        self.docs = docs
        self.diagnostics: list[Diagnostic] = []
        self.term_sources: dict[str, SourceFile] = {}
        self.unloaded_terms: set[str] = set()
        self.files_read = 0

    # -- helpers ---------------------------------------------------------

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def src_uri(self, path: Path) -> str:
        """``path`` relative to the docs folder, as MkDocs names it."""
        return path.relative_to(self.docs).as_posix()

    def report(self, path: str, line: int, column: int, code: str, message: str) -> None:
        self.diagnostics.append(error(path, line, column, code, message))

    def read(self, path: Path) -> SourceFile | None:
        self.files_read += 1
        source, problems = read_source(path, self.display(path))
        self.diagnostics.extend(problems)
        if source is not None:
            self.reject_references_in_front_matter(source)
        return source

    def check_keys(self, source: SourceFile, kind: str) -> None:
        """Warn on front-matter keys nothing reads: usually a typo (``see-also`` for ``see_also``)."""
        known = KEYS[kind]
        for key in source.meta:
            if isinstance(key, str) and key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
                own = sorted(known - PAGE_META) if kind != "term" else sorted(known)
                hint = f"did you mean '{close[0]}'?" if close else f"a {kind} file reads {', '.join(own)}"
                self.diagnostics.append(warning(source.path, *source.position(key), "unknown-key",
                                                f"unknown key '{key}' is ignored; {hint}"))

    def reject_references_in_front_matter(self, source: SourceFile) -> None:
        """Front matter is shown as plain text (titles, questions, tooltips): a [[…]] there would stay raw."""
        for key, value in source.meta.items():
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if "[[" in _strings(item):
                    where = key if index is None else (key, index)
                    self.report(source.path, *source.position(where), "bad-reference",
                                f"[[…]] references work in the text, not in front matter ('{key}'); "
                                "write the name as plain text")

    def text_field(self, source: SourceFile, key: str, *, required: bool = True) -> str | None:
        value = source.meta.get(key)
        line, column = source.position(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(source.path, line, column, "missing-field",
                            f"required field '{key}' is missing or empty")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.report(source.path, line, column, "bad-field",
                        f"field '{key}' must be text, not {type(value).__name__}")
            return None
        return str(value).strip()

    def date_field(self, source: SourceFile, key: str, value: Any = None,
                   where: object = None) -> dt.date | None:
        value = source.meta.get(key) if value is None else value
        parsed = _as_date(value)
        if parsed is not None:
            return parsed
        line, column = source.position(where if where is not None else key)
        self.report(source.path, line, column, "bad-date",
                    f"'{key}' must be a date written YYYY-MM-DD, not {value!r}")
        return None

    def string_list(self, source: SourceFile, key: str) -> list[str]:
        value = source.meta.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            line, column = source.position(key)
            self.report(source.path, line, column, "bad-field",
                        f"'{key}' must be a list of non-empty texts, e.g. {key}: [one, two]")
            return []
        return [v.strip() for v in value]

    def sources_field(self, source: SourceFile, items: Any, key: str, where: object = None,
                      *, required: bool = False) -> list[Source]:
        """A list of documents, each ``title`` (required), ``publisher``, ``date``, ``url``."""
        line, column = source.position(where if where is not None else key)
        if items is None or items == []:
            if required:
                self.report(source.path, line, column, "missing-field",
                            f"required field '{key}' is missing or empty: name at least one source")
            return []
        if not isinstance(items, list):
            self.report(source.path, line, column, "bad-field",
                        f"'{key}' must be a list of documents, each with at least a 'title'")
            return []
        found: list[Source] = []
        for index, item in enumerate(items):
            at = source.position((key, index)) if where is None else (line, column)
            texts = {name: item.get(name) for name in ("title", "publisher", "url")} \
                if isinstance(item, dict) else {}
            if not isinstance(item, dict) or not isinstance(texts["title"], str) or not texts["title"].strip() \
                    or any(v is not None and not isinstance(v, str) for v in texts.values()):
                self.report(source.path, *at, "bad-field",
                            f"each entry of '{key}' needs a text 'title' (and may have text "
                            "'publisher' and 'url', and a 'date')")
                continue
            date = item.get("date")
            if date is not None and _as_date(date) is None:
                self.report(source.path, *at, "bad-date",
                            f"the date of a source in '{key}' must be written YYYY-MM-DD, not {date!r}")
            found.append(Source(title=texts["title"].strip(),
                                publisher=(texts["publisher"] or "").strip() or None,
                                date=_as_date(date), url=(texts["url"] or "").strip() or None))
        return found

    def dated_notes(self, source: SourceFile, key: str) -> list[DatedNote]:
        items = source.meta.get(key) or []
        if not isinstance(items, list):
            self.report(source.path, *source.position(key), "bad-field",
                        f"'{key}' must be a list of entries with 'date' and 'text'")
            return []
        notes: list[DatedNote] = []
        for index, item in enumerate(items):
            where = (key, index)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                self.report(source.path, *source.position(where), "bad-field",
                            f"each entry of '{key}' needs 'date' (YYYY-MM-DD) and a text 'text'")
                continue
            date = self.date_field(source, f"{key}[{index}].date", item.get("date"), where)
            if date is None:
                continue
            notes.append(DatedNote(date, item["text"].strip(),
                                   tuple(self.sources_field(source, item.get("sources"),
                                                            f"{key}[{index}].sources", where)),
                                   source.position(where)))
        return sorted(notes, key=lambda note: note.date)

    def check_markdown(self, path: str, text: str, first_line: int) -> None:
        """Reading and glossary sources are Markdown only: no raw HTML (code may show it)."""
        code = code_ranges(text)
        lines: set[int] = set()
        for match in RAW_HTML.finditer(text):
            line, column = line_column(text, match.start(), first_line)
            if line not in lines and not any(start <= match.start() < end for start, end in code):
                lines.add(line)  # one finding a line: <b>…</b> is one problem
                self.report(path, line, column, "raw-html",
                            "raw HTML is not allowed in sources; write Markdown "
                            "(use &lt; for a literal '<')")

    # -- glossary ------------------------------------------------------------

    def load_terms(self, glossary: Path) -> list[Term]:
        terms: list[Term] = []
        for path in sorted(glossary.glob("*.md")) if glossary.is_dir() else []:
            slug = path.stem
            self.unloaded_terms.add(slug)
            source = self.read(path)
            if source is None:
                continue
            if not SLUG.match(slug):
                self.report(source.path, 1, 1, "bad-slug",
                            f"file name '{path.name}' must be a slug: lower-case words joined by '-'")
                continue
            self.check_keys(source, "term")
            term = self.text_field(source, "term")
            short = self.text_field(source, "short")
            category = self.text_field(source, "category")
            if term is None or short is None or category is None:
                continue
            if PLAIN_TEXT_BREAKERS.search(short) and "[[" not in short:
                self.report(source.path, *source.position("short"), "bad-field",
                            "'short' is shown as a plain-text tooltip: write one sentence "
                            "without Markdown (* _ ` [) or line breaks")
            self.check_markdown(source.path, source.body, source.body_line)
            terms.append(Term(
                slug=slug, term=term, short=short, category=category.lower(), path=source.path,
                aliases=self.string_list(source, "aliases"),
                sources=self.sources_field(source, source.meta.get("sources"), "sources", required=True),
                see_also=self.string_list(source, "see_also"),
                events=self.dated_notes(source, "events"),
                updates=self.dated_notes(source, "updates"),
                body=source.body.strip("\n"), body_line=source.body_line + _leading_blank_lines(source.body),
                positions=source.positions,
            ))
            terms[-1].references = find_references(terms[-1].body, terms[-1].body_line)
            self.term_sources[slug] = source
            self.unloaded_terms.discard(slug)
        return terms

    def index_names(self, terms: Iterable[Term]) -> dict[str, str]:
        """Map every normalised slug, term and alias to its slug; report collisions.

        Slugs are claimed first, then terms, then aliases, so a collision is
        reported where the later kind of name is written, whatever the file order.
        """
        terms = list(terms)
        names = {normalise_name(term.slug): term.slug for term in terms}
        listed: dict[str, set[str]] = {term.slug: set() for term in terms}
        for kind in ("term", "aliases"):
            for term in terms:
                source = self.term_sources[term.slug]
                if kind == "term":
                    written = [(term.term, source.position("term"))]
                else:
                    written = [(alias, source.position(("aliases", i))) for i, alias in enumerate(term.aliases)]
                for name, (line, column) in written:
                    key = normalise_name(name)
                    owner = names.setdefault(key, term.slug)
                    if owner != term.slug:
                        self.report(source.path, line, column, "duplicate-name",
                                    f'name "{name}" is already used by "{owner}" '
                                    f"({self.term_sources[owner].path}); rename one or drop the alias")
                    elif key in listed[term.slug]:
                        self.report(source.path, line, column, "duplicate-name",
                                    f'"{name}" is listed twice in this entry; drop the repeat')
                    listed[term.slug].add(key)
        return names

    # -- readings --------------------------------------------------------------

    def load_reading(self, folder: Path) -> Reading | None:
        index = folder / "index.md"
        source = self.read(index)
        if source is None:
            return None
        self.check_keys(source, "reading")
        title = self.text_field(source, "title")
        origin = self.title_source(source)
        publisher = self.text_field(source, "source")
        author = self.text_field(source, "author")
        date = self.date_field(source, "date") if "date" in source.meta else None
        if "date" not in source.meta:
            self.report(source.path, 1, 1, "missing-field", "required field 'date' is missing or empty")
        if None in (title, publisher, author, date):
            return None
        self.check_markdown(source.path, source.body, source.body_line)
        reading = Reading(
            slug=folder.name, path=source.path, src_uri=self.src_uri(index), title=title, title_is_editorial=origin == "editors",
            source=publisher, author=author, date=date,
            url=self.text_field(source, "url", required=False),
            published_title=self.text_field(source, "published_title", required=False),
            introduction=source.body.strip("\n"),
            introduction_line=source.body_line + _leading_blank_lines(source.body),
            introduction_references=find_references(source.body.strip("\n"),
                                                    source.body_line + _leading_blank_lines(source.body)),
        )
        number = 1
        for path in sorted(p for p in folder.glob("*.md") if p.name != "index.md"):
            section = self.load_section(path, reading.slug, number)
            if section is not None:
                reading.sections.append(section)
                number = section.last + 1 if section.paragraphs else number
        if not reading.sections:
            self.report(source.path, 1, 1, "no-sections",
                        f"reading '{reading.slug}' has no section files beside index.md")
        return reading

    def title_source(self, source: SourceFile) -> str:
        origin = str(source.meta.get("title_source", "article")).strip().lower()
        if origin not in TITLE_SOURCES:
            self.report(source.path, *source.position("title_source"), "bad-field",
                        f"'title_source' must be one of {', '.join(TITLE_SOURCES)}, not {origin!r}")
        return origin

    def load_section(self, path: Path, reading: str, first_number: int) -> Section | None:
        source = self.read(path)
        if source is None:
            return None
        self.check_keys(source, "section")
        title = self.text_field(source, "title")
        if title is None:
            return None
        section = Section(reading=reading, path=source.path, src_uri=self.src_uri(path), title=title,
                          title_is_editorial=self.title_source(source) == "editors",
                          questions=self.string_list(source, "questions"))
        self.parse_body(source, section, first_number)
        if not section.paragraphs:
            self.report(source.path, min(source.body_line, source.last_line), 1, "no-paragraphs",
                        "section has no paragraphs; add the reading's text below the front matter")
        return section

    def parse_body(self, source: SourceFile, section: Section, number: int) -> None:
        """Split a section body into paragraphs and the annotations attached to them."""
        lines = source.body.split("\n")
        index = 0
        while index < len(lines):
            line = lines[index]
            line_number = source.body_line + index
            if not line.strip():
                index += 1
                continue
            opening = ANNOTATION_OPEN.match(line)
            if line.startswith(":::") and opening is None:
                self.report(source.path, line_number, 1, "bad-annotation",
                            'annotation must open with ::: context|explanation|update '
                            '[YYYY-MM-DD] ["title"]')
                index += 1
                continue
            if opening:
                index = self.parse_annotation(source, section, lines, index, opening)
                continue
            start = index
            index = _paragraph_end(lines, index)
            text = "\n".join(lines[start:index])
            if text.lstrip().startswith("#"):
                self.report(source.path, line_number, 1, "heading-in-body",
                            "headings come from the front matter 'title'; one section per file")
            elif definitions := link_definitions(text):
                self.report(source.path, line_number + text.count("\n", 0, definitions[0].start()), 1,
                            "link-definition",
                            "Markdown takes a link definition ([name]: address) out of the text, which "
                            "breaks the paragraph and its numbering; write the link inline: [text](address)")
            self.check_markdown(source.path, text, line_number)
            section.paragraphs.append(Paragraph(number=number, text=text, line=line_number,
                                                references=find_references(text, line_number)))
            number += 1

    def parse_annotation(self, source: SourceFile, section: Section, lines: list[str],
                         index: int, opening: re.Match[str]) -> int:
        line_number = source.body_line + index
        end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == ANNOTATION_CLOSE), None)
        if end is None:
            self.report(source.path, line_number, 1, "bad-annotation",
                        "annotation is never closed; end it with a line ':::'")
            return len(lines)
        kind = opening.group("kind").lower()
        text = "\n".join(lines[index + 1:end]).strip("\n")
        first = index + 1 + _leading_blank_lines("\n".join(lines[index + 1:end]))
        date = _as_date(opening.group("date")) if opening.group("date") else None
        if opening.group("date") and date is None:
            self.report(source.path, line_number, opening.start("date") + 1, "bad-annotation",
                        f"'{opening.group('date')}' is not a date; write YYYY-MM-DD")
        elif kind not in ANNOTATION_KINDS:
            self.report(source.path, line_number, 5, "bad-annotation",
                        f"unknown annotation kind '{kind}'; use one of {', '.join(ANNOTATION_KINDS)}")
        elif kind == "update" and date is None:
            self.report(source.path, line_number, 1, "bad-annotation",
                        "an 'update' annotation needs its date: ::: update YYYY-MM-DD")
        elif not text.strip():
            self.report(source.path, line_number, 1, "bad-annotation", "annotation is empty")
        elif not section.paragraphs:
            self.report(source.path, line_number, 1, "bad-annotation",
                        "annotation must follow the paragraph it is about")
        elif "[[" in (opening.group("title") or ""):
            self.report(source.path, line_number, opening.start("title") + opening.group("title").index("[[") + 1,
                        "bad-reference",
                        "[[…]] references work in a note's text, not in its title; write the name as plain text")
        else:
            self.check_markdown(source.path, text, source.body_line + first)
            section.paragraphs[-1].annotations.append(Annotation(
                kind=kind, text=text, line=line_number, text_line=source.body_line + first, date=date, title=opening.group("title"),
                references=find_references(text, source.body_line + first)))
        return end + 1

    # -- assignments ---------------------------------------------------------------

    def load_assignment(self, path: Path) -> Assignment | None:
        source = self.read(path)
        if source is None:
            return None
        self.check_keys(source, "assignment")
        title = self.text_field(source, "title")
        reading = self.text_field(source, "reading")
        if title is None or reading is None:
            return None
        due = self.date_field(source, "due") if source.meta.get("due") is not None else None
        self.check_markdown(source.path, source.body, source.body_line)
        notes = source.body.strip("\n")
        notes_line = source.body_line + _leading_blank_lines(source.body)
        return Assignment(
            path=source.path, src_uri=self.src_uri(path), title=title, reading=reading, due=due,
            ranges=self.paragraph_ranges(source), key_terms=self.string_list(source, "key_terms"),
            questions=self.string_list(source, "questions"), notes=notes, notes_line=notes_line,
            references=find_references(notes, notes_line), positions=source.positions)

    def paragraph_ranges(self, source: SourceFile) -> list[ParagraphRange]:
        """``paragraphs: 1-9, 14`` as ranges, each with the column it is written at."""
        value = source.meta.get("paragraphs")
        line, column = source.position(("paragraphs", "value"))
        if value is None or (isinstance(value, str) and not value.strip()):
            self.report(source.path, *source.position("paragraphs"), "missing-field",
                        "required field 'paragraphs' is missing or empty; write e.g. paragraphs: 1-9, 14")
            return []
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.report(source.path, line, column, "bad-field",
                        "'paragraphs' must be numbers and ranges on one line, e.g. paragraphs: 1-9, 14")
            return []
        text = str(value)
        raw = source.text.split("\n")[line - 1][column - 1:] if line <= len(source.text.split("\n")) else ""
        ranges: list[ParagraphRange] = []
        offset = 0
        for part in text.split(","):
            at = raw.find(part.strip(), offset) if raw else -1
            where = (line, column + at) if at >= 0 else (line, column)
            offset = at + len(part.strip()) if at >= 0 else offset
            match = RANGE.match(part)
            if match is None:
                self.report(source.path, *where, "bad-range",
                            f"'{part.strip()}' is not a paragraph number or range like 3-7")
                continue
            first = int(match.group("first"))
            last = int(match.group("last") or first)
            ranges.append(ParagraphRange(first, last, *where))
        return ranges

    def load_pages(self, docs: Path, skip: set[str]) -> list[Page]:
        """References on ordinary docs pages (home, guides) outside the readings."""
        pages: list[Page] = []
        for path in sorted(docs.rglob("*.md")):
            display = self.display(path)
            if display in skip:
                continue
            source = self.read(path)
            if source is not None:
                pages.append(Page(display, self.src_uri(path), source.body, source.body_line,
                                  find_references(source.body, source.body_line)))
        return pages


def _strings(value: Any) -> str:
    """Every text inside a front-matter value, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_strings(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(_strings(item) for item in value)
    return ""


def _paragraph_end(lines: list[str], index: int) -> int:
    """Index after the paragraph starting at ``index``: a blank line or ``:::`` ends it,
    except inside fenced code, which may hold both."""
    fence: str | None = None
    while index < len(lines):
        line = lines[index]
        marker = FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif marker:
            fence = marker.group(1)
        elif not line.strip() or line.startswith(":::"):
            break
        index += 1
    return index


def _as_date(value: Any) -> dt.date | None:
    """A date from YAML: a date, or a text written YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _leading_blank_lines(text: str) -> int:
    count = 0
    for line in text.split("\n"):
        if line.strip():
            break
        count += 1
    return count


def load_library(root: Path | str, docs_dir: str = "docs", glossary_dir: str = "glossary") -> Library:
    """Load every reading and term below ``root``; problems go to ``library.diagnostics``."""
    root = Path(root).resolve()
    loader = _Loader(root, root / docs_dir)
    terms = loader.load_terms(root / glossary_dir)
    library = Library(root=str(root), docs_dir=docs_dir, glossary_dir=glossary_dir,
                      terms={term.slug: term for term in terms}, unloaded_terms=loader.unloaded_terms)
    library.names = loader.index_names(terms)
    if not (root / docs_dir).is_dir():
        loader.report("mkdocs.yml", 1, 1, "missing-folder",
                      f"the docs folder '{docs_dir}' does not exist in {root.name}/")
    readings_root = root / docs_dir / READINGS_DIR
    model_files: set[str] = set()
    for folder in sorted(p for p in readings_root.iterdir() if p.is_dir()) if readings_root.is_dir() else []:
        files = sorted(folder.glob("*.md"))
        if not (folder / "index.md").is_file():
            if files:
                loader.report(loader.display(files[0]), 1, 1, "no-index",
                              f"{loader.display(folder)}/ has section files but no index.md with the "
                              "reading's title, source, author and date; add one")
                model_files.update(loader.display(p) for p in files)
                library.unloaded_pages |= {loader.src_uri(p) for p in files}
            continue
        model_files.update(loader.display(p) for p in files)
        reading = loader.load_reading(folder)
        loaded = {reading.src_uri, *(s.src_uri for s in reading.sections)} if reading else set()
        library.unloaded_pages |= {loader.src_uri(p) for p in files} - loaded
        if reading is not None:
            library.readings.append(reading)
    assignments_root = root / docs_dir / ASSIGNMENTS_DIR
    for path in sorted(assignments_root.glob("*.md")) if assignments_root.is_dir() else []:
        if path.name == "index.md":
            continue
        model_files.add(loader.display(path))
        assignment = loader.load_assignment(path)
        if assignment is not None:
            library.assignments.append(assignment)
        else:
            library.unloaded_pages.add(loader.src_uri(path))
    if (root / docs_dir).is_dir():
        library.pages[:0] = loader.load_pages(root / docs_dir, model_files)
    library.diagnostics = loader.diagnostics
    library.files_read = loader.files_read
    return library
