"""What a student gets in a real browser: Debian's Chromium driven by Playwright.

The built site is served on loopback; every request to another host is blocked
and recorded, so a page that needs the network fails here as it would offline.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from conftest import COLOUR_RULES, BuildResult, ROOT, _new_page, screen, search, tab_to_first_term_link




def all_pages(site: BuildResult) -> list[str]:
    pages = []
    for path in sorted(site.site.rglob("index.html")):
        relative = path.relative_to(site.site).parent.as_posix()
        pages.append("" if relative == "." else relative + "/")
    return pages


def open_preview(page) -> str | None:  # type: ignore[no-untyped-def]
    """Text of the open term preview (reading.js), or None when none is showing."""
    return page.evaluate("""() => {
        const tip = document.getElementById('term-preview');
        return tip && !tip.hidden && getComputedStyle(tip).display !== 'none' ? tip.innerText : null;
    }""")


def wait_for_preview(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_selector("#term-preview:not([hidden])", timeout=5000)
    return open_preview(page)


def first_term_link(page):  # type: ignore[no-untyped-def]
    return page.locator("article p.para a.term-link").first


def test_term_preview_on_hover(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    link = first_term_link(page)
    term = library.terms[link.get_attribute("data-term")]
    link.hover()
    shown = wait_for_preview(page)
    assert term.term in shown and term.short in shown


def test_term_preview_on_keyboard_focus_and_escape(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    tab_to_first_term_link(page)
    focused = page.locator(":focus")
    assert "term-link" in focused.get_attribute("class")
    term = library.terms[focused.get_attribute("data-term")]
    assert term.short in wait_for_preview(page)
    # screen readers hear the definition once, as the link's description
    described = page.evaluate("""() => {
        const id = document.activeElement.getAttribute('aria-describedby');
        return id && document.getElementById(id).textContent;
    }""")
    assert described and described.count(term.short) == 1
    assert focused.get_attribute("title") is None
    page.keyboard.press("Escape")
    assert open_preview(page) is None
    assert "term-link" in page.evaluate("document.activeElement.className"), "Escape does not move focus"


def test_term_preview_on_tap_then_follow(phone, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = phone.page
    page.goto(site_url + section_url)
    link = first_term_link(page)
    slug = link.get_attribute("data-term")
    link.tap()
    assert library.terms[slug].short in wait_for_preview(page)
    assert page.url == site_url + section_url
    link.tap()
    page.wait_for_url(re.compile(rf"/glossary/{slug}/$"))


def test_paragraph_link_scrolls_and_highlights(guarded, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    anchors = page.eval_on_selector_all("article p.para", "ps => ps.map(p => p.id)")
    target = anchors[len(anchors) // 2]
    page.goto(site_url + section_url + "#" + target)
    # the highlight fades in: wait until it differs from an ordinary paragraph's background
    page.wait_for_function(f"""() => getComputedStyle(document.getElementById('{target}')).backgroundColor
        !== getComputedStyle(document.getElementById('{anchors[0]}')).backgroundColor""", timeout=5000)
    state = page.evaluate(f"""() => {{
        const p = document.getElementById('{target}');
        const box = p.getBoundingClientRect();
        const other = document.getElementById('{anchors[0]}');
        return {{ inView: box.top >= 0 && box.top < window.innerHeight,
                 target: p.matches(':target'),
                 highlighted: getComputedStyle(p).backgroundColor !== getComputedStyle(other).backgroundColor }};
    }}""")
    assert state == {"inView": True, "target": True, "highlighted": True}


def test_copy_link_copies_the_paragraph_url(browser, request, site_url: str, section_url: str) -> None:  # type: ignore[no-untyped-def]

    context, guarded = _new_page(browser, request, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = guarded.page
    page.goto(site_url + section_url)
    button = page.locator("article p.para button.para-copy").nth(1)
    anchor = button.get_attribute("data-anchor")
    button.focus()
    page.keyboard.press("Enter")  # opens the paragraph's menu on its first item
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.textContent") == f"Copy link to ¶{anchor[1:]}"
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('reading-status') && "
                           "document.getElementById('reading-status').textContent.includes('copied')")
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}{section_url}#{anchor}"
    assert "copied" in page.locator("#reading-status").text_content()
    assert button.get_attribute("aria-expanded") == "false" and page.locator(".para-menu").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('para-copy')"), "focus returns to the button"
    context.close()


@pytest.mark.parametrize("style", ["APA", "MLA", "Chicago"])
def test_cite_a_paragraph_from_its_menu(browser, request, site_url: str, section_url: str, library,
                                        style: str) -> None:  # type: ignore[no-untyped-def]
    from readinglib.pages import paragraph_citations

    context, guarded = _new_page(browser, request, viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = guarded.page
    page.goto(site_url + section_url)
    button = page.locator("article p.para button.para-copy").nth(1)
    number = button.get_attribute("data-anchor")[1:]
    button.focus()
    page.keyboard.press("Enter")
    items = page.locator(".para-menu [role=menuitem]")
    assert items.all_text_contents() == [f"Copy link to ¶{number}", f"Cite ¶{number} (APA)",
                                         f"Cite ¶{number} (MLA)", f"Cite ¶{number} (Chicago)"]
    page.keyboard.press("End")
    page.keyboard.press("Home")
    for _ in range(["APA", "MLA", "Chicago"].index(style) + 1):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == f"Cite ¶{number} ({style})"
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('reading-status')?.textContent.includes('copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == "\n".join(f"{label}: {line}" for label, line in
                               paragraph_citations(library.readings[0])[style]).replace("{n}", number)
    assert f"para. {number}" in copied or f"par. {number}" in copied
    # Escape closes the menu and gives focus back; Tab from the menu moves on past the paragraph's button
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.locator(".para-menu").is_hidden() and button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.classList.contains('para-copy')")
    context.close()




def test_search_finds_a_term_by_alias(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    # an alias that no reading uses, so only the glossary entry can match it
    texts = " ".join(p.text for r in library.readings for p in r.paragraphs).lower()
    term, alias = next((t, a) for t in library.terms.values() for a in t.aliases
                       if len(a) > 3 and a.lower() not in texts and a.replace(" ", "").isalnum())
    page = guarded.page
    page.goto(site_url)
    search(page, alias)
    result = page.locator(".md-search-result__link", has_text=term.term).first
    result.wait_for(timeout=10_000)
    assert f"glossary/{term.slug}/" in result.get_attribute("href")


def test_colour_scheme_toggle_persists(guarded, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url)
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{scheme}'")
    toggled = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {scheme, toggled} == {"default", "slate"}
    page.reload()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == toggled
    page.goto(site_url + "glossary/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == toggled


def pdf_text(page) -> str:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=False)))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_printed_assignment_is_a_clean_handout(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    assignment = library.assignments[0]
    page = guarded.page
    page.goto(site_url + assignment.src_uri.removesuffix(".md") + "/")
    text = pdf_text(page)
    flat = " ".join(text.split())
    assert assignment.title in flat
    numbers = [p.number for r in library.readings for p in r.paragraphs if assignment.covers(p.number)]
    assert numbers
    for number in numbers:
        assert f"¶{number}" in flat
    assert "Search" not in flat and "Instructor's guide" not in flat and "Table of contents" not in flat
    assert "Copy link" not in flat
    assert "Terms on this page" not in flat  # key terms print once, with their definitions
    for name in assignment.key_terms:
        term = library.resolve(name)
        assert flat.count(f"{term.term}: {' '.join(term.short.split())[:40]}") == 1


def test_printed_section_and_term_pages(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    flat = " ".join(pdf_text(page).split())
    assert "¶" in flat and "Study guide" in flat and "Terms in this section" in flat
    term = next(t for t in library.terms.values() if any(s.url for s in t.sources))
    page.goto(site_url + f"glossary/{term.slug}/")
    flat = "".join(pdf_text(page).split())
    url = next(s.url for s in term.sources if s.url)
    assert "".join(url.split()) in flat, "external sources print their address"




AXE_RUN = ("options => axe.run(document, options).then(r => r.violations.map(v => "
           "`${v.id} (${v.impact}) at ${JSON.stringify(v.nodes[0].target)}: ${v.help}`))")
ALL_RULES = {"resultTypes": ["violations"]}


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_in_a_browser(browser, request, site_url: str, real_site: BuildResult, width: int) -> None:  # type: ignore[no-untyped-def]
    """Every built page, on a desktop and on a 375 px touch phone: axe-core finds no violation
    in either colour scheme (every rule in the light one, the colour rules in the dark one),
    nothing scrolls sideways on the phone, and no request leaves loopback. One sweep, axe
    injected once per page (its script is added to every page)."""
    from axe_playwright_python.sync_playwright import Axe

    context, guarded = _new_page(browser, request, **screen(width))
    context.add_init_script(Axe().axe_script)
    page = guarded.page
    found, wide = [], []
    for path in all_pages(real_site):
        page.goto(site_url + path)
        # no colour transitions: axe must see the scheme's final colours, not a fade
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        if width < 800:
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide.append((path, overflow))
        for scheme, rules in (("default", ALL_RULES), ("slate", COLOUR_RULES)):
            page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
            found += [f"{path or '/'} ({scheme}, {width} px): {v}" for v in page.evaluate(AXE_RUN, rules)]
    page.wait_for_load_state("networkidle")
    context.close()
    assert found == []
    assert wide == [], "pages wider than a phone"
    assert guarded.outside == []


def test_reading_controls_have_accessible_names(guarded, site_url: str, section_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + section_url)
    number = int(page.locator("article p.para").first.get_attribute("data-para"))
    assert page.get_by_role("link", name=f"Paragraph {number}, link to this paragraph").count() == 1
    assert page.get_by_role("button", name=f"Link or cite paragraph {number}").count() == 1
    summaries = page.locator("article details.annotation > summary")
    assert summaries.count() >= 1
    assert summaries.first.inner_text().startswith("Editors' note on ¶")
    # the definition is not only in a tooltip: the link leads to a page that states it
    link = first_term_link(page)
    slug = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
    link.click()
    page.wait_for_url(re.compile(rf"/glossary/{slug}/$"))
    assert page.locator(".term-short").inner_text() == library.terms[slug].short


def test_offline_copy_works_from_disk(guarded, offline_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto((offline_site.site / "index.html").as_uri())
    reading = library.readings[0]
    page.locator("article a[href='readings/index.html']").first.click()
    page.wait_for_url(re.compile(r"/site/readings/index\.html$"))
    page.locator("article a", has_text=reading.title).first.click()
    page.wait_for_url(re.compile(rf"/readings/{reading.slug}/index\.html$"))
    section = reading.sections[0]
    page.locator("article a", has_text=section.title).first.click()
    page.wait_for_url(re.compile(rf"/readings/{reading.slug}/{re.escape(section.src_uri.rsplit('/', 1)[-1][:-3])}\.html$"))
    expect(page.locator("article p.para")).to_have_count(len(section.paragraphs))
    # search works from file:// too
    texts = " ".join(p.text for r in library.readings for p in r.paragraphs).lower()
    term, alias = next((t, a) for t in library.terms.values() for a in t.aliases
                       if len(a) > 3 and a.lower() not in texts and a.replace(" ", "").isalnum())
    search(page, alias)
    result = page.locator(".md-search-result__link", has_text=term.term).first
    result.wait_for(timeout=10_000)
    assert f"glossary/{term.slug}.html" in result.get_attribute("href")
    assert guarded.outside == []


def test_offline_copy_links_are_consistent(offline_site: BuildResult, capsys) -> None:  # type: ignore[no-untyped-def]
    from readinglib.cli import main

    code = main([str(ROOT), "--config", "mkdocs-offline.yml", "--site", str(offline_site.site), "--strict"])
    assert code == 0, capsys.readouterr().out


def _printed(page, path: str, scheme: str, paper: str = "A4"):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    page.goto(path)
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.emulate_media(media="print")
    headings = [" ".join(h.split()) for h in page.locator("article h2, article h3").all_inner_texts() if h.strip()]
    colours = page.evaluate("""() => [getComputedStyle(document.querySelector('article h1')).color,
                                      getComputedStyle(document.body).backgroundColor]""")
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    return [p.extract_text() for p in reader.pages], headings, colours


@pytest.mark.parametrize("scheme, paper", [("default", "A4"), ("slate", "A4"), ("slate", "Letter")])
def test_assignments_print_as_clean_light_handouts(guarded, site_url: str, library, scheme: str, paper: str) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    for assignment in library.assignments:
        pages, headings, colours = _printed(page, site_url + assignment.src_uri.removesuffix(".md") + "/",
                                            scheme, paper)
        print(f"{assignment.src_uri} ({scheme}, {paper}): {len(pages)} pages")
        assert len(pages) <= 2, "a week's handout prints on two pages"
        assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"], "print is always the light scheme"
        assert "Name:" in pages[0] and "Date:" in pages[0]
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in text, "each page's footer numbers it"
            lines = [line.strip() for line in text.splitlines() if line.strip() and "Page " not in line]
            body = [line for line in lines if library.readings[0].title not in line]
            assert not body or body[-1] not in headings, f"heading '{body[-1]}' alone at the foot of page {number}"
        assert "Terms on this page" not in "".join(pages), "key terms print once"


def test_printed_handout_marks_omissions_and_leaves_room_to_answer(guarded, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """On paper (pypdf reads the PDF): "[¶2 omitted]" where the range skips, and each question
    followed by ruled space before the next one."""
    from pypdf import PdfReader

    from conftest import FIXTURES, copy_library, mkdocs_build, serve

    import shutil

    import yaml

    config = copy_library(FIXTURES / "two-readings", tmp_path / "lib")
    # the fixture library, dressed in the project's own stylesheets
    shutil.copytree(ROOT / "docs" / "stylesheets", config.parent / "docs" / "stylesheets")
    shutil.copytree(ROOT / "docs" / "javascripts", config.parent / "docs" / "javascripts")
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings.update(extra_css=project["extra_css"], extra_javascript=project["extra_javascript"])
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    homework = config.parent / "docs/assignments/homework.md"
    text = homework.read_text(encoding="utf-8").replace("paragraphs: 2-3", "paragraphs: 1, 3")
    text = text.replace("key_terms: [widget, Gizmo Corporation]", "key_terms: [widget]")
    homework.write_text(text.replace("  - What does the Gizmo Corporation make?\n",
                                     "  - What does the first paragraph describe?\n  - What is a widget for?\n"),
                        encoding="utf-8")
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 0, built.output
    server = serve(built.site)
    try:
        page = guarded.page
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/assignments/homework/")
        page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
        page.emulate_media(media="print")
        reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    finally:
        server.shutdown()
    lines: list[tuple[float, str]] = []
    for number, sheet in enumerate(reader.pages):
        # distance from the top of the sheet, in points: the text matrix through the page's transform
        height = float(sheet.mediabox.height)
        def visit(text, cm, tm, font, size, top=number * 10_000 + height):  # type: ignore[no-untyped-def]
            if text.strip():
                lines.append((top - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5]), text.strip()))

        sheet.extract_text(visitor_text=visit)
    flat = " ".join(text for _, text in lines)
    assert "[¶2 omitted]" in " ".join(flat.split())
    tops = [top for top, text in lines if text.startswith(("What does the first", "What is a widget"))]
    assert len(tops) == 2, lines
    line_height = 10 * 1.45  # about 10 pt type
    assert tops[1] - tops[0] >= 4 * line_height, "room for an answer between two questions"
