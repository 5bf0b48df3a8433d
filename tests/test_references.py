"""The reference parser: one definition of ``[[target]]`` / ``[[target|label]]``."""

from hypothesis import given
from hypothesis import strategies as st

from readinglib.references import find_references, format_reference, replace_references, strip_references


def test_plain_and_labelled_references_with_positions() -> None:
    text = "The [[IRGC]] and\nthe [[unscr-2231|UN resolution 2231]] here."
    first, second = find_references(text, first_line=10)
    assert (first.target, first.label, first.text) == ("IRGC", None, "IRGC")
    assert (first.line, first.column) == (10, 5)
    assert (second.target, second.label, second.text) == ("unscr-2231", "UN resolution 2231", "UN resolution 2231")
    assert (second.line, second.column) == (11, 5)
    assert text[second.start:second.end] == "[[unscr-2231|UN resolution 2231]]"


def test_key_ignores_case_and_spacing() -> None:
    (reference,) = find_references("[[  Iran   Nuclear deal ]]")
    assert reference.key == "iran nuclear deal"


def test_first_column_offset_applies_to_first_line_only() -> None:
    first, second = find_references("[[a]]\n[[b]]", first_line=3, first_column=7)
    assert (first.line, first.column) == (3, 7)
    assert (second.line, second.column) == (4, 1)


def test_code_is_not_parsed() -> None:
    text = "Write `[[term]]` for a link.\n\n```\n[[also code]]\n```\n\nBut [[real]] is one."
    assert [r.target for r in find_references(text)] == ["real"]


def test_malformed_references_are_reported_not_dropped() -> None:
    empty, blank_label, unclosed = find_references("[[]] then [[x|]] then [[open")
    assert empty.problem and "empty reference" in empty.problem
    assert blank_label.problem and "empty label" in blank_label.problem
    assert unclosed.problem and "never closed" in unclosed.problem
    assert (unclosed.line, unclosed.column) == (1, 23)


def test_replace_and_strip() -> None:
    text = "A [[x|shown]] and [[y]]."
    assert replace_references(text, lambda r: f"<{r.target}>") == "A <x> and <y>."
    assert strip_references(text) == "A shown and y."


names = st.text(st.characters(blacklist_characters="[]|\n\r`"), min_size=1).filter(lambda s: s.strip())
labels = st.text(st.characters(blacklist_characters="[]\n\r`"), min_size=1).filter(lambda s: s.strip())


@given(st.text())
def test_parser_never_crashes(text: str) -> None:
    for reference in find_references(text):
        assert 0 <= reference.start < reference.end <= len(text)
        assert reference.line >= 1 and reference.column >= 1


@given(names, st.one_of(st.none(), labels), st.text(st.characters(blacklist_characters="[]`~")))
def test_format_then_parse_round_trips(target: str, label: str | None, around: str) -> None:
    text = f"{around} {format_reference(target, label)} {around}"
    (reference,) = find_references(text)
    assert (reference.target, reference.label, reference.problem) == (target, label, None)


def test_fences_nested_in_lists_are_code_too() -> None:
    text = "1. Create a file:\n\n    ```markdown\n    Notes link [[JCPOA]].\n    ```\n\n2. Then [[real]]."
    assert [r.target for r in find_references(text)] == ["real"]


segments = st.lists(st.sampled_from(["a", "b", "readings", "glossary", "x-1"]), min_size=0, max_size=3)


@given(segments, st.sampled_from(["index.md", "p.md"]), segments, st.sampled_from(["index.md", "t.md"]))
def test_relative_links_match_posixpath(page_dirs: list[str], page: str, target_dirs: list[str], target: str) -> None:
    import posixpath

    from readinglib.pages import relative

    source = "/".join([*page_dirs, page])
    destination = "/".join([*target_dirs, target])
    assert relative(source, destination) == posixpath.relpath(destination, posixpath.dirname(source) or ".")
