"""A student's own highlights and notes (issue 13), in Debian's Chromium.

Made by mouse (a selection, then "Highlight / Add note") and by keyboard ("Add a note"
and its dialog); kept only in localStorage; surviving a reload and a rebuild; "may have
moved" when the paragraph's source text changes; exported as Markdown and as W3C Web
Annotation JSON, cleared and imported back; axe-core in both schemes. Every request to
another host is blocked and recorded, and none is made.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import (
    FIXTURES,
    RESULTS,
    ROOT,
    _new_page,
    copy_library,
    screen,
    mkdocs_build,
    serve,
)
from playwright.sync_api import expect

NOTES_KEY = "reading-library.my-notes"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@dataclass
class StudySite:
    """The two-readings fixture with the project's own scripts and styles, built and served."""

    config: Path
    site: Path
    url: str

    def rebuild(self) -> None:
        result = mkdocs_build(self.config, self.site)
        assert result.returncode == 0, result.output

    def source(self, src_uri: str) -> Path:
        return self.config.parent / "docs" / src_uri


@pytest.fixture(scope="module")
def study_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import shutil

    folder = tmp_path_factory.mktemp("study")
    config = copy_library(FIXTURES / "two-readings", folder / "lib")
    for assets in ("javascripts", "stylesheets"):
        shutil.copytree(ROOT / "docs" / assets, config.parent / "docs" / assets)
    real = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    text = config.read_text(encoding="utf-8").replace("  - Timeline: timeline.md\n",
                                                      "  - Timeline: timeline.md\n  - My notes: my-notes.md\n")
    text += yaml.safe_dump({"extra_css": real["extra_css"], "extra_javascript": real["extra_javascript"]})
    config.write_text(text, encoding="utf-8")
    site = StudySite(config, folder / "site", "")
    site.rebuild()
    server = serve(site.site)
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield site
    server.shutdown()


def stored(page) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"JSON.parse(localStorage.getItem('{NOTES_KEY}') || '[]')")


def select_words(page, anchor: str, words: str) -> None:  # type: ignore[no-untyped-def]
    """Drag the mouse across ``words`` in paragraph ``anchor``, as a reader selects them."""
    box = page.evaluate("""([id, words]) => {
        const walker = document.createTreeWalker(document.getElementById(id), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at < 0 || node.parentElement.closest('.para-num, .para-copy')) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const box = range.getBoundingClientRect();
            return {x: box.left, y: box.top + box.height / 2, width: box.width};
        }
        return null;
    }""", [anchor, words])
    assert box, f"{words!r} not in #{anchor}"
    page.mouse.move(box["x"] + 1, box["y"])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"], steps=8)
    page.mouse.up()


def note_by_mouse(page, anchor: str, words: str, note: str) -> None:  # type: ignore[no-untyped-def]
    select_words(page, anchor, words)
    toolbar = page.get_by_role("toolbar", name="Selected words")
    expect(toolbar).to_be_visible()
    toolbar.get_by_role("button", name="Add note").click()
    dialog = page.get_by_role("dialog", name="Add a note")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Passage")).to_have_value("selection")
    dialog.get_by_label("Your note").fill(note)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()


def note_by_keyboard(page, paragraph: int, sentence: int, note: str) -> None:  # type: ignore[no-untyped-def]
    """"Add a note", then the dialog, by keys only: ¶, passage (0: whole paragraph), note, Save."""
    opener = page.get_by_role("button", name="Add a note")
    opener.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Add a note")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Paragraph")).to_be_focused()
    first = int(dialog.get_by_label("Paragraph").input_value()[1:])
    for _ in range(paragraph - first):
        page.keyboard.press("ArrowDown")
    expect(dialog.get_by_label("Paragraph")).to_have_value(f"p{paragraph}")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Passage")).to_be_focused()
    for _ in range(sentence):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Your note")).to_be_focused()
    page.keyboard.type(note)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Save
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()  # the dialog hands focus back


def marks(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("article mark.study-mark", "ms => ms.map(m => m.textContent)")


def markers(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all("article .study-marker", "ms => ms.map(m => m.getAttribute('aria-label'))")


def test_notes_by_mouse_and_keyboard_survive_reload_and_rebuild(guarded, study_site: StudySite) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(study_site.url + "readings/alpha/01-opening/")
    assert not page.evaluate("!!window.readingStudy"), "nothing but the loader before first use"
    note_by_mouse(page, "p1", "first paragraph mentions", "Mouse note: why first?")
    note_by_keyboard(page, 2, 1, "Keyboard note on the second paragraph")
    notes = stored(page)
    assert [(n["reading"], n["para"]) for n in notes] == [("alpha", "p1"), ("alpha", "p2")]
    assert notes[0]["exact"] == "first paragraph mentions" and notes[0]["note"] == "Mouse note: why first?"
    assert notes[1]["exact"].startswith("The second paragraph names the Gizmo Corporation twice")
    assert all(n["fp"] and n["end"] - n["start"] == len(n["exact"]) for n in notes)
    expected = ["first paragraph mentions", notes[1]["exact"]]

    def shown() -> None:
        expect(page.locator("article mark.study-mark").first).to_be_visible()
        assert "".join(marks(page)) == "".join(expected)
        labels = markers(page)
        assert len(labels) == 2 and "Mouse note" in labels[0] and "Keyboard note" in labels[1]
        assert not any("may have moved" in label for label in labels)

    shown()
    page.reload()
    shown()
    study_site.rebuild()  # the same sources built again into the folder being served
    page.reload()
    shown()
    # a marker opens its note for editing; the dialog returns focus to it
    marker = page.locator("article .study-marker").first
    marker.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.study-dialog")
    expect(dialog.get_by_label("Your note")).to_have_value("Mouse note: why first?")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(marker).to_be_focused()
    assert guarded.outside == []


def test_a_changed_paragraph_shows_may_have_moved(guarded, study_site: StudySite) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(study_site.url + "readings/beta/01-only/")
    note_by_keyboard(page, 1, 1, "Note before the correction")
    assert marks(page) and "may have moved" not in " ".join(markers(page))
    source = study_site.source("readings/beta/01-only.md")
    original = source.read_text(encoding="utf-8")
    try:
        source.write_text(original.replace("Beta's only paragraph links", "Beta's one paragraph now links"),
                          encoding="utf-8")
        study_site.rebuild()
        page.reload()
        expect(page.locator("article .study-marker")).to_contain_text("may have moved")
        assert marks(page) == [], "never re-anchored to other words"
        assert "may have moved" in markers(page)[0]
        page.goto(study_site.url + "my-notes/")
        item = page.locator(".study-item")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("May have moved")
        expect(item).to_contain_text("Note before the correction")
    finally:
        source.write_text(original, encoding="utf-8")
    assert guarded.outside == []


def check_web_annotation(item: dict, *, with_context: bool = True) -> None:
    """The W3C Web Annotation Data Model's required shape (what this site writes)."""
    if with_context:
        assert item["@context"] == ANNO_CONTEXT
    assert item["type"] == "Annotation"
    assert isinstance(item["id"], str) and re.match(r"^(urn:uuid:[0-9a-f-]{36}|https?://)", item["id"])
    target = item["target"]
    assert isinstance(target["source"], str) and target["source"]
    selectors = {s["type"]: s for s in target["selector"]}
    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
    assert {"exact", "prefix", "suffix"} <= set(quote) and all(isinstance(quote[k], str) for k in quote if k != "type")
    assert isinstance(position["start"], int) and isinstance(position["end"], int)
    assert 0 <= position["start"] <= position["end"]
    if "body" in item:
        assert item["body"]["type"] == "TextualBody" and isinstance(item["body"]["value"], str)
        assert item["motivation"] == "commenting"
    else:
        assert item["motivation"] == "highlighting"


def test_export_clear_import_restores_notes_exactly(guarded, study_site: StudySite, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(study_site.url + "readings/alpha/01-opening/")
    note_by_mouse(page, "p1", "quoted", "A note with <b>markup</b> & \"quotes\"")
    select_words(page, "p2", "names the")
    page.get_by_role("toolbar", name="Selected words").get_by_role("button", name="Highlight").click()
    note_by_keyboard(page, 1, 0, "On the whole paragraph")
    before = sorted(stored(page), key=lambda n: n["id"])
    assert len(before) == 3 and any(n["whole"] for n in before) and any(not n["note"] for n in before)

    page.goto(study_site.url + "my-notes/")
    expect(page.locator(".study-item")).to_have_count(3)
    expect(page.locator(".study-privacy")).to_contain_text("Nothing is sent")
    assert "<b>markup</b>" in page.locator(".study-note", has_text="markup").inner_text(), "text, never markup"
    link = page.locator(".study-list h3 a").first
    assert link.get_attribute("href").endswith("readings/alpha/01-opening/#p1")
    with page.expect_download() as markdown:
        page.get_by_role("button", name="Export as Markdown").click()
    exported_md = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert "## Alpha report" in exported_md and "> quoted" in exported_md and "### ¶1 · Opening" in exported_md
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as Web Annotation JSON").click()
    exported = tmp_path / "my-notes.jsonld"
    download.value.save_as(exported)
    collection = json.loads(exported.read_text(encoding="utf-8"))
    assert collection["@context"] == ANNO_CONTEXT and collection["type"] == "AnnotationCollection"
    assert collection["total"] == 3 and collection["first"]["type"] == "AnnotationPage"
    for item in collection["first"]["items"]:
        check_web_annotation(item)
        assert re.search(r"/readings/alpha/01-opening/#p[12]$", item["target"]["source"])

    page.once("dialog", lambda confirm: confirm.accept())
    page.get_by_role("button", name="Delete all notes").click()
    expect(page.locator(".study-item")).to_have_count(0)
    assert stored(page) == []
    expect(page.get_by_role("status")).to_have_text("All notes deleted.")

    page.locator("#study-import").set_input_files(str(exported))
    expect(page.locator(".study-item")).to_have_count(3)
    assert sorted(stored(page), key=lambda n: n["id"]) == before
    page.goto(study_site.url + "readings/alpha/01-opening/")
    expect(page.locator("article mark.study-mark")).to_have_count(2)
    assert guarded.outside == []


def test_notes_print_with_their_section(guarded, study_site: StudySite) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(study_site.url + "readings/alpha/01-opening/")
    note_by_keyboard(page, 1, 1, "Printed with the paragraph")
    printed = page.locator(".study-print")
    expect(printed).to_be_hidden()
    page.emulate_media(media="print")
    expect(printed).to_be_visible()
    expect(printed).to_contain_text("Printed with the paragraph")
    expect(page.locator(".study-marker")).to_be_hidden()
    assert guarded.outside == []


# -- accessibility on the real library ----------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_on_my_notes_and_a_section_with_a_highlight(browser, request, site_url: str, section_url: str,  # type: ignore[no-untyped-def]
                                                       scheme: str, width: int) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context, guarded = _new_page(browser, request, **screen(width))
    page = guarded.page
    axe = Axe()
    found = []

    def run(where: str) -> None:
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        found.extend(f"{where}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}"
                     for v in axe.run(page).response["violations"])

    page.goto(site_url + section_url)
    paragraph = page.locator("article p.para").nth(1).get_attribute("id")
    note_by_keyboard(page, int(paragraph[1:]), 1, "A note to check")
    expect(page.locator("article .study-marker")).to_have_count(1)
    page.wait_for_function("[...document.styleSheets].some(s => s.href && s.href.endsWith('study.css'))")
    run("section with a highlight")
    page.screenshot(path=str(RESULTS / f"study-section-{width}-{scheme}.png"))
    page.get_by_role("button", name="Add a note").click()
    run("the note dialog")
    page.screenshot(path=str(RESULTS / f"study-dialog-{width}-{scheme}.png"))
    page.keyboard.press("Escape")
    page.goto(site_url + "my-notes/")
    expect(page.locator(".study-item")).to_have_count(1)
    page.wait_for_function("[...document.styleSheets].some(s => s.href && s.href.endsWith('study.css'))")
    run("my notes")
    page.screenshot(path=str(RESULTS / f"study-my-notes-{width}-{scheme}.png"), full_page=True)
    assert guarded.outside == []
    context.close()
    assert found == []
