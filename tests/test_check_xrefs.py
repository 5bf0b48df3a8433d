"""The cross-reference checker: one fixture library per problem class."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readinglib import load_library
from readinglib.cli import main
from conftest import FIXTURES, ROOT, BuildResult, copy_library, mkdocs_build
from readinglib.diagnostics import SITE_CHECKS, SOURCE_CHECKS

PROBLEMS = sorted(p for p in (FIXTURES / "problems").iterdir() if p.is_dir())
SCRIPT = ROOT / "scripts" / "check_xrefs.py"


def expected(fixture: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((fixture / "expected.json").read_text(encoding="utf-8"))


def run_checker(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


@pytest.mark.parametrize("fixture", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_each_problem_class_gives_its_exact_diagnostic(fixture: Path, capsys: pytest.CaptureFixture[str]) -> None:
    want = expected(fixture)
    code, lines = run_checker(capsys, str(fixture))
    findings = [line for line in lines if re.match(r"^\S+:\d+:\d+: (error|warning): ", line)]
    assert findings == want["findings"]
    assert code == want["exit"]
    if fixture.name != "clean":
        code_name = fixture.name.split("--")[0]
        assert f"[{code_name}]" in "\n".join(findings), "the fixture shows the problem it is named for"
    assert re.fullmatch(r"\d+ errors?, \d+ warnings? in \d+ files", lines[len(findings)])


# problems only the checker can report: the build never reaches the hook that would
BUILD_CANNOT_REPORT = {
    "config": "without hooks: in mkdocs.yml the build never runs the checks (that is the problem)",
    "missing-folder": "MkDocs itself stops on a missing docs_dir before any hook runs",
}


@pytest.mark.parametrize("fixture", PROBLEMS, ids=[p.name for p in PROBLEMS])
def test_build_fails_on_what_the_checker_reports(fixture: Path, tmp_path: Path) -> None:
    want = expected(fixture)
    result = mkdocs_build(fixture / "mkdocs.yml", tmp_path / "site")
    assert "Traceback" not in result.output
    if fixture.name in BUILD_CANNOT_REPORT:
        if fixture.name == "missing-folder":
            assert result.returncode != 0 and "isn't an existing directory" in result.output
        return
    if not want["findings"]:
        assert result.returncode == 0, result.output
        return
    assert result.returncode != 0
    for finding in want["findings"]:
        assert finding in result.output
    if any(": error: " in finding for finding in want["findings"]):
        assert not (tmp_path / "site").exists(), "an error stops the build before anything is written"


def test_strict_turns_warnings_into_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_checker(capsys, str(FIXTURES / "problems" / "not-in-nav"), "--strict")
    assert code == 1
    assert lines[0] == "docs/extra.md:1:1: error: page extra.md is missing from nav in mkdocs.yml; add it [not-in-nav]"


def test_json_and_github_formats(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = str(FIXTURES / "problems" / "unknown-term")
    code, lines = run_checker(capsys, fixture, "--format", "json")
    findings = json.loads("\n".join(lines))
    assert code == 1
    assert findings[0] == {"path": "docs/readings/r/01-one.md", "line": 5, "column": 5, "severity": "error",
                           "message": 'unknown term "Alpah" — did you mean "Alpha"? '
                                      "(or add a glossary entry with that name or alias)",
                           "code": "unknown-term"}
    code, lines = run_checker(capsys, fixture, "--format", "github")
    assert lines[0].startswith("::error file=docs/readings/r/01-one.md,line=5,col=5,title=unknown-term::unknown term")
    assert lines[1].startswith("::warning file=glossary/alpha.md,line=1,col=1,title=unreferenced-term::")


def test_usage_and_internal_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for argv in (["--format", "xml"], [str(tmp_path / "missing")], [str(tmp_path)],
                 [str(FIXTURES / "two-readings"), "--site", str(tmp_path / "nosite")]):
        result = subprocess.run([sys.executable, str(SCRIPT), *argv], capture_output=True, text=True)
        assert result.returncode == 2, argv
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) <= 3, result.stderr


def test_help_explains_every_option_and_check() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--site", "--strict", "--format", "--external", "--config"):
        assert option in result.stdout
    for code in [*SOURCE_CHECKS, *SITE_CHECKS]:
        assert code in result.stdout


def test_every_emitted_code_is_documented() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "scripts").rglob("*.py"))
    emitted = set(re.findall(r'(?:error|warning)\([^()]*?"([a-z0-9-]+)",', source, re.DOTALL))
    emitted |= set(re.findall(r'"((?:site|external)-[a-z-]+)"', source))
    assert emitted and emitted <= set(SOURCE_CHECKS) | set(SITE_CHECKS)


def test_the_real_library_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_checker(capsys, str(ROOT), "--strict")
    assert code == 0, lines
    assert lines[0].startswith("0 errors, 0 warnings in ")


def test_real_built_site_is_clean(real_site: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = run_checker(capsys, str(ROOT), "--strict", "--site", str(real_site.site))
    assert code == 0, lines
    assert any(line.startswith("external links (") and "not fetched" in line for line in lines)


@pytest.fixture()
def tampered_site(fixture_site: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture's built site in ./site, so findings name it as site/…"""
    site = tmp_path / "site"
    shutil.copytree(fixture_site.site, site)
    monkeypatch.chdir(tmp_path)
    return site


def site_findings(capsys: pytest.CaptureFixture[str], site: Path) -> tuple[int, list[str]]:
    return run_checker(capsys, str(FIXTURES / "two-readings"), "--site", str(site))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_site_is_clean(fixture_site: BuildResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert site_findings(capsys, fixture_site.site)[0] == 0


def test_site_missing_tooltip(tampered_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(tampered_site / "readings/beta/01-only/index.html", ' data-term="widget"', "")
    code, lines = site_findings(capsys, tampered_site)
    assert code == 1
    assert re.match(r"site/readings/beta/01-only/index.html:\d+:\d+: error: link to 'Widget' has no preview "
                    r"\(no data-term attribute\); rebuild", lines[0])
    assert lines[0].endswith("[site-missing-tooltip]")


def test_site_wrong_or_missing_preview_data(tampered_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tampered_site / "readings/beta/01-only/index.html"
    edit(page, ' data-term="widget"', ' data-term="gadget"')
    code, lines = site_findings(capsys, tampered_site)
    assert code == 1
    assert any("link to 'Widget' previews 'gadget' (data-term), not 'widget'" in line
               and line.endswith("[site-wrong-tooltip]") for line in lines), lines
    edit(page, ' data-term="gadget"', ' data-term="widget"')
    edit(page, '"short":"A small device used in fixtures."', '"short":"Something else."')
    code, lines = site_findings(capsys, tampered_site)
    assert [line for line in lines if line.endswith("[site-wrong-tooltip]")] and all(
        re.match(r"site/readings/beta/01-only/index.html:\d+:\d+: error: the page's term previews "
                 r"\(script#term-previews\) previews 'Widget' with 'Something else.', not its short", line)
        for line in lines if line.endswith("[site-wrong-tooltip]")), lines
    edit(page, 'id="term-previews"', 'id="gone"')
    code, lines = site_findings(capsys, tampered_site)
    assert any(re.match(r"site/readings/beta/01-only/index.html:\d+:\d+: error: link to 'Widget' has no preview "
                        r"data: the page's term previews \(script#term-previews\) is missing", line)
               and line.endswith("[site-missing-tooltip]") for line in lines), lines


def test_publish_needs_a_real_site_url(fixture_site: BuildResult, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    # the fixture, like the real mkdocs.yml, ships an example.org placeholder: fine to check, not to publish
    assert run_checker(capsys, str(FIXTURES / "two-readings"), "--site", str(fixture_site.site))[0] == 0
    code, lines = run_checker(capsys, str(FIXTURES / "two-readings"), "--site", str(fixture_site.site), "--publish")
    assert code == 1
    assert lines[0].startswith("mkdocs.yml:2:1: error: site_url 'https://fixture.example.org/' is a placeholder")
    assert "set site_url in mkdocs.yml to the address you publish at" in lines[0]
    assert lines[0].endswith("[site-url]")
    from readinglib.sitecheck import placeholder_site_url

    for placeholder in (None, "", "http://localhost:8000/", "https://example.com/x/", "http://127.0.0.1/",
                        "https://site.test/", "ftp://reading.example.edu/"):
        assert placeholder_site_url(placeholder), placeholder
    for real in ("https://reading.example.edu/", "https://someone.github.io/library/"):
        assert placeholder_site_url(real) is None, real


def test_site_dropped_reference(tampered_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(tampered_site / "readings/beta/01-only/index.html", 'class="term-link"', 'class="x"')
    code, lines = site_findings(capsys, tampered_site)
    assert code == 1
    assert lines[0] == ("site/readings/beta/01-only/index.html:1:1: error: readings/beta/01-only.md has 2 "
                        "reference(s) to 'widget' but the built page has 1 link(s) to it; rebuild the site "
                        "or fix the hooks [site-reference-count]")


def test_site_broken_link_and_anchor(tampered_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(tampered_site / "glossary/widget/index.html", "02-second/#p3", "02-second/#p33")
    shutil.rmtree(tampered_site / "glossary" / "gadget")
    code, lines = site_findings(capsys, tampered_site)
    text = "\n".join(lines)
    assert code == 1
    assert re.search(r"site/glossary/widget/index.html:\d+:\d+: error: '../../readings/alpha/02-second/#p33' "
                     r"points to #p33, which readings/alpha/02-second/index.html does not have "
                     r"\[site-missing-anchor\]", text)
    assert re.search(r"error: <a> links '../gadget/', but glossary/gadget/index.html does not exist "
                     r"\[site-broken-link\]", text)


def test_fragment_only_links_resolve_to_their_own_page(tmp_path: Path) -> None:
    """Pages sharing a folder (use_directory_urls: false) each resolve '#p2' to themselves."""
    from readinglib.sitecheck import Resolver, SiteLayout

    resolve = Resolver(SiteLayout.of(tmp_path, None))
    assert resolve("readings/r/index.html", "#p2") == ("readings/r/index.html", "p2")
    assert resolve("readings/r/01-one.html", "#p2") == ("readings/r/01-one.html", "p2")
    assert resolve("readings/r/01-one.html", "index.html#p1") == ("readings/r/index.html", "p1")


def test_external_links_are_fetched_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import serve

    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "ok.html").write_text("<p>fine</p>", encoding="utf-8")
    server = serve(tmp_path / "www")
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        library = tmp_path / "lib"
        copy_library(FIXTURES / "problems" / "clean", library)
        entry = library / "glossary" / "alpha.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace(
            "  - title: The Alphabet\n",
            f"  - title: The Alphabet\n    url: {base}/ok.html\n  - title: Gone\n    url: {base}/gone.html\n"),
            encoding="utf-8")
        reading = library / "docs" / "readings" / "r" / "index.md"  # its address too is served here
        reading.write_text(reading.read_text(encoding="utf-8").replace("https://news.example.org/r", f"{base}/ok.html"),
                           encoding="utf-8")
        code, lines = run_checker(capsys, str(library))
        assert code == 0
        assert f"  {base}/gone.html  (glossary/alpha.md:10:5)" in lines  # at its url: line
        assert any("not fetched; --external fetches them" in line for line in lines)
        code, lines = run_checker(capsys, str(library), "--external")
        assert code == 1
        assert lines[0] == f"glossary/alpha.md:10:5: error: {base}/gone.html answered 404 [external-link]"
    finally:
        server.shutdown()


SCRIPTS_ADDED = ('<script>alert("added")</script><svg/onload=alert(2)></svg>'
                 '<a href="java\tscript:alert(3)">x</a><script src="https://elsewhere.example/x.js"></script>')


def test_site_script_added_after_the_build(tampered_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The last line of defence: whatever got onto a built page that can run is reported,
    and the theme's own inline scripts are not."""
    edit(tampered_site / "readings/beta/01-only/index.html", "</article>", SCRIPTS_ADDED + "</article>")
    code, lines = site_findings(capsys, tampered_site)
    scripts = [line for line in lines if line.endswith("[site-script]")]
    assert code == 1
    assert len(scripts) == 4, lines
    assert all(line.startswith("site/readings/beta/01-only/index.html:") for line in scripts)
    for what in ("an inline <script> the theme does not ship ('alert(\"added\")')",
                 "an event-handler attribute onload on <svg>", "a script URL in href of <a>",
                 "a <script> from another host ('https://elsewhere.example/x.js')"):
        assert any(what in line for line in scripts), (what, scripts)


def test_site_read_by_worker_processes_gives_the_same_findings(
        tampered_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site is read by one process per core; a small one here. Either way the
    findings are the same, every kind of them."""
    from readinglib import sitecheck

    edit(tampered_site / "readings/beta/01-only/index.html", "</article>", SCRIPTS_ADDED + "</article>")
    edit(tampered_site / "readings/beta/01-only/index.html", ' data-term="widget"', "")
    edit(tampered_site / "glossary/widget/index.html", "02-second/#p3", "02-second/#p33")
    shutil.rmtree(tampered_site / "glossary" / "gadget")
    here = site_findings(capsys, tampered_site)
    parts: list[int] = []
    reading = sitecheck.SiteReading.__init__

    def counted(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        reading(self, *args, **kwargs)
        parts.append(len(self.parts))

    monkeypatch.setattr(sitecheck, "PARALLEL_PAGES", 1)
    monkeypatch.setattr(sitecheck.SiteReading, "__init__", counted)
    elsewhere = site_findings(capsys, tampered_site)
    assert elsewhere == here
    codes = {line.rsplit("[", 1)[-1] for line in here[1][:-1]}
    assert {"site-script]", "site-missing-tooltip]", "site-missing-anchor]", "site-broken-link]"} <= codes
    if (os.cpu_count() or 1) > 1:
        assert parts == [sitecheck.CHUNKS_PER_WORKER * (os.cpu_count() or 1)]


def test_the_checker_leaves_the_cycle_collector_as_it_found_it(capsys: pytest.CaptureFixture[str]) -> None:
    """It collects less often while it runs (readinglib.memory), and restores the pace of a
    program that calls it, such as this test run."""
    import gc

    from readinglib.memory import GC_THRESHOLD, FewerCollections

    before = gc.get_threshold()
    assert before != GC_THRESHOLD
    run_checker(capsys, str(FIXTURES / "two-readings"))
    assert gc.get_threshold() == before
    with FewerCollections():
        assert gc.get_threshold() == GC_THRESHOLD
    assert gc.get_threshold() == before
