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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from readinglib.diagnostics import Diagnostic, error
from readinglib.model import Library
from readinglib.navigation import Navigation
from readinglib.plan import PagePlan
from readinglib.previews import PREVIEWS_ID, TERM_LINKS, read_previews
from readinglib.references import line_column

LINKING = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
           ("source", "src"), ("iframe", "src"))
LINKING_SELECTOR = ", ".join(f"{tag}[{attribute}]" for tag, attribute in LINKING)
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
INERT_SCRIPT_TYPES = ("application/json", "application/ld+json")
# a cheap look before walking every element: an event-handler attribute anywhere in the file
EVENT_HANDLER = re.compile(rb"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
URL_SELECTOR = ", ".join("[" + name.replace(":", "\\:") + "]" for name in URL_ATTRIBUTES)
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


@dataclass
class HtmlPage:
    """One built HTML file: its ids and the URLs it links (the text is not kept)."""

    path: str
    file: Path
    ids: set[str] = field(default_factory=set)
    urls: list[tuple[str, str]] = field(default_factory=list)
    term_links: list[tuple[str, str | None]] = field(default_factory=list)
    previews: dict[str, dict[str, object]] | None = None
    injected: list[Injected] = field(default_factory=list)

    def position(self, value: str) -> tuple[int, int]:
        """Line and column of the first attribute holding ``value`` (read again: findings are few)."""
        text = self.file.read_text(encoding="utf-8", errors="replace")
        offset = text.find(f'="{value}"')
        offset = offset if offset >= 0 or not value else text.find(value)
        return line_column(text, offset) if offset >= 0 else (1, 1)


def read_html(path: Path, display: str, scripts: list[re.Pattern[str]] | None = None) -> HtmlPage:
    raw = path.read_bytes()
    tree = LexborHTMLParser(raw)
    page = HtmlPage(display, path)
    page.injected = list(_injected(tree, raw, scripts or []))
    # Interned: the navigation repeats the same ids and URLs on every page.
    page.ids = {sys.intern(node.attributes["id"] or "") for node in tree.css("[id]")}
    page.ids |= {sys.intern(node.attributes["name"] or "") for node in tree.css("a[name]")}
    attributes = dict(LINKING)
    for node in tree.css(LINKING_SELECTOR):
        page.urls.append((sys.intern(node.tag), sys.intern(node.attributes.get(attributes[node.tag]) or "")))
    article = tree.css_first("article") or tree.body
    if article is not None:
        page.term_links = [(node.attributes.get("href") or "", node.attributes.get("data-term"))
                           for node in article.css("a.term-link:not(.term-list-link)")]
    if tree.css_first(TERM_LINKS) is not None:
        page.previews = read_previews(tree)
    return page


def _injected(tree: LexborHTMLParser, raw: bytes, scripts: list[re.Pattern[str]]) -> Iterator[Injected]:
    """Scripts the theme's templates do not emit, event-handler attributes and script URLs."""
    for node in tree.css("script"):
        source = node.attributes.get("src")
        kind = (node.attributes.get("type") or "").strip().lower()
        if source is not None:
            if EXTERNAL.match(source.strip()):
                yield Injected("a <script> from another host", source)
        elif kind not in INERT_SCRIPT_TYPES and not any(p.fullmatch(node.text() or "") for p in scripts):
            yield Injected("an inline <script> the theme does not ship", (node.text() or "")[:60])
    nodes = tree.css("*") if EVENT_HANDLER.search(raw) else []
    for node in nodes:
        for name, value in node.attributes.items():
            if name.lower().startswith("on"):
                yield Injected(f"an event-handler attribute {name} on <{node.tag}>", value or "")
    for node in tree.css(URL_SELECTOR):
        for name in URL_ATTRIBUTES:
            value = node.attributes.get(name)
            if value and ":" in value and SCRIPT_URL.match(URL_IGNORED.sub("", value)) and not (
                    node.tag in ("img", "source") and value.strip().lower().startswith("data:image/")):
                yield Injected(f"a script URL in {name} of <{node.tag}>", value)


def output_path(src_uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes the page built from ``src_uri``."""
    stem = src_uri.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        return posixpath.join(posixpath.dirname(stem), "index.html")
    return f"{stem}/index.html" if use_directory_urls else f"{stem}.html"


def _resolve(dirs: set[str], page: str, url: str, base_path: str) -> tuple[str, str | None]:
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


def expected_references(site: dict[str, PagePlan]) -> dict[str, list[str]]:
    """For each page, the targets of the references its plan shows."""
    return {src_uri: [r.target for r in plan.references()] for src_uri, plan in site.items()}


class SiteChecker:
    """Checks one built site against the library it was built from."""

    def __init__(self, library: Library, site: Path, navigation: Navigation,
                 plans: dict[str, PagePlan]) -> None:
        self.library = library
        self.plans = plans
        self.site = site
        self.navigation = navigation
        self.base_path = urlsplit(navigation.site_url or "/").path or "/"
        if not self.base_path.endswith("/"):
            self.base_path += "/"
        self.pages: dict[str, HtmlPage] = {}
        self.findings: list[Diagnostic] = []
        self.files: set[str] = set()
        self.dirs: set[str] = set()
        self.shown_site = _shown(site)
        self.resolved: dict[tuple[str, str], str] = {}

    def resolve(self, page: str, url: str) -> tuple[str, str | None]:
        """Like :func:`_resolve`, remembered: every page repeats the navigation's links, and a
        term page links the same section's paragraphs many times. A link climbing ``n``
        folders (``../../x/``) leads to the same place from every folder that shares the
        folders it climbs to, so that is what it is remembered by."""
        if url.startswith(("#", "?")):
            return _resolve(self.dirs, page, url, self.base_path)  # the page itself
        address, mark, fragment = url.partition("#")
        climbs = 0
        while address.startswith("../", 3 * climbs):
            climbs += 1
        folders = page.split("/")[:-1]
        if climbs > len(folders) or address.startswith("/") or "?" in address:
            target, _ = _resolve(self.dirs, page, address, self.base_path)
        else:
            key = ("/".join(folders[:len(folders) - climbs]), address[3 * climbs:])
            if key not in self.resolved:
                self.resolved[key] = _resolve(self.dirs, f"{key[0]}/page" if key[0] else "page", key[1] or "./",
                                              self.base_path)[0]
            target = self.resolved[key]
        return target, (fragment or None) if mark else None

    def display(self, relative: str) -> str:
        """A built file as the user named the site folder (relative to here when it is below)."""
        return f"{self.shown_site}/{relative}"

    def run(self) -> list[Diagnostic]:
        for folder, subfolders, names in os.walk(self.site):
            base = Path(folder).relative_to(self.site).as_posix()
            prefix = "" if base == "." else base + "/"
            self.dirs.update(prefix + name for name in subfolders)
            self.files.update(prefix + name for name in names)
        # Each page's URLs are checked as soon as it is read and then dropped (the navigation
        # repeats thousands of them on every page); only links into another page's #fragment
        # wait until that page's ids are known.
        waiting: list[tuple[HtmlPage, str, str, str]] = []
        scripts = theme_scripts(self.navigation, Path(self.library.root))
        made_from = {output_path(src_uri, self.navigation.use_directory_urls): plan.path
                     for src_uri, plan in self.plans.items()}
        for relative in sorted(name for name in self.files if name.endswith(".html")):
            page = read_html(self.site / relative, self.display(relative), scripts)
            self.pages[relative] = page
            waiting += self.check_urls(relative, page)
            self.report_injected(page, made_from.get(relative))
            page.urls = page.injected = []
        for page, url, target, fragment in waiting:
            self.check_fragment(page, url, target, fragment)
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

    def check_urls(self, relative: str, page: HtmlPage) -> list[tuple[HtmlPage, str, str, str]]:
        """Check the page's URLs; return the links into pages not read yet, to check later."""
        later: list[tuple[HtmlPage, str, str, str]] = []
        for tag, url in page.urls:
            if not url or url.startswith(SKIPPED_SCHEMES):
                continue
            if EXTERNAL.match(url):
                continue  # listed from the sources, fetched only with --external
            target, fragment = self.resolve(relative, url)
            if target not in self.files:
                self.report(page, url, "site-broken-link", f"<{tag}> links '{url}', but {target} does not exist")
            elif fragment and target.endswith(".html"):
                if target in self.pages:
                    self.check_fragment(page, url, target, fragment)
                else:
                    later.append((page, url, target, fragment))
        return later

    def check_fragment(self, page: HtmlPage, url: str, target: str, fragment: str) -> None:
        if fragment not in self.pages[target].ids:
            self.report(page, url, "site-missing-anchor",
                        f"'{url}' points to #{fragment}, which {target} does not have")

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
        elif html.previews[slug].get("short") != term.short:
            self.report(html, href, "site-wrong-tooltip",
                        f"{where} previews '{term.term}' with {str(html.previews[slug].get('short'))[:60]!r}, "
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
