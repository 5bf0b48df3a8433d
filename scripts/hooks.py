"""MkDocs hooks: build the reading library's pages from the model.

Enabled in ``mkdocs.yml`` with ``hooks: [scripts/hooks.py]``. The hooks load the
library once per build (:func:`readinglib.load_library`), stop the build with
``file:line:column`` messages when the sources are inconsistent (the same
checks as ``scripts/check_xrefs.py``), and otherwise only turn the model into
pages:

* each section file of a reading becomes numbered, anchored paragraphs with
  term links and editors' annotations;
* each reading's ``index.md`` becomes its overview page;
* each ``glossary/<slug>.md`` becomes a page ``glossary/<slug>/``, plus the A–Z
  index ``glossary/`` and the catalogue ``readings/``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from readinglib import Library, load_library  # noqa: E402
from readinglib import pages  # noqa: E402
from readinglib.checks import check_sources  # noqa: E402
from readinglib.model import Assignment, Reading, Section  # noqa: E402
from readinglib.navigation import read_navigation  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reading_library")


@dataclass
class LibrarySite:
    """The loaded library and where each of its pages comes from."""

    library: Library
    glossary_dir: Path

    def sections(self) -> dict[str, tuple[Reading, Section]]:
        return {section.src_uri: (reading, section)
                for reading in self.library.readings for section in reading.sections}

    def readings(self) -> dict[str, Reading]:
        return {reading.src_uri: reading for reading in self.library.readings}

    def assignments(self) -> dict[str, Assignment]:
        return {assignment.src_uri: assignment for assignment in self.library.assignments}


_site: LibrarySite | None = None


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the library; refuse to build from inconsistent sources."""
    global _site
    root = _project_root(config)
    docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    library = load_library(root, docs_dir=docs)
    config_file = Path(config.config_file_path or root / "mkdocs.yml")
    navigation, problems = read_navigation(config_file, config_file.name)
    findings = sorted([*problems, *check_sources(library, navigation)])
    errors = [finding for finding in findings if finding.is_error]
    if errors:
        raise Abort(f"The reading library has {len(errors)} error(s); nothing was built:\n"
                    + "\n".join(finding.format() for finding in findings))
    for finding in findings:
        log.warning(finding.format())
    _site = LibrarySite(library, root / "glossary")
    return config


def _loaded() -> LibrarySite:
    if _site is None:
        raise Abort("reading library hooks: on_config did not run")
    return _site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated term pages and, unless written by hand, the index pages."""
    site = _loaded()
    library = site.library
    backlinks = library.backlinks()
    for term in library.terms.values():
        files.append(File.generated(config, term.page,
                                    content=pages.term_markdown(library, term, backlinks[term.slug]),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
    for src_uri, render in pages.GENERATED_PAGES.items():
        if files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, content=render(library),
                                        inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Render reading pages from the model; link references on every other page."""
    site = _loaded()
    src = page.file.src_uri
    if (found := site.sections().get(src)) is not None:
        reading, section = found
        return pages.section_markdown(site.library, reading, section)
    if (reading := site.readings().get(src)) is not None:
        return pages.overview_markdown(site.library, reading)
    if (assignment := site.assignments().get(src)) is not None:
        return pages.assignment_markdown(site.library, assignment)
    return pages.link_references(site.library, markdown, src)


def on_serve(server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
    """Live-reload when a glossary file changes (docs/ is watched already)."""
    glossary = _project_root(config) / "glossary"
    if glossary.is_dir():
        server.watch(str(glossary))
    return server
