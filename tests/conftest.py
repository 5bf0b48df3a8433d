"""Shared helpers: build a library with MkDocs and read the pages it wrote."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> LexborHTMLParser:
        """Parse the page at ``url_path`` (``readings/x/`` or ``readings/x/index.html``)."""
        path = self.site / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return LexborHTMLParser(path.read_text(encoding="utf-8"))


def mkdocs_build(config: Path, site: Path, *extra: str) -> BuildResult:
    """Run ``mkdocs build --strict`` in a child process, as an author would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site), *extra],
        capture_output=True, text=True, env=env, cwd=config.parent, timeout=300,
    )
    return BuildResult(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("real") / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(FIXTURES / "two-readings" / "mkdocs.yml",
                          tmp_path_factory.mktemp("fixture") / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def library():  # type: ignore[no-untyped-def]
    """The real library, loaded once (tests only read it)."""
    from readinglib import load_library

    return load_library(ROOT)


@pytest.fixture(scope="session")
def section_url(library) -> str:  # type: ignore[no-untyped-def]
    """The address of a section page that holds some paragraph other than ¶1."""
    reading = library.readings[0]
    section = reading.sections[1] if len(reading.sections) > 1 else reading.sections[0]
    return section.src_uri.removesuffix(".md") + "/"


def text_of(node) -> str:  # type: ignore[no-untyped-def]
    """Visible text of a node, white space folded."""
    return " ".join(node.text(deep=True, separator="").split())


def copy_library(source: Path, destination: Path) -> Path:
    """Copy a fixture library so a test may break it; returns its mkdocs.yml."""
    import shutil

    shutil.copytree(source, destination)
    config = destination / "mkdocs.yml"
    hooks = (ROOT / "scripts" / "hooks.py").as_posix()
    text = re.sub(r"(?:\.\./)+scripts/hooks\.py", hooks, config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return config


def heading_text(node) -> str:  # type: ignore[no-untyped-def]
    """Text of a heading without its permalink marker."""
    for link in node.css("a.headerlink"):
        link.decompose()
    return text_of(node)


# -- browser tests: Playwright driving Debian's Chromium against a loopback server ---------

COLOUR_RULES = {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
                "resultTypes": ["violations"]}
"""The rules a colour scheme can change the outcome of: a scheme changes colours, never
the page's structure, names or roles, which the first scheme's full run has checked."""

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # Debian's; never a downloaded browser
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
RESULTS = ROOT / "test-results"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def serve(directory: Path):  # type: ignore[no-untyped-def]
    """Serve ``directory`` on a free loopback port in a background thread; returns the server."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(real_site: BuildResult):  # type: ignore[no-untyped-def]
    server = serve(real_site.site)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        reason = (f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium "
                  "(.ci/run does), or set CHROMIUM_PATH")
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(reason)  # in CI a missing browser is a failure, never a silent skip
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


class GuardedPage:
    """A browser page whose requests may only go to loopback; others are blocked and recorded."""

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        self.context = context
        self.outside: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        from urllib.parse import urlsplit

        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            self.outside.append(url)
            route.abort()
        else:
            route.continue_()


def _new_page(browser, request, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**options)
    guarded = GuardedPage(context)
    request.node.browser_page = guarded.page
    return context, guarded


def screen(width: int) -> dict:  # type: ignore[type-arg]
    """Browser context options for a screen ``width`` px wide: under 800, a touch phone."""
    if width < 800:
        return {"viewport": {"width": width, "height": 740}, "has_touch": True, "is_mobile": True}
    return {"viewport": {"width": width, "height": 900}}


@pytest.fixture()
def guarded(browser, request):  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, request, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture()
def phone(browser, request):  # type: ignore[no-untyped-def]
    context, page = _new_page(browser, request, viewport={"width": 375, "height": 740},
                              has_touch=True, is_mobile=True, device_scale_factor=2)
    yield page
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """On a failing browser test, save what a person would have seen and say where."""
    outcome = yield
    report = outcome.get_result()
    page = getattr(item, "browser_page", None)
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        RESULTS.mkdir(exist_ok=True)
        shot = RESULTS / f"{item.name}.png"
        try:
            page.screenshot(path=str(shot), full_page=False)
            seen = page.evaluate("document.body ? document.body.innerText.slice(0, 600) : ''")
            report.sections.append(("what the browser showed",
                                    f"url: {page.url}\nscreenshot: {shot}\nvisible text:\n{seen}"))
        except Exception as exc:  # noqa: BLE001 - the failure itself matters more
            report.sections.append(("what the browser showed", f"(no screenshot: {exc})"))


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(ROOT / "mkdocs-offline.yml", tmp_path_factory.mktemp("offline") / "site")
    assert result.returncode == 0, result.output
    return result


def search(page, query: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``query`` into Material's search once its index is ready, as a reader would."""
    page.locator("input.md-search__input").click()
    page.wait_for_function("document.querySelector('.md-search-result__meta') && "
                           "document.querySelector('.md-search-result__meta').textContent.includes('Type to start')")
    page.wait_for_timeout(300)
    page.locator("input.md-search__input").press_sequentially(query, delay=20)


def tab_to_first_term_link(page) -> None:  # type: ignore[no-untyped-def]
    """Reach the first term link of a paragraph by keyboard: its copy control, then Tab."""
    paragraph = page.locator("article p.para", has=page.locator("a.term-link")).first
    paragraph.locator("button.para-copy").focus()
    page.keyboard.press("Tab")


def copy_paragraph_link(page, button, *, tap: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Copy a paragraph's link as a reader does: its button opens the menu, then the first item."""
    button.tap() if tap else button.click()
    item = page.locator(".para-menu [role=menuitem]").first
    item.tap() if tap else item.click()
