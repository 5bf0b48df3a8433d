"""MkDocs hooks: build the reading library's pages from the model.

Enabled in ``mkdocs.yml`` with ``hooks: [scripts/hooks.py]``. The hooks load the
library once per build (:func:`readinglib.project.check_project`), stop the build
with ``file:line:column`` messages when the sources are inconsistent (the same
checks as ``scripts/check_xrefs.py``), and otherwise only render each page's plan
(:func:`readinglib.pages.site_plans`): sections, reading overviews, assignments,
hand-written pages, one page per glossary term and the generated index pages
(glossary A–Z, readings, assignments, timeline) unless the docs folder has one
written by hand. Each page's title and metadata come from its plan, as escaped
text, never from the raw front matter.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.plugins import CombinedEvent, event_priority  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from readinglib import Library  # noqa: E402
from readinglib.model import Reading, Section  # noqa: E402
from readinglib import pages  # noqa: E402
from readinglib.cache import ParseCache, files_fingerprint  # noqa: E402
from readinglib.markup import Filled, MarkupError, Rendered  # noqa: E402
from readinglib.plaintext import PlainText  # noqa: E402
from readinglib.plan import PagePlan  # noqa: E402
from readinglib.previews import PreviewData, previewed_slugs  # noqa: E402
from readinglib.memory import BUILD_GC_THRESHOLD, FewerCollections  # noqa: E402
from readinglib.project import check_project  # noqa: E402
from readinglib.searchindex import SearchPlan, rewrite_index  # noqa: E402
from readinglib.text import html_text  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reading_library")
READING_LIBRARY_HOOKS = True  # what the reading-library plugin looks for (reading_library_guard)


@dataclass
class LibrarySite:
    """The loaded library and the plan of every page, by ``src_uri``."""

    library: Library
    plans: dict[str, PagePlan]
    rendered: dict[str, Rendered] = field(default_factory=dict)
    """Each page's Markdown as MkDocs was given it, until its generated HTML is put in."""
    searchable: dict[str, str] = field(default_factory=dict)
    """A page's HTML as search should read it, where that differs, until search has read it."""
    shown: dict[str, str] = field(default_factory=dict)
    """A page's HTML while search reads the searchable one."""
    sections: dict[str, tuple[Reading, Section, str | None]] = field(default_factory=dict)
    """Section pages: their reading, section and, for a reading's last, the page after it."""
    nav_pages: dict[str, Page] | None = None
    """The navigation's pages by ``src_uri``, once the navigation is made."""
    previews: PreviewData = field(init=False)
    """The terms' previews, each written once for every page that links it."""
    plain: PlainText | None = None
    """Which paragraphs the site's Markdown would leave as they are (:mod:`readinglib.plaintext`),
    known once every plugin has configured it."""

    def __post_init__(self) -> None:
        self.previews = PreviewData(self.library)


_site: LibrarySite | None = None
_search: SearchPlan = SearchPlan()
_collections = FewerCollections(BUILD_GC_THRESHOLD)
"""From loading the library to the end of the build (or its failure); the library and its
plans are set aside once made (:meth:`~readinglib.memory.FewerCollections.settle`)."""


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the library; refuse to build from inconsistent sources."""
    global _site
    root = _project_root(config)
    docs = Path(os.path.relpath(config.docs_dir, root)).as_posix()
    _collections.start()
    try:
        project = check_project(root, Path(config.config_file_path or root / "mkdocs.yml"), docs)
    except Exception as exc:  # a bug of ours: one clear line, never a traceback
        _collections.stop()
        raise Abort(f"The reading library could not be loaded (internal error: "
                    f"{type(exc).__name__}: {exc}); nothing was built.") from exc
    if project.errors:
        _collections.stop()
        raise Abort(f"The reading library has {len(project.errors)} error(s); nothing was built:\n"
                    + "\n".join(finding.format() for finding in project.findings))
    for finding in project.findings:
        log.warning(finding.format())
    _site = LibrarySite(project.library, project.pages, sections=_sections(project.library))
    global _search
    _search = SearchPlan.of(project.library)
    _collections.settle()  # they live until the build ends: the collector need not walk them again
    return config


def _sections(library: Library) -> dict[str, tuple[Reading, Section, str | None]]:
    """Each section page's reading and section, and for a reading's last section the page
    that follows it: the next reading's overview, or its own."""
    found: dict[str, tuple[Reading, Section, str | None]] = {}
    readings = library.readings
    for position, reading in enumerate(readings):
        for section in reading.sections:
            after = None
            if section is reading.sections[-1]:
                after = (readings[position + 1] if position + 1 < len(readings) else reading).src_uri
            found[section.src_uri] = (reading, section, after)
    return found


def _loaded() -> LibrarySite:
    if _site is None:
        raise Abort("reading library hooks: on_config did not run")
    return _site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the pages the hooks generate (term pages, index pages not written by hand). Every
    plugin has configured the site's Markdown by now: which paragraphs it leaves as they are
    is known (:mod:`readinglib.plaintext`)."""
    site = _loaded()
    site.plain = PlainText.of(config.markdown_extensions, config.mdx_configs)
    for src_uri, plan in site.plans.items():
        if plan.generated and files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
    _add_epubs(files, config, site.library)
    return files


def _add_epubs(files: Files, config: MkDocsConfig, library: Library) -> None:
    """Each reading's EPUB beside its overview, made from the model (:mod:`readinglib.epub`),
    so MkDocs copies it into the site (and the offline copy) and validates links to it.
    A book is made again only when a source it could draw on changed (the readings, the
    glossary, the configuration, the library's code): otherwise it comes from the cache."""
    root = _project_root(config)
    config_file = Path(config.config_file_path or root / "mkdocs.yml")
    edition = None  # read, with the EPUB module, only when a book has to be made
    books = ParseCache.for_project(root, "books.pickle")
    sources = [*(root / library.docs_dir / "readings").rglob("*.md"), *(root / library.glossary_dir).glob("*.md"),
               *root.glob("*.yml")]
    stamp = files_fingerprint(sources)
    for reading in library.readings:
        path = pages.epub_download(reading)
        key = f"{config_file.name}:{reading.slug}"
        content = books.get(key, stamp)
        if not isinstance(content, bytes):
            from readinglib import epub  # (most builds find every book in the cache)

            edition = edition or epub.Edition.from_config(config_file)
            try:
                content = epub.reading_epub(library, reading, edition)
            except Exception as exc:  # a bug of ours: one clear line, never a traceback
                raise Abort(f"The EPUB of {reading.path} could not be made ({type(exc).__name__}: {exc}); "
                            "nothing was built.") from exc
            books.put(key, stamp, content)
        written = files.get_file_from_path(path)
        if written is not None:
            files.remove(written)
        files.append(File.generated(config, path, content=content))
    books.save()


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    """A page the library plans is rendered from its plan (:func:`on_page_markdown`), whose
    source the library has read already: MkDocs need not read the file and parse its front
    matter again. Any other page MkDocs reads itself."""
    return "" if page.file.src_uri in _loaded().plans else None


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Every page the library plans is rendered from its plan, with its title and metadata
    as escaped text; a page the library does not know is left as it is."""
    site = _loaded()
    plan = site.plans.get(page.file.src_uri)
    if plan is None:
        return markdown
    page.meta = {key: value for key, value in (
        ("title", html_text(plan.title) if plan.title else None),
        ("description", html_text(plan.meta.description) if plan.meta.description else None),
        ("hide", list(plan.meta.hide) or None),
        ("search", None if plan.searchable else {"exclude": True})) if value is not None}
    rendered = site.rendered[page.file.src_uri] = pages.render(site.library, plan, site.plain)
    return rendered.markdown


_SUMMARY_PERMALINK = re.compile(r'(<summary>\s*<h[1-6]\b(?:(?!</h[1-6]>).)*?)<a class="headerlink"[^>]*>[^<]*</a>', re.S)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The generated HTML takes the place of its placeholders (:mod:`readinglib.markup`),
    and the ids it gives are known to MkDocs's link validation. Numbered paragraphs are
    indexed one by one (:mod:`readinglib.searchindex`); a heading that is a summary (the
    study guide's) has no permalink: a link cannot sit in a toggle. The page carries the
    previews of the terms it links (:mod:`readinglib.previews`)."""
    site = _loaded()
    src_uri = page.file.src_uri
    rendered = site.rendered.pop(src_uri, None)
    if rendered is not None:
        filled = _fill(rendered, html, page, files)
        html = filled.html
        if filled.searchable is not filled.html:
            site.searchable[src_uri] = _search.mark(_SUMMARY_PERMALINK.sub(r"\1", filled.searchable), src_uri)
    html = _SUMMARY_PERMALINK.sub(r"\1", html)
    slugs = previewed_slugs(html)
    html = _search.page_content(html, src_uri, page.url, None if rendered is None else rendered.paragraph_words)
    return html + site.previews.element(slugs)


def _fill(rendered: Rendered, html: str, page: Page, files: Files) -> Filled:
    url_of = _urls_from(page, files)
    try:
        filled = rendered.fill(html, url_of)
    except MarkupError as exc:  # a bug of ours: one clear line, never a traceback
        raise Abort(f"The reading library could not build {page.file.src_uri} (internal error: {exc}).") from exc
    for message in filled.missing:
        log.warning(message)
    if page.present_anchor_ids is not None:
        page.present_anchor_ids |= rendered.anchors()
    return filled


@lru_cache(maxsize=65536)  # every page links the same few hundred
def _url_parts(url: str) -> tuple[str, ...]:
    return tuple(part for part in url.split("/") if part)


def _urls_from(page: Page, files: Files):  # type: ignore[no-untyped-def]
    """A page's URL (by ``src_uri``) as a link on ``page`` writes it: what
    :meth:`File.url_relative_to` gives, with this page's folder worked out once (a term
    page links hundreds of paragraphs)."""
    folder, _, name = page.url.rpartition("/")
    base = [part for part in (folder if "." in name else page.url).split("/") if part]
    climb = "../" * len(base)
    by_uri = files.src_uris

    def url_of(src_uri: str) -> str | None:
        target = by_uri.get(src_uri)
        if target is None:
            return None
        parts = _url_parts(target.url)
        if parts and base and parts[0] != base[0] and not target.url.startswith("/"):  # nothing in common
            return climb + target.url
        common = 0
        for mine, theirs in zip(base, parts):
            if mine != theirs:
                break
            common += 1
        relative = "/".join([*[".."] * (len(base) - common), *parts[common:]]) or "."
        return relative + "/" if target.url.endswith("/") else relative

    return url_of


@event_priority(100)  # before Material's search plugin reads the page
def _show_search_the_searchable(context, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
    """Material's search indexes ``page.content``: for the time it takes, that is the page
    without the generated HTML search should not read (:attr:`readinglib.plan.Markup.searchable`)."""
    searchable = _loaded().searchable.get(page.file.src_uri)
    if searchable is not None:
        _loaded().shown[page.file.src_uri] = page.content
        page.content = searchable
    return context


_SEARCH_ATTRIBUTE = re.compile(r'\s?data-search-\w+="[^"]+"')
"""What Material's search plugin removes from a page once it has indexed it."""
_SEARCH_VALUE = re.compile(r'data-search-\w+="')  # a quick look first: a literal start is found fast


@event_priority(-100)  # after Material's search plugin
def _after_search(context, page: Page, config: MkDocsConfig, nav):  # type: ignore[no-untyped-def]
    """The page shows all of its content again. A section's browser tab names its reading,
    and its previous and next pages stay within the reading: the last section leads to
    the next reading's overview, or back to its own."""
    site = _loaded()
    shown = site.shown.pop(page.file.src_uri, None)
    site.searchable.pop(page.file.src_uri, None)
    if shown is not None:
        page.content = _SEARCH_ATTRIBUTE.sub("", shown) if _SEARCH_VALUE.search(shown) else shown
    placed = site.sections.get(page.file.src_uri)
    if placed is not None:
        reading, section, after = placed
        page.title = page.title  # the navigation keeps the section's own title
        page.meta["title"] = html_text(f"{section.title} · {reading.title}")
        if after is not None:
            if site.nav_pages is None:
                site.nav_pages = {p.file.src_uri: p for p in nav.pages}
            following = site.nav_pages.get(after)
            if following is not None:
                page.next_page = following
    return context


on_page_context = CombinedEvent(_show_search_the_searchable, _after_search)


@event_priority(-50)  # after Material's search plugin writes the index, before its offline plugin copies it
def on_post_build(config: MkDocsConfig) -> None:
    rewrite_index(config.site_dir, _search)
    _collections.stop()


def on_build_error(error: Exception) -> None:
    _collections.stop()


def on_serve(server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
    """Live-reload when a glossary file changes (docs/ is watched already)."""
    glossary = _project_root(config) / _loaded().library.glossary_dir
    if glossary.is_dir():
        server.watch(str(glossary))
    return server
