"""The real library, built with ``mkdocs build --strict`` and checked on its HTML.

Nothing here names a particular reading: every reading in ``docs/readings/``
must have its original text in ``tests/originals/<slug>.txt``, and the site
must reproduce it verbatim.
"""

from __future__ import annotations

import json
import re


from conftest import ROOT, BuildResult, heading_text, text_of
from readinglib.checks import check_sources
from readinglib.model import Library

ORIGINALS = ROOT / "tests" / "originals"
SEEDS = ROOT.parent / "shared" / "seeds"



def url_of(src_uri: str) -> str:
    """Directory URL of a docs page (``a/b.md`` → ``a/b/``, ``a/index.md`` → ``a/``)."""
    path = src_uri.removesuffix(".md")
    return path.removesuffix("index") if path.endswith("index") else path + "/"


def paragraph_text(node) -> str:  # type: ignore[no-untyped-def]
    for control in node.css(".para-num, .para-copy"):
        control.decompose()
    return text_of(node)


def test_sources_are_clean(library: Library) -> None:
    assert [d.format() for d in check_sources(library)] == []


def test_every_reading_has_its_original(library: Library) -> None:
    assert library.readings
    for reading in library.readings:
        original = ORIGINALS / f"{reading.slug}.txt"
        assert original.is_file(), f"add the original text of {reading.slug} as {original}"
        if SEEDS.is_dir():
            seeds = {p.read_bytes() for p in SEEDS.glob("*.txt")}
            assert original.read_bytes() in seeds


def test_article_text_is_reproduced_verbatim(real_site: BuildResult, library: Library) -> None:
    for reading in library.readings:
        expected = [line.strip() for line in (ORIGINALS / f"{reading.slug}.txt").read_text(
            encoding="utf-8").splitlines() if line.strip()]
        overview = real_site.page(url_of(reading.src_uri))
        rendered = [reading.dateline]
        assert reading.dateline in text_of(overview.css_first(".reading-byline"))
        for section in reading.sections:
            page = real_site.page(url_of(section.src_uri))
            if not section.title_is_editorial:
                rendered.append(heading_text(page.css_first("h1")))
            rendered += [paragraph_text(p) for p in page.css("article p.para")]
        assert rendered == expected


def test_article_headings_and_editorial_marks(real_site: BuildResult, library: Library) -> None:
    for reading in library.readings:
        overview = real_site.page(url_of(reading.src_uri))
        assert heading_text(overview.css_first("h1")) == reading.title
        if reading.title_is_editorial:
            assert "supplied by the editors" in text_of(overview.css_first(".editorial-mark"))
        for section in reading.sections:
            page = real_site.page(url_of(section.src_uri))
            mark = page.css_first("article .editorial-mark")
            assert (mark is not None) == section.title_is_editorial
            assert heading_text(page.css_first("h1")) == section.title


def test_paragraph_numbers_and_anchors_are_continuous(real_site: BuildResult, library: Library) -> None:
    for reading in library.readings:
        numbers = []
        for section in reading.sections:
            page = real_site.page(url_of(section.src_uri))
            for node in page.css("article p.para"):
                number = int(node.attributes["data-para"])
                numbers.append(number)
                assert node.attributes["id"] == f"p{number}"
                assert text_of(node.css_first("a.para-num")) == f"¶{number}"
                assert node.css_first("a.para-num").attributes["href"] == f"#p{number}"
                assert node.css_first("button.para-copy").attributes["aria-label"] == \
                    f"Link or cite paragraph {number}"
        assert numbers == list(range(1, len(numbers) + 1))


def test_every_reference_is_a_link_with_its_tooltip(real_site: BuildResult, library: Library) -> None:
    from readinglib.previews import read_previews

    for reading in library.readings:
        for section in reading.sections:
            page = real_site.page(url_of(section.src_uri))
            previews = read_previews(page)
            assert previews is not None
            links = page.css("article a.term-link:not(.term-list-link)")
            expected = [library.resolve(r.target) for p in section.paragraphs
                        for r in [*p.references, *(r for a in p.annotations for r in a.references)]]
            assert len(links) == len(expected)
            by_href = {link.attributes["href"].rstrip("/").rsplit("/", 1)[-1]: link for link in links}
            for term in expected:
                assert term is not None
                # previewed from the page's own data (reading.js), never told twice by a title attribute
                assert by_href[term.slug].attributes["data-term"] == term.slug
                assert "title" not in by_href[term.slug].attributes
                assert previews[term.slug]["short"] == term.short
            # the page carries the previews of its own terms and no others
            assert set(previews) == {link.attributes["data-term"] for link in page.css("a.term-link[data-term]")}
            # the first mention of each term in a section is linked: nothing unlinked is left
            assert not [d for d in check_sources(library) if d.code == "unlinked-mention"]


def test_each_section_has_an_annotation(real_site: BuildResult, library: Library) -> None:
    for reading in library.readings:
        for section in reading.sections:
            page = real_site.page(url_of(section.src_uri))
            notes = page.css("article details.annotation")
            assert len(notes) >= 1
            assert all(text_of(n.css_first("summary")).startswith("Editors' note on ¶") for n in notes)


def test_every_annotation_names_its_sources(library: Library) -> None:
    for reading in library.readings:
        for paragraph in reading.paragraphs:
            for annotation in paragraph.annotations:
                assert "*Source" in annotation.text, f"note on ¶{paragraph.number}: name its sources"


def test_glossary_content(library: Library) -> None:
    assert len(library.terms) >= 20
    for term in library.terms.values():
        assert term.sources, f"{term.path}: name at least one source"
        assert term.short.endswith(".") and term.short.count(". ") == 0, term.path
        assert term.body, f"{term.path}: write a body"


def test_term_pages_have_backlinks_and_az_index(real_site: BuildResult, library: Library) -> None:
    backlinks = library.backlinks
    for term in library.terms.values():
        page = real_site.page(f"glossary/{term.slug}/")
        assert heading_text(page.css_first("h1")) == term.term
        links = [a for a in page.css("#appears-in ~ ul a") if text_of(a).startswith("¶")]
        numbers = {int(text_of(a).lstrip("¶")) for a in links}
        assert numbers >= {m.paragraph.number for m in backlinks[term.slug]}  # and unlinked mentions too
        for link in links:
            assert re.search(r"#p\d+$", link.attributes["href"])
    index = real_site.page("glossary/")
    listed = [a.attributes["href"] for a in index.css("article a.term-link")]
    assert sorted(listed) == sorted(f"{slug}/" for slug in library.terms)
    assert all(h.attributes["id"].startswith("letter-") for h in index.css("article h2"))


def test_search_finds_terms_by_alias(real_site: BuildResult, library: Library) -> None:
    docs = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for term in library.terms.values():
        text = " ".join(d["text"] for d in docs if d["location"].startswith(f"glossary/{term.slug}/"))
        for alias in term.aliases:
            assert alias.replace("&", "&amp;") in text or alias in text, (term.slug, alias)


def test_no_resource_comes_from_another_host(real_site: BuildResult) -> None:
    for path in real_site.site.rglob("*.html"):
        page = real_site.page(path.relative_to(real_site.site).as_posix())
        loaded = [n.attributes.get("src") for n in page.css("script[src], img[src], iframe[src], source[src]")]
        loaded += [n.attributes.get("href") for n in page.css("link[href]")
                   if n.attributes.get("rel") not in ("canonical", "alternate")]
        assert not [url for url in loaded if url and re.match(r"^(https?:)?//", url)], path
    css = " ".join(p.read_text(encoding="utf-8") for p in real_site.site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_every_fact_has_a_review_date_shown_to_students(real_site: BuildResult, library: Library) -> None:
    """Every glossary entry and editors' note records when it was last checked, and the pages say so."""
    unreviewed = [term.path for term in library.terms.values() if term.reviewed is None]
    unreviewed += [f"{section.path}:{note.line}" for reading in library.readings for section in reading.sections
                   for paragraph in section.paragraphs for note in paragraph.annotations if note.reviewed is None]
    assert unreviewed == []
    term = next(iter(library.terms.values()))
    meta = text_of(real_site.page(f"glossary/{term.slug}/").css_first(".term-meta"))
    assert f"Last reviewed {term.reviewed.day} {term.reviewed:%B %Y}" in meta
    section = library.readings[0].sections[0]
    notes = real_site.page(section.src_uri.removesuffix(".md") + "/").css("details.annotation")
    assert notes and all("Last reviewed" in text_of(note) for note in notes)
    index = real_site.page("glossary/")
    listed = [text_of(row) for row in index.css("details table tbody tr")]
    assert len(listed) == len(library.terms)  # the instructors' list by review date


def test_practice_and_my_notes_pages_stay_out_of_search(real_site: BuildResult, library: Library) -> None:
    """They repeat the reading's sentences and the student's own words: search finds the reading."""
    import json

    index = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert (real_site.site / "my-notes" / "index.html").is_file()
    assert "my-notes/" not in locations
    for reading in library.readings:
        practice = reading.src_uri.removesuffix("index.md") + "practice/"
        assert (real_site.site / practice / "index.html").is_file()
        assert practice not in locations
