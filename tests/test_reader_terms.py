"""Term previews, paragraph furniture and copy-link, in a real browser (issue 10, points 1, 3, 6).

Debian's Chromium driven by Playwright, at 1280 px and on a 375 px touch phone, in both
colour schemes where colour matters. Screenshots of a section page with a preview open
are saved in test-results/ for a reviewer to look at.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from conftest import _new_page, BuildResult, RESULTS, copy_paragraph_link, tab_to_first_term_link
from readinglib.previews import PREVIEWS_ID, TERM_LINKS, previewed_slugs

SCHEMES = ["default", "slate"]
WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
          "phone": {"viewport": {"width": 375, "height": 740}, "has_touch": True, "is_mobile": True,
                    "device_scale_factor": 2}}




@pytest.fixture(scope="module")
def updated_term(library):  # type: ignore[no-untyped-def]
    """A term with dated updates linked in a section's paragraphs, its latest update and the section."""
    for reading in library.readings:
        for section in reading.sections:
            for paragraph in section.paragraphs:
                for reference in paragraph.references:
                    term = library.resolve(reference.target)
                    if term is not None and term.updates:
                        return (term, max(term.updates, key=lambda u: u.date),
                                section.src_uri.removesuffix(".md") + "/")
    pytest.skip("no term with a dated update is linked in any section")


def opened(page) -> dict | None:  # type: ignore[type-arg, no-untyped-def]
    """The open preview: its text, box and link, or None."""
    return page.evaluate("""() => {
        const tip = document.getElementById('term-preview');
        if (!tip || tip.hidden || getComputedStyle(tip).display === 'none') { return null; }
        const box = tip.getBoundingClientRect();
        const open = tip.querySelector('a');
        return { text: tip.innerText, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                 open: open && open.textContent, href: open && open.href };
    }""")


def wait_open(page) -> dict:  # type: ignore[type-arg, no-untyped-def]
    page.wait_for_selector("#term-preview:not([hidden])", timeout=5000)
    return opened(page)


def wait_closed(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("""() => { const t = document.getElementById('term-preview');
                                      return !t || t.hidden; }""", timeout=5000)


def tap_elsewhere(page) -> None:  # type: ignore[no-untyped-def]
    """Tap plain text of the article, away from the preview and from any link or button."""
    point = page.evaluate("""() => {
        const tip = document.getElementById('term-preview').getBoundingClientRect();
        for (let y = 80; y < window.innerHeight - 10; y += 7) {
            for (const x of [60, 120, 180, 240, 300]) {
                // touch adjustment snaps a tap to a control nearby: stay 40 px clear of any
                const clear = [[0, 0], [-40, 0], [40, 0], [0, -40], [0, 40]].every(([dx, dy]) => {
                    const el = document.elementFromPoint(x + dx, y + dy);
                    return el && el.closest('article') && !el.closest('a, button, summary, details')
                        && !(x + dx >= tip.left - 10 && x + dx <= tip.right + 10
                             && y + dy >= tip.top - 10 && y + dy <= tip.bottom + 10);
                });
                if (clear) { return [x, y]; }
            }
        }
        return null;
    }""")
    assert point, "no plain text to tap on screen"
    page.touchscreen.tap(*point)


def term_links(page):  # type: ignore[no-untyped-def]
    return page.locator("article p.para a.term-link[data-term]")


def set_scheme(page, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")


def open_by_pointer(page, link, width: str) -> dict:  # type: ignore[type-arg, no-untyped-def]
    link.scroll_into_view_if_needed()
    if width == "phone":
        link.tap()
    else:
        link.hover()
    return wait_open(page)


@pytest.fixture(params=list(WIDTHS))
def any_width(browser, request):  # type: ignore[no-untyped-def]
    context, guarded = _new_page(browser, request, **WIDTHS[request.param])
    guarded.width = request.param
    yield guarded
    context.close()


# -- the term link ---------------------------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_term_link_looks_unlike_an_ordinary_link(any_width, site_url: str, section_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page = any_width.page
    page.goto(site_url + section_url)
    set_scheme(page, scheme)
    styles = page.evaluate("""() => {
        const pick = el => { const s = getComputedStyle(el);
            return { color: s.color, line: s.textDecorationLine, style: s.textDecorationStyle,
                     decoration: s.textDecorationColor }; };
        const term = document.querySelector('article p.para a.term-link');
        const plain = document.querySelector('article .reading-byline a:not(.term-link)');
        return { term: pick(term), plain: pick(plain) };
    }""")
    term, plain = styles["term"], styles["plain"]
    assert "underline" in term["line"] and "underline" in plain["line"]
    assert term["style"] == "dotted" and plain["style"] == "solid"
    assert term["color"] != plain["color"], "a term reads as text, an ordinary link in the link colour"


# -- previews: contents, hover, keyboard, Escape ---------------------------------------------


def test_preview_names_the_term_and_opens_the_entry(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    link = term_links(page).first
    term = library.terms[link.get_attribute("data-term")]
    shown = open_by_pointer(page, link, "desktop")
    assert term.term in shown["text"] and term.category in shown["text"] and term.short in shown["text"]
    assert shown["open"] == "Open entry →"
    assert shown["href"] == page.evaluate("el => el.href", link.element_handle())
    # body-size type, not a 10 px tooltip
    sizes = page.evaluate("""() => [getComputedStyle(document.querySelector('.term-preview__short')).fontSize,
                                    getComputedStyle(document.querySelector('article p.para')).fontSize]""")
    assert sizes[0] == sizes[1]
    # hoverable: the pointer moves into the preview and it stays
    page.locator("#term-preview .term-preview__short").hover()
    page.wait_for_timeout(700)
    assert opened(page) is not None
    page.locator("#term-preview a").click()
    page.wait_for_url(re.compile(rf"/glossary/{term.slug}/$"))


def test_preview_shows_the_latest_dated_update(guarded, site_url: str, real_site: BuildResult, updated_term) -> None:  # type: ignore[no-untyped-def]
    term, update, url = updated_term
    page = guarded.page
    page.goto(site_url + url)
    link = page.locator(f"article p.para a.term-link[data-term='{term.slug}']").first
    shown = open_by_pointer(page, link, "desktop")
    assert f"Since the article ({update.date.day} {update.date:%B %Y}):" in shown["text"]
    assert " ".join(update.text.split()) in " ".join(shown["text"].split())


def test_preview_persists_until_dismissed_and_escape_closes_it(guarded, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    link = term_links(page).first
    open_by_pointer(page, link, "desktop")
    page.wait_for_timeout(1500)
    assert opened(page) is not None, "stays while the pointer rests on the link"
    page.keyboard.press("Escape")
    wait_closed(page)
    page.wait_for_timeout(500)
    assert opened(page) is None, "Escape dismisses it, with the pointer still on the link"
    page.mouse.move(5, 890)
    link.hover()
    wait_open(page)
    page.mouse.move(4, 890)  # away from the link and the preview (which keeps 8 px from the edges)
    wait_closed(page)


def test_keyboard_focus_previews_and_screen_readers_hear_it_once(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    tab_to_first_term_link(page)
    slug = page.evaluate("document.activeElement.getAttribute('data-term')")
    term = library.terms[slug]
    assert term.short in wait_open(page)["text"]
    names = page.evaluate("""() => {
        const link = document.activeElement;
        const described = (link.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
            .map(id => document.getElementById(id).textContent).join(' ');
        const tip = document.getElementById('term-preview');
        return { title: link.getAttribute('title'), described, tipHidden: tip.getAttribute('aria-hidden'),
                 tabbable: [...tip.querySelectorAll('a, button')].filter(el => el.tabIndex >= 0).length };
    }""")
    assert names["title"] is None
    assert names["described"].count(term.short) == 1 and term.term in names["described"]
    assert names["tipHidden"] == "true" and names["tabbable"] == 0, "the visible preview is not read a second time"
    page.keyboard.press("Escape")
    wait_closed(page)
    assert page.evaluate("document.activeElement.getAttribute('data-term')") == slug
    assert page.evaluate("document.activeElement.hasAttribute('aria-describedby')") is False
    page.keyboard.press("Tab")  # focus moves on: the preview of the next term link, or none
    page.wait_for_timeout(200)
    active = page.evaluate("document.activeElement.getAttribute('data-term')")
    if active is None:
        assert opened(page) is None


def test_open_entry_works_after_a_keyboard_preview(guarded, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    tab_to_first_term_link(page)
    slug = page.evaluate("document.activeElement.getAttribute('data-term')")
    wait_open(page)
    page.locator("#term-preview a").click()  # focus leaves the link as the pointer goes down
    page.wait_for_url(re.compile(rf"/glossary/{slug}/$"))


# -- touch ---------------------------------------------------------------------------------


def test_phone_tap_previews_and_tap_elsewhere_closes_every_time(phone, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = phone.page
    page.goto(site_url + section_url)
    link = term_links(page).first
    term = library.terms[link.get_attribute("data-term")]
    for _ in range(3):
        shown = open_by_pointer(page, link, "phone")
        assert term.term in shown["text"]
        assert page.url == site_url + section_url
        assert 0 <= shown["left"] and shown["right"] <= 375, "inside the phone's viewport"
        tap_elsewhere(page)
        wait_closed(page)
        assert page.url == site_url + section_url
    open_by_pointer(page, link, "phone")
    link.tap()  # the second tap on the same link opens the entry
    page.wait_for_url(re.compile(rf"/glossary/{term.slug}/$"))


def test_phone_open_entry_opens_the_entry(phone, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = phone.page
    page.goto(site_url + section_url)
    links = term_links(page)
    first, second = links.nth(0), links.nth(1)
    slug = second.get_attribute("data-term")
    open_by_pointer(page, first, "phone")
    open_by_pointer(page, second, "phone")  # another term: it previews, it does not navigate
    assert page.url == site_url + section_url
    assert page.evaluate("document.querySelector('#term-preview a').href").endswith(f"/glossary/{slug}/")
    page.locator("#term-preview a").tap()
    page.wait_for_url(re.compile(rf"/glossary/{slug}/$"))


def test_without_javascript_term_links_go_to_the_entry(browser, request, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    context, guarded = _new_page(browser, request, viewport={"width": 375, "height": 740}, has_touch=True,
                                 is_mobile=True, java_script_enabled=False)
    page = guarded.page
    page.goto(site_url + section_url)
    link = term_links(page).first
    slug = link.get_attribute("data-term")
    # one tab stop per paragraph without the script too: the number; the copy button cannot copy
    counts = page.eval_on_selector_all("article p.para", """ps => ps.map(p =>
        [...p.querySelectorAll('a, button')].filter(el => !el.classList.contains('term-link')
            && el.tabIndex >= 0 && getComputedStyle(el).visibility !== 'hidden'
            && getComputedStyle(el).display !== 'none').length)""")
    assert set(counts) == {1}
    link.tap()
    page.wait_for_url(re.compile(rf"/glossary/{slug}/$"))
    context.close()


# -- paragraph furniture -----------------------------------------------------------------------


FOCUSABLE_FURNITURE = """ps => ps.map(p => [...p.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(el => !el.classList.contains('term-link') && el.tabIndex >= 0 && !el.disabled
                  && getComputedStyle(el).visibility !== 'hidden' && getComputedStyle(el).display !== 'none')
    .map(el => el.className))"""


def test_one_tab_stop_per_paragraph(any_width, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = any_width.page
    assignment = library.assignments[0]
    for path in (section_url, assignment.src_uri.removesuffix(".md") + "/"):
        page.goto(site_url + path)
        per_paragraph = page.eval_on_selector_all("article p.para", FOCUSABLE_FURNITURE)
        assert per_paragraph and all(stops == ["para-copy"] for stops in per_paragraph), (path, per_paragraph)
    # the number is still a link for the pointer
    number = page.locator("article p.para a.para-num").first
    assert number.get_attribute("href").endswith("#" + page.locator("article p.para").first.get_attribute("id"))


def test_paragraph_furniture_hangs_in_the_margin_on_wide_screens(guarded, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    boxes = page.eval_on_selector_all("article p.para", """ps => ps.map(p => {
        const box = p.getBoundingClientRect();
        const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
        const range = document.createRange();
        range.selectNodeContents(text);
        const first = range.getClientRects()[0];
        const furniture = [...p.querySelectorAll('.para-num, .para-copy')].map(el => el.getBoundingClientRect());
        return { left: box.left, textLeft: first.left, furnitureRight: Math.max(...furniture.map(f => f.right)),
                 furnitureLeft: Math.min(...furniture.map(f => f.left)) };
    })""")
    for box in boxes:
        assert abs(box["textLeft"] - box["left"]) < 1, "the text is not indented"
        assert box["furnitureRight"] <= box["left"], "the number and the button hang in the margin"
        assert box["furnitureLeft"] > 250, "…without reaching into the navigation"


def test_paragraph_furniture_takes_one_line_on_a_phone(phone, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = phone.page
    page.goto(site_url + section_url)
    boxes = page.eval_on_selector_all("article p.para", """ps => ps.map(p => {
        const box = p.getBoundingClientRect();
        const line = parseFloat(getComputedStyle(p).lineHeight);
        const furniture = [...p.querySelectorAll('.para-num, .para-copy')].map(el => el.getBoundingClientRect());
        const text = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
        const range = document.createRange();
        range.selectNodeContents(text);
        const first = range.getClientRects()[0];
        return { top: box.top, line, bottom: Math.max(...furniture.map(f => f.bottom)),
                 furnitureTop: Math.min(...furniture.map(f => f.top)), firstLineTop: first.top,
                 firstLineHeight: first.height };
    })""")
    for box in boxes:
        assert box["furnitureTop"] >= box["top"] - 0.5 and box["bottom"] <= box["top"] + box["line"] + 0.5
        assert box["firstLineTop"] - box["top"] < box["line"] / 2, "the first line is not pushed down"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_copied_confirmation_covers_nothing(browser, request, site_url: str, section_url: str, width: str) -> None:  # type: ignore[no-untyped-def]
    context, guarded = _new_page(browser, request, **WIDTHS[width])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = guarded.page
    page.goto(site_url + section_url)
    button = page.locator("article p.para button.para-copy").nth(1)
    before = button.bounding_box()
    text_before = page.evaluate("document.querySelectorAll('article p.para')[1].getBoundingClientRect().height")
    copy_paragraph_link(page, button, tap=width == "phone")
    page.wait_for_selector("article p.para button.para-copy[data-copied]")
    after = button.bounding_box()
    assert before == after, "the button turns into a tick in place"
    assert page.evaluate("document.querySelectorAll('article p.para')[1].getBoundingClientRect().height") == text_before
    status = page.evaluate("""() => { const s = document.getElementById('reading-status').getBoundingClientRect();
                                      return [s.width, s.height]; }""")
    assert status[0] <= 1 and status[1] <= 1, "the full message is for screen readers only"
    assert "copied" in page.locator("#reading-status").text_content()
    page.wait_for_function("!document.querySelector('button.para-copy[data-copied]')", timeout=5000)
    context.close()


# -- copy-link addresses (issue 10, point 6) ----------------------------------------------------


def test_offline_copy_link_uses_the_pages_own_address(guarded, offline_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    reading = library.readings[0]
    section = reading.sections[0]
    page_file = offline_site.site / (section.src_uri.removesuffix(".md") + ".html")
    page = guarded.page
    page.goto(page_file.as_uri())
    button = page.locator("article p.para button.para-copy").first
    anchor = button.get_attribute("data-anchor")
    copy_paragraph_link(page, button)
    page.wait_for_function("document.getElementById('reading-status') && "
                           "document.getElementById('reading-status').textContent.includes('copied')")
    status = page.locator("#reading-status").text_content()
    assert f"{page_file.as_uri()}#{anchor}" in status, "the placeholder site_url is never handed out"
    assert "example.org" not in status
    # with a real published address, the offline copy shares that instead
    page.evaluate("document.querySelector('link[rel=canonical]').href = "
                  f"'https://reading.example.edu/{section.src_uri.removesuffix('.md')}.html'")
    copy_paragraph_link(page, button)
    page.wait_for_function("document.getElementById('reading-status').textContent.includes('reading.example.edu')")
    assert (f"https://reading.example.edu/{section.src_uri.removesuffix('.md')}/#{anchor}"
            in page.locator("#reading-status").text_content())
    # and the previews work from file:// (the data is a script, not a fetch)
    link = term_links(page).first
    term = library.terms[link.get_attribute("data-term")]
    assert term.short in open_by_pointer(page, link, "desktop")["text"]
    assert guarded.outside == []


# -- accessibility, size, loading, screenshots ----------------------------------------------------


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violations_with_a_preview_open(any_width, site_url: str, section_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page = any_width.page
    page.goto(site_url + section_url)
    set_scheme(page, scheme)
    link = term_links(page).nth(1)
    shown = open_by_pointer(page, link, any_width.width)
    width = page.viewport_size["width"]
    assert 0 <= shown["left"] and shown["right"] <= width
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"term-preview-{any_width.width}-{scheme}.png"))
    violations = Axe().run(page).response["violations"]
    assert opened(page) is not None, "the preview was open while axe ran"
    assert [f"{v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}" for v in violations] == []


def own_assets_loaded(site: BuildResult, url: str) -> list[Path]:
    """The project's own scripts and stylesheets a page loads when it opens (not Material's
    ``assets/``); a script a page injects later, on first use, is not among them."""
    page = site.page(url)
    addresses = [node.attributes.get("src") for node in page.css("script[src]")]
    addresses += [node.attributes.get("href") for node in page.css('link[rel="stylesheet"][href]')]
    folder = (site.site / url).resolve()
    own = [(folder / address.split("?")[0]).resolve() for address in addresses
           if address and "/assets/" not in "/" + address and not address.startswith(("http:", "https:", "//"))]
    return [path for path in own if path.is_file()]


def test_own_javascript_and_css_stay_small(real_site: BuildResult, section_url: str) -> None:
    files = own_assets_loaded(real_site, section_url)
    assert any(p.name == "reading.js" for p in files) and any(p.name == "reading.css" for p in files)
    # each file compressed on its own, as a server sends it
    size = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files)
    print(f"\nproject's own CSS and JavaScript a section page loads: {size} bytes gzip-compressed, "
          f"{len(files)} files: {[p.name for p in files]}")
    assert size < 15 * 1024, f"{size} bytes gzip-compressed: {[p.name for p in files]}"


def test_project_scripts_load_deferred(real_site: BuildResult, section_url: str) -> None:
    page = real_site.page(section_url)
    scripts = [s.attributes for s in page.css("script[src]") if "/assets/" not in (s.attributes.get("src") or "")]
    sources = [s["src"] for s in scripts]
    assert any(src.endswith("javascripts/reading.js") for src in sources)
    assert all("defer" in s for s in scripts), scripts
    # the previews' data is the page's own, as JSON (inert, not a script to load)
    data = page.css_first(f"script#{PREVIEWS_ID}")
    assert data.attributes["type"] == "application/json" and data.text().isascii()


def test_section_page_transfer_size(guarded, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    """What a section page costs a reader: every request it makes on load, each body
    gzip-compressed as a server would send it (printed for the README's performance section)."""
    sizes: dict[str, int] = {}
    page = guarded.page
    page.on("response", lambda response: sizes.__setitem__(
        response.url, len(gzip.compress(response.body(), compresslevel=6))) if response.ok else None)
    page.goto(site_url + section_url, wait_until="networkidle")
    groups: dict[str, int] = {}
    for url, size in sizes.items():
        path = url.removeprefix(site_url)
        group = ("Material's CSS and JavaScript" if path.startswith("assets/") and path.endswith((".css", ".js"))
                 else "search index" if path.startswith("search/")
                 else "the project's own CSS and JavaScript" if path.endswith((".css", ".js"))
                 else "the page" if path == section_url else "other (" + path + ")")
        groups[group] = groups.get(group, 0) + size
    total = sum(groups.values())
    print(f"\nsection page {section_url}: {total / 1024:.1f} KB gzip-compressed in {len(sizes)} requests; "
          + "; ".join(f"{name} {size / 1024:.1f} KB" for name, size in sorted(groups.items(), key=lambda g: -g[1])))
    assert groups["the project's own CSS and JavaScript"] < 15 * 1024
    assert guarded.outside == []


@pytest.mark.parametrize("built", ["fixture_site", "real_site"])
def test_the_previewed_terms_read_from_the_tags_are_those_a_parser_finds(built: str, request) -> None:  # type: ignore[no-untyped-def]
    """The build reads a page's term links from their tags (previews.previewed_slugs), not a
    parsed tree: on every built page that is what the selector finds."""
    from selectolax.lexbor import LexborHTMLParser

    site = request.getfixturevalue(built).site
    pages = 0
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        slugs = [node.attributes.get("data-term") for node in LexborHTMLParser(html).css(TERM_LINKS)]
        assert previewed_slugs(html) == list(dict.fromkeys(slug for slug in slugs if slug)), path
        pages += bool(slugs)
    assert pages >= 5
