"""Notes as a layer, search that lands on the paragraph, and where a reader is (issue 10).

Real Chromium (Debian's) through Playwright, at 1280 px and on a 375 px phone, on the
served site and on the offline copy opened from disk.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import COLOUR_RULES, BuildResult, _new_page, RESULTS, ROOT, screen, search
from readinglib.pages import plain_text



def url_of(src_uri: str) -> str:
    return src_uri.removesuffix("index.md").removesuffix(".md") + ("/" if not src_uri.endswith("index.md") else "")


def offline_url(site: BuildResult, src_uri: str) -> str:
    return (site.site / src_uri.replace(".md", ".html")).as_uri()


def notes_state(page) -> list[bool]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("article details.annotation", "notes => notes.map(n => n.open)")


def switch(page):  # type: ignore[no-untyped-def]
    return page.locator("button.notes-switch")


def sections_with_notes(library):  # type: ignore[no-untyped-def]
    return [s for r in library.readings for s in r.sections if any(p.annotations for p in s.paragraphs)]


# -- notes ------------------------------------------------------------------------------


def test_notes_are_collapsed_markers_and_the_switch_is_remembered(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    first, second, *rest = sections_with_notes(library)
    page.goto(site_url + url_of(first.src_uri))
    page.evaluate("localStorage.clear()")
    page.reload()
    assert notes_state(page) and not any(notes_state(page)), "notes start collapsed"
    expect(switch(page)).to_have_text("Show all notes")
    switch(page).click()
    assert all(notes_state(page))
    expect(switch(page)).to_have_text("Hide notes")
    page.goto(site_url + url_of(second.src_uri))
    assert all(notes_state(page)), "shown notes stay shown on the next page"
    switch(page).click()
    assert not any(notes_state(page))
    expect(switch(page)).to_have_text("Show all notes")
    page.goto(site_url + url_of((rest or [first])[0].src_uri))
    assert not any(notes_state(page)), "notes hidden by the switch stay hidden on the next page"
    # one note opens on its own without changing the remembered choice
    page.locator("article details.annotation > summary").first.click()
    assert notes_state(page)[0] is True
    page.goto(site_url + url_of(first.src_uri))
    assert not any(notes_state(page))


def test_notes_switch_is_remembered_from_disk(guarded, offline_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    first, second, *_ = sections_with_notes(library)
    page.goto(offline_url(offline_site, first.src_uri))
    page.evaluate("localStorage.clear()")
    page.reload()
    switch(page).click()
    page.goto(offline_url(offline_site, second.src_uri))
    assert notes_state(page) and all(notes_state(page))
    switch(page).click()
    page.goto(offline_url(offline_site, first.src_uri))
    assert not any(notes_state(page))


def test_notes_are_readable_without_javascript(browser, request, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    context, guarded = _new_page(browser, request, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = guarded.page
    section = sections_with_notes(library)[0]
    page.goto(site_url + url_of(section.src_uri))
    expect(switch(page)).to_be_hidden()  # a switch that could do nothing is not shown
    note = page.locator("article details.annotation").first
    note.locator("summary").click()
    assert note.evaluate("n => n.open")
    expect(note.locator("p").first).to_be_visible()
    context.close()


def test_updates_carry_a_dated_badge(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    section, paragraph, note = next((s, p, n) for s in sections_with_notes(library) for p in s.paragraphs
                                    for n in p.annotations if n.kind == "update" and n.date)
    page = guarded.page
    page.goto(site_url + url_of(section.src_uri))
    badge = page.locator(f"#{paragraph.anchor} ~ details.annotation summary .note-badge").first
    expect(badge).to_be_visible()
    assert str(note.date.year) in badge.inner_text()
    summary = page.locator("article details.annotation > summary").first
    box = summary.bounding_box()
    assert box is not None and box["height"] < 40, "a collapsed note is one line"


def test_text_to_furniture_ratio_on_a_phone(phone, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = phone.page
    ratios = {}
    for section in sections_with_notes(library):
        page.goto(site_url + url_of(section.src_uri))
        page.evaluate("localStorage.clear()")
        page.reload()
        text, whole = page.evaluate("""() => {
            const article = document.querySelector('article');
            let text = 0;
            for (const p of article.querySelectorAll('p.para')) { text += p.getBoundingClientRect().height; }
            return [text, article.getBoundingClientRect().height];
        }""")
        ratios[section.title] = round(text / whole, 3)
    print("article text height / article height on a 375 px phone, notes collapsed:", ratios)
    assert min(ratios.values()) >= 0.6, ratios


# -- the overview's notes --------------------------------------------------------------------


def test_overview_lists_notes_filterable_by_keyboard(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    reading = library.readings[0]
    notes = [n for p in reading.paragraphs for n in p.annotations]
    page = guarded.page
    page.goto(site_url + url_of(reading.src_uri))
    items = page.locator("article .note-item")
    expect(items).to_have_count(len(notes))
    group = page.get_by_role("group", name="Filter notes by kind")
    expect(group).to_be_visible()
    group.get_by_role("radio").first.focus()
    kinds = list(dict.fromkeys(n.kind for n in notes))
    for kind in kinds:
        page.keyboard.press("ArrowRight")  # a radio group: arrows move and choose
        assert page.evaluate("document.activeElement.value") == kind
        visible = page.locator("article .note-item:visible")
        expect(visible).to_have_count(sum(n.kind == kind for n in notes))
        assert set(visible.evaluate_all("items => items.map(i => i.dataset.kind)")) == {kind}
        expect(page.locator(".note-filter-status")).to_contain_text(f"Showing {sum(n.kind == kind for n in notes)}")
    page.keyboard.press("ArrowRight")
    expect(page.locator("article .note-item:visible")).to_have_count(len(notes))


def test_overview_lists_what_changed_newest_first(real_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    reading = library.readings[0]
    page = real_site.page(url_of(reading.src_uri))
    updates = [(n.date, p) for p in reading.paragraphs for n in p.annotations if n.kind == "update" and n.date]
    items = page.css("#changes ~ ul")[0].css("li")
    assert len(items) == len(updates)
    dates = [item.css_first(".note-badge").text() for item in items]
    expected = sorted(updates, key=lambda update: update[0], reverse=True)
    assert dates == [f"{d.day} {d:%B %Y}" for d, _ in expected]
    anchors = [item.css("a")[-1].attributes["href"].rsplit("#", 1)[1] for item in items]
    assert anchors == [p.anchor for _, p in expected]


# -- where am I ------------------------------------------------------------------------------


def test_sections_say_where_the_reader_is(guarded, site_url: str, real_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    descriptions = set()
    for number, reading in enumerate(library.readings):
        for index, section in enumerate(reading.sections, 1):
            page.goto(site_url + url_of(section.src_uri))
            expect(page.locator(".section-position")).to_contain_text(
                re.compile(rf"Section {index} of {len(reading.sections)} · about \d+ min"))
            assert page.title().startswith(f"{section.title} · {reading.title}")
            descriptions.add(page.locator('meta[name="description"]').get_attribute("content"))
            following = page.evaluate("document.querySelector('a.md-footer__link--next').href")
            if section is reading.sections[-1]:
                # the reading's next reading, or back to its own overview; never the glossary
                after = library.readings[number + 1] if number + 1 < len(library.readings) else reading
                assert following == site_url + url_of(after.src_uri)
            else:
                assert following == site_url + url_of(reading.sections[index].src_uri)
            if index > 1:
                previous = page.evaluate("document.querySelector('a.md-footer__link--prev').href")
                assert previous == site_url + url_of(reading.sections[index - 2].src_uri)
        page.goto(site_url + url_of(reading.src_uri))
        descriptions.add(page.locator('meta[name="description"]').get_attribute("content"))
    count = sum(len(r.sections) + 1 for r in library.readings)
    assert len(descriptions) == count, "each page has its own description"
    term = next(iter(library.terms.values()))
    head = real_site.page(f"glossary/{term.slug}/").css_first('meta[name="description"]').attributes["content"]
    assert term.short in head


# -- search ---------------------------------------------------------------------------------




def distinctive_phrase(library):  # type: ignore[no-untyped-def]
    """A paragraph of a later section and five of its words found in no other paragraph."""
    paragraphs = [(s, p) for r in library.readings for s in r.sections for p in s.paragraphs]
    texts = {p.number: plain_text(p.text).lower() for _, p in paragraphs}
    for section, paragraph in paragraphs[len(paragraphs) // 2:]:
        words = re.findall(r"[A-Za-z]{4,}", plain_text(paragraph.text))
        for start in range(len(words) - 4):
            phrase = " ".join(words[start:start + 4])
            if sum(phrase.lower() in t for t in texts.values()) == 1 and phrase.lower() in texts[paragraph.number]:
                return section, paragraph, phrase
    raise AssertionError("no distinctive phrase")


@pytest.mark.parametrize("where", ["served", "offline"])
def test_search_hit_lands_on_the_paragraph(guarded, site_url: str, offline_site: BuildResult, library, where: str) -> None:  # type: ignore[no-untyped-def]
    section, paragraph, phrase = distinctive_phrase(library)
    page = guarded.page
    page.goto(site_url if where == "served" else (offline_site.site / "index.html").as_uri())
    search(page, phrase)
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=10_000)
    link = first.locator(f"a.md-search-result__link[href*='#{paragraph.anchor}']")
    expect(link).to_have_count(1)
    href = link.get_attribute("href")
    page_name = section.src_uri.rsplit("/", 1)[-1].removesuffix(".md")
    assert page_name in href and href.endswith(f"#{paragraph.anchor}")
    link.click()
    page.wait_for_url(re.compile(rf"#{paragraph.anchor}$"))
    page.wait_for_function(f"""() => {{
        const p = document.getElementById('{paragraph.anchor}');
        const other = document.querySelector('p.para:not(#{paragraph.anchor})');
        return p.matches(':target') && getComputedStyle(p).backgroundColor !== getComputedStyle(other).backgroundColor;
    }}""", timeout=5000)
    box = page.locator(f"#{paragraph.anchor}").bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    assert guarded.outside == []


@pytest.mark.parametrize("where", ["served", "offline"])
def test_glossary_ranks_above_the_guide_for_an_alias(guarded, site_url: str, offline_site: BuildResult, library, where: str) -> None:  # type: ignore[no-untyped-def]
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    term, alias = next((t, a) for t in library.terms.values() for a in t.aliases
                       if len(a) > 3 and a.replace(" ", "").isalnum() and a in guide)
    page = guarded.page
    page.goto(site_url if where == "served" else (offline_site.site / "index.html").as_uri())
    search(page, alias)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                      "links => links.map(a => a.getAttribute('href'))")
    glossary = next(i for i, h in enumerate(hrefs) if re.search(rf"glossary/{term.slug}(/|\.html)", h))
    guide_hit = next((i for i, h in enumerate(hrefs) if re.search(r"(^|/)guide(/|\.html)", h)), len(hrefs))
    assert glossary < guide_hit, hrefs


def _index(site: BuildResult, offline: bool) -> dict:
    folder = site.site / "search"
    if offline:
        raw = (folder / "search_index.js").read_text(encoding="utf-8")
        assert raw.startswith("var __index = ")
        return json.loads(raw.removeprefix("var __index = "))
    return json.loads((folder / "search_index.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("offline", [False, True], ids=["served", "offline"])
def test_search_index_has_paragraphs_and_no_furniture(real_site: BuildResult, offline_site: BuildResult, library, offline: bool) -> None:  # type: ignore[no-untyped-def]
    site = offline_site if offline else real_site
    docs = _index(site, offline)["docs"]
    locations = [d["location"] for d in docs]
    assert len(locations) == len(set(locations))
    for reading in library.readings:
        for section in reading.sections:
            page = section.src_uri.removesuffix(".md") + (".html" if offline else "/")
            for paragraph in section.paragraphs:
                entry = next(d for d in docs if d["location"] == f"{page}#{paragraph.anchor}")
                assert "¶" not in entry["text"]
                assert plain_text(paragraph.text)[:30].replace("'", "&#x27;").replace('"', "&quot;")[:20] in entry["text"]
    for doc in docs:
        anchor = doc["location"].partition("#")[2]
        if doc["location"].startswith(("readings/", "assignments/")):
            assert anchor not in ("study-guide", "terms-in-this-section", "editors-notes", "key-terms",
                                  "terms-on-this-page"), doc["location"]
        if doc["location"].startswith("guide"):
            assert "[[" not in doc["text"] and "<pre>" not in doc["text"], doc["location"]
        if re.fullmatch(r"glossary/[a-z0-9-]+(/|\.html)", doc["location"]) and "glossary/index" not in doc["location"]:
            assert doc.get("boost", 1) > 1, doc["location"]
    # paragraphs quoted on assignments are not indexed twice
    quoted = [d["text"] for d in docs if d["location"].startswith("assignments/")]
    for paragraph in (p for r in library.readings for p in r.paragraphs):
        opening = plain_text(paragraph.text)[:40]
        assert not any(opening in text for text in quoted), opening


# -- accessibility and how it looks -------------------------------------------------------------


def _pages(library) -> list[str]:  # type: ignore[no-untyped-def]
    return [url_of(r.src_uri) for r in library.readings] + [url_of(s.src_uri) for r in library.readings for s in r.sections]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_on_sections_and_overviews(browser, request, site_url: str, library, scheme: str, width: int) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context, guarded = _new_page(browser, request, **screen(width))
    page = guarded.page
    axe = Axe()
    found = []
    for path in _pages(library):
        for shown in (False, True):
            page.goto(site_url + path)
            page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
            page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
            if shown and page.locator("button.notes-switch").count():
                page.locator("button.notes-switch").click()
            elif shown:
                continue
            rules = {"resultTypes": ["violations"]} if scheme == "default" else COLOUR_RULES  # (light: every rule)
            for violation in axe.run(page, options=rules).response["violations"]:
                found.append(f"{path} (notes {'shown' if shown else 'collapsed'}): {violation['id']} "
                             f"({violation['impact']}) at {violation['nodes'][0]['target']}: {violation['help']}")
        page.evaluate("localStorage.clear()")
    context.close()
    assert found == []


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_screenshots_of_a_section(browser, request, site_url: str, library, scheme: str, width: int) -> None:  # type: ignore[no-untyped-def]
    context, guarded = _new_page(browser, request, color_scheme="dark" if scheme == "slate" else "light",
                                 **screen(width))
    page = guarded.page
    section = sections_with_notes(library)[min(1, len(sections_with_notes(library)) - 1)]
    page.goto(site_url + url_of(section.src_uri))
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"section-{width}-{scheme}.png"))
    page.screenshot(path=str(RESULTS / f"section-{width}-{scheme}-full.png"), full_page=True)
    context.close()
    assert overflow <= 0
