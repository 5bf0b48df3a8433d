"""One project: its configuration, library, pages and findings, loaded the one way.

``mkdocs build`` (through the hooks) and ``check_xrefs.py`` both start here, so
they read the same files in the same way and report the same findings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readinglib.cache import ParseCache
from readinglib.checks import ReviewPolicy, check_sources
from readinglib.diagnostics import Diagnostic
from readinglib.loader import load_library
from readinglib.model import Library
from readinglib.navigation import Navigation, read_navigation
from readinglib.pages import SitePlan, site_plans
from readinglib.plan import PagePlan


@dataclass
class Project:
    root: Path
    navigation: Navigation
    library: Library
    site: SitePlan
    findings: list[Diagnostic]

    @property
    def pages(self) -> dict[str, PagePlan]:
        """Every page's plan by ``src_uri``."""
        return self.site.pages

    @property
    def errors(self) -> list[Diagnostic]:
        return [finding for finding in self.findings if finding.is_error]


def check_project(root: Path, config: Path, docs_dir: str | None = None, review: ReviewPolicy | None = None,
                  configured: tuple[Navigation, list[Diagnostic]] | None = None,
                  loaded: Callable[[Library], object] | None = None) -> Project:
    """Load and check the project in ``root`` configured by ``config``.

    ``docs_dir`` (relative to ``root``) overrides the configuration's, as MkDocs
    passes the value it resolved; ``review`` says how old a review may be;
    ``configured`` is :func:`read_navigation`'s reading of ``config``, when the caller
    has read it already; ``loaded`` is called with the library as soon as it is read, before
    the pages are planned and checked (the checker starts work in other processes with it).
    """
    navigation, findings = configured or read_navigation(config, config.name)
    if docs_dir is not None:
        navigation.docs_dir = docs_dir
    # the build (mkdocs serve's rebuilds too) and the checker share one cache of parsed glossary files
    library = load_library(root, docs_dir=navigation.docs_dir, cache=ParseCache.for_project(root))
    if loaded is not None:
        loaded(library)
    site = site_plans(library)
    findings = sorted({*findings, *check_sources(library, navigation, site, review)}, key=Diagnostic.sort_key)
    return Project(root, navigation, library, site, findings)

