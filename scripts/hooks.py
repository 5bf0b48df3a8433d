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
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.config.defaults import MkDocsConfig  # noqa: E402
from mkdocs.exceptions import Abort  # noqa: E402
from mkdocs.structure.files import File, Files, InclusionLevel  # noqa: E402
from mkdocs.structure.pages import Page  # noqa: E402

from readinglib import Library  # noqa: E402
from readinglib import pages  # noqa: E402
from readinglib.plan import PagePlan  # noqa: E402
from readinglib.project import check_project  # noqa: E402
from readinglib.text import html_text  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reading_library")
READING_LIBRARY_HOOKS = True  # what the reading-library plugin looks for (reading_library_guard)


@dataclass
class LibrarySite:
    """The loaded library and the plan of every page, by ``src_uri``."""

    library: Library
    plans: dict[str, PagePlan]


_site: LibrarySite | None = None


def _project_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load and check the library; refuse to build from inconsistent sources."""
    global _site
    root = _project_root(config)
    docs = Path(os.path.relpath(config.docs_dir, root)).as_posix()
    try:
        project = check_project(root, Path(config.config_file_path or root / "mkdocs.yml"), docs)
    except Exception as exc:  # a bug of ours: one clear line, never a traceback
        raise Abort(f"The reading library could not be loaded (internal error: "
                    f"{type(exc).__name__}: {exc}); nothing was built.") from exc
    if project.errors:
        raise Abort(f"The reading library has {len(project.errors)} error(s); nothing was built:\n"
                    + "\n".join(finding.format() for finding in project.findings))
    for finding in project.findings:
        log.warning(finding.format())
    _site = LibrarySite(project.library, project.pages)
    return config


def _loaded() -> LibrarySite:
    if _site is None:
        raise Abort("reading library hooks: on_config did not run")
    return _site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the pages the hooks generate (term pages, index pages not written by hand)."""
    site = _loaded()
    for src_uri, plan in site.plans.items():
        if plan.generated and files.get_file_from_path(src_uri) is None:
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
    return files


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
        ("hide", list(plan.meta.hide) or None)) if value is not None}
    return pages.render(site.library, plan)


def on_serve(server, config: MkDocsConfig, builder):  # type: ignore[no-untyped-def]
    """Live-reload when a glossary file changes (docs/ is watched already)."""
    glossary = _project_root(config) / _loaded().library.glossary_dir
    if glossary.is_dir():
        server.watch(str(glossary))
    return server
