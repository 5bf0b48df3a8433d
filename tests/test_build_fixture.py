"""The hooks on a tiny fixture library with two readings, built by MkDocs."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURES, BuildResult, copy_library, mkdocs_build, text_of


def test_section_pages_number_and_anchor_paragraphs(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/02-second/")
    (para,) = page.css("p.para")
    assert para.attributes["id"] == "p3"
    assert text_of(para.css_first(".para-num")) == "¶3"
    button = para.css_first("button.para-copy")
    assert button.attributes["aria-label"] == "Link or cite paragraph 3"
    assert button.attributes["aria-haspopup"] == "menu" and button.attributes["aria-expanded"] == "false"
    assert button.attributes["data-anchor"] == "p3"


def test_term_links_carry_escaped_tooltips(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/02-second/")
    link = page.css_first("p.para a.term-link")
    assert link.attributes["href"] == "../../../glossary/thingamajig/"
    assert link.attributes["data-term"] == "thingamajig" and "title" not in link.attributes
    # the preview's data: JSON on the page, every non-ASCII character and '<', '>', '&' escaped,
    # so nothing in it can end the element
    from readinglib.previews import PREVIEWS_ID, read_previews

    data = page.css_first(f"script#{PREVIEWS_ID}").text()
    assert data.isascii() and not any(c in data for c in "<>&") and "\\u003cangle\\u003e" in data
    # the short definition is plain text wherever it is shown, never read as HTML or Markdown
    short = 'Something whose name escapes us; it has "quotes" & <angle> marks.'
    assert read_previews(page)["thingamajig"]["short"] == short
    assert text_of(fixture_site.page("glossary/thingamajig/").css_first(".term-short")) == short
    listed = [li for li in fixture_site.page("readings/alpha/").css("li") if "Something whose" in text_of(li)]
    assert listed and all(text_of(li).endswith(short) for li in listed)


def test_editorial_marks_and_byline(fixture_site: BuildResult) -> None:
    opening = fixture_site.page("readings/alpha/01-opening/")
    assert "Heading supplied by the editors" in text_of(opening.css_first(".editorial-mark"))
    assert "The Daily Fixture 4 March 2021 · by Ann Author" in text_of(opening.css_first(".reading-byline"))
    second = fixture_site.page("readings/alpha/02-second/")
    assert second.css_first(".editorial-mark") is None


def test_annotations_follow_their_paragraph(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/01-opening/")
    note = page.css_first("details.annotation")
    assert text_of(note.css_first("summary")) == "Editors' note on ¶2: Context · Why gizmos"
    assert "open" not in note.attributes, "notes are collapsed markers until opened"
    following = page.css("p.para")[1].next
    while following is not None and following.tag == "-text":
        following = following.next
    assert following is not None and following.tag == "details"
    assert text_of(following.css_first("summary")) == text_of(note.css_first("summary"))
    update = fixture_site.page("readings/alpha/02-second/").css_first("details.annotation")
    assert text_of(update.css_first("summary .note-badge")) == "Update 2 January 2024", "updates carry a dated badge"


def test_links_in_quoted_paragraphs_work_from_the_assignment(fixture_site: BuildResult) -> None:
    """A link written in a section keeps its target when an assignment quotes the paragraph."""
    on_section = fixture_site.page("readings/alpha/02-second/").css_first("p.para a:not(.term-link):not(.para-num)")
    quoted = fixture_site.page("assignments/homework/").css_first("p#p3 a:not(.term-link):not(.para-num)")
    assert on_section.attributes["href"] == "../01-opening/#p1"
    assert quoted.attributes["href"] == "../../readings/alpha/01-opening/#p1"
    assert text_of(quoted) == text_of(on_section) == "the first part"


def test_overview_page(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/")
    # ¶1 is quoted as the standfirst: its link to #p2 still leads to ¶2 of the section
    assert page.css_first(".standfirst a[href='01-opening/#p2']") is not None
    assert text_of(page.css_first("h1")) == "Alpha report"
    assert "Title supplied by the editors" in text_of(page.css_first(".editorial-mark"))
    assert page.css_first(".standfirst a[href='01-opening/#p1']") is not None
    sections = [text_of(li) for li in page.css("ol li")]
    assert sections[0].startswith("Opening (heading supplied by the editors) — ¶1–¶2")
    assert sections[1].startswith("Second part — ¶3–¶3")
    key_terms = [text_of(a) for a in page.css("#key-terms + ul a.term-link")]
    assert key_terms == ["Gadget", "Gizmo Corporation", "Thingamajig", "Widget"]


def test_term_page_lists_backlinks_and_see_also(fixture_site: BuildResult) -> None:
    page = fixture_site.page("glossary/widget/")
    appears = [a.attributes["href"] for a in page.css("#appears-in ~ ul a") if text_of(a).startswith("¶")]
    assert appears == ["../../readings/alpha/01-opening/#p1", "../../readings/alpha/02-second/#p3",
                       "../../readings/beta/01-only/#p1", "../../readings/beta/01-only/#p2"]
    readings = [text_of(strong) for strong in page.css("#appears-in ~ p strong")]
    assert readings[:2] == ["Alpha report", "Beta story"]  # mentions grouped by reading
    assert page.css_first("#see-also + ul a").attributes["href"] == "../gadget/"
    assert "Also called: widgets" in text_of(page.css_first(".term-meta"))


def test_glossary_index_groups_by_letter(fixture_site: BuildResult) -> None:
    page = fixture_site.page("glossary/")
    letters = [h.attributes["id"] for h in page.css("h2")]
    assert letters == ["letter-g", "letter-t", "letter-w"]
    assert [text_of(a) for a in page.css("#letter-g + ul a.term-link")] == ["Gadget", "Gizmo Corporation"]
    assert "(concept)" in text_of(page.css_first("#letter-w + ul li"))


def test_catalogue_and_other_pages(fixture_site: BuildResult) -> None:
    catalogue = fixture_site.page("readings/")
    assert [text_of(a) for a in catalogue.css("article li a")] == ["Alpha report", "Beta story"]
    home = fixture_site.page("")
    assert home.css_first("a.term-link").attributes["href"] == "glossary/widget/"


def test_search_index_holds_aliases(fixture_site: BuildResult) -> None:
    index = (fixture_site.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Also called:</strong> widgets" in index or "Also called: widgets" in index


BROKEN = [
    ("docs/readings/beta/01-only.md", "links [[WIDGETS]]", "links [[WIDGTS]]",
     'docs/readings/beta/01-only.md:5:29: error: unknown term "WIDGTS" — did you mean "widgets"?'),
    ("glossary/gadget.md", "aliases: []", "aliases: [widgets]",
     'glossary/widget.md:3:11: error: name "widgets" is already used by "gadget" (glossary/gadget.md)'),
    ("glossary/gadget.md", "term: Gadget", "term: [Gadget",
     "glossary/gadget.md:3:8: error: malformed YAML front matter: expected ',' or ']'"),
    ("glossary/gadget.md", "short: 'A larger device, also for fixtures.'", "short: ''",
     "glossary/gadget.md:4:1: error: required field 'short' is missing or empty [missing-field]"),
    ("docs/readings/beta/01-only.md", "Beta's only", "Beta's <script>alert(1)</script> only",
     "docs/readings/beta/01-only.md:5:8: error: raw HTML is not allowed in sources"),
]


@pytest.mark.parametrize(("path", "old", "new", "expected"), BROKEN, ids=[b[3].split(" error: ")[1][:30] for b in BROKEN])
def test_bad_sources_stop_the_build_cleanly(tmp_path: Path, path: str, old: str, new: str, expected: str) -> None:
    config = copy_library(FIXTURES / "two-readings", tmp_path / "lib")
    source = tmp_path / "lib" / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert expected in result.output
    assert result.output.count(": error: ") == 1, result.output  # no follow-on noise
    assert "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_non_utf8_source_stops_the_build(tmp_path: Path) -> None:
    config = copy_library(FIXTURES / "two-readings", tmp_path / "lib")
    (tmp_path / "lib" / "glossary" / "gadget.md").write_bytes(b"---\nterm: Gadg\xe9t\n---\n")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "glossary/gadget.md:2:11: error: file is not UTF-8" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "site").exists()


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, text: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        page = _fetch(url)
        if page is not None and text in page:
            return
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; mkdocs serve said:\n{log.read_text(encoding='utf-8')}")


def test_serve_rebuilds_when_a_reading_or_glossary_file_changes(tmp_path: Path) -> None:
    """The README's first command: `mkdocs serve` reloads on edits to readings and to glossary/."""
    config = copy_library(FIXTURES / "two-readings", tmp_path / "library")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as output:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(config),
                                   "-a", f"127.0.0.1:{port}"], cwd=config.parent, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        term = f"http://127.0.0.1:{port}/glossary/widget/"
        _wait_for(term, "A small device used in fixtures.", server, log)
        entry = config.parent / "glossary" / "widget.md"
        entry.write_text(entry.read_text(encoding="utf-8").replace("A small device used in fixtures.",
                                                                   "A small device, edited while serving."),
                         encoding="utf-8")
        _wait_for(term, "A small device, edited while serving.", server, log)
        section = config.parent / "docs" / "readings" / "beta" / "01-only.md"
        section.write_text(section.read_text(encoding="utf-8") + "\nA paragraph added while serving.\n",
                           encoding="utf-8")
        _wait_for(f"http://127.0.0.1:{port}/readings/beta/01-only/", "A paragraph added while serving.", server, log)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_byline_marks_the_editors_title_as_words_apart(fixture_site: BuildResult) -> None:
    byline = text_of(fixture_site.page("readings/alpha/01-opening/").css_first(".reading-byline"))
    assert byline.startswith("Alpha report (title supplied by the editors) · ")


def test_mkdocs_does_not_read_again_the_sources_the_library_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A page the library plans is rendered from its plan: MkDocs does not read its file and
    front matter a second time (its title still comes from the front matter, through the plan)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    config = copy_library(FIXTURES / "two-readings", tmp_path / "library")
    read: list[str] = []
    original = File.content_string

    def recorded(file: File) -> str:
        read.append(file.src_uri)
        return original.fget(file)  # type: ignore[attr-defined]

    monkeypatch.setattr(File, "content_string", property(recorded))
    build(load_config(config_file=str(config), strict=True, site_dir=str(tmp_path / "site")))
    assert not [src_uri for src_uri in read if src_uri.endswith(".md")]
    page = (tmp_path / "site" / "readings" / "alpha" / "02-second" / "index.html").read_text(encoding="utf-8")
    assert "<title>Second part · Alpha report - Fixture library</title>" in page


def test_the_build_sets_the_library_aside_from_the_collector_and_leaves_it_as_it_found_it(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Once the library is loaded and planned, the cycle collector stops walking it
    (``gc.freeze``, readinglib.memory); after the build, the program that ran it (this test
    run, ``mkdocs serve``) collects as before, nothing left frozen."""
    import gc

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from readinglib.memory import BUILD_GC_THRESHOLD

    config = copy_library(FIXTURES / "two-readings", tmp_path / "library")
    during: list[tuple[int, int, int]] = []
    freeze = gc.freeze
    monkeypatch.setattr(gc, "freeze", lambda: (during.append(gc.get_threshold()), freeze()))
    before = gc.get_threshold()
    build(load_config(config_file=str(config), strict=True, site_dir=str(tmp_path / "site")))
    assert during == [BUILD_GC_THRESHOLD]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
