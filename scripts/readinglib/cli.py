"""Check that every reference, link and anchor in the reading library is consistent.

Reads the sources through the same model and parser as the site build
(scripts/readinglib), so the checker and `mkdocs build --strict` never disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from readinglib.checks import ReviewPolicy, external_links
from readinglib.diagnostics import SITE_CHECKS, SOURCE_CHECKS, Diagnostic, error
from readinglib.epubrefs import check_epubs, glossary_of
from readinglib.model import Library
from readinglib.schema import describe_fields
from readinglib.memory import FewerCollections
from readinglib.project import check_project
from readinglib.navigation import read_navigation
from readinglib.sitecheck import CHUNKS_PER_WORKER, SiteChecker, SiteReading, check_site_url
from readinglib.workers import Workers

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _describe(checks: dict[str, str]) -> str:
    return "\n".join(f"  {code:<22} {text}" for code, text in checks.items())


EPILOG = f"""\
output:
  One line per finding, sorted by file and position:
    path:line:col: error|warning: message [code]
  then a summary line "N errors, M warnings in K files" (K = files checked).
  In text format, external links found in the sources are listed after it.

exit status:
  0  consistent (warnings allowed unless --strict)
  1  problems found
  2  usage or internal error (one-line message)

checks on the sources (always):
{_describe(SOURCE_CHECKS)}

checks on a built site (--site DIR) and on EPUBs (--epub FILE, and every .epub under --site):
{_describe(SITE_CHECKS)}

front-matter keys each kind of file reads (* required; values are plain text unless
a URL or date; bodies are Markdown without raw HTML, unsafe URLs or attributes):
{describe_fields()}

examples:
  python scripts/check_xrefs.py                     # check the sources in .
  python scripts/check_xrefs.py --strict --site site --format github   # in CI
  python scripts/check_xrefs.py --strict --site site --publish         # before publishing
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line, not the usage block: ``check_xrefs.py: error: … (see --help)``."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = _Parser(
        prog="check_xrefs.py", description=textwrap.dedent(__doc__ or "").strip(),
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", default=".", type=Path,
                        help="project folder holding mkdocs.yml, docs/ and glossary/ (default: .)")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="MkDocs configuration, relative to ROOT (default: mkdocs.yml)")
    parser.add_argument("--site", type=Path, metavar="DIR",
                        help="also check the site built in DIR (by `mkdocs build -d DIR`)")
    parser.add_argument("--epub", type=Path, nargs="+", metavar="FILE", default=[],
                        help="also check these EPUBs (python3 -m readinglib epub): every term reference "
                             "resolves [epub-reference]; --site checks the EPUBs in the site too")
    parser.add_argument("--publish", action="store_true",
                        help="the site is to be published: site_url must be a real address, not unset "
                             "or a placeholder such as example.org or localhost [site-url]")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--review-months", type=int, default=12, metavar="N",
                        help="warn on glossary entries and notes last reviewed N or more months ago (default 12)")
    parser.add_argument("--format", choices=("text", "json", "github"), default="text",
                        help="text (default); json: a list of finding objects; "
                             "github: workflow-command annotations for GitHub Actions")
    parser.add_argument("--external", action="store_true",
                        help="also fetch each external link (needs a network); never done by default")
    return parser.parse_args(argv)


def fetch_external(links: list[tuple[str, str, int, int]]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for url in sorted({link[0] for link in links}):
        path, line, column = next((p, l, c) for u, p, l, c in links if u == url)
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "check_xrefs"})
        try:
            urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 (only with --external)
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 429):
                found.append(error(path, line, column, "external-link", f"{url} answered {exc.code}"))
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            found.append(error(path, line, column, "external-link", f"{url} could not be fetched: {exc}"))
    return found


PARALLEL_BOOKS = 8
"""From how many EPUBs on they are checked by a worker process (starting one costs more than checking a few)."""


class _BookChecks:
    """The EPUBs' checks (:func:`readinglib.epubrefs.check_epubs`), started as soon as the
    glossary is read: shared between the workers when there are many books, else here when
    asked for."""

    def __init__(self, books: list[tuple[Path, str]], workers: Workers) -> None:
        self.books, self.workers = books, workers
        self.parts: list[Callable[[], list[Diagnostic]]] = []

    def start(self, library: Library) -> None:
        glossary = glossary_of(library)
        if len(self.books) >= PARALLEL_BOOKS:
            count = CHUNKS_PER_WORKER * self.workers.count  # parts no worker has started are done here
            self.parts = [self.workers.later(check_epubs, glossary, self.books[i::count]) for i in range(count)]
        else:
            self.parts = [Workers(wanted=False).later(check_epubs, glossary, self.books)]

    def findings(self) -> list[Diagnostic]:
        return [finding for part in self.parts for finding in part()]


def _books(arguments: argparse.Namespace, site: Path | None) -> list[tuple[Path, str]]:
    """The EPUBs to check (given, and under the site), each with the path findings name it by."""
    books = [(path, str(path)) for path in arguments.epub]
    if site is not None:
        books += [(path, (arguments.site / path.relative_to(site)).as_posix()) for path in sorted(site.rglob("*.epub"))]
    for path, _ in books:
        if not path.is_file():
            raise UsageError(f"--epub {path}: no such file; write it first with python3 -m readinglib epub")
    return books


def run(arguments: argparse.Namespace) -> tuple[list[Diagnostic], int, list[tuple[str, str, int, int]]]:
    root: Path = arguments.root
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder")
    config = root / arguments.config
    if not config.is_file():
        raise UsageError(f"no {arguments.config} in {root}; pass the project folder as ROOT")
    site = None
    if arguments.site is not None:
        site = arguments.site if arguments.site.is_absolute() else Path.cwd() / arguments.site
        if not site.is_dir():
            raise UsageError(f"--site {arguments.site}: no such folder; build it first with mkdocs build")
    books = _books(arguments, site)
    configured = read_navigation(config, config.name)
    with Workers(site is not None or len(books) >= PARALLEL_BOOKS) as workers:
        # the workers read the site, and then the EPUBs, while this process checks the sources
        reading = SiteReading(site, configured[0].site_url, workers) if site is not None else None
        book_checks = _BookChecks(books, workers)
        project = check_project(root, config, review=ReviewPolicy(months=arguments.review_months),
                                configured=configured, loaded=book_checks.start)
        library, navigation, findings = project.library, project.navigation, list(project.findings)
        checked = 1 + library.files_read + len(books)
        if reading is not None:
            checker = SiteChecker(library, reading, navigation, project.pages)
            findings += checker.run()
            checked += len(checker.pages)
        findings += book_checks.findings()  # the workers check the books meanwhile; the rest is done here
    links = external_links(library, project.pages)
    if arguments.publish:
        findings += check_site_url(navigation, config, arguments.config)
    if arguments.external:
        findings += fetch_external(links)
    if arguments.strict:
        findings = [Diagnostic(d.path, d.line, d.column, "error", d.message, d.code) for d in findings]
    return sorted(set(findings), key=Diagnostic.sort_key), checked, links


def _github_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    """Escape a workflow command's property value (``file=``, ``title=``)."""
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: list[Diagnostic], checked: int, fmt: str,
           links: list[tuple[str, str, int, int]], external_checked: bool) -> str:
    errors = sum(1 for d in findings if d.is_error)
    warnings = len(findings) - errors
    summary = (f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} "
               f"in {checked} files")
    if fmt == "json":
        return json.dumps([d.as_dict() for d in findings], indent=2, ensure_ascii=False)
    if fmt == "github":
        lines = [f"::{d.severity} file={_github_property(d.path)},line={d.line},col={d.column},"
                 f"title={_github_property(d.code)}::{_github_data(d.message)}" for d in findings]
        return "\n".join([*lines, summary])
    lines = [d.format() for d in findings] + [summary]
    if links:
        verb = "fetched" if external_checked else "not fetched; --external fetches them"
        unique = sorted({(url, f"{path}:{line}:{column}") for url, path, line, column in links})
        seen: set[str] = set()
        lines.append(f"external links ({len({u for u, _ in unique})}, {verb}):")
        for url, where in unique:
            if url not in seen:
                seen.add(url)
                lines.append(f"  {url}  ({where})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    started = time.perf_counter()
    try:
        with FewerCollections():
            findings, checked, links = run(arguments)
    except UsageError as exc:
        print(f"check_xrefs.py: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"check_xrefs.py: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        print(render(findings, checked, arguments.format, links, arguments.external))
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (| head) has gone: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if arguments.format == "text":
        print(f"checked in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return EXIT_FINDINGS if any(d.is_error for d in findings) else EXIT_OK
