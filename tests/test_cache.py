"""The parse cache of glossary files: used when a file is unchanged, never when it changed."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from readinglib import load_library
from readinglib.cache import CACHE_DIR, CACHE_FILE, ENVIRONMENT, ParseCache
from readinglib.project import check_project

TERM = """---
term: {name}
aliases: [{name} alias]
short: {short}
category: concept
sources:
  - title: A source
---
{body}
"""


def write_term(root: Path, slug: str, *, short: str = "A short definition.", body: str = "A body.") -> Path:
    path = root / "glossary" / f"{slug}.md"
    path.write_text(TERM.format(name=slug.capitalize(), short=short, body=body), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "glossary").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for slug in ("alpha", "beta", "gamma"):
        write_term(tmp_path, slug)
    write_term(tmp_path, "delta", body="")  # an empty body: a warning the cache must replay
    return tmp_path


def load(root: Path):  # type: ignore[no-untyped-def]
    cache = ParseCache.for_project(root)
    return load_library(root, cache=cache), cache


def cache_file(root: Path) -> Path:
    return root / CACHE_DIR / CACHE_FILE


def stored_keys(root: Path) -> set[str]:
    return set(pickle.loads(cache_file(root).read_bytes())["entries"])


def test_an_unchanged_glossary_comes_from_the_cache_with_its_findings(project: Path) -> None:
    first, cold = load(project)
    second, warm = load(project)
    assert (cold.hits, cold.misses) == (0, 4)
    assert (warm.hits, warm.misses) == (4, 0)
    assert second.terms == first.terms
    assert second.diagnostics == first.diagnostics
    assert [d.code for d in second.diagnostics] == ["empty-body"]
    assert second.files_read == first.files_read


def test_an_edited_file_is_parsed_again(project: Path) -> None:
    load(project)
    write_term(project, "beta", short="A new definition.")
    library, cache = load(project)
    assert (cache.hits, cache.misses) == (3, 1)
    assert library.terms["beta"].short == "A new definition."
    assert load(project)[1].hits == 4, "the new version is cached in its turn"


def test_an_edit_that_keeps_size_and_time_is_still_seen(project: Path) -> None:
    path = write_term(project, "beta", short="Definition one.")
    load(project)
    stat = path.stat()
    write_term(project, "beta", short="Definition two.")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    library, cache = load(project)
    assert cache.misses == 1 and library.terms["beta"].short == "Definition two."


def test_an_edit_that_breaks_a_file_reports_it(project: Path) -> None:
    load(project)
    (project / "glossary" / "beta.md").write_text("---\nterm: [unclosed\n---\n", encoding="utf-8")
    library, _ = load(project)
    assert "beta" not in library.terms
    assert any(d.path == "glossary/beta.md" and d.is_error for d in library.diagnostics)


def test_a_deleted_file_is_gone_from_the_model_and_the_cache(project: Path) -> None:
    load(project)
    assert "glossary/gamma.md" in stored_keys(project)
    (project / "glossary" / "gamma.md").unlink()
    library, cache = load(project)
    assert "gamma" not in library.terms and cache.hits == 3
    assert "glossary/gamma.md" not in stored_keys(project)


@pytest.mark.parametrize("damage", [b"", b"not a pickle at all", b"\x80\x05\x95", "truncate"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(project: Path, damage: bytes | str) -> None:
    expected, _ = load(project)
    raw = cache_file(project).read_bytes()
    cache_file(project).write_bytes(raw[: len(raw) // 2] if damage == "truncate" else damage)
    library, cache = load(project)
    assert (cache.hits, cache.misses) == (0, 4)
    assert library.terms == expected.terms and library.diagnostics == expected.diagnostics
    assert load(project)[1].hits == 4, "rebuilt"


def test_a_cache_file_cannot_run_code(project: Path) -> None:
    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, ("touch " + str(project / "ran"),))

    cache_file(project).parent.mkdir(parents=True)
    cache_file(project).write_bytes(pickle.dumps(Payload()))
    _, cache = load(project)
    assert cache.misses == 4 and not (project / "ran").exists()


def test_a_cache_of_other_code_is_not_used(project: Path) -> None:
    load(project)
    stored = pickle.loads(cache_file(project).read_bytes())
    cache_file(project).write_bytes(pickle.dumps({**stored, "version": "older code"}))
    assert load(project)[1].misses == 4


def test_the_cache_can_be_turned_off(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENVIRONMENT, "off")
    library, cache = load(project)
    assert not cache.enabled and len(library.terms) == 4
    assert not cache_file(project).exists()


def test_the_build_and_the_checker_share_the_cache(project: Path) -> None:
    """``check_project`` is where both start: it fills the project's cache, which the next
    run (a checker, or a ``mkdocs serve`` rebuild) reads."""
    (project / "mkdocs.yml").write_text("site_name: Test\n", encoding="utf-8")
    check_project(project, project / "mkdocs.yml")
    assert stored_keys(project) == {f"glossary/{slug}.md" for slug in ("alpha", "beta", "gamma", "delta")}
    assert load(project)[1].hits == 4


def test_files_fingerprint_changes_with_any_file(tmp_path: Path) -> None:
    from readinglib.cache import files_fingerprint

    one, two = tmp_path / "one.md", tmp_path / "two.md"
    one.write_text("a", encoding="utf-8")
    two.write_text("b", encoding="utf-8")
    first = files_fingerprint([one, two])
    assert first == files_fingerprint([two, one]), "the order files are listed in does not matter"
    two.write_text("c", encoding="utf-8")
    assert files_fingerprint([one, two]) != first, "an edit"
    assert files_fingerprint([one]) != files_fingerprint([one, two]), "a file more or less"
    two.unlink()
    assert files_fingerprint([one, two]) is None, "a file that cannot be read: nothing is taken from the cache"


def test_a_cached_epub_is_made_again_when_its_sources_change(tmp_path: Path) -> None:
    """The build keeps each reading's EPUB in the cache; an edited glossary entry makes it again."""
    import zipfile

    from conftest import FIXTURES, copy_library, mkdocs_build

    config = copy_library(FIXTURES / "two-readings", tmp_path / "lib")
    book = "readings/alpha/alpha.epub"

    def glossary_of(site: Path) -> str:
        with zipfile.ZipFile(site / book) as archive:
            return archive.read("EPUB/glossary.xhtml").decode("utf-8")

    first = mkdocs_build(config, tmp_path / "one")
    assert first.returncode == 0, first.output
    assert (config.parent / ".cache" / "reading-library" / "books.pickle").is_file()
    again = mkdocs_build(config, tmp_path / "two")
    assert (again.site / book).read_bytes() == (first.site / book).read_bytes()
    entry = config.parent / "glossary" / "widget.md"
    entry.write_text(entry.read_text(encoding="utf-8").replace("A small device used in fixtures.",
                                                              "A small device, edited."), encoding="utf-8")
    edited = mkdocs_build(config, tmp_path / "three")
    assert edited.returncode == 0, edited.output
    assert "A small device, edited." in glossary_of(edited.site)
    assert "A small device used in fixtures." not in glossary_of(edited.site)


SECTION = """---
title: {title}
---
{body}
"""


def test_sections_come_from_the_cache_until_they_or_their_numbering_change(project: Path) -> None:
    folder = project / "docs" / "readings" / "r"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text("---\ntitle: R\nsource: S\nauthor: A B\ndate: 2020-01-02\n---\n",
                                     encoding="utf-8")
    first = folder / "01-one.md"
    second = folder / "02-two.md"
    first.write_text(SECTION.format(title="One", body="First paragraph.\n\nSecond paragraph."), encoding="utf-8")
    second.write_text(SECTION.format(title="Two", body="Third paragraph, about [[alpha]]."), encoding="utf-8")
    cold, _ = load(project)
    warm, cache = load(project)
    assert cache.misses == 0 and cache.hits == 4 + 2
    assert [p.number for p in warm.readings[0].paragraphs] == [1, 2, 3]
    assert warm.readings[0].sections[1].paragraphs[0].references == cold.readings[0].sections[1].paragraphs[0].references
    first.write_text(SECTION.format(title="One", body="Only paragraph."), encoding="utf-8")
    edited, cache = load(project)
    assert cache.misses == 2  # the edited file, and the next one: its paragraphs are numbered from 2 now
    assert [(p.number, p.text) for p in edited.readings[0].paragraphs] == [
        (1, "Only paragraph."), (2, "Third paragraph, about [[alpha]].")]
