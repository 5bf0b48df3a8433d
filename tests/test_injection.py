"""Payload test corpus: no source field can put live HTML or script into the site.

Each payload (XSS01…) goes into every field the site shows, one at a time, in a copy of
``tests/fixtures/two-readings`` with the files of ``tests/payloads/base`` laid over it (every
field present, each on its own line). Each (field, payload) case is then EITHER

(a) rejected: ``check_project`` reports an error at the mutated file, on the line where the
    payload was written, and the strict MkDocs build aborts (``Abort``) writing no HTML; OR
(b) accepted as inert text: the built HTML, parsed with selectolax, has no script, event
    handler, unsafe URL, element or id the payload introduced, and the payload reaches the
    site (plain-text fields: shown literally, as written).

Three rules are enforced rather than left open: a URL field with an unsafe scheme must be
rejected; a Markdown body with raw HTML, an unsafe-scheme link or an on*/style/href attribute
must be rejected; a plain-text field must show the payload as text (it may be rejected only
where the field's own syntax cannot hold it: a ``"`` in a note title, Markdown in ``short``,
a line break).

Speed: one in-process checker run per case (milliseconds); per payload one build of all
accepted mutations merged into one library and one (aborting, fast) build of all rejected
ones, a single build only when the merged refusal does not name a case.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from conftest import FIXTURES, ROOT, copy_library, serve

PAYLOAD_BASE = Path(__file__).resolve().parent / "payloads" / "base"

# -- the fields the site shows -----------------------------------------------------------

TEXT, META, NAME, URL, BODY = "text", "meta", "name", "url", "body"
# TEXT: plain text shown on a page; META: plain text shown only in an attribute (a meta
# description); NAME: plain text that must name a glossary entry; URL: an address;
# BODY: Markdown.


@dataclass(frozen=True)
class Field:
    id: str
    path: str          # relative to the library root
    line_text: str     # the line of tests/payloads/base (or the fixture) the payload replaces
    template: str      # the replacement; {value} is the payload (YAML-quoted unless raw)
    kind: str
    raw: bool = False  # the payload is written as it is (Markdown bodies, a note's title)
    may_reject: str | None = None  # payloads the field's own syntax cannot hold (regex)
    casefold: bool = False  # the site shows the value lower-cased (a category)

    @property
    def number(self) -> int:
        return FIELDS.index(self) + 1


G = "glossary/gadget.md"
R = "docs/readings/alpha/index.md"
S = "docs/readings/alpha/01-opening.md"
A = "docs/assignments/homework.md"
H = "docs/index.md"

FIELDS: list[Field] = [
    Field("glossary.term", G, "term: Gadget", "term: {value}", TEXT),
    Field("glossary.alias", G, "  - Gadgetry", "  - {value}", TEXT),
    Field("glossary.short", G, "short: 'A larger device, also for fixtures.'", "short: {value}", TEXT,
          may_reject=r"[*_`\[]"),  # documented: 'short' is a plain-text tooltip without Markdown
    Field("glossary.category", G, "category: concept", "category: {value}", TEXT, casefold=True),
    Field("glossary.source-title", G, '  - title: "The Fixture Handbook"', "  - title: {value}", TEXT),
    Field("glossary.source-publisher", G, '    publisher: "Fixture Press"', "    publisher: {value}", TEXT),
    Field("glossary.source-url", G, "    url: https://fixture.example.org/handbook", "    url: {value}", URL),
    Field("glossary.event-text", G, '    text: "Gadget first described."', "    text: {value}", TEXT),
    Field("glossary.update-text", G, '    text: "Gadgets were improved."', "    text: {value}", TEXT),
    Field("glossary.update-source-title", G, '      - title: "Gadget update notice"',
          "      - title: {value}", TEXT),
    Field("glossary.update-source-publisher", G, '        publisher: "Gadget Board"',
          "        publisher: {value}", TEXT),
    Field("glossary.update-source-url", G, "        url: https://fixture.example.org/update",
          "        url: {value}", URL),
    Field("glossary.see-also", G, "  - widget", "  - {value}", NAME),
    Field("glossary.body", G, "About the Gadget, in our own words.", "{value}", BODY, raw=True),
    Field("reading.title", R, "title: Alpha report", "title: {value}", TEXT),
    Field("reading.published-title", R, 'published_title: "Alpha: the headline as published"',
          "published_title: {value}", TEXT),
    Field("reading.source", R, "source: The Daily Fixture", "source: {value}", TEXT),
    Field("reading.author", R, "author: Ann Author", "author: {value}", TEXT),
    Field("reading.url", R, "url: https://news.example.org/alpha", "url: {value}", URL),
    Field("reading.description", R, 'description: "A fixture reading, described for search engines."',
          "description: {value}", META),
    Field("reading.body", R, "Alpha's introduction.", "{value}", BODY, raw=True),
    Field("section.title", S, "title: Opening", "title: {value}", TEXT),
    Field("section.question", S, "  - What is a widget?", "  - {value}", TEXT),
    Field("section.description", S,
          'description: "The opening section, described for search engines."', "description: {value}", META),
    Field("section.paragraph", S, "A third paragraph, which the payload tests overwrite.", "{value}", BODY,
          raw=True),
    Field("section.note-title", S, '::: context "Why gizmos"', '::: context "{value}"', TEXT, raw=True,
          may_reject=r'"'),  # the title is written between double quotes
    Field("section.note-body", S, "A second paragraph of the note, which the payload tests overwrite.",
          "{value}", BODY, raw=True),
    Field("assignment.title", A, "title: Homework one", "title: {value}", TEXT),
    Field("assignment.question", A, "  - What does the Gizmo Corporation make?", "  - {value}", TEXT),
    Field("assignment.key-term", A, "  - widget", "  - {value}", NAME),
    Field("assignment.body", A, "A second note for students, which the payload tests overwrite.",
          "{value}", BODY, raw=True),
    Field("page.body", H, "A second paragraph of the home page, which the payload tests overwrite.",
          "{value}", BODY, raw=True),
]

# -- the payloads ---------------------------------------------------------------------------

REJECT, INERT, EITHER = "reject", "inert", "either"


@dataclass(frozen=True)
class Payload:
    pid: str
    template: str            # {m} is the case's marker (payload id + field number)
    text: str | None = None  # rule in plain-text fields (TEXT, META, NAME)
    url: str | None = None   # rule in URL fields
    body: str | None = None  # rule in Markdown bodies

    def rule(self, kind: str) -> str | None:
        return {TEXT: self.text, META: self.text, NAME: self.text, URL: self.url, BODY: self.body}[kind]


PAYLOADS: list[Payload] = [
    Payload("XSS01", '<script>alert("{m}")</script>', text=INERT, url=EITHER, body=REJECT),
    Payload("XSS02", '<img src=x onerror=alert("{m}")>', text=INERT, url=EITHER, body=REJECT),
    Payload("XSS03", '"><svg onload=alert("{m}")>', text=INERT, url=EITHER, body=REJECT),
    Payload("XSS04", "' onmouseover='alert(\"{m}\")", text=INERT, url=EITHER, body=EITHER),
    Payload("XSS05", 'javascript:alert("{m}")', text=INERT, url=REJECT, body=EITHER),
    Payload("XSS06", 'JaVaScRiPt:alert("{m}")', text=INERT, url=REJECT),
    Payload("XSS07", 'data:text/html,<script>alert("{m}")</script>', text=INERT, url=REJECT, body=REJECT),
    Payload("XSS08", 'vbscript:msgbox("{m}")', text=INERT, url=REJECT),
    Payload("XSS09", 'https://example.org/a)"onmouseover=alert("{m}")', text=INERT, url=EITHER),
    Payload("XSS10", '[click](javascript:alert("{m}"))', text=INERT, body=REJECT),
    Payload("XSS11", '<javascript:alert("{m}")>', text=INERT, url=EITHER, body=REJECT),
    Payload("XSS12", "text{ onmouseover=\"alert('{m}')\" }", text=INERT, body=REJECT),
    Payload("XSS13", "Some text\n{: onclick=\"alert('{m}')\" }", text=EITHER, body=REJECT),
    Payload("XSS14", "[x](https://ok.example){ href=\"javascript:alert('{m}')\" }", text=INERT, body=REJECT),
    Payload("XSS15", "Title { onclick=\"alert('{m}')\" }", text=INERT, body=REJECT),
    Payload("XSS16", "Title {: #evil .x onclick=alert({m}) }", text=INERT, body=REJECT),
    Payload("XSS17", 'Read [more][x{m}].\n\n[x{m}]: javascript:alert("{m}")', body=REJECT),
    Payload("XSS18", 'Styled {m}{ style="position:fixed" }', text=INERT, body=REJECT),
    Payload("XSS19", "*stars* [link](https://x.example) `code` {m}", text=INERT, body=EITHER),
    Payload("XSS20", "AT&T &lt;b&gt; {m}", text=INERT, body=EITHER),
    Payload("XSS21", "</textarea></title><!-- {m}", text=INERT, body=REJECT),
    Payload("XSS22", "Line one {m}\n# Heading two\n<b>bold</b>", text=EITHER, body=REJECT),
    Payload("XSS23", "<!-- {m}", text=INERT, body=REJECT),
    Payload("XSS24", '&#106;avascript:alert("{m}")', text=INERT, url=EITHER),
    Payload("XSS25", 'java\tscript:alert("{m}")', text=INERT, url=REJECT),  # browsers drop the tab
    Payload("XSS26", '[click {m}](&#106;avascript:alert("{m}"))', body=REJECT),
    Payload("XSS27", '![image {m}](javascript:alert("{m}"))', body=REJECT),
    Payload("XSS28", '[click {m}](<javascript:alert("{m}")>)', body=REJECT),
    Payload("XSS29", '  JAVASCRIPT:alert("{m}")', url=REJECT),
]


@dataclass(frozen=True)
class Case:
    field: Field
    payload: Payload

    @property
    def id(self) -> str:
        return f"{self.field.id}-{self.payload.pid}"

    @property
    def marker(self) -> str:
        return f"{self.payload.pid}F{self.field.number:02d}"

    @property
    def value(self) -> str:
        return self.payload.template.replace("{m}", self.marker)

    @property
    def rule(self) -> str:
        rule = self.payload.rule(self.field.kind)
        assert rule is not None
        if self.field.kind == NAME:
            return EITHER  # a name that is no entry is an error, by design
        if rule == INERT and ("\n" in self.value or (self.field.may_reject
                                                     and re.search(self.field.may_reject, self.value))):
            return EITHER
        return rule

    def replacement(self) -> list[str]:
        value = self.value if self.field.raw else json.dumps(self.value, ensure_ascii=False)
        return self.field.template.replace("{value}", value).split("\n")


CASES = [Case(f, p) for p in PAYLOADS for f in FIELDS if p.rule(f.kind) is not None]
PAYLOAD_IDS = [p.pid for p in PAYLOADS]


# -- building a library ---------------------------------------------------------------------


def make_base(destination: Path) -> Path:
    """A copy of the fixture library with the payload base laid over it; returns its root."""
    copy_library(FIXTURES / "two-readings", destination)
    for source in PAYLOAD_BASE.rglob("*.md"):
        target = destination / source.relative_to(PAYLOAD_BASE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return destination


def mutate(texts: dict[str, str], cases: list[Case]) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Texts with each case's line replaced, and where each payload ends up: (first, last) line.

    Lines of one file are replaced bottom-up, so several cases can share a file; a payload
    of several lines moves the lines below it, which the positions account for.
    """
    out = dict(texts)
    positions: dict[str, tuple[int, int]] = {}
    by_path: dict[str, list[tuple[int, Case]]] = {}
    for case in cases:
        lines = texts[case.field.path].split("\n")
        matches = [i for i, line in enumerate(lines) if line == case.field.line_text]
        assert len(matches) == 1, f"{case.field.path}: line {case.field.line_text!r} is not unique"
        by_path.setdefault(case.field.path, []).append((matches[0], case))
    for path, found in by_path.items():
        lines = texts[path].split("\n")
        shift = 0
        for index, case in sorted(found, key=lambda item: item[0]):
            extra = len(case.replacement()) - 1
            positions[case.id] = (index + 1 + shift, index + 1 + shift + extra)
            shift += extra
        for index, case in sorted(found, key=lambda item: -item[0]):
            lines[index:index + 1] = case.replacement()
        out[path] = "\n".join(lines)
    return out, positions


@dataclass
class Built:
    ok: bool
    message: str
    site: Path

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html")) if self.site.exists() else []


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def build_in_process(root: Path, site: Path) -> Built:
    """``mkdocs build --strict`` in this process; ``ok`` is False when it raised Abort."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), strict=True, site_dir=str(site))
        build(config)
    except Abort as exc:
        return Built(False, "\n".join([str(exc), *collect.lines]), site)
    finally:
        logger.removeHandler(collect)
    return Built(True, "\n".join(collect.lines), site)


def check(root: Path):  # type: ignore[no-untyped-def]
    from readinglib.project import check_project

    return check_project(root, root / "mkdocs.yml")


ERROR_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): error:", re.MULTILINE)
FINDING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?:error|warning):", re.MULTILINE)


def _naming(message: str, case: Case, lines: tuple[int, int]) -> str:
    """The lines of a build's messages that name ``case``: its marker or its file and lines."""
    found = []
    for text in message.splitlines():
        at = FINDING_LINE.match(text)
        if case.marker.lower() in text.lower() or (
                at and at["path"] == case.field.path and lines[0] <= int(at["line"]) <= lines[1]):
            found.append(text)
    return "\n".join(found)


def refused_at(built: Built, path: str, first: int, last: int) -> bool:
    return any(m["path"] == path and first <= int(m["line"]) <= last for m in ERROR_LINE.finditer(built.message))


# -- reading a built site -----------------------------------------------------------------

URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc",
                  "background", "ping")
EMBEDS = ("img", "svg", "iframe", "object", "embed", "frame", "math", "video", "audio", "image")
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")


def unsafe_url(value: str) -> bool:
    """Would a browser treat this attribute value as a javascript:, data: or vbscript: URL?"""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                                                   "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                                   "\x1a\x1b\x1c\x1d\x1e\x1f ").lower()
    return cleaned.startswith(UNSAFE_SCHEMES)


def fold(text: str) -> str:
    return " ".join(text.split())


@dataclass
class PageInfo:
    path: str
    html: str
    text: str                                   # visible text, white space folded
    elements: list[tuple[str, dict[str, str]]]  # (tag, attributes) of every element
    scripts: list[tuple[str, str]]              # (text, src) of every <script>


def read_page(path: Path, site: Path) -> PageInfo:
    html = path.read_text(encoding="utf-8")
    tree = LexborHTMLParser(html)
    elements: list[tuple[str, dict[str, str]]] = []
    scripts: list[tuple[str, str]] = []
    for node in tree.css("*"):
        attributes = {str(k).lower(): (v or "") for k, v in node.attributes.items()}
        elements.append(((node.tag or "").lower(), attributes))
        if (node.tag or "").lower() == "script" and not inert_data(node.text(deep=True) or "", attributes):
            scripts.append((node.text(deep=True) or "", attributes.get("src", "")))
    visible = LexborHTMLParser(html)
    visible.strip_tags(["script", "style", "noscript", "template"])
    title = visible.css_first("title")
    body = visible.body
    text = fold((title.text(deep=True) if title else "") + " "
                + (body.text(deep=True, separator="") if body else ""))
    return PageInfo(path.relative_to(site).as_posix(), html, text, elements, scripts)


def inert_data(text: str, attributes: dict[str, str]) -> bool:
    """A data element (the page's term previews): never run, and proven whole: its text is one
    JSON value, so no payload ended it early or opened markup inside it."""
    if attributes.get("type") != "application/json" or "src" in attributes:
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return not any(c in text for c in "<>&")


@dataclass
class SiteInfo:
    built: Built
    pages: list[PageInfo] = field(default_factory=list)

    @classmethod
    def read(cls, built: Built) -> SiteInfo:
        return cls(built, [read_page(p, built.site) for p in built.html_files()])

    def live(self, marker: str) -> list[str]:
        """What the payload with ``marker`` made live anywhere in the site (empty: nothing)."""
        found: list[str] = []
        lowered = marker.lower()
        for page in self.pages:
            for text, src in page.scripts:
                if lowered in text.lower() or lowered in src.lower():
                    found.append(f"{page.path}: <script> element with the payload: {text[:80]!r} src={src!r}")
            for tag, attributes in page.elements:
                if lowered in tag:
                    found.append(f"{page.path}: element <{tag}> made of the payload")
                for name, value in attributes.items():
                    has = lowered in value.lower()
                    if name.startswith("on") and has:
                        found.append(f"{page.path}: <{tag} {name}={value!r}> event handler from the payload")
                    if name in URL_ATTRIBUTES and unsafe_url(value) and has:
                        found.append(f"{page.path}: <{tag} {name}={value!r}> unsafe URL from the payload")
                    if tag in EMBEDS and (has or lowered in name):
                        found.append(f"{page.path}: <{tag} {name}={value!r}> element from the payload")
                    if lowered in name:
                        found.append(f"{page.path}: <{tag}> has an attribute named from the payload: {name!r}")
                if attributes.get("id", "").lower().startswith("evil"):
                    found.append(f"{page.path}: <{tag} id={attributes['id']!r}> id from the payload")
        return found

    def anything_live(self) -> list[str]:
        """Event handlers, unsafe URLs, ids "evil…" and fixed positioning anywhere in the site."""
        found: list[str] = []
        for page in self.pages:
            for tag, attributes in page.elements:
                for name, value in attributes.items():
                    if name.startswith("on"):
                        found.append(f"{page.path}: <{tag} {name}={value!r}>")
                    if name in URL_ATTRIBUTES and unsafe_url(value):
                        found.append(f"{page.path}: <{tag} {name}={value!r}>")
                    if name == "style" and "position:fixed" in value.replace(" ", "").lower():
                        found.append(f"{page.path}: <{tag} style={value!r}>")
                if attributes.get("id", "").lower().startswith("evil"):
                    found.append(f"{page.path}: <{tag} id={attributes['id']!r}>")
        return found

    def shows_text(self, wanted: str, casefold: bool = False) -> bool:
        wanted = fold(wanted)
        if casefold:
            return any(wanted.casefold() in page.text.casefold() for page in self.pages)
        return any(wanted in page.text for page in self.pages)

    def in_attribute(self, wanted: str) -> bool:
        wanted = fold(wanted)
        return any(wanted in fold(value) for page in self.pages
                   for _, attributes in page.elements for value in attributes.values())

    def anywhere(self, marker: str) -> bool:
        return any(marker.lower() in page.html.lower() for page in self.pages)


# -- the corpus: checker results and builds, computed once --------------------------------


@dataclass
class Checked:
    errors: list  # type: ignore[type-arg]
    warnings: list  # type: ignore[type-arg]
    located: list  # type: ignore[type-arg]  # errors at the payload's file and lines
    first: int
    last: int


class Corpus:
    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        self.base = make_base(factory.mktemp("payload-base") / "lib")
        self.texts = {f.path: (self.base / f.path).read_text(encoding="utf-8") for f in FIELDS}
        self.checked: dict[str, Checked] = {}
        self.accepted: dict[str, SiteInfo] = {}
        self.refusals: dict[str, Built] = {}
        self.single: dict[str, Built] = {}
        self.merged_positions: dict[str, tuple[int, int]] = {}
        self.build_refused: dict[str, str] = {}  # case id -> the build's messages naming it

    def check(self, case: Case) -> Checked:
        if case.id not in self.checked:
            texts, positions = mutate(self.texts, [case])
            path = self.base / case.field.path
            try:
                path.write_text(texts[case.field.path], encoding="utf-8")
                project = check(self.base)
            finally:
                path.write_text(self.texts[case.field.path], encoding="utf-8")
            first, last = positions[case.id]
            errors = [d for d in project.findings if d.severity == "error"]
            warnings = [d for d in project.findings if d.severity != "error"]
            located = [d for d in errors if d.path == case.field.path and first <= d.line <= last]
            self.checked[case.id] = Checked(errors, warnings, located, first, last)
        return self.checked[case.id]

    def _library(self, name: str, cases: list[Case]) -> tuple[Path, dict[str, tuple[int, int]]]:
        root = make_base(self.factory.mktemp(name) / "lib")
        texts, positions = mutate(self.texts, cases)
        for path in {case.field.path for case in cases}:
            (root / path).write_text(texts[path], encoding="utf-8")
        return root, positions

    def cases_of(self, pid: str) -> list[Case]:
        return [case for case in CASES if case.payload.pid == pid]

    def accepted_site(self, pid: str) -> SiteInfo:
        """One build of every case of this payload the checker accepted.

        When the strict build refuses, the cases its messages name (by marker, or by
        ``file:line``) are set aside in ``self.build_refused`` and the rest built again.
        """
        if pid not in self.accepted:
            cases = [c for c in self.cases_of(pid) if not self.check(c).errors]
            for attempt in range(4):
                root, positions = self._library(f"accepted-{pid}-{attempt}", cases)
                built = build_in_process(root, root.parent / "site")
                if built.ok:
                    break
                named = {c.id: lines for c in cases if (lines := _naming(built.message, c, positions[c.id]))}
                if not named:
                    break
                self.build_refused.update(named)
                cases = [c for c in cases if c.id not in named]
            self.accepted[pid] = SiteInfo.read(built) if built.ok else SiteInfo(built)
        return self.accepted[pid]

    def refusal(self, case: Case) -> tuple[Built, int, int]:
        """A strict build refusing this case: the payload's merged refusal, or its own."""
        pid = case.payload.pid
        if pid not in self.refusals:
            cases = [c for c in self.cases_of(pid) if self.check(c).located]
            root, positions = self._library(f"rejected-{pid}", cases)
            self.refusals[pid] = build_in_process(root, root.parent / "site")
            self.merged_positions.update(positions)
        merged = self.refusals[pid]
        first, last = self.merged_positions[case.id]
        if not merged.ok and refused_at(merged, case.field.path, first, last):
            return merged, first, last
        if case.id not in self.single:
            root, positions = self._library(f"single-{case.id}", [case])
            self.single[case.id] = build_in_process(root, root.parent / "site")
        first, last = self.check(case).first, self.check(case).last
        return self.single[case.id], first, last


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory)


def _findings(findings: list) -> str:  # type: ignore[type-arg]
    return "\n  ".join(d.format() for d in findings[:8]) or "(none)"


# -- the corpus tests ---------------------------------------------------------------------


def test_base_library_is_clean(corpus: Corpus) -> None:
    """Without payloads the library checks and builds clean, and nothing in it is live."""
    project = check(corpus.base)
    assert not project.findings, _findings(project.findings)
    site = SiteInfo.read(build_in_process(corpus.base, corpus.base.parent / "site"))
    assert site.built.ok, site.built.message
    assert not site.anything_live(), site.anything_live()[:5]
    for field_ in FIELDS:  # every field's base value reaches the site
        value = base_value(field_)
        if field_.kind in (URL, NAME):
            continue
        if field_.kind == META:
            assert site.in_attribute(value), f"{field_.id}: {value!r} in no attribute"
        else:
            assert site.shows_text(value, casefold=field_.casefold), f"{field_.id}: {value!r} not shown"


def base_value(field_: Field) -> str:
    """The value a field has in the payload base."""
    import yaml

    line = field_.line_text
    if field_.raw and field_.kind == TEXT:
        return re.search(r'"(.*)"', line)[1]  # type: ignore[index]  # a note's title
    if field_.raw:
        return line
    value = yaml.safe_load(line.strip().removeprefix("- "))
    return str(next(iter(value.values())) if isinstance(value, dict) else value)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_payload_is_rejected_or_inert(corpus: Corpus, case: Case) -> None:
    checked = corpus.check(case)
    where = f"{case.field.path}:{checked.first}" + (f"-{checked.last}" if checked.last != checked.first else "")
    if checked.errors:
        assert checked.located, (f"the checker rejected {case.value!r} in {case.field.id}, but not at {where}:"
                                 f"\n  {_findings(checked.errors)}")
        assert case.rule != INERT, (f"{case.field.id} is plain text: {case.value!r} must be shown as text, "
                                    f"not rejected:\n  {_findings(checked.located)}")
        built, first, last = corpus.refusal(case)
        assert not built.ok, f"the checker rejected {case.value!r} at {where}, the build did not"
        assert refused_at(built, case.field.path, first, last), \
            f"the build refused, but not at {case.field.path}:{first}:\n{built.message[:1500]}"
        assert not built.html_files(), f"a refused build wrote {built.html_files()[:3]}"
        return
    assert case.rule != REJECT, (f"{case.value!r} in {case.field.id} ({case.field.kind}) must be rejected at "
                                 f"{where}; the checker accepted it (findings: {_findings(checked.warnings)})")
    site = corpus.accepted_site(case.payload.pid)
    assert case.id not in corpus.build_refused, (
        f"the checker accepted {case.value!r} in {case.field.id}, but the strict build refused it:\n"
        f"{corpus.build_refused.get(case.id, '')[:1500]}")
    assert site.built.ok, (f"the checker accepted {case.value!r} in {case.field.id}, but the strict build "
                           f"of the payload's accepted cases refused:\n{site.built.message[:2000]}")
    live = site.live(case.marker)
    assert not live, f"{case.value!r} in {case.field.id} is live in the site:\n  " + "\n  ".join(live[:8])
    if case.field.kind in (URL, NAME):
        assert site.anywhere(case.marker), f"{case.field.id}: {case.value!r} never reached the site"
    elif case.field.kind == META:
        assert site.in_attribute(case.value), f"{case.field.id}: {case.value!r} is not in any attribute as written"
    elif case.field.kind == BODY or "\n" in case.value:
        assert site.shows_text(case.marker, casefold=case.field.casefold), \
            f"{case.field.id}: the text of {case.value!r} is shown on no page"
    else:
        assert site.shows_text(case.value, casefold=case.field.casefold), \
            f"{case.field.id}: {case.value!r} is not shown literally, as written, on any page"


@pytest.mark.parametrize("pid", PAYLOAD_IDS)
def test_payload_site_has_nothing_live(corpus: Corpus, pid: str) -> None:
    """Whatever the payload, its site has no handler, unsafe URL, id "evil" or fixed overlay."""
    site = corpus.accepted_site(pid)
    if not site.built.ok:
        pytest.skip("the payload's accepted cases did not build (see its per-field tests)")
    live = site.anything_live()
    assert not live, "\n".join(live[:10])


# -- the browser: no dialog ever opens ---------------------------------------------------

BROWSE_SCRIPT = """() => {
    const fire = (el, type, Kind) => { try { el.dispatchEvent(new Kind(type, {bubbles: false})); } catch (e) {} };
    for (const el of document.querySelectorAll('body *')) {
        fire(el, 'mouseover', MouseEvent);
        fire(el, 'mouseenter', MouseEvent);
        if (el.matches('a, button, input, summary, label, select, textarea')) {
            try { el.focus(); } catch (e) {}
        } else {
            fire(el, 'click', MouseEvent);  // does not bubble: no navigation, no theme handler
        }
    }
}"""
HOVER_RESULTS = """() => { for (const el of document.querySelectorAll('.md-search-result *'))
    for (const t of ['mouseover', 'mouseenter', 'focus']) el.dispatchEvent(new MouseEvent(t, {bubbles: false})); }"""


def _pages_to_visit(site: SiteInfo, pid: str) -> list[PageInfo]:
    """Few pages that together hold every marker of the payload that reached the site."""
    markers = re.compile(re.escape(pid) + r"F\d\d", re.IGNORECASE)
    holding = {page.path: {m.upper() for m in markers.findall(page.html)} for page in site.pages}
    wanted = set().union(*holding.values()) if holding else set()
    chosen: list[PageInfo] = []
    while wanted:
        best = max(site.pages, key=lambda page: len(holding[page.path] & wanted))
        if not holding[best.path] & wanted:
            break
        chosen.append(best)
        wanted -= holding[best.path]
    return chosen


def test_no_dialog_opens_in_a_browser(corpus: Corpus, browser) -> None:  # type: ignore[no-untyped-def]
    """Each payload's pages, loaded side by side in frames of one tab, hovered, focused and
    clicked all over, and searched: no alert, confirm or prompt ever opens."""
    dialogs: list[str] = []
    current = [""]  # the payload whose site is open
    context = browser.new_context(viewport={"width": 1300, "height": 950})
    page = context.new_page()

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        dialogs.append(f"{current[0]}: {dialog.type} {dialog.message!r}")
        try:
            dialog.dismiss()
        except Exception:  # noqa: BLE001 - the frame may be gone already; the dialog is recorded
            pass

    page.on("dialog", on_dialog)
    visited = 0
    try:
        for pid in PAYLOAD_IDS:
            site = corpus.accepted_site(pid)
            chosen = _pages_to_visit(site, pid) if site.built.ok else []
            if not chosen:
                continue
            server = serve(site.built.site)
            base = f"http://127.0.0.1:{server.server_address[1]}/"
            current[0] = pid
            try:
                frames = "".join(f'<iframe src="{base}{info.path}" width="1280" height="900"></iframe>'
                                 for info in chosen)
                page.set_content(f"<!doctype html><body>{frames}</body>", wait_until="load", timeout=20_000)
                for frame in page.frames[1:]:
                    frame.evaluate(BROWSE_SCRIPT)
                    visited += 1
                frame = page.frames[1]
                search = frame.locator("input.md-search__input")
                for query in (pid, "supplied questions"):  # the marker, then words that list its pages
                    try:  # a payload may cover or hide the search box: type into it all the same
                        search.focus(timeout=2000)
                        search.fill(query, force=True, timeout=2000)
                        search.press("End", timeout=2000)  # the theme searches on key events
                    except Exception:  # noqa: BLE001 - the pages were visited; a dialog is what counts
                        continue
                    try:
                        frame.wait_for_function(
                            "() => /matching/i.test(document.querySelector('.md-search-result__meta')"
                            "?.textContent || '')", timeout=3000)
                    except Exception:  # noqa: BLE001 - no result is fine, a dialog is not
                        pass
                    frame.evaluate(HOVER_RESULTS)
                page.wait_for_timeout(50)
            finally:
                page.set_content("<!doctype html><title>between sites</title>")
                server.shutdown()
    finally:
        context.close()
    shown = sorted(set(dialogs))
    assert not dialogs, f"{len(dialogs)} dialog(s) opened:\n" + "\n".join(shown[:20])
    assert visited, "no payload reached any page"


# -- mutation tests for the other holes ----------------------------------------------------


@pytest.fixture()
def library(tmp_path: Path) -> Path:
    copy_library(FIXTURES / "two-readings", tmp_path / "lib")
    return tmp_path / "lib"


def assert_rejected(root: Path, path: str, line: int | None = None, column_range: tuple[int, int] | None = None,
                    *, message: str | None = None):  # type: ignore[no-untyped-def]
    """An error at ``path`` (and ``line``) from the checker, and a strict build that refuses there."""
    project = check(root)
    errors = [d for d in project.errors if d.path == path and (line is None or d.line == line)]
    if column_range is not None:
        errors = [d for d in errors if column_range[0] <= d.column <= column_range[1]]
    if message is not None:
        errors = [d for d in errors if re.search(message, d.message)]
    assert errors, f"no error at {path}:{line or '?'} (findings:\n  {_findings(project.findings)})"
    site = root.parent / "site"
    built = build_in_process(root, site)
    assert not built.ok, f"the checker reports {errors[0].format()}, but the build succeeded"
    assert any(m["path"] == path and (line is None or int(m["line"]) == line)
               for m in ERROR_LINE.finditer(built.message)), built.message[:1500]
    assert not built.html_files(), "a refused build wrote HTML"
    return errors


def test_glossary_file_named_index_is_rejected(library: Path) -> None:
    """glossary/index.md would be the term page glossary/index.md: the generated A–Z page."""
    (library / "glossary" / "index.md").write_text(textwrap.dedent("""\
        ---
        term: Index card
        aliases: []
        short: 'A card in a box.'
        category: concept
        sources:
          - title: "The Fixture Handbook"
        ---
        About index cards.
        """), encoding="utf-8")
    errors = assert_rejected(library, "glossary/index.md")
    assert all(1 <= e.line <= 9 for e in errors)


def test_hand_written_glossary_page_colliding_with_a_term_is_rejected(library: Path) -> None:
    """docs/glossary/widget.md and glossary/widget.md would both be the page glossary/widget/."""
    (library / "docs" / "glossary").mkdir()
    (library / "docs" / "glossary" / "widget.md").write_text("# Widget, by hand\n\nWritten by hand.\n",
                                                              encoding="utf-8")
    project = check(library)
    hand, term = "docs/glossary/widget.md", "glossary/widget.md"
    bare_term = re.compile(r"(?<![\w/])glossary/widget\.md")
    naming_both = [d for d in project.errors
                   if (d.path == hand and bare_term.search(d.message))
                   or (d.path == term and hand in d.message)]
    assert naming_both, f"no error naming both {hand} and {term}:\n  {_findings(project.findings)}"
    built = build_in_process(library, library.parent / "site")
    assert not built.ok and not built.html_files(), "the build did not refuse the colliding pages"
    assert hand in built.message and bare_term.search(built.message), built.message[:1500]


LINK_LINE = "A link [out of the docs](TARGET) in a new paragraph."


@pytest.mark.parametrize("target", [
    "../../../../etc/passwd",
    "../../mkdocs.yml",
    "../../../mkdocs.yml",                 # the project's own mkdocs.yml, which exists
    "../" * 16 + "etc/passwd",             # /etc/passwd, which exists
    "../../../glossary/widget.md",         # a source outside the docs folder
], ids=["etc-passwd", "docs-mkdocs-yml", "project-mkdocs-yml", "root-etc-passwd", "glossary-source"])
def test_link_outside_the_docs_folder_is_rejected(library: Path, target: str) -> None:
    section = library / "docs" / "readings" / "alpha" / "02-second.md"
    lines = section.read_text(encoding="utf-8").rstrip("\n").split("\n")
    link = LINK_LINE.replace("TARGET", target)
    lines += ["", link]
    section.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start, end = link.index("[") + 1, link.index(")", link.index("](")) + 1
    assert_rejected(library, "docs/readings/alpha/02-second.md", len(lines), (start, end))


@pytest.mark.parametrize("name", ["Bad Name", "BadName", "bad_name"])
def test_reading_folder_that_is_no_slug_is_rejected(library: Path, name: str) -> None:
    readings = library / "docs" / "readings"
    shutil.copytree(readings / "beta", readings / name)
    project = check(library)
    errors = [d for d in project.errors if d.path.startswith(f"docs/readings/{name}/")]
    assert errors, f"no error for the folder name {name!r}:\n  {_findings(project.findings)}"
    assert any("slug" in d.code or "slug" in d.message for d in errors), _findings(errors)
    built = build_in_process(library, library.parent / "site")
    assert not built.ok and not built.html_files(), "the build did not refuse the folder name"
    assert f"docs/readings/{name}/" in built.message, built.message[:1500]


def test_very_long_short_definition_is_a_warning(library: Path) -> None:
    path = library / "glossary" / "gadget.md"
    long_short = ("word " * 1000).strip() + "."
    assert len(long_short) >= 5000
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("short: 'A larger device, also for fixtures.'", f"short: '{long_short}'"),
                    encoding="utf-8")
    project = check(library)
    assert not project.errors, _findings(project.errors)
    assert [d for d in project.findings if d.path == "glossary/gadget.md" and d.line == 4
            and d.severity == "warning"], f"no warning at glossary/gadget.md:4:\n  {_findings(project.findings)}"


def test_term_with_an_empty_body_is_a_warning(library: Path) -> None:
    path = library / "glossary" / "gadget.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("About the Gadget, in our own words.\n", ""), encoding="utf-8")
    project = check(library)
    assert not project.errors, _findings(project.errors)
    assert [d for d in project.findings if d.path == "glossary/gadget.md" and d.severity == "warning"], \
        f"no warning for the empty body:\n  {_findings(project.findings)}"


MEMORY_PROBE = textwrap.dedent("""\
    import resource, sys, tracemalloc
    limit = 1536 * 1024 * 1024  # guard: a quadratic parser fails here instead of exhausting the machine
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from readinglib.references import find_references
    for size in (20_000, 200_000):
        text = "[[" * (size // 2)
        tracemalloc.start()
        try:
            find_references(text)
        except MemoryError:
            print(size, "MemoryError", flush=True)
            break
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(size, peak, flush=True)
        if peak > 1000 * size:
            break  # already quadratic (today: ~5,000x at 20 KB): do not try ten times the size
    """)

# Linear means: ten times the text, at most ~ten times the memory, and a bounded cost per
# character. One small object per '[[' (a malformed reference each) costs ~160 bytes per
# character; copying the rest of the line for each '[[' costs ~5,000 at 20 KB, 50,000 at 200 KB.
PER_CHARACTER = 200


def test_find_references_memory_stays_linear() -> None:
    """A 200 KB line of '[[' must not cost memory quadratic in its length."""
    result = subprocess.run([sys.executable, "-c", MEMORY_PROBE], capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"})
    measured = dict(line.split() for line in result.stdout.splitlines())
    assert "20000" in measured, result.stdout + result.stderr
    for size, peak in measured.items():
        assert peak != "MemoryError", f"find_references ran out of memory on {size} characters of '[['"
        assert int(peak) <= PER_CHARACTER * int(size), (
            f"find_references on {size} characters of '[[' peaked at {int(peak) / 1e6:.1f} MB "
            f"({int(peak) / int(size):.0f} bytes a character)")
    assert "200000" in measured, result.stdout + result.stderr
    small, large = int(measured["20000"]), int(measured["200000"])
    assert large <= 15 * small, f"10x the text took {large / small:.0f}x the memory ({small} -> {large} bytes)"


def test_build_without_hooks_refuses_before_cleaning_the_site(library: Path, tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    config = library / "mkdocs.yml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.startswith("hooks:")), encoding="utf-8")
    project = check(library)
    assert [d for d in project.errors if d.path == "mkdocs.yml"], _findings(project.findings)
    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("an earlier build's file", encoding="utf-8")
    loaded = load_config(config_file=str(config), strict=True, site_dir=str(site))
    with pytest.raises(Abort) as refused:
        build(loaded)
    assert "scripts/hooks.py" in str(refused.value), str(refused.value)
    assert (site / "keep.txt").exists(), "the build deleted the existing site before refusing"
    assert not list(site.rglob("*.html"))
