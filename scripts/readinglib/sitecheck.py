"""Checks on a built site: links, anchors, term previews, that no reference was lost, and
that nothing executable got in (the last line of defence behind :mod:`readinglib.text`).

HTML is read with a real parser (selectolax's lexbor backend), each file once.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from readinglib.diagnostics import Diagnostic, error
from readinglib.model import Library
from readinglib.navigation import Navigation
from readinglib.plan import PagePlan
from readinglib.previews import PREVIEWS_ID, parse_previews
from readinglib.references import line_column
from readinglib.workers import Workers

LINKED = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}
"""The elements whose links the checks follow, and the attribute that holds each one's."""
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
INERT_SCRIPT_TYPES = ("application/json", "application/ld+json")
EVENT_HANDLER = re.compile(rb"on(?<=[\s/\"']on)[a-zA-Z]+\s*=")
"""An attribute ``on…=``: after white space, ``/`` or a closing quote, as HTML parsers take it."""
URL_SELECTOR = ", ".join("[" + name.replace(":", "\\:") + "]" for name in URL_ATTRIBUTES)
"""Elements with an attribute that may hold a URL: links, and maybe script URLs."""
TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def theme_scripts(navigation: Navigation, root: Path) -> list[re.Pattern[str]]:
    """The inline scripts the theme's templates may emit, as patterns (each template
    expression may stand for any text without a '<')."""
    from mkdocs.theme import Theme

    try:
        custom = str(root / navigation.theme_dir) if navigation.theme_dir else None
        dirs = Theme(name=navigation.theme if navigation.theme != "None" else None, custom_dir=custom).dirs
    except Exception:  # noqa: BLE001 - an unknown theme: every inline script is reported
        return []
    patterns = []
    for folder in dirs:
        for template in Path(folder).rglob("*.html"):
            for body in TEMPLATE_SCRIPT.findall(template.read_text(encoding="utf-8", errors="replace")):
                pieces = TEMPLATE_EXPRESSION.split(body)
                patterns.append(re.compile("[^<]*?".join(re.escape(piece) for piece in pieces), re.DOTALL))
    return patterns


@dataclass
class Injected:
    """Something executable on a built page: a script, an event handler or a script URL."""

    what: str
    value: str


@dataclass(frozen=True)
class SiteLayout:
    """A built site's files and folders and the path it is served under: all that resolving
    a link needs."""

    files: frozenset[str]
    dirs: frozenset[str]
    base_path: str

    @classmethod
    def of(cls, site: Path, site_url: str | None) -> SiteLayout:
        files: set[str] = set()
        dirs: set[str] = set()
        for folder, subfolders, names in os.walk(site):
            base = Path(folder).relative_to(site).as_posix()
            prefix = "" if base == "." else base + "/"
            dirs.update(prefix + name for name in subfolders)
            files.update(prefix + name for name in names)
        base_path = urlsplit(site_url or "/").path or "/"
        return cls(frozenset(files), frozenset(dirs), base_path if base_path.endswith("/") else base_path + "/")


def _resolve(dirs: frozenset[str], page: str, url: str, base_path: str) -> tuple[str, str | None]:
    """(file relative to the site, fragment) for an internal URL written on ``page``.

    ``dirs`` holds the site's folders, so that ``x/`` and ``x`` find ``x/index.html``.
    """
    parts = urlsplit(url)
    path = unquote(parts.path)
    if path.startswith("/"):
        path = path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")
        target = posixpath.normpath(path) if path else "."
    elif path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    else:
        target = page
    if target in (".", "") or parts.path.endswith("/") or target in dirs:
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    return target, parts.fragment or None


class Resolver:
    """Resolves internal URLs on a site (:func:`_resolve`), remembering each: every page
    repeats the navigation's links, and a term page links the same section's paragraphs many
    times. A link climbing ``n`` folders (``../../x/``) leads to the same place from every
    folder that shares the folders it climbs to, so that is what it is remembered by."""

    def __init__(self, layout: SiteLayout) -> None:
        self.layout = layout
        self.remembered: dict[tuple[str, str], str] = {}
        self.folders: dict[str, list[str]] = {}
        self.climbing: dict[tuple[str, str], tuple[str, str | None]] = {}

    def _climbed(self, page: str) -> list[str]:
        """The folders reached from ``page`` by climbing 0, 1, 2… folders (the last is the site's)."""
        folders = page.split("/")[:-1]
        self.folders[page] = ["/".join(folders[:len(folders) - climbs]) for climbs in range(len(folders) + 1)]
        return self.folders[page]

    def __call__(self, page: str, url: str) -> tuple[str, str | None]:
        if url.startswith("../"):  # the commonest: the same from every folder beside the page's
            reached = self.folders.get(page) or self._climbed(page)
            if len(reached) > 1:  # a page below the site's root
                key = (reached[1], url)
                found = self.climbing.get(key)
                if found is None:
                    found = self.climbing[key] = self._resolve(page, url)
                return found
        return self._resolve(page, url)

    def _resolve(self, page: str, url: str) -> tuple[str, str | None]:
        layout = self.layout
        if url.startswith(("#", "?")):
            return _resolve(layout.dirs, page, url, layout.base_path)  # the page itself
        address, mark, fragment = url.partition("#")
        climbs = 0
        while address.startswith("../", 3 * climbs):
            climbs += 1
        reached = self.folders.get(page) or self._climbed(page)
        if climbs >= len(reached) or address.startswith("/") or "?" in address:
            target, _ = _resolve(layout.dirs, page, address, layout.base_path)
        else:
            key = (reached[climbs], address[3 * climbs:])
            target = self.remembered.get(key) or ""
            if not target:
                target = self.remembered[key] = _resolve(
                    layout.dirs, f"{key[0]}/page" if key[0] else "page", key[1] or "./", layout.base_path)[0]
        return target, (fragment or None) if mark else None


@dataclass
class HtmlPage:
    """What one built HTML file holds that the checks need (its text is not kept): its ids,
    the links it makes that lead nowhere or into a fragment it does not hold itself, what it
    may carry that is executable, and its term links and previews."""

    relative: str
    """The file, relative to the site."""
    path: str
    """The file as findings name it."""
    file: Path
    ids: set[str] = field(default_factory=set)
    broken: list[tuple[str, str, str]] = field(default_factory=list)
    """(tag, URL, file it resolves to) of each link to a file the site does not have."""
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    """(URL, page, fragment) of each link into a fragment of another page, or a missing one of this page."""
    injected: list[Injected] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    """The text of each inline script: each must be one the theme's templates emit."""
    term_links: list[tuple[str, str | None]] = field(default_factory=list)
    previews: dict[str, object] | None = None
    """Each previewed term's short definition as the page's preview data gives it, by slug."""

    def position(self, value: str) -> tuple[int, int]:
        """Line and column of the first attribute holding ``value`` (read again: findings are few)."""
        text = self.file.read_text(encoding="utf-8", errors="replace")
        offset = text.find(f'="{value}"')
        offset = offset if offset >= 0 or not value else text.find(value)
        return line_column(text, offset) if offset >= 0 else (1, 1)


def read_html(site: Path, relative: str, shown: str, resolve: Resolver) -> HtmlPage:
    """Read the page ``relative`` of ``site`` and resolve its links on ``resolve``'s layout.
    (Each ``css`` call walks the whole page: they are few, and each finds several things.)"""
    path = site / relative
    raw = path.read_bytes()
    tree = LexborHTMLParser(raw)
    page = HtmlPage(relative, shown, path)
    for node in tree.css("[id], a[name]"):
        attributes = node.attributes
        if "id" in attributes:
            page.ids.add(attributes["id"] or "")
        if "name" in attributes and node.tag == "a":
            page.ids.add(attributes["name"] or "")
    previews = _scripts(tree, page)
    if _has_event_handler(raw):
        for node in tree.css("*"):
            for name, value in node.attributes.items():
                if name.lower().startswith("on"):
                    page.injected.append(Injected(f"an event-handler attribute {name} on <{node.tag}>", value or ""))
    seen: set[tuple[str, str]] = set()
    for node in tree.css(URL_SELECTOR):
        tag, attributes = node.tag, node.attributes
        for name, value in attributes.items():
            if value and ":" in value and name in URL_ATTRIBUTES and SCRIPT_URL.match(URL_IGNORED.sub("", value)) \
                    and not (tag in ("img", "source") and value.strip().lower().startswith("data:image/")):
                page.injected.append(Injected(f"a script URL in {name} of <{tag}>", value))
        name = LINKED.get(tag or "")
        if name is None or name not in attributes:
            continue
        link = (tag or "", attributes[name] or "")
        if link in seen:
            continue
        seen.add(link)
        _check_link(page, link, resolve)
    article = tree.css_first("article") or tree.body
    if article is not None:
        page.term_links = [(node.attributes.get("href") or "", node.attributes.get("data-term"))
                           for node in article.css("a.term-link:not(.term-list-link)")]
    if previews is not None:
        page.previews = {slug: data.get("short") if isinstance(data, dict) else None for slug, data in previews.items()}
    return page


def _check_link(page: HtmlPage, link: tuple[str, str], resolve: Resolver) -> None:
    """Note a link of the page that leads to no file, or into a fragment to be looked for."""
    tag, url = link
    if url.startswith("#") and url[1:] in page.ids:
        return  # the commonest link: to a part of this page (an escaped fragment is resolved below)
    if not url or url.startswith(SKIPPED_SCHEMES) or EXTERNAL.match(url):
        return  # external links are listed from the sources, fetched only with --external
    target, fragment = resolve(page.relative, url)
    if target not in resolve.layout.files:
        page.broken.append((tag, url, target))
    elif fragment and target.endswith(".html") and not (target == page.relative and fragment in page.ids):
        page.fragments.append((url, target, fragment))


def _scripts(tree: LexborHTMLParser, page: HtmlPage) -> dict[str, object] | None:
    """Note the page's scripts from other hosts and its inline scripts (to compare with the
    theme's); return its term previews' data (:mod:`readinglib.previews`), if readable."""
    previews = None
    found_previews = False
    for node in tree.css("script"):
        attributes = node.attributes
        source = attributes.get("src")
        kind = (attributes.get("type") or "").strip().lower()
        if source is not None:
            if EXTERNAL.match(source.strip()):
                page.injected.append(Injected("a <script> from another host", source))
        elif kind not in INERT_SCRIPT_TYPES:
            page.scripts.append(node.text() or "")
        elif attributes.get("id") == PREVIEWS_ID and not found_previews:
            found_previews = True
            previews = parse_previews(node.text() or "")
    return previews


def read_pages(site: Path, shown_site: str, relatives: list[str], layout: SiteLayout) -> list[HtmlPage]:
    """:func:`read_html` for each of ``relatives`` (what one worker process does). The
    pages repeat the same ids, links and scripts: each text is kept once, which makes
    them small to send back."""
    resolve = Resolver(layout)
    pages = [read_html(site, relative, f"{shown_site}/{relative}", resolve) for relative in relatives]
    once: dict[str, str] = {}
    same = once.setdefault
    for page in pages:
        page.ids = {same(name, name) for name in page.ids}
        page.fragments = [(same(url, url), same(target, target), same(fragment, fragment))
                          for url, target, fragment in page.fragments]
        page.scripts = [same(script, script) for script in page.scripts]
        page.term_links = [(same(href, href), shown if shown is None else same(shown, shown))
                           for href, shown in page.term_links]
        if page.previews is not None:
            page.previews = {same(slug, slug): short if not isinstance(short, str) else same(short, short)
                             for slug, short in page.previews.items()}
    return pages


def _has_event_handler(raw: bytes) -> bool:
    """A quick look before walking every element: could an attribute ``on…=`` be in the
    file? (The ``on`` must start a name: ``content=`` is not one.) Names may be in capitals,
    rarely: only a file with ``On`` or ``ON`` anywhere is looked at again in lower case."""
    if EVENT_HANDLER.search(raw):
        return True
    return (b"ON" in raw or b"On" in raw or b"oN" in raw) and EVENT_HANDLER.search(raw.lower()) is not None


def output_path(src_uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes the page built from ``src_uri``."""
    stem = src_uri.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.join(posixpath.dirname(stem), "index.html")
    return f"{stem}/index.html" if use_directory_urls else f"{stem}.html"


def expected_references(site: dict[str, PagePlan]) -> dict[str, list[str]]:
    """For each page, the targets of the references its plan shows."""
    return {src_uri: [r.target for r in plan.references()] for src_uri, plan in site.items()}


PARALLEL_PAGES = 200
"""From how many HTML files on a site is read by worker processes (starting one costs more
than reading a few hundred pages)."""
CHUNKS_PER_WORKER = 4


class SiteReading:
    """Every HTML file of a built site, read by :func:`read_pages`: by the workers when the
    site is large, starting at once so that the caller can go on with other work; else here,
    when :meth:`pages` is first asked for."""

    def __init__(self, site: Path, site_url: str | None, workers: Workers | None = None) -> None:
        self.site = site
        self.shown = _shown(site)
        self.layout = SiteLayout.of(site, site_url)
        names = sorted(name for name in self.layout.files if name.endswith(".html"))
        # small parts share the work out evenly between workers
        parts = CHUNKS_PER_WORKER * workers.count if workers and len(names) >= PARALLEL_PAGES else 1
        read_here = Workers(wanted=False)
        self.parts = [(workers if parts > 1 and workers else read_here).later(
            read_pages, site, self.shown, names[i::parts], self.layout) for i in range(parts)]
        self._pages: dict[str, HtmlPage] | None = None

    def pages(self) -> dict[str, HtmlPage]:
        if self._pages is None:
            read = sorted((page for part in self.parts for page in part()), key=lambda page: page.relative)
            self._pages = {page.relative: page for page in read}
        return self._pages


class SiteChecker:
    """Checks one built site against the library it was built from."""

    def __init__(self, library: Library, site: SiteReading, navigation: Navigation,
                 plans: dict[str, PagePlan]) -> None:
        self.library = library
        self.plans = plans
        self.site = site
        self.navigation = navigation
        self.pages: dict[str, HtmlPage] = {}
        self.findings: list[Diagnostic] = []
        self.resolve = Resolver(site.layout)

    def display(self, relative: str) -> str:
        """A built file as the user named the site folder (relative to here when it is below)."""
        return f"{self.site.shown}/{relative}"

    def run(self) -> list[Diagnostic]:
        theme = theme_scripts(self.navigation, Path(self.library.root))  # while the pages are being read
        made_from = {output_path(src_uri, self.navigation.use_directory_urls): plan.path
                     for src_uri, plan in self.plans.items()}
        self.pages = self.site.pages()
        theirs: dict[str, bool] = {}
        for relative, page in self.pages.items():
            for tag, url, target in page.broken:
                self.report(page, url, "site-broken-link", f"<{tag}> links '{url}', but {target} does not exist")
            for url, target, fragment in page.fragments:
                if fragment not in self.pages[target].ids:
                    self.report(page, url, "site-missing-anchor",
                                f"'{url}' points to #{fragment}, which {target} does not have")
            for script in page.scripts:
                if script not in theirs:
                    theirs[script] = any(pattern.fullmatch(script) for pattern in theme)
                if not theirs[script]:
                    page.injected.append(Injected("an inline <script> the theme does not ship", script[:60]))
            self.report_injected(page, made_from.get(relative))
        self.check_references()
        return self.findings

    def report_injected(self, page: HtmlPage, source: str | None) -> None:
        made = f", on the page made from {source}" if source else ""
        for found in page.injected:
            self.report(page, found.value, "site-script",
                        f"{found.what} ({found.value[:60]!r}){made}: only the theme and the project may add "
                        "scripts; find the source text that carried it and rebuild")

    def report(self, page: HtmlPage, value: str, code: str, message: str) -> None:
        self.findings.append(error(page.path, *page.position(value), code, message))

    def check_preview(self, html: HtmlPage, href: str, slug: str, shown: str | None) -> None:
        """A term link previews its own term, and its page's data element holds that term's
        short definition."""
        term = self.library.terms[slug]
        where = f"the page's term previews (script#{PREVIEWS_ID})"
        if not shown:
            self.report(html, href, "site-missing-tooltip",
                        f"link to '{term.term}' has no preview (no data-term attribute); rebuild the site")
        elif shown != slug:
            self.report(html, href, "site-wrong-tooltip",
                        f"link to '{term.term}' previews '{shown}' (data-term), not '{slug}'; rebuild the site")
        elif html.previews is None:
            self.report(html, href, "site-missing-tooltip",
                        f"link to '{term.term}' has no preview data: {where} is missing or unreadable; "
                        "rebuild the site with the hooks")
        elif slug not in html.previews:
            self.report(html, href, "site-missing-tooltip",
                        f"{where} has no preview of '{term.term}' ({slug}); rebuild the site")
        elif html.previews[slug] != term.short:
            self.report(html, href, "site-wrong-tooltip",
                        f"{where} previews '{term.term}' with {str(html.previews[slug])[:60]!r}, "
                        "not its short definition; rebuild the site")

    def check_references(self) -> None:
        """Each reference in the sources is exactly one term link, previewing its term."""
        expected = expected_references(self.plans)
        for src_uri, targets in expected.items():
            relative = output_path(src_uri, self.navigation.use_directory_urls)
            html = self.pages.get(relative)
            if html is None:
                self.findings.append(error(self.display(relative), 1, 1, "site-missing-page",
                                           f"{src_uri} was not built; rebuild the site"))
                continue
            want = Counter(term.slug for term in map(self.library.resolve, targets) if term)
            got: Counter[str] = Counter()
            for href, shown in html.term_links:
                target, _ = self.resolve(relative, href)
                slug = posixpath.basename(posixpath.dirname(target)) if target.endswith("/index.html") \
                    else posixpath.basename(target).removesuffix(".html")
                got[slug] += 1
                if slug in self.library.terms:
                    self.check_preview(html, href, slug, shown)
            for slug in sorted(set(want) | set(got)):
                if want[slug] != got[slug]:
                    self.findings.append(error(
                        html.path, 1, 1, "site-reference-count",
                        f"{src_uri} has {want[slug]} reference(s) to '{slug}' but the built page has "
                        f"{got[slug]} link(s) to it; rebuild the site or fix the hooks"))


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


PLACEHOLDER_HOSTS = re.compile(
    r"(^|\.)(example\.(org|com|net)|example|invalid|test|localhost)$|^localhost$|^127\.|^::1$|^0\.0\.0\.0$",
    re.IGNORECASE)


def placeholder_site_url(site_url: str | None) -> str | None:
    """Why ``site_url`` cannot be published at (unset, a placeholder), or ``None`` when it can."""
    if not site_url or not site_url.strip():
        return "site_url is not set"
    parts = urlsplit(site_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"site_url {site_url!r} is not an http(s) address"
    if PLACEHOLDER_HOSTS.search(parts.hostname):
        return f"site_url {site_url!r} is a placeholder, not an address anyone can visit"
    return None


def check_site_url(navigation: Navigation, config: Path, display: str) -> list[Diagnostic]:
    """Publishing needs a real ``site_url``: canonical links and the paragraph links readers
    copy are built on it. Reported at the ``site_url:`` line of the configuration."""
    problem = placeholder_site_url(navigation.site_url)
    if problem is None:
        return []
    line, shown = 1, display
    current: Path | None = config
    seen: set[Path] = set()
    while current is not None and current not in seen and current.is_file():
        seen.add(current)
        text = current.read_text(encoding="utf-8", errors="replace")
        found = re.search(r"^site_url\s*:", text, re.MULTILINE)
        if found:
            line, shown = text.count("\n", 0, found.start()) + 1, (display if current == config else current.name)
            break
        parent = re.search(r"^INHERIT\s*:\s*['\"]?([^'\"\n#]+?)['\"]?\s*(#.*)?$", text, re.MULTILINE)
        current = current.parent / parent.group(1) if parent else None
    return [error(shown, line, 1, "site-url",
                  f"{problem}: set site_url in {shown} to the address you publish at (README, "
                  "\"Publishing\"); until then copied paragraph links would lead nowhere")]
