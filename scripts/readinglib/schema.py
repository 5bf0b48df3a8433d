"""Front-matter fields: every key each kind of source file reads, with its type, in one table.

:data:`FIELDS` is the single statement of what a file may say; :class:`FieldReader`
reads one file's front matter through it, turning each problem into a diagnostic
at the key's ``line:column``. The guide and ``--help`` describe the same table.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readinglib.diagnostics import Diagnostic, error, warning
from readinglib.model import DatedNote, Source
from readinglib.sourcefile import SourceFile
from readinglib.text import front_matter_url_problem


@dataclass(frozen=True)
class Field:
    """One front-matter key: its type and whether a file must have it."""

    type: str
    required: bool = False
    help: str = ""


TEXT, TEXTS, DATE, URL, SOURCES, DATED, CHOICE, CHOICES, RANGES, BOOL = (
    "text", "texts", "date", "url", "sources", "dated", "choice", "choices", "ranges", "bool")
TITLE_SOURCES = ("article", "editors")
HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")
CHOICE_VALUES = {"title_source": TITLE_SOURCES, "hide": HIDE}
PLAIN_TEXT_BREAKERS = re.compile(r"[*_`\[\n]")
"""Characters that would make a plain-text field (``short``) read as Markdown."""
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHORT_LIMIT = 300
"""Characters in a ``short`` definition before a warning: it is a one-sentence tooltip."""

# page metadata MkDocs and Material read themselves, as this project allows them (all plain text)
PAGE_FIELDS = {
    "title": Field(TEXT, help="the page's title"),
    "description": Field(TEXT, help="the page's meta description"),
    "hide": Field(CHOICES, help=f"parts of the page Material hides: {', '.join(HIDE)}"),
}

FIELDS: dict[str, dict[str, Field]] = {
    "term": {
        "term": Field(TEXT, True, "the entry's name"),
        "aliases": Field(TEXTS, help="other names references may use"),
        "short": Field(TEXT, True, "one plain sentence: the tooltip"),
        "category": Field(TEXT, True, "organisation, treaty, weapon, event…"),
        "sources": Field(SOURCES, True, "documents the entry rests on"),
        "see_also": Field(TEXTS, help="related entries (reciprocated)"),
        "events": Field(DATED, help="dated events for the timeline, each with an optional id other entries share"),
        "shared_events": Field(TEXTS, help="ids of events another entry records that concern this one too"),
        "updates": Field(DATED, help="dated notes on what changed after a reading"),
        "reviewed": Field(DATE, help="when the entry was last checked against its sources"),
    },
    "reading": {
        **PAGE_FIELDS,
        "title": Field(TEXT, True, "the article's headline, or ours"),
        "title_source": Field(CHOICE, help="'article' (default) or 'editors'"),
        "published_title": Field(TEXT, help="the headline as published"),
        "source": Field(TEXT, True, "the publisher"),
        "author": Field(TEXT, True, "the author"),
        "date": Field(DATE, True, "the publication date"),
        "url": Field(URL, help="the original article"),
        "citation_note": Field(TEXT, help="why the citations lack the headline as published or the address (shown with them)"),
        "practice": Field(BOOL, help="false: no practice page (flashcards, cloze, which section) for this reading"),
    },
    "section": {
        **PAGE_FIELDS,
        "title": Field(TEXT, True, "the article's heading, or ours"),
        "title_source": Field(CHOICE, help="'article' (default) or 'editors'"),
        "questions": Field(TEXTS, help="discussion questions for the study guide"),
    },
    "assignment": {
        **PAGE_FIELDS,
        "title": Field(TEXT, True, "the assignment's title"),
        "reading": Field(TEXT, True, "the reading's folder name"),
        "paragraphs": Field(RANGES, True, "paragraph numbers and ranges, e.g. 1-9, 14"),
        "due": Field(DATE, help="the due date"),
        "key_terms": Field(TEXTS, help="glossary entries to learn"),
        "questions": Field(TEXTS, help="questions to answer"),
    },
    "page": PAGE_FIELDS,
}


def _strings(value: Any) -> str:
    """Every text inside a front-matter value, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_strings(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(_strings(item) for item in value)
    return ""


def as_date(value: Any) -> dt.date | None:
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


class FieldReader:
    """Reads the front matter of one source file of one kind through :data:`FIELDS`."""

    def __init__(self, source: SourceFile, kind: str, report: Callable[[Diagnostic], None]) -> None:
        self.source = source
        self.kind = kind
        self.fields = FIELDS[kind]
        self.report = report
        self._check_keys()
        self._reject_references()

    @property
    def path(self) -> str:
        return self.source.path

    def problem(self, where: object, code: str, message: str) -> None:
        self.report(error(self.path, *self.source.position(where), code, message))

    def _check_keys(self) -> None:
        """Warn on keys nothing reads: usually a typo (``see-also`` for ``see_also``)."""
        for key in self.source.meta:
            if isinstance(key, str) and key not in self.fields:
                close = difflib.get_close_matches(key, sorted(self.fields), n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"a {self.kind} file reads {', '.join(sorted(self.fields))}"
                self.report(warning(self.path, *self.source.position(key), "unknown-key",
                                    f"unknown key '{key}' is ignored; {hint}"))

    def _reject_references(self) -> None:
        """Front matter is plain text (titles, questions, tooltips): a [[…]] there would stay raw."""
        for key, value in self.source.meta.items():
            items = enumerate(value) if isinstance(value, list) else [(None, value)]
            for index, item in items:
                if "[[" in _strings(item):
                    self.problem(key if index is None else (key, index), "bad-reference",
                               f"[[…]] references work in the text, not in front matter ('{key}'); "
                               "write the name as plain text")

    def missing(self, key: str) -> bool:
        value = self.source.meta.get(key)
        return value is None or value == [] or (isinstance(value, str) and not value.strip())

    def get(self, key: str) -> Any:
        """The typed value of ``key`` (``None`` or empty when absent or wrong; problems reported)."""
        spec = self.fields[key]
        if self.missing(key):
            if spec.required:
                detail = ": name at least one source" if spec.type == SOURCES else ""
                self.problem(key, "missing-field", f"required field '{key}' is missing or empty{detail}")
            return [] if spec.type in (TEXTS, SOURCES, DATED, CHOICES) else None
        value = self.source.meta[key]
        return getattr(self, f"_{spec.type}")(key, value)

    # -- one reader per type -------------------------------------------------------------

    def _text(self, key: str, value: Any) -> str | None:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(key, "bad-field", f"field '{key}' must be text, not {type(value).__name__}")
            return None
        return str(value).strip()

    def _texts(self, key: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem(key, "bad-field", f"'{key}' must be a list of non-empty texts, e.g. {key}: [one, two]")
            return []
        return [v.strip() for v in value]

    def _date(self, key: str, value: Any, where: object = None) -> dt.date | None:
        parsed = as_date(value)
        if parsed is None:
            self.problem(where if where is not None else key, "bad-date",
                       f"'{key}' must be a date written YYYY-MM-DD, not {value!r}")
        return parsed

    def _url(self, key: str, value: Any, where: object = None) -> str | None:
        text = self._text(key, value) if where is None else str(value).strip()
        problem = front_matter_url_problem(text) if text is not None else None
        if problem:
            self.problem(where if where is not None else (key, "value"), "unsafe-url", f"'{key}': {problem}")
            return None
        return text

    def _choice(self, key: str, value: Any) -> str:
        choices = CHOICE_VALUES[key]
        chosen = str(value).strip().lower()
        if chosen not in choices:
            self.problem(key, "bad-field", f"'{key}' must be one of {', '.join(choices)}, not {chosen!r}")
            return choices[0]
        return chosen

    def _choices(self, key: str, value: Any) -> list[str]:
        choices = CHOICE_VALUES[key]
        items = self._texts(key, value)
        for index, item in enumerate(items):
            if item not in choices:
                self.problem((key, index), "bad-field", f"'{key}' items must be among {', '.join(choices)}, not {item!r}")
        return [item for item in items if item in choices]

    def _bool(self, key: str, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.problem(key, "bad-field", f"'{key}' must be true or false, not {value!r}")
            return None
        return value

    def _ranges(self, key: str, value: Any) -> Any:
        return value  # parsed with positions by the loader, which knows the written line

    def _sources(self, key: str, value: Any, base: tuple[object, ...] | None = None) -> list[Source]:
        """A list of documents, each ``title`` (required), ``publisher``, ``date``, ``url``.

        ``base`` is where the list is written (``("updates", 2, "sources")``); the top-level key by default.
        """
        base = base or (key,)
        if not isinstance(value, list):
            self.problem(base if len(base) > 1 else key, "bad-field",
                         f"'{key}' must be a list of documents, each with at least a 'title'")
            return []
        found: list[Source] = []
        for index, item in enumerate(value):
            at = (*base, index)
            texts = {name: item.get(name) for name in ("title", "publisher", "url")} \
                if isinstance(item, dict) else {}
            if not isinstance(item, dict) or not isinstance(texts["title"], str) or not texts["title"].strip() \
                    or any(v is not None and not isinstance(v, str) for v in texts.values()):
                self.problem(at, "bad-field", f"each entry of '{key}' needs a text 'title' (and may have text "
                                              "'publisher' and 'url', and a 'date')")
                continue
            date = item.get("date")
            if date is not None and as_date(date) is None:
                self.problem((*at, "date"), "bad-date",
                             f"the date of a source in '{key}' must be written YYYY-MM-DD, not {date!r}")
            url = self._url(f"{key}[{index}].url", texts["url"], (*at, "url")) if texts["url"] else None
            found.append(Source(title=texts["title"].strip(), publisher=(texts["publisher"] or "").strip() or None,
                                date=as_date(date), url=url or None,
                                url_position=self.source.position((*at, "url"))))
        return found

    def _dated(self, key: str, value: Any) -> list[DatedNote]:
        if not isinstance(value, list):
            self.problem(key, "bad-field", f"'{key}' must be a list of entries with 'date' and 'text'")
            return []
        notes: list[DatedNote] = []
        for index, item in enumerate(value):
            where = (key, index)
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                self.problem(where, "bad-field", f"each entry of '{key}' needs 'date' (YYYY-MM-DD) and a text 'text'")
                continue
            date = self._date(f"{key}[{index}].date", item.get("date"), where)
            if date is None:
                continue
            sources = self._sources(f"{key}[{index}].sources", item["sources"], (*where, "sources")) \
                if item.get("sources") is not None else []
            event_id = item.get("id")
            if event_id is not None and not (isinstance(event_id, str) and SLUG.match(event_id)):
                self.problem((*where, "id"), "bad-field", f"an event's 'id' must be a slug (lower-case words "
                                                          f"joined by '-'), not {event_id!r}")
                event_id = None
            notes.append(DatedNote(date, item["text"].strip(), tuple(sources), self.source.position(where),
                                   id=event_id))
        return sorted(notes, key=lambda note: note.date)


def describe_fields() -> str:
    """The table as text, one kind of file after another (for ``--help``)."""
    lines = []
    for kind, fields in FIELDS.items():
        keys = ", ".join(f"{key}{'*' if spec.required else ''}" for key, spec in fields.items())
        lines.append(f"  {kind}: {keys}")
    return "\n".join(lines)
