"""The benchmark script, checked for correctness only (its timings are not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import bench
from readinglib import load_library
from readinglib.checks import check_sources


def test_generator_makes_the_library_it_describes(tmp_path: Path) -> None:
    bench.make_library(tmp_path / "lib", pages=12, terms=30, paragraphs=4, references=2, linked_terms=20)
    library = load_library(tmp_path / "lib")
    sections = [s for r in library.readings for s in r.sections]
    assert (len(library.readings), len(sections), len(library.terms)) == (2, 12, 30)
    assert all(len(s.paragraphs) == 4 for s in sections)
    targets = {library.resolve(r.target).slug for m in library.mentions() for r in [m.reference]}
    assert targets <= {f"term-{i:05d}" for i in range(20)}
    assert sum(1 for m in library.mentions() if m.annotation is None) == 12 * 4 * 2
    assert [d for d in check_sources(library) if d.is_error] == []


def test_more_terms_keep_the_same_text(tmp_path: Path) -> None:
    bench.make_library(tmp_path / "few", pages=3, terms=10, linked_terms=10)
    bench.make_library(tmp_path / "many", pages=3, terms=100, linked_terms=10)
    few = sorted(p.read_text() for p in (tmp_path / "few" / "docs").rglob("*.md"))
    many = sorted(p.read_text() for p in (tmp_path / "many" / "docs").rglob("*.md"))
    assert few == many


def test_prerendered_pages_match_the_hooks_pages(tmp_path: Path) -> None:
    bench.make_library(tmp_path / "lib", pages=2, terms=5)
    bench.prerender(tmp_path / "lib", tmp_path / "plain")
    plain = {p.relative_to(tmp_path / "plain" / "docs").as_posix() for p in (tmp_path / "plain" / "docs").rglob("*.md")}
    assert {"readings/reading-0000/01-part.md", "glossary/term-00004.md", "glossary/index.md", "timeline.md"} <= plain
    assert "[[" not in (tmp_path / "plain" / "docs" / "readings/reading-0000/01-part.md").read_text()


def test_script_prints_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    code = bench.main(["--sizes", "1,2", "--terms", "3,30", "--repeat", "1", "--json"])
    rows = json.loads(capsys.readouterr().out)
    names = [row["name"] for row in rows]
    assert names == ["build overhead, 1 pages", "build overhead, 2 pages", "checker vs lychee, 2 pages",
                     "term scaling, 3 -> 30 terms", "text scaling, 1 -> 10 pages", "real library, check_xrefs.py",
                     "checker peak memory, 2 pages"]
    assert all(set(row) == {"name", "baseline", "measured", "ratio", "target", "passed"} for row in rows)
    assert code in (0, 1)
