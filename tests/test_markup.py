"""Generated HTML goes through Markdown as placeholders and comes out in place (readinglib.markup)."""

from __future__ import annotations

import markdown
import pytest

from readinglib.markup import MarkupError, Rendered
from readinglib.plan import Markup

EXTENSIONS = ["attr_list", "md_in_html", "toc", "pymdownx.details", "admonition", "tables"]
PAGES = {"readings/r/01-a.md": "../01-a/", "glossary/x.md": "../../glossary/x/"}


def convert(rendered: Rendered) -> str:
    return markdown.markdown(rendered.markdown, extensions=EXTENSIONS)


def page_with(*pieces: Markup | str) -> Rendered:
    rendered = Rendered("readings/r/01-a.md")
    rendered.markdown = "".join(p if isinstance(p, str) else rendered.placeholder(p) for p in pieces)
    return rendered


def test_every_placement_comes_out_where_it_went_in() -> None:
    rendered = page_with(
        "# Title\n\n",
        Markup('<ul>\n<li>a list</li>\n</ul>', anchors=("list",)),
        Markup('<p class="para" id="p1"><a href="#p1">¶1</a> ', place="lead"),
        "Some *authored* words with ",
        Markup('<a class="term-link" href="../../glossary/x.md">', place="inline"),
        "a **term**",
        Markup("</a>", place="inline"),
        ".\n\n",
    )
    filled = rendered.fill(convert(rendered), PAGES.get)
    assert filled.html == ('<h1 id="title">Title</h1>\n<ul>\n<li>a list</li>\n</ul>\n'
                           '<p class="para" id="p1"><a href="#p1">¶1</a> Some <em>authored</em> words with '
                           '<a class="term-link" href="../../glossary/x/">a <strong>term</strong></a>.</p>')
    assert filled.missing == [] and rendered.anchors() == {"list"}
    assert "\ue000" not in filled.html and "\ue001" not in filled.html


def test_links_to_pages_become_urls_and_a_missing_page_is_reported() -> None:
    rendered = page_with(Markup('<p><a href="../../glossary/x.md#sources">x</a> <a href="nowhere.md">y</a> '
                                '<a href="https://example.org/a.md">z</a> <a href="#p1">¶1</a></p>'))
    filled = rendered.fill(convert(rendered), PAGES.get)
    assert 'href="../../glossary/x/#sources"' in filled.html
    assert 'href="nowhere.md"' in filled.html and 'href="https://example.org/a.md"' in filled.html
    assert filled.missing == ["readings/r/01-a.md: a generated link goes to 'nowhere.md', which the site does not have"]


def test_a_contributors_private_use_characters_are_left_alone() -> None:
    rendered = page_with("Text with \ue000deadbeef-0\ue001 in it.\n\n", Markup("<hr>"))
    filled = rendered.fill(convert(rendered), PAGES.get)
    assert "\ue000deadbeef-0\ue001" in filled.html and "<hr>" in filled.html


def test_a_placeholder_in_a_heading_stops_the_build_rather_than_change_its_id() -> None:
    rendered = page_with("## A ", Markup("<b>", place="inline"), "heading\n\n")
    with pytest.raises(MarkupError, match="in a heading"):
        rendered.fill(convert(rendered), PAGES.get)


def test_a_placeholder_that_lost_its_paragraph_stops_the_build() -> None:
    rendered = page_with(Markup("<hr>"))
    with pytest.raises(MarkupError, match="lost its paragraph"):
        rendered.fill(rendered.markdown.strip(), PAGES.get)  # as if Markdown had not made it a paragraph
    with pytest.raises(MarkupError, match="did not come through Markdown"):
        page_with(Markup("<hr>")).fill("<p>nothing here</p>", PAGES.get)


def test_search_reads_the_page_without_what_it_should_not_index() -> None:
    rendered = page_with(
        Markup("<ul><li>data</li></ul>", searchable=False),
        Markup('<p class="para" id="p1">', place="lead", searchable=False), "Paragraph words.\n\n",
        "Kept words.\n\n",
    )
    filled = rendered.fill(convert(rendered), PAGES.get)
    assert "data" in filled.html and "Paragraph words." in filled.html
    assert "data" not in filled.searchable and "Paragraph words." not in filled.searchable
    assert "<p>Kept words.</p>" in filled.searchable


def test_a_reference_in_a_heading_stays_a_markdown_link_so_the_heading_keeps_its_id() -> None:
    from conftest import FIXTURES

    from readinglib import load_library
    from readinglib.pages import render
    from readinglib.plan import PagePlan

    fixture_library = load_library(FIXTURES / "two-readings")

    plan = PagePlan("readings/alpha/x.md", "docs/readings/alpha/x.md", "X")
    text = ("## About the [[widget]]\n\nA [[widget]] in a paragraph.\n\nUnderlined [[widget]]\n---\n\n"
            "> ### Quoted [[widget]]\n\n- #### Listed [[widget]]\n")
    from readinglib.references import find_references

    plan.authored(text, plan.path, 1, plan.src_uri, find_references(text))
    rendered = render(fixture_library, plan)
    html = rendered.fill(convert(rendered), {"glossary/widget.md": "../../../glossary/widget/"}.get).html
    assert '<h2 id="about-the-widget">About the <a class="term-link" data-term="widget"' in html
    assert '<h2 id="underlined-widget">Underlined <a class="term-link"' in html
    assert '<h3 id="quoted-widget">Quoted <a class="term-link"' in html
    assert '<h4 id="listed-widget">Listed <a class="term-link"' in html
    assert "\ue000" not in html
    assert '<p>A <a href="../../../glossary/widget/" class="term-link" data-term="widget">widget</a>' in html


def test_a_block_search_reads_only_part_of_leaves_the_rest_out_of_the_copy_search_reads() -> None:
    """Generated HTML blocks that follow each other share one placeholder (readinglib.pages),
    also where search reads only some of them: ``searched`` is what it reads."""
    rendered = page_with(
        "# Title\n\n",
        Markup('<p class="byline">By <a href="../../glossary/x.md">X</a></p>\n<ul>\n<li>a list</li>\n</ul>',
               searched='<p class="byline">By <a href="../../glossary/x.md">X</a></p>\n'),
        "Words.\n\n",
    )
    filled = rendered.fill(convert(rendered), PAGES.get)
    assert filled.html == ('<h1 id="title">Title</h1>\n<p class="byline">By <a href="../../glossary/x/">X</a></p>\n'
                           '<ul>\n<li>a list</li>\n</ul>\n<p>Words.</p>')
    assert filled.searchable == ('<h1 id="title">Title</h1>\n<p class="byline">By <a href="../../glossary/x/">X</a></p>\n'
                                 '\n<p>Words.</p>')


def test_html_made_later_is_made_when_the_page_is_rendered_and_never_by_the_checker(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A term's concordance is planned as HTML to make later (plan.Deferred): rendering the
    page makes it, checking the project (as check_xrefs.py does) never does."""
    from conftest import FIXTURES
    from readinglib import pages
    from readinglib.plan import PagePlan
    from readinglib.project import check_project

    monkeypatch.setenv("READING_LIBRARY_CACHE", "off")  # (the fixture is read, not copied: nothing written there)
    made: list[str] = []
    plan = PagePlan("glossary/x.md", "glossary/x.md", "X")
    plan.add_later(lambda: made.append("x") or "<p>Made.</p>", searchable=False)
    assert made == [] and list(plan.links()) == [] and plan.anchors == {}
    project = check_project(FIXTURES / "two-readings", FIXTURES / "two-readings" / "mkdocs.yml")
    rendered = pages.render(project.library, plan)
    assert made == ["x"] and [(m.html, m.searchable) for m in rendered.markup] == [("<p>Made.</p>", False)]

    monkeypatch.setattr(pages, "_mentions_in", lambda *args: pytest.fail("the checker made a concordance"))
    project = check_project(FIXTURES / "two-readings", FIXTURES / "two-readings" / "mkdocs.yml")
    assert not project.errors and any(isinstance(b, pages.Deferred) for p in project.pages.values() for b in p.blocks)
