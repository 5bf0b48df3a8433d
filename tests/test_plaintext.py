"""Paragraphs of plain words skip Markdown, and nothing on the site changes (readinglib.plaintext)."""

from __future__ import annotations

import filecmp
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT, copy_library
from readinglib.pages import render
from readinglib.plaintext import KNOWN_EXTENSIONS, PlainText
from readinglib.plan import PagePlan

LEAD = "\ue000" + "0123abcd-0" + "\ue001"  # a lead placeholder (readinglib.markup) opening the paragraph
PROSE = ("“Quoted,” he said.", "(An aside.)", "'Tis 100% of $5 @ #3 ~ ^ = + | / : ;", "Ça va? Ωmega, 中文, ½ km²!",
         "1.5 billion dollars - and more — or less…", "2022 was the year")
TRICKY = ("1. First", "1) First", "- item", "+ item", "* item", "# heading", "> quote", "---", "***", "___",
          "!!! note", "??? note", "???+ note", "=== tab", ": a definition", "    code", "\tcode", "a  ", " a",
          "a & b", "AT&T", "&amp;", "&#38;", "a <b> c", "x_y_z", "*em*", "`code`", "[link](x)", "[TOC]",
          "{: .x}", "a\nb", "a  \nb", "~~~", "```", "|a|b|", "a|b", "*[HTML]: x", "Note: x",
          "http://example.com", "<http://x>", "x@y.z", "\\*", "a\u2028b", "\xa0x", "\ue000x\ue001", "a\x02b")


def known_markdown() -> markdown.Markdown:
    """Python-Markdown with every known extension, set as this project's site sets them."""
    from mkdocs.config import load_config

    configs = load_config(str(ROOT / "mkdocs.yml")).mdx_configs
    return markdown.Markdown(extensions=sorted(KNOWN_EXTENSIONS),
                             extension_configs={name: configs.get(name, {}) for name in KNOWN_EXTENSIONS})


MARKDOWN = known_markdown()


def converted(source: str) -> str:
    MARKDOWN.reset()
    return MARKDOWN.convert(source)


def assert_left_as_it_is(text: str) -> None:
    """What plain text promises: Markdown makes a paragraph of it and changes nothing, on its
    own, after a heading and after a paragraph's generated opening."""
    assert converted(text) == f"<p>{text}</p>"
    assert converted(f"# Title\n\n{text}\n\nMore.") == (f'<h1 id="title">Title<a class="headerlink" href="#title" '
                                                     f'title="Link to this heading">#</a></h1>\n<p>{text}</p>\n<p>More.</p>')
    assert converted(f"{LEAD}{text}\n\n") == f"<p>{LEAD}{text}</p>"


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_is_plain_and_markdown_leaves_it_as_it_is(text: str) -> None:
    assert PlainText.is_plain(text)
    assert_left_as_it_is(text)


@pytest.mark.parametrize("text", TRICKY)
def test_text_markdown_could_change_is_plain_only_if_markdown_leaves_it(text: str) -> None:
    if PlainText.is_plain(text):
        assert_left_as_it_is(text)


def test_every_mark_markdown_reads_keeps_a_paragraph_from_being_plain() -> None:
    assert {text for text in TRICKY if PlainText.is_plain(text)} == {"a|b", "Note: x", "http://example.com", "x@y.z"}


PLAIN_ALPHABET = "abcXYZ019éßΩж中 .,;:?!'\"()/%$@#|~^=+-–—‘’“”…"
ANY_ALPHABET = PLAIN_ALPHABET + "*_`[]{}<>&\\\n\t\xa0"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ANY_ALPHABET, min_size=1, max_size=60) | st.text(alphabet=PLAIN_ALPHABET, min_size=1,
                                                                             max_size=60))
def test_whatever_is_plain_markdown_leaves_as_it_is(text: str) -> None:
    if PlainText.is_plain(text):
        assert_left_as_it_is(text)


def test_a_site_with_another_extension_converts_everything() -> None:
    assert PlainText.of(["toc", "markdown.extensions.tables", "pymdownx.superfences"], {}) is not None
    assert PlainText.of(["toc", "smarty"], {}) is None  # its quotes and dashes change plain words
    assert PlainText.of(["toc", markdown.extensions.Extension()], {}) is None  # an extension object: unknown
    assert PlainText.of(["abbr"], {"abbr": {"glossary": {"UN": "United Nations"}}}) is None


def test_a_page_defining_an_abbreviation_converts_all_its_paragraphs(library) -> None:  # type: ignore[no-untyped-def]
    plain = PlainText.of(["abbr"], {})

    def page(*texts: str) -> str:
        plan = PagePlan("readings/x.md", "docs/readings/x.md", "X")
        for line, text in enumerate(texts, 1):
            plan.authored(text, "docs/readings/x.md", line, "readings/x.md")
            plan.add("\n\n")
        return render(library, plan, plain).markdown

    assert "The UN met." not in page("The UN met.", "Nobody else did.")  # HTML, behind a placeholder
    assert "The UN met." in page("The UN met.", "*[UN]: United Nations")  # Markdown marks UN up


def test_the_site_is_the_same_byte_for_byte_without_it(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The fixture library (notes, quotes, term links, an assignment) built with plain
    paragraphs put in as HTML, and with every paragraph converted by Markdown."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = copy_library(FIXTURES / "two-readings", tmp_path / "library")
    plain: list[str] = []
    is_plain = PlainText.is_plain

    def counted(text: str) -> bool:
        if is_plain(text):
            plain.append(text)
            return True
        return False

    monkeypatch.setattr(PlainText, "is_plain", staticmethod(counted))
    build(load_config(config_file=str(config), strict=True, site_dir=str(tmp_path / "with")))
    assert len(plain) >= 5  # paragraphs, notes and quotes of the fixture
    monkeypatch.setattr(PlainText, "of", classmethod(lambda cls, extensions, configs: None))
    build(load_config(config_file=str(config), strict=True, site_dir=str(tmp_path / "without")))
    files = sorted(p.relative_to(tmp_path / "with") for p in (tmp_path / "with").rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "without") for p in (tmp_path / "without").rglob("*")
                           if p.is_file())
    _, different, errors = filecmp.cmpfiles(tmp_path / "with", tmp_path / "without", files, shallow=False)
    assert (different, errors) == ([], [])
