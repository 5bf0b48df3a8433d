"""The library model loaded from the two-reading fixture."""

from pathlib import Path

import pytest

from readinglib import load_library
from readinglib.checks import check_sources

FIXTURE = Path(__file__).parent / "fixtures" / "two-readings"


@pytest.fixture(scope="module")
def library():  # type: ignore[no-untyped-def]
    return load_library(FIXTURE)


def test_readings_sections_and_continuous_paragraph_numbers(library) -> None:  # type: ignore[no-untyped-def]
    alpha, beta = library.readings
    assert (alpha.slug, alpha.title, alpha.title_is_editorial) == ("alpha", "Alpha report", True)
    assert alpha.dateline == "The Daily Fixture 4 March 2021"
    assert [s.title for s in alpha.sections] == ["Opening", "Second part"]
    assert [p.number for p in alpha.paragraphs] == [1, 2, 3]
    assert [p.anchor for p in alpha.paragraphs] == ["p1", "p2", "p3"]
    assert alpha.sections[0].title_is_editorial and not alpha.sections[1].title_is_editorial
    assert alpha.sections[0].src_uri == "readings/alpha/01-opening.md"
    assert alpha.sections[0].path == "docs/readings/alpha/01-opening.md"
    assert [p.number for p in beta.paragraphs] == [1, 2]


def test_paragraph_lines_and_annotations(library) -> None:  # type: ignore[no-untyped-def]
    opening = library.readings[0].sections[0]
    first, second = opening.paragraphs
    assert (first.line, second.line) == (8, 10)
    (note,) = second.annotations
    assert (note.kind, note.title, note.line) == ("context", "Why gizmos", 12)
    assert [r.target for r in note.references] == ["gadget"]
    (update,) = library.readings[0].sections[1].paragraphs[0].annotations
    assert update.kind == "update" and str(update.date) == "2024-01-02"


def test_terms_resolve_by_slug_term_or_alias_in_any_case(library) -> None:  # type: ignore[no-untyped-def]
    widget = library.terms["widget"]
    for name in ("widget", "Widget", "WIDGETS", "  widgets "):
        assert library.resolve(name) is widget
    assert library.resolve("gizmo corp").slug == "gizmo-corp"
    assert library.resolve("nothing") is None


def test_backlinks_in_reading_order(library) -> None:  # type: ignore[no-untyped-def]
    mentions = library.backlinks["widget"]
    assert [(m.reading.slug, m.paragraph.number, m.annotation is not None) for m in mentions] == [
        ("alpha", 1, False), ("alpha", 3, True), ("beta", 1, False), ("beta", 2, False)]


def test_fixture_is_clean(library) -> None:  # type: ignore[no-untyped-def]
    assert check_sources(library) == []
