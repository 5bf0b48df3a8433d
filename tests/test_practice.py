"""Each reading's practice page (issue 13): cards from the model, answered by keyboard,
progress on a spaced-repetition schedule in localStorage, the checker's word on cards
that cannot be made, and instructors turning it off. Browser tests in Debian's Chromium,
with every request to another host blocked and recorded."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BuildResult, copy_library, FIXTURES, _new_page, RESULTS, ROOT, screen
from playwright.sync_api import expect
from readinglib import load_library
from readinglib.practice import BLANK, deck
from readinglib.project import check_project

DAY_MS = 86_400_000


def practice_url(reading) -> str:  # type: ignore[no-untyped-def]
    return reading.src_uri.removesuffix("index.md") + "practice/"


def progress(page, reading) -> dict:  # type: ignore[no-untyped-def]
    return page.evaluate(f"JSON.parse(localStorage.getItem('reading-library.practice.{reading.slug}') || '{{}}')")


def card_id(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".practice-card").get_attribute("data-card-id")


def answer_by_keyboard(page, *, right: bool) -> None:  # type: ignore[no-untyped-def]
    """Answer the card shown with keys only; focus is on its prompt."""
    card = page.locator(".practice-card")
    if card.get_by_role("button", name="Show answer").is_visible():
        page.keyboard.press("Tab")
        expect(card.get_by_role("button", name="Show answer")).to_be_focused()
        page.keyboard.press("Enter")
        expect(card.get_by_role("button", name="I knew it")).to_be_focused()
        if not right:
            page.keyboard.press("Tab")  # "Not yet"
        page.keyboard.press("Enter")
    else:
        options = card.locator("input[type=radio]")
        labels = [text.strip() for text in card.locator(".practice-option").all_inner_texts()]
        answer = page.evaluate("""id => JSON.parse(document.getElementById('practice-data').textContent)
                                       .cards.find(c => c.id === id).answer""", card_id(page))
        wanted = labels.index(answer) if right else next(i for i, label in enumerate(labels) if label != answer)
        page.keyboard.press("Tab")
        expect(options.first).to_be_focused()
        page.keyboard.press("Space")
        for _ in range(wanted):
            page.keyboard.press("ArrowDown")  # a radio group: arrows move and choose
        expect(options.nth(wanted)).to_be_checked()
        page.keyboard.press("Enter")  # submits the form
    expect(card.get_by_role("button", name="Next card")).to_be_focused()


def test_practice_by_keyboard_and_wrong_answers_come_back_sooner(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    reading = library.readings[0]
    page = guarded.page
    page.goto(site_url + practice_url(reading))
    page.evaluate("localStorage.clear()")
    page.reload()
    card = page.locator(".practice-card")
    expect(card).to_be_visible()
    expect(page.locator(".study-privacy")).to_contain_text("Nothing is sent")
    page.locator(".practice-prompt").focus()
    first = card_id(page)
    assert first.startswith("term:")
    answer_by_keyboard(page, right=True)
    expect(page.locator(".practice-verdict")).to_contain_text("knew it")
    back = card.locator(".practice-place a")
    assert back.get_attribute("href").endswith(f"glossary/{first.split(':')[1]}/")
    page.keyboard.press("Enter")  # Next card
    expect(page.locator(".practice-prompt")).to_be_focused()
    wrong = card_id(page)
    assert wrong.startswith("cloze:")
    answer_by_keyboard(page, right=False)
    expect(page.locator(".practice-verdict")).to_contain_text("Not quite")
    expect(page.get_by_role("status").filter(has_text="comes back soon")).to_have_count(1)
    paragraph = wrong.rsplit(":", 1)[1]
    assert re.search(rf"/readings/{reading.slug}/[^/]+/#{paragraph}$", card.locator(".practice-place a").get_attribute("href"))
    saved = progress(page, reading)
    now = page.evaluate("Date.now()")
    assert saved[first]["box"] == 1 and saved[first]["due"] > now + DAY_MS - 60_000
    assert saved[wrong]["box"] == 0 and saved[wrong]["due"] <= now + 60_000
    assert saved[wrong]["due"] < saved[first]["due"], "a wrong answer is due sooner than a right one"
    seen = []
    for _ in range(4):
        page.keyboard.press("Enter")  # Next card
        expect(page.locator(".practice-prompt")).to_be_focused()
        seen.append(card_id(page))
        if seen[-1] == wrong:
            break
        answer_by_keyboard(page, right=True)
    assert seen[-1] == wrong and len(seen) == 3, f"the card answered wrong comes back after two others: {seen}"
    page.reload()  # progress is kept: the cards answered right are not due again today
    assert card_id(page) not in {first, *seen[:-1]}
    assert guarded.outside == []


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_on_the_practice_page(browser, request, site_url: str, library, scheme: str, width: int) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context, guarded = _new_page(browser, request, **screen(width))
    page = guarded.page
    page.goto(site_url + practice_url(library.readings[0]))
    page.wait_for_function("[...document.styleSheets].some(s => s.href && s.href.endsWith('study.css'))")
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    found = []
    for state in ("card", "answer", "choice", "result"):
        if state == "answer":
            page.get_by_role("button", name="Show answer").click()
        elif state == "choice":
            page.get_by_role("button", name="I knew it").click()
            page.get_by_role("button", name="Next card").click()
        elif state == "result":
            page.locator(".practice-card input[type=radio]").first.check()
            page.get_by_role("button", name="Check answer").click()
        page.mouse.move(0, 0)  # a hovered link takes Material's accent colour, as everywhere on the site
        found += [f"{state}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']}: {v['help']}"
                  for v in Axe().run(page).response["violations"]]
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=str(RESULTS / f"practice-{state}-{width}-{scheme}.png"))
    assert guarded.outside == []
    context.close()
    assert found == []


def test_practice_and_notes_work_from_the_offline_copy(guarded, offline_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    reading = library.readings[0]
    page = guarded.page
    page.goto((offline_site.site / reading.src_uri.replace("index.md", "practice.html")).as_uri())
    expect(page.locator(".practice-card")).to_be_visible()
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Not yet").click()
    expect(page.locator(".practice-verdict")).to_contain_text("Not yet")
    section = reading.sections[0]
    page.goto((offline_site.site / section.src_uri.replace(".md", ".html")).as_uri())
    page.get_by_role("button", name="Add a note").click()
    dialog = page.locator("dialog.study-dialog")
    dialog.get_by_label("Your note").fill("Offline note")
    dialog.get_by_role("button", name="Save").click()
    expect(page.locator("article .study-marker")).to_have_count(1)
    page.goto((offline_site.site / "my-notes.html").as_uri())
    expect(page.locator(".study-note")).to_have_text("Offline note")
    assert guarded.outside == []


# -- the model, the checker and the switch (no browser) -------------------------------------------


def test_cards_come_from_the_model() -> None:
    library = load_library(FIXTURES / "two-readings")
    alpha = library.reading("alpha")
    cards = deck(library, alpha)
    assert [c.id for c in cards] == [c.id for c in deck(load_library(FIXTURES / "two-readings"), alpha)]
    kinds = {c.kind for c in cards}
    assert kinds == {"term", "definition", "cloze", "section"}
    for card in cards:
        assert (card.answer in card.options) if card.options else card.kind in ("term", "definition")
        if card.kind == "definition":
            term = library.terms[card.id.split(":")[1]]
            assert term.term.casefold() not in card.prompt.casefold()
        if card.kind == "cloze":
            assert BLANK in card.prompt and "[[" not in card.prompt
    assert any(c.kind == "cloze" and c.fragment == "p1" and "The first paragraph mentions a _____" in c.prompt
               for c in cards)


def _generated(plan) -> str:  # type: ignore[no-untyped-def]
    """What a page's plan generates, Markdown and HTML."""
    return "".join(getattr(block, "markdown", "") or getattr(block, "html", "") for block in plan.blocks)


def test_instructors_turn_practice_off_in_front_matter(tmp_path: Path) -> None:
    config = copy_library(FIXTURES / "problems" / "clean", tmp_path / "lib")
    index = tmp_path / "lib" / "docs" / "readings" / "r" / "index.md"
    written = index.read_text(encoding="utf-8")
    project = check_project(tmp_path / "lib", config)
    assert "readings/r/practice.md" in project.pages
    assert "Practise this reading" in _generated(project.pages["readings/r/index.md"])
    index.write_text(written.replace("date: 2020-01-02\n", "date: 2020-01-02\npractice: false\n"), encoding="utf-8")
    project = check_project(tmp_path / "lib", config)
    assert project.findings == []
    assert "readings/r/practice.md" not in project.pages
    assert "Practise" not in _generated(project.pages["readings/r/index.md"])
    index.write_text(written.replace("date: 2020-01-02\n", "date: 2020-01-02\npractice: maybe\n"), encoding="utf-8")
    findings = [f.format() for f in check_project(tmp_path / "lib", config).findings]
    assert findings == ["docs/readings/r/index.md:6:1: error: 'practice' must be true or false, not 'maybe' [bad-field]"]


def test_help_lists_the_practice_key() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_xrefs.py"), "--help"],
                            capture_output=True, text=True, check=False)
    assert re.search(r"reading: .*\bpractice\b", result.stdout)
    assert "practice-card" in result.stdout
