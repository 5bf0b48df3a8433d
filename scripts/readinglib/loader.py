"""Load the library model from its source files: the walk over the folders.

Layout (relative to the project root)::

    glossary/<slug>.md                 one term per file: YAML front matter + Markdown body
    docs/readings/<slug>/index.md      a reading's metadata (front matter) and introduction
    docs/readings/<slug>/<NN-name>.md  its sections, in file-name order
    docs/assignments/<name>.md         instructors' assignments
    docs/**.md                         hand-written pages

Front matter is read through :mod:`readinglib.schema`, bodies through
:mod:`readinglib.body`. Problems are collected as diagnostics on the returned
library; loading never raises for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from readinglib.body import check_markdown, leading_blank_lines, parse_section_body
from readinglib.cache import ParseCache, fingerprint
from readinglib.diagnostics import Diagnostic, error, warning
from readinglib.model import Assignment, Library, Page, PageMeta, ParagraphRange, Reading, Section, Term
from readinglib.references import find_references, normalise_name
from readinglib.schema import PLAIN_TEXT_BREAKERS, SHORT_LIMIT, SLUG, FieldReader
from readinglib.sourcefile import SourceFile, read_source

T = TypeVar("T")

READINGS_DIR = "readings"
ASSIGNMENTS_DIR = "assignments"
RANGE = re.compile(r"\s*(?P<first>\d+)\s*(?:[-–]\s*(?P<last>\d+)\s*)?$")


class _Walk:
    """One walk over a project's folders, collecting diagnostics as it reads."""

    def __init__(self, root: Path, docs: Path, cache: ParseCache | None = None) -> None:
        self.root = root
        self.docs = docs
        self.cache = cache or ParseCache(None)
        self.diagnostics: list[Diagnostic] = []
        self.term_sources: dict[str, SourceFile] = {}
        self.unloaded_terms: set[str] = set()
        self.files_read = 0

    def display(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def src_uri(self, path: Path) -> str:
        """``path`` relative to the docs folder, as MkDocs names it."""
        return path.relative_to(self.docs).as_posix()

    def report(self, finding: Diagnostic) -> None:
        self.diagnostics.append(finding)

    def read(self, path: Path, kind: str) -> tuple[SourceFile, FieldReader] | None:
        self.files_read += 1
        source, problems = read_source(path, self.display(path))
        self.diagnostics.extend(problems)
        return (source, FieldReader(source, kind, self.report)) if source is not None else None

    def markdown_body(self, source: SourceFile) -> tuple[str, int]:
        """The body, validated, without its leading and trailing blank lines, and its first line."""
        check_markdown(source.path, source.body, source.body_line, self.report)
        return source.body.strip("\n"), source.body_line + leading_blank_lines(source.body)

    def check_slug(self, path: Path, name: str, what: str) -> bool:
        """``name`` (of ``path`` or its folder) becomes part of an address: a slug only."""
        if SLUG.match(name):
            return True
        shown = path.name if what == "file name" else name
        self.report(error(self.display(path), 1, 1, "bad-slug",
                          f"{what} '{shown}' must be a slug: lower-case words joined by '-'"))
        return False

    # -- glossary ------------------------------------------------------------

    def load_terms(self, glossary: Path) -> list[Term]:
        terms: list[Term] = []
        for path in sorted(glossary.glob("*.md")) if glossary.is_dir() else []:
            self.unloaded_terms.add(path.stem)
            loaded = self.load_term_file(path)
            if loaded is not None:
                source, term = loaded
                terms.append(term)
                self.term_sources[term.slug] = source
                self.unloaded_terms.discard(term.slug)
        return terms

    def cached(self, path: Path, key: str, parse: Callable[[], T]) -> T:
        """``parse()`` of ``path``, or, when the file is unchanged since the run that stored it
        under ``key``, what it gave then, with the findings it had then (:mod:`readinglib.cache`)."""
        stamp = fingerprint(path) if self.cache.enabled else None
        cached = self.cache.get(key, stamp)
        if cached is not None:
            loaded, findings = cached
            self.files_read += 1
            self.diagnostics.extend(findings)
            return loaded
        before = len(self.diagnostics)
        loaded = parse()
        self.cache.put(key, stamp, (loaded, self.diagnostics[before:]))
        return loaded

    def load_term_file(self, path: Path) -> tuple[SourceFile, Term] | None:
        """One glossary file read and checked, or from the parse cache (a term depends on its file only)."""
        return self.cached(path, self.display(path), lambda: self.parse_term_file(path))

    def parse_term_file(self, path: Path) -> tuple[SourceFile, Term] | None:
        read = self.read(path, "term")
        term = None
        if read is not None and self.check_slug(path, path.stem, "file name"):
            term = self.load_term(path.stem, *read)
        return (read[0], term) if read is not None and term is not None else None

    def load_term(self, slug: str, source: SourceFile, fields: FieldReader) -> Term | None:
        name, short, category = fields.get("term"), fields.get("short"), fields.get("category")
        sources = fields.get("sources")
        if name is None or short is None or category is None:
            return None
        if PLAIN_TEXT_BREAKERS.search(short) and "[[" not in short:
            fields.problem("short", "bad-field", "'short' is shown as a plain-text tooltip: write one sentence "
                                               "without Markdown (* _ ` [) or line breaks")
        if len(short) > SHORT_LIMIT:
            self.report(warning(source.path, *source.position("short"), "long-short",
                                f"'short' has {len(short)} characters; a tooltip reads best under "
                                f"{SHORT_LIMIT}: keep one sentence and move the rest to the body"))
        body, body_line = self.markdown_body(source)
        if not body.strip():
            self.report(warning(source.path, max(1, min(source.body_line, source.last_line)), 1, "empty-body",
                                "the entry has no body, so its page shows only the short definition; "
                                "add a paragraph in your own words"))
        return Term(slug=slug, term=name, short=short, category=category.lower(), path=source.path,
                    aliases=fields.get("aliases"), sources=sources, see_also=fields.get("see_also"),
                    events=fields.get("events"), shared_events=fields.get("shared_events"),
                    updates=fields.get("updates"), reviewed=fields.get("reviewed"),
                    body=body, body_line=body_line, references=find_references(body, body_line),
                    positions=source.positions)

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
                        self.report(error(source.path, line, column, "duplicate-name",
                                          f'name "{name}" is already used by "{owner}" '
                                          f"({self.term_sources[owner].path}); rename one or drop the alias"))
                    elif key in listed[term.slug]:
                        self.report(error(source.path, line, column, "duplicate-name",
                                          f'"{name}" is listed twice in this entry; drop the repeat'))
                    listed[term.slug].add(key)
        return names

    # -- readings --------------------------------------------------------------

    def load_reading(self, folder: Path) -> Reading | None:
        index = folder / "index.md"
        read = self.read(index, "reading")
        if read is None:
            return None
        source, fields = read
        values = {key: fields.get(key) for key in ("title", "source", "author", "date")}
        origin = fields.get("title_source") or "article"
        if None in values.values():
            return None
        introduction, introduction_line = self.markdown_body(source)
        reading = Reading(
            slug=folder.name, path=source.path, src_uri=self.src_uri(index), title=values["title"],
            title_is_editorial=origin == "editors", source=values["source"], author=values["author"],
            date=values["date"], url=fields.get("url"), citation_note=fields.get("citation_note"),
            published_title=fields.get("published_title"),
            introduction=introduction, introduction_line=introduction_line,
            introduction_references=find_references(introduction, introduction_line), meta=page_meta(fields),
            positions=source.positions, practice=fields.get("practice") is not False)
        number = 1
        for path in sorted(p for p in folder.glob("*.md") if p.name != "index.md"):
            section = self.load_section(path, reading.slug, number)
            if section is not None:
                reading.sections.append(section)
                number = section.last + 1 if section.paragraphs else number
        if not reading.sections:
            self.report(error(source.path, 1, 1, "no-sections",
                              f"reading '{reading.slug}' has no section files beside index.md"))
        return reading

    def load_section(self, path: Path, reading: str, first_number: int) -> Section | None:
        """One section file read and checked, or from the parse cache (a section depends on its
        file and on the number its first paragraph gets)."""
        return self.cached(path, f"{self.display(path)}@{reading}:{first_number}",
                           lambda: self.parse_section(path, reading, first_number))

    def parse_section(self, path: Path, reading: str, first_number: int) -> Section | None:
        read = self.read(path, "section")
        if read is None:
            return None
        source, fields = read
        title = fields.get("title")
        origin = fields.get("title_source") or "article"
        if title is None:
            return None
        section = Section(reading=reading, path=source.path, src_uri=self.src_uri(path), title=title,
                          title_is_editorial=origin == "editors", questions=fields.get("questions"),
                          meta=page_meta(fields))
        parse_section_body(source, section, first_number, self.report)
        if not section.paragraphs:
            self.report(error(source.path, min(source.body_line, source.last_line), 1, "no-paragraphs",
                              "section has no paragraphs; add the reading's text below the front matter"))
        return section

    # -- assignments and hand-written pages ---------------------------------------------

    def load_assignment(self, path: Path) -> Assignment | None:
        read = self.read(path, "assignment")
        if read is None:
            return None
        source, fields = read
        title, reading = fields.get("title"), fields.get("reading")
        if title is None or reading is None:
            return None
        notes, notes_line = self.markdown_body(source)
        return Assignment(
            path=source.path, src_uri=self.src_uri(path), title=title, reading=reading, due=fields.get("due"),
            ranges=self.paragraph_ranges(source, fields), key_terms=fields.get("key_terms"),
            questions=fields.get("questions"), notes=notes, notes_line=notes_line,
            references=find_references(notes, notes_line), positions=source.positions, meta=page_meta(fields))

    def paragraph_ranges(self, source: SourceFile, fields: FieldReader) -> list[ParagraphRange]:
        """``paragraphs: 1-9, 14`` as ranges, each with the column it is written at."""
        value = fields.get("paragraphs")
        if value is None:
            return []
        line, column = source.position(("paragraphs", "value"))
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            fields.problem(("paragraphs", "value"), "bad-field",
                         "'paragraphs' must be numbers and ranges on one line, e.g. paragraphs: 1-9, 14")
            return []
        lines = source.text.split("\n")
        raw = lines[line - 1][column - 1:] if line <= len(lines) else ""
        ranges: list[ParagraphRange] = []
        offset = 0
        for part in str(value).split(","):
            at = raw.find(part.strip(), offset) if raw else -1
            where = (line, column + at) if at >= 0 else (line, column)
            offset = at + len(part.strip()) if at >= 0 else offset
            match = RANGE.match(part)
            if match is None:
                self.report(error(source.path, *where, "bad-range",
                                  f"'{part.strip()}' is not a paragraph number or range like 3-7"))
                continue
            first = int(match.group("first"))
            ranges.append(ParagraphRange(first, int(match.group("last") or first), *where))
        return ranges

    def load_pages(self, docs: Path, skip: set[str]) -> list[Page]:
        """Hand-written docs pages (home, guides) outside the readings and assignments."""
        pages: list[Page] = []
        for path in sorted(docs.rglob("*.md")):
            if self.display(path) in skip:
                continue
            read = self.read(path, "page")
            if read is not None:
                source, fields = read
                body, line = self.markdown_body(source)
                pages.append(Page(source.path, self.src_uri(path), body, line, find_references(body, line),
                                  title=fields.get("title"), meta=page_meta(fields)))
        return pages


def page_meta(fields: FieldReader) -> PageMeta:
    return PageMeta(description=fields.get("description"), hide=tuple(fields.get("hide")))


def load_library(root: Path | str, docs_dir: str = "docs", glossary_dir: str = "glossary",
                 cache: ParseCache | None = None) -> Library:
    """Load every reading and term below ``root``; problems go to ``library.diagnostics``.
    With ``cache`` (:mod:`readinglib.cache`), glossary and section files unchanged since they
    were last parsed are not parsed again."""
    root = Path(root).resolve()
    walk = _Walk(root, root / docs_dir, cache)
    terms = walk.load_terms(root / glossary_dir)
    library = Library(root=str(root), docs_dir=docs_dir, glossary_dir=glossary_dir,
                      terms={term.slug: term for term in terms}, unloaded_terms=walk.unloaded_terms)
    library.names = walk.index_names(terms)
    if not (root / docs_dir).is_dir():
        walk.report(error("mkdocs.yml", 1, 1, "missing-folder",
                          f"the docs folder '{docs_dir}' does not exist in {root.name}/"))
    readings_root = root / docs_dir / READINGS_DIR
    model_files: set[str] = set()
    for folder in sorted(p for p in readings_root.iterdir() if p.is_dir()) if readings_root.is_dir() else []:
        files = sorted(folder.glob("*.md"))
        model_files.update(walk.display(p) for p in files)
        if not files:
            continue
        index = folder / "index.md"
        if not index.is_file():
            walk.report(error(walk.display(files[0]), 1, 1, "no-index",
                              f"{walk.display(folder)}/ has section files but no index.md with the "
                              "reading's title, source, author and date; add one"))
        if not index.is_file() or not walk.check_slug(index, folder.name, "reading folder"):
            library.unloaded_pages |= {walk.src_uri(p) for p in files}
            continue
        reading = walk.load_reading(folder)
        loaded = {reading.src_uri, *(s.src_uri for s in reading.sections)} if reading else set()
        library.unloaded_pages |= {walk.src_uri(p) for p in files} - loaded
        if reading is not None:
            library.readings.append(reading)
    assignments_root = root / docs_dir / ASSIGNMENTS_DIR
    for path in sorted(assignments_root.glob("*.md")) if assignments_root.is_dir() else []:
        if path.name == "index.md":
            continue
        model_files.add(walk.display(path))
        assignment = walk.load_assignment(path)
        if assignment is not None:
            library.assignments.append(assignment)
        else:
            library.unloaded_pages.add(walk.src_uri(path))
    if (root / docs_dir).is_dir():
        library.pages[:0] = walk.load_pages(root / docs_dir, model_files)
    library.diagnostics = walk.diagnostics
    library.files_read = walk.files_read
    walk.cache.save()
    return library
