"""Instructor-facing pages: assignments, study guides, citations, the timeline, the guide."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, ROOT, BuildResult, copy_library, heading_text, mkdocs_build, text_of
from readinglib import load_library
from readinglib.pages import citations, paragraph_citations

FIXTURE = FIXTURES / "two-readings"


def test_assignment_model_reads_ranges_with_positions() -> None:
    library = load_library(FIXTURE)
    (homework,) = library.assignments
    assert (homework.title, homework.reading, str(homework.due)) == ("Homework one", "alpha", "2024-02-03")
    assert [(r.first, r.last, r.line, r.column) for r in homework.ranges] == [(2, 3, 5, 13)]
    assert [n for n in range(1, 10) if homework.covers(n)] == [2, 3]


def test_assignment_page_quotes_the_reading(fixture_site: BuildResult) -> None:
    page = fixture_site.page("assignments/homework/")
    assert heading_text(page.css_first("h1")) == "Homework one"
    meta = text_of(page.css_first(".assignment-meta"))
    assert meta == "Due: 3 February 2024 · Reading: Alpha report, ¶2–¶3"
    paragraphs = page.css("article p.para")
    assert [p.attributes["id"] for p in paragraphs] == ["p2", "p3"]
    number_links = [a.attributes["href"] for a in page.css("article a.para-num")]
    assert number_links == ["../../readings/alpha/01-opening/#p2", "../../readings/alpha/02-second/#p3"]
    # quoted from the one source: identical to the paragraph on the section pages
    for node, (url, anchor) in zip(paragraphs, [("readings/alpha/01-opening/", "p2"),
                                                ("readings/alpha/02-second/", "p3")]):
        original = fixture_site.page(url).css_first(f"#{anchor}")
        assert text_of(node.css_first("a.para-num")) == text_of(original.css_first("a.para-num"))
        node.css_first(".para-num").decompose()
        original.css_first(".para-num").decompose()
        assert text_of(node) == text_of(original)
    assert [text_of(s) for s in page.css("article details.annotation summary")] == [
        "Editors' note on ¶2: Context · Why gizmos", "Editors' note on ¶3: Update 2 January 2024"]
    key_terms = [text_of(li) for li in page.css("#key-terms + ul li")]
    assert key_terms == ["Widget: A small device used in fixtures.", "Gizmo Corporation: A company that makes gizmos."]
    assert [text_of(li) for li in page.css(".handout-questions li")] == ["What does the Gizmo Corporation make?"]
    on_page = [text_of(a) for a in page.css("#terms-on-this-page + ul a")]
    assert on_page == ["Gadget", "Gizmo Corporation", "Thingamajig", "Widget"]
    assert page.css_first("a.md-button").attributes["href"] == "../../readings/alpha/"


def test_assignments_index(fixture_site: BuildResult) -> None:
    page = fixture_site.page("assignments/")
    assert [text_of(li) for li in page.css("article li")] == [
        "Homework one — due 3 February 2024: Alpha report, ¶2–¶3"]


def test_section_page_ends_with_a_study_guide(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/01-opening/")
    headings = [heading_text(h) for h in page.css("article h2, article h3")]
    assert headings == ["Study guide", "Terms in this section", "Editors' notes", "Questions for discussion"]
    terms = [text_of(li) for li in page.css("#terms-in-this-section + ul li")]
    assert terms == ["Widget: A small device used in fixtures.",
                     "Gizmo Corporation: A company that makes gizmos.",
                     "Gadget: A larger device, also for fixtures."]
    notes = page.css("#editors-notes + ul li")
    assert text_of(notes[0]) == "¶2: Why gizmos"
    assert notes[0].css_first("a").attributes["href"] == "#p2"
    assert [text_of(li) for li in page.css("#questions-for-discussion + ol li")] == ["What is a widget?"]


def _styled(reading) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each citation as text, its italic pieces between asterisks."""
    return {style: "".join(f"*{piece}*" if italic else piece for piece, italic in pieces)
            for style, pieces in citations(reading).items()}


def test_citations_in_three_styles() -> None:
    alpha, beta = load_library(FIXTURE).readings
    assert _styled(alpha) == {
        "APA": "Author, A. (2021, March 4). [Alpha report]. The Daily Fixture. https://news.example.org/alpha",
        "MLA": "Author, Ann. [Alpha report]. *The Daily Fixture*, 4 Mar. 2021, https://news.example.org/alpha.",
        "Chicago": "Author, Ann. [Alpha report]. *The Daily Fixture*, March 4, 2021. https://news.example.org/alpha",
    }
    # beta's title is the article's own: it is the headline as published, not in brackets
    assert _styled(beta)["APA"] == ("Writer, B. (2020, January 31). *Beta story*. Fixture Weekly. "
                                    "https://news.example.org/beta")
    beta.published_title, beta.url = "Beta: the story", None
    assert _styled(beta)["APA"] == "Writer, B. (2020, January 31). *Beta: the story*. Fixture Weekly."
    assert _styled(beta)["MLA"] == "Writer, Bo. “Beta: the story.” *Fixture Weekly*, 31 Jan. 2020."


def test_a_paragraph_is_cited_with_its_number_in_each_style() -> None:
    alpha, beta = load_library(FIXTURE).readings
    assert paragraph_citations(alpha) == {
        "APA": [["In text", "(Author, 2021, para. {n})"],
                ["Reference", "Author, A. (2021, March 4). [Alpha report]. The Daily Fixture. "
                              "https://news.example.org/alpha"]],
        "MLA": [["In text", "(Author, par. {n})"],
                ["Works cited", "Author, Ann. [Alpha report]. The Daily Fixture, 4 Mar. 2021, "
                                "https://news.example.org/alpha."]],
        "Chicago": [["Note", "Ann Author, [Alpha report], The Daily Fixture, March 4, 2021, para. {n}, "
                             "https://news.example.org/alpha."],
                    ["Bibliography", "Author, Ann. [Alpha report]. The Daily Fixture, March 4, 2021. "
                                     "https://news.example.org/alpha"]],
    }
    assert paragraph_citations(beta)["Chicago"][0][1] == ("Bo Writer, “Beta story,” Fixture Weekly, "
                                                          "January 31, 2020, para. {n}, https://news.example.org/beta.")


def test_section_and_assignment_pages_carry_the_paragraph_citations(fixture_site: BuildResult) -> None:
    import json

    for url in ("readings/alpha/02-second/", "assignments/homework/"):
        data = fixture_site.page(url).css_first("script#paragraph-citations")
        assert data is not None and data.attributes["type"] == "application/json", url
        assert json.loads(data.text())["APA"][0] == ["In text", "(Author, 2021, para. {n})"]


def test_checker_warns_about_incomplete_citations(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from readinglib.cli import main

    copy = copy_library(FIXTURE, tmp_path / "lib").parent
    index = copy / "docs/readings/alpha/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace('citation_note: "the headline as published is not '
                                                                'recorded."\n', ""), encoding="utf-8")
    beta = copy / "docs/readings/beta/index.md"
    beta.write_text(beta.read_text(encoding="utf-8").replace("url: https://news.example.org/beta\n", ""),
                    encoding="utf-8")
    assert main([str(copy)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "[citation-incomplete]" in line]
    assert lines == [
        "docs/readings/alpha/index.md:1:1: warning: reading 'alpha' has no published_title (its title is the "
        "editors'), so its citations are incomplete: add them, or say why in citation_note [citation-incomplete]",
        "docs/readings/beta/index.md:1:1: warning: reading 'beta' has no url, so its citations are incomplete: "
        "add them, or say why in citation_note [citation-incomplete]"]


def test_overview_shows_citations_with_copy_buttons(fixture_site: BuildResult) -> None:
    page = fixture_site.page("readings/alpha/")
    assert [text_of(p) for p in page.css(".citation-style")] == ["APA", "MLA", "Chicago"]
    buttons = page.css("button.copy-text")
    assert buttons[1].attributes["data-copy"] == (
        "Author, Ann. [Alpha report]. The Daily Fixture, 4 Mar. 2021, https://news.example.org/alpha.")
    assert buttons[1].attributes["aria-label"] == "Copy the MLA citation"


def test_timeline_orders_events_and_marks_the_reading(fixture_site: BuildResult) -> None:
    page = fixture_site.page("timeline/")
    items = [text_of(li) for li in page.css("article li")]
    dates = [re.match(r"^(\d+ \w+ \d{4})", item).group(1) for item in items]  # type: ignore[union-attr]
    assert dates == ["3 February 2019"] * 4 + ["31 January 2020", "4 March 2021"]
    assert items[-1].startswith("4 March 2021 — Published: Alpha report, The Daily Fixture, by Ann Author.")
    assert page.css_first("article li a.term-link").attributes["href"].startswith("../glossary/")


def test_real_assignments_cover_every_section(real_site: BuildResult) -> None:
    library = load_library(ROOT)
    assert len(library.assignments) >= 2
    for reading in library.readings:
        for section in reading.sections:
            assert any(a.covers(p.number) for a in library.assignments if a.reading == reading.slug
                       for p in section.paragraphs), section.title
    timeline = real_site.page("timeline/")
    assert any("Published:" in text_of(li) for li in timeline.css("article li"))
    assert timeline.css_first("#since-the-article") is not None  # what came after the article, apart


def _guide_example(name: str) -> str:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:markdown|yaml)\n(.*?)\n\s*```", guide, re.DOTALL)
    block = next(b for b in blocks if name in b)
    return "\n".join(line[4:] if line.startswith("    ") else line for line in block.splitlines()) + "\n"


def test_following_the_guide_adds_an_assignment(tmp_path: Path) -> None:
    """A new instructor copies the guide's example into a library and builds it."""
    config = _copy_project(tmp_path / "lib")
    example = _guide_example("reading: iran-drones-russia-2022")
    (tmp_path / "lib" / "docs" / "assignments" / "week-3.md").write_text(example, encoding="utf-8")
    nav_line = _guide_example("assignments/week-3.md").strip().splitlines()[-1]
    text = config.read_text(encoding="utf-8")
    anchor = "      - assignments/week-2-deal-and-syria.md\n"
    config.write_text(text.replace(anchor, f"{anchor}      {nav_line.strip()}\n"), encoding="utf-8")
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.output
    page = result.page("assignments/week-3/")
    assert heading_text(page.css_first("h1")) == "Week 3: Russia, Iran and Syria"
    assert [p.attributes["id"] for p in page.css("article p.para")] == [f"p{n}" for n in (19, 20, 21, 22, 23, 26)]


def _copy_project(destination: Path) -> Path:
    import shutil

    for name in ("docs", "glossary", "scripts"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", destination / "mkdocs.yml")
    return destination / "mkdocs.yml"


def test_the_guide_shows_the_checker_output_it_would_give(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from readinglib.cli import main

    config = _copy_project(tmp_path / "lib")
    example = _guide_example("reading: iran-drones-russia-2022").replace("paragraphs: 19-23, 26", "paragraphs: 19-30")
    (tmp_path / "lib" / "docs" / "assignments" / "week-3.md").write_text(example, encoding="utf-8")
    anchor = "      - assignments/week-2-deal-and-syria.md\n"
    config.write_text(config.read_text(encoding="utf-8").replace(anchor, anchor + "      - assignments/week-3.md\n"),
                      encoding="utf-8")
    assert main([str(tmp_path / "lib")]) == 1
    printed = capsys.readouterr().out.splitlines()
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(docs/assignments/week-3.md:.*?)\n(\d+ errors?, .*?) in \d+ files\n```", guide)
    assert shown is not None
    assert printed[0] == shown.group(1)
    assert printed[1].startswith(shown.group(2))


def test_handout_marks_skipped_paragraphs_and_has_room_to_answer() -> None:
    from readinglib.model import ParagraphRange
    from readinglib.pages import assignment_plan, render

    library = load_library(FIXTURE)
    assignment = library.assignments[0]
    assignment.ranges = [ParagraphRange(1, 1, 1, 1), ParagraphRange(3, 3, 1, 1)]
    rendered = render(library, assignment_plan(library, assignment))
    markdown = rendered.markdown + "".join(block.html for block in rendered.markup)  # with the generated HTML
    assert '<p class="omission"><em>[¶2 omitted]</em></p>' in markdown
    assert 'class="handout-fields"' in markdown and 'class="handout-questions"' in markdown
    assert markdown.count('class="print-button') == 1
