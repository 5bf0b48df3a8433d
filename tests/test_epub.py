"""The EPUB 3 edition (readinglib.epub): EPUBCheck-clean, reproducible, readable in Chromium, checked."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, BuildResult
from readinglib import load_library
from readinglib.__main__ import main as readinglib_main
from readinglib.cli import main as check_main
from readinglib.epub import Edition, _xml_safe, library_epub, plain, reading_epub
from readinglib.pages import citation_text, citations, overview_plan, render

TWO_READINGS = FIXTURES / "two-readings"
EPUBCHECK = Path("/usr/bin/epubcheck")  # Debian's: an executable jar (java -jar works without binfmt)
EPUB_NS = "http://www.idpf.org/2007/ops"


def _books(root: Path) -> dict[str, bytes]:
    library = load_library(root)
    edition = Edition.from_config(root / "mkdocs.yml")
    books = {f"{reading.slug}.epub": reading_epub(library, reading, edition) for reading in library.readings}
    books["library.epub"] = library_epub(library, edition)
    return books


@pytest.fixture(scope="session")
def real_books() -> dict[str, bytes]:
    return _books(ROOT)


@pytest.fixture(scope="session")
def fixture_books() -> dict[str, bytes]:
    return _books(TWO_READINGS)


@pytest.fixture(scope="session")
def fixture_library():  # type: ignore[no-untyped-def]
    return load_library(TWO_READINGS)


def members(book: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


# -- EPUBCheck -------------------------------------------------------------------------------


def _epubcheck() -> list[str]:
    if not EPUBCHECK.exists() or shutil.which("java") is None:
        reason = f"EPUB validation needs Debian's epubcheck at {EPUBCHECK}: apt-get install epubcheck (.ci/run does)"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(reason)  # in CI a missing validator is a failure, never a silent skip
        pytest.skip(reason)
    # the quick JIT and a small collector: epubcheck's start-up halves, its verdict is the same
    return ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK.resolve())]


def test_epubcheck_finds_no_errors_or_warnings(real_books, fixture_books, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    command = _epubcheck()
    books = {f"real-{name}": book for name, book in real_books.items() if name != "library.epub"}
    books |= {f"fixture-{name}": book for name, book in fixture_books.items()}  # both readings and the library book
    assert len(books) >= 4
    for name, book in books.items():
        path = tmp_path / name
        path.write_bytes(book)
        result = subprocess.run([*command, str(path)], capture_output=True, text=True, timeout=120, check=False)
        output = result.stdout + result.stderr
        assert result.returncode == 0 and "No errors or warnings detected" in output, f"{name}:\n{output}"
        assert "0 fatals / 0 errors / 0 warnings" in output, f"{name}:\n{output}"


# -- the archive ----------------------------------------------------------------------------------


def test_same_sources_give_the_same_bytes(fixture_books) -> None:  # type: ignore[no-untyped-def]
    assert _books(TWO_READINGS) == fixture_books
    with zipfile.ZipFile(io.BytesIO(fixture_books["alpha.epub"])) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert not infos[0].extra, "mimetype must be readable at a fixed offset"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [info.filename for info in infos[1:]] == sorted(info.filename for info in infos[1:])


def test_no_scripts_fonts_or_network_resources(real_books, fixture_books) -> None:  # type: ignore[no-untyped-def]
    for book in [*real_books.values(), *fixture_books.values()]:
        for name, content in members(book).items():
            assert "<script" not in content and "@font-face" not in content, name
            assert not re.search(r'\bsrc="(?:https?:)?//', content), name
            assert not re.search(r'<link[^>]+href="(?:https?:)?//', content), name


def test_package_metadata(fixture_books, fixture_library) -> None:  # type: ignore[no-untyped-def]
    opf = members(fixture_books["alpha.epub"])["EPUB/package.opf"]
    reading = fixture_library.reading("alpha")
    for expected in (f"<dc:title>{plain(reading.title)}</dc:title>", f">{plain(reading.author)}</dc:creator>",
                     "<dc:publisher>Fixture library</dc:publisher>", "<dc:date>2021-03-04</dc:date>",
                     "<dc:language>en</dc:language>", '<dc:identifier id="book-id">urn:uuid:',
                     '<meta property="schema:accessMode">textual</meta>',
                     '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
                     '<meta property="schema:accessibilitySummary">', '<meta property="dcterms:modified">2024-01-02T'):
        assert expected in opf
    other = members(fixture_books["beta.epub"])["EPUB/package.opf"]
    assert re.search(r"urn:uuid:[0-9a-f-]+", opf).group() != re.search(r"urn:uuid:[0-9a-f-]+", other).group()


# -- what a book holds ----------------------------------------------------------------------------


def test_both_fixture_readings_verbatim_numbered_and_referenced(fixture_books, fixture_library) -> None:  # type: ignore[no-untyped-def]
    for reading in fixture_library.readings:
        files = members(fixture_books[f"{reading.slug}.epub"])
        for number, section in enumerate(reading.sections, 1):
            chapter = files[f"EPUB/readings/{reading.slug}--{number:02d}.xhtml"]
            for paragraph in section.paragraphs:
                assert f'id="{paragraph.anchor}"><span class="para-num">¶{paragraph.number}</span>' in chapter
            references = [r for p in section.paragraphs for r in p.all_references()]
            assert chapter.count('epub:type="noteref"') == len(references)
            for reference in references:
                term = fixture_library.resolve(reference.target)
                assert f'href="#fn-{term.slug}">{plain(reference.text)}</a>' in chapter
                assert f'<aside epub:type="footnote" role="doc-footnote" class="footnote" id="fn-{term.slug}"' in chapter
                assert plain(term.short) in chapter
                assert f'href="../glossary.xhtml#term-{term.slug}"' in chapter
            for question in section.questions:
                assert f"<li>{plain(question)}</li>" in chapter
        glossary = files["EPUB/glossary.xhtml"]
        assert glossary.count('<section class="entry"') >= 1
        overview = files[f"EPUB/readings/{reading.slug}.xhtml"]
        for style, citation in citations(reading).items():
            assert f"<dt>{style}</dt>" in overview
            text = re.sub(r"<[^>]+>", "", overview.split(f"<dt>{style}</dt><dd>")[1].split("</dd>")[0])
            assert text == plain(citation_text(citation))
        if reading.title_is_editorial:
            assert "Title supplied by the editors" in overview


def test_notes_marked_by_kind_and_updates_dated(fixture_books) -> None:  # type: ignore[no-untyped-def]
    files = members(fixture_books["alpha.epub"])
    first, second = files["EPUB/readings/alpha--01.xhtml"], files["EPUB/readings/alpha--02.xhtml"]
    assert "Heading supplied by the editors" in first
    context = first.split('<aside class="note note-context"')[1].split("</aside>")[0]
    assert "Editors’ note on ¶2 · Context: Why gizmos" in context
    assert first.index('id="p2"') < first.index('<aside class="note note-context"') < first.index('id="terms"')
    assert "Editors’ note on ¶3 · Since the article (2 January 2024)" in second
    assert "What changed since publication" in files["EPUB/readings/alpha.xhtml"]
    # the glossary: full entries with dated updates and where each term appears
    glossary = files["EPUB/glossary.xhtml"]
    widget = glossary.split('id="term-widget"')[1].split("</section>")[0]
    assert "Where this term appears" in widget and 'href="readings/alpha--01.xhtml#p1"' in widget


def test_plain_text_is_escaped_once(tmp_path: Path) -> None:
    assert plain('<b>"x" & y</b>') == "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"
    assert plain("a\x01b") == "a\ufffdb"  # a character XML forbids cannot make the book unreadable
    assert _xml_safe("&nbsp;&#0;&#x41;&#55296;&bogus;&amp;") == "&#160;\ufffd&#x41;\ufffd&amp;bogus;&amp;"


# -- the command ----------------------------------------------------------------------------------


def test_command_writes_each_reading_and_the_library(tmp_path: Path, fixture_books, capsys) -> None:  # type: ignore[no-untyped-def]
    assert readinglib_main(["epub", str(TWO_READINGS), "-o", str(tmp_path), "--library"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha.epub", "beta.epub", "library.epub"]
    for name, book in fixture_books.items():
        assert (tmp_path / name).read_bytes() == book
    assert readinglib_main(["epub", str(TWO_READINGS), "-o", str(tmp_path / "one"), "--reading", "beta"]) == 0
    assert [p.name for p in (tmp_path / "one").iterdir()] == ["beta.epub"]


def test_command_refuses_bad_input_without_a_traceback(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "broken"
    shutil.copytree(TWO_READINGS, broken)
    section = broken / "docs/readings/alpha/01-opening.md"
    section.write_text(section.read_text(encoding="utf-8").replace("[[Widget]]", "[[Wodget]]"), encoding="utf-8")
    out = tmp_path / "out"
    assert readinglib_main(["epub", str(broken), "-o", str(out)]) == 1
    error = capsys.readouterr().err
    assert "01-opening.md:" in error and "[unknown-term]" in error and "no EPUB was written" in error
    assert "Traceback" not in error and not out.exists()
    assert readinglib_main(["epub", str(TWO_READINGS), "-o", str(out), "--reading", "gamma"]) == 2
    assert "no reading gamma" in capsys.readouterr().err
    assert readinglib_main(["epub", str(tmp_path / "missing")]) == 2
    assert "is not a folder" in capsys.readouterr().err


# -- the checker ----------------------------------------------------------------------------------


def _tamper(book: bytes, member: str, old: str, new: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == member:
                assert old.encode() in content
                content = content.replace(old.encode(), new.encode(), 1)
            target.writestr(info, content)
    return buffer.getvalue()


def test_checker_accepts_the_books(tmp_path: Path, fixture_books, capsys) -> None:  # type: ignore[no-untyped-def]
    paths = []
    for name, book in fixture_books.items():
        (tmp_path / name).write_bytes(book)
        paths.append(str(tmp_path / name))
    assert check_main([str(TWO_READINGS), "--strict", "--epub", *paths]) == 0, capsys.readouterr().out


def test_checker_reports_a_tampered_epub_at_file_line_column(tmp_path: Path, fixture_books, capsys) -> None:  # type: ignore[no-untyped-def]
    chapter = "EPUB/readings/alpha--01.xhtml"
    book = _tamper(fixture_books["alpha.epub"], chapter, 'href="#fn-widget">', 'href="#fn-wodget">')
    book = _tamper(book, chapter, "glossary.xhtml#term-gadget", "glossary.xhtml#term-gadgett")
    book = _tamper(book, chapter, 'data-term="gizmo-corp">', 'data-term="gizmo">')
    path = tmp_path / "alpha.epub"
    path.write_bytes(book)
    assert check_main([str(TWO_READINGS), "--epub", str(path)]) == 1
    output = capsys.readouterr().out
    where = re.escape(f"{path}/{chapter}")
    assert re.search(rf"^{where}:\d+:\d+: error: term reference to #fn-wodget, which is no footnote of the book "
                     r"\[epub-reference\]$", output, re.MULTILINE), output
    assert re.search(rf"^{where}:\d+:\d+: error: link to \.\./glossary\.xhtml#term-gadgett: .* has no id "
                     r"'term-gadgett' \[epub-reference\]$", output, re.MULTILINE), output
    assert re.search(rf"^{where}:\d+:\d+: error: footnote #fn-gizmo-corp names no glossary term", output, re.MULTILINE)
    (tmp_path / "junk.epub").write_bytes(b"not a zip")
    assert check_main([str(TWO_READINGS), "--epub", str(tmp_path / "junk.epub")]) == 1
    assert "[epub-malformed]" in capsys.readouterr().out


def test_many_books_are_checked_in_a_second_process_with_the_same_findings(
        tmp_path: Path, fixture_books, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from readinglib import cli

    chapter = "EPUB/readings/alpha--01.xhtml"
    (tmp_path / "alpha.epub").write_bytes(_tamper(fixture_books["alpha.epub"], chapter, 'href="#fn-widget">',
                                                  'href="#fn-wodget">'))
    (tmp_path / "beta.epub").write_bytes(fixture_books["beta.epub"])
    books = [str(tmp_path / "alpha.epub"), str(tmp_path / "beta.epub")]
    assert check_main([str(TWO_READINGS), "--epub", *books]) == 1
    here = capsys.readouterr().out
    monkeypatch.setattr(cli, "PARALLEL_BOOKS", 2)
    assert check_main([str(TWO_READINGS), "--epub", *books]) == 1
    elsewhere = capsys.readouterr().out
    assert "which is no footnote of the book [epub-reference]" in elsewhere
    assert elsewhere.splitlines()[:-1] == here.splitlines()[:-1]  # the last line times the run


# -- the site offers it -------------------------------------------------------------------------


def test_overview_plan_offers_the_epub(fixture_library) -> None:  # type: ignore[no-untyped-def]
    reading = fixture_library.reading("alpha")
    rendered = render(fixture_library, overview_plan(fixture_library, reading))
    assert any('href="alpha.epub"' in block.html and "Download the EPUB" in block.html for block in rendered.markup)


def test_built_site_carries_each_epub_and_the_checker_reads_them(fixture_site: BuildResult, fixture_books, capsys) -> None:  # type: ignore[no-untyped-def]
    for slug in ("alpha", "beta"):
        assert (fixture_site.site / f"readings/{slug}/{slug}.epub").read_bytes() == fixture_books[f"{slug}.epub"]
        links = [a.attributes.get("href") for a in fixture_site.page(f"readings/{slug}/").css("a.epub-download")]
        assert links == [f"{slug}.epub"]
    assert check_main([str(TWO_READINGS), "--strict", "--site", str(fixture_site.site)]) == 0, capsys.readouterr().out


# -- in a browser ---------------------------------------------------------------------------------


def test_chromium_reads_the_epub_and_axe_finds_nothing(guarded, real_books, library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    reading = library.readings[0]
    with zipfile.ZipFile(io.BytesIO(real_books[f"{reading.slug}.epub"])) as archive:
        archive.extractall(tmp_path)
    page = guarded.page
    axe = Axe()
    chapter = (tmp_path / f"EPUB/readings/{reading.slug}--02.xhtml").as_uri()
    page.goto(chapter)
    section = reading.sections[1]
    numbers = page.locator(".para-num").all_inner_texts()
    assert numbers == [f"¶{p.number}" for p in section.paragraphs]
    assert page.evaluate(f"document.getElementById('p{section.first}').tagName").lower() == "p"
    noterefs = page.evaluate(f"""() => [...document.querySelectorAll('a')]
        .filter(a => a.getAttributeNS('{EPUB_NS}', 'type') === 'noteref')
        .map(a => {{ const note = document.getElementById(a.getAttribute('href').slice(1));
                     return note && note.localName === 'aside' && note.getAttributeNS('{EPUB_NS}', 'type'); }})""")
    references = [r for p in section.paragraphs for r in p.all_references()]
    assert noterefs and len(noterefs) == len(references) and set(noterefs) == {"footnote"}
    assert axe.run(page).response["violations"] == []
    page.locator("aside.footnote a").first.click()
    page.wait_for_url(re.compile(r"glossary\.xhtml#term-"))
    assert page.locator("h1").inner_text() == "Glossary"
    entry = page.url.split("#")[1]
    assert page.locator(f"section#{entry} h2").is_visible()
    assert page.locator(f"section#{entry}").get_by_text("Where this term appears").count() == 1
    violations = axe.run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    for document in (f"EPUB/readings/{reading.slug}.xhtml", "EPUB/nav.xhtml"):
        page.goto((tmp_path / document).as_uri())
        violations = axe.run(page).response["violations"]
        assert violations == [], (document, [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations])
    assert guarded.outside == []
