"""Reading a source file: encoding, front matter and its positions."""

from pathlib import Path

from readinglib.sourcefile import read_source, split_front_matter


def test_front_matter_values_and_positions() -> None:
    source, problems = split_front_matter("---\nterm: X\naliases:\n  - a\n  - b\n---\nBody\n", "g/x.md")
    assert problems == [] and source is not None
    assert source.meta == {"term": "X", "aliases": ["a", "b"]}
    assert source.position("term") == (2, 1)
    assert source.position(("aliases", 1)) == (5, 5)
    assert (source.body, source.body_line) == ("Body\n", 7)


def test_malformed_yaml_is_reported_at_its_line() -> None:
    source, (problem,) = split_front_matter("---\nterm: X\nshort: [unclosed\nx: y\n---\n", "g/x.md")
    assert source is None
    assert problem.code == "front-matter" and problem.is_error
    assert problem.path == "g/x.md" and problem.line >= 3
    assert "malformed YAML" in problem.message


def test_duplicate_key_is_an_error() -> None:
    _, (problem,) = split_front_matter("---\nterm: X\nterm: Y\n---\n", "g/x.md")
    assert (problem.line, problem.code) == (3, "front-matter")
    assert "duplicate key 'term'" in problem.message


def test_unclosed_front_matter() -> None:
    _, (problem,) = split_front_matter("---\nterm: X\n", "g/x.md")
    assert "never closed" in problem.message


def test_non_utf8_file_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes("---\nterm: ok\n---\nCaf".encode() + b"\xe9 au lait\n")
    source, (problem,) = read_source(path, "glossary/x.md")
    assert source is None
    assert problem.format() == ("glossary/x.md:4:4: error: file is not UTF-8 (byte 0xe9); "
                                "save it as UTF-8 [not-utf8]")
