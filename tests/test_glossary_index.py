"""The glossary as a student looks things up: an A–Z of every name, filters, and a
concordance of every mention on each term page."""

from __future__ import annotations


from conftest import BuildResult, text_of
from readinglib.pages import filing_name



def test_filing_ignores_articles_and_years() -> None:
    assert filing_name("2022 Israeli legislative election") == "israeli legislative election"
    assert filing_name("The Hague") == "hague"
    assert filing_name("A 2015 deal") == "deal"
    assert filing_name("2022") == "2022"  # nothing left to file by: the name as it is


def test_every_alias_is_a_see_entry_filed_under_its_letter(real_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    index = real_site.page("glossary/")
    entries: dict[str, str] = {}
    for heading in index.css("article h2[id^='letter-']"):
        node = heading.next
        while node is not None and node.tag != "ul":
            node = node.next
        for item in node.css("li") if node is not None else []:
            entries[text_of(item)] = heading.attributes["id"]
    for term in library.terms.values():
        for alias in term.aliases:
            if filing_name(alias) == filing_name(term.term):
                continue
            line = f"{alias} → see {term.term}"
            assert line in entries, f"no see entry for {alias}"
            assert entries[line] == f"letter-{filing_name(alias)[0]}" or not filing_name(alias)[0].isalpha()
    election = next(t for t in library.terms.values() if t.term.startswith("2022 Israeli"))
    filed = next(letter for text, letter in entries.items() if text.startswith(election.term))
    assert filed == "letter-i"
    assert entries["IRGC → see Islamic Revolutionary Guard Corps"] == "letter-i"


def test_concordance_lists_every_mention_linked_or_not(real_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    for term in library.terms.values():
        page = real_site.page(f"glossary/{term.slug}/")
        heading = page.css_first("#appears-in")
        occurrences = library.concordance.get(term.slug, [])
        assert text_of(heading).startswith(f"Where this term appears ({len(occurrences)})")
        linked = {m.paragraph.number for m in library.backlinks[term.slug]}
        listed = set()
        node = heading.next
        while node is not None and node.tag != "h2":
            if node.tag == "ul":
                for item in node.css("li"):
                    marked = item.css_first("mark")
                    assert marked is not None and text_of(marked), "each mention is highlighted in context"
                    number = next(a for a in item.css("a") if text_of(a).startswith("¶"))
                    assert number.attributes["href"].endswith(f"#p{text_of(number)[1:]}")
                    listed.add(int(text_of(number)[1:]))
            node = node.next
        assert linked <= listed, f"{term.slug}: every linked mention is listed"
    jcpoa = real_site.page("glossary/jcpoa/")
    assert any(text_of(mark) == "JCPOA" and "¶15" in text_of(mark.parent)
               for mark in jcpoa.css("#appears-in ~ ul mark")), "¶15 says 'the JCPOA' without a link"


def _filter(page, category: str = "", reading: str = "") -> int:  # type: ignore[no-untyped-def]
    page.select_option("#filter-category", category)
    page.select_option("#filter-reading", reading)
    return page.locator("article li:has(.filter-entry):visible").count()


def test_index_filters_by_category_and_reading(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + "glossary/")
    everything = page.locator("article li:has(.filter-entry)").count()
    assert _filter(page) == everything
    organisations = _filter(page, category="organisation")
    assert 0 < organisations < everything
    shown = page.locator("article li:has(.filter-entry):visible .filter-entry").evaluate_all(
        "nodes => nodes.map(n => n.dataset.category)")
    assert set(shown) == {"organisation"}
    assert " shown" in page.locator(".filter-count").inner_text()
    assert _filter(page, reading=library.readings[0].slug) > 0
    assert page.locator("article h2[id^='letter-']:visible").count() <= page.locator("article h2[id^='letter-']").count()


def test_index_filters_work_offline_from_disk(guarded, offline_site: BuildResult) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto((offline_site.site / "glossary" / "index.html").as_uri())
    everything = page.locator("article li:has(.filter-entry)").count()
    assert 0 < _filter(page, category="organisation") < everything


def test_timeline_shows_each_event_once_with_its_terms(real_site: BuildResult, library) -> None:  # type: ignore[no-untyped-def]
    page = real_site.page("timeline/")
    items = page.css("article li:has(.filter-entry)")
    events = [(e.date, e.text) for t in library.terms.values() for e in t.events]
    updates = [(u.date, u.text) for t in library.terms.values() for u in t.updates]
    assert len(items) == len(events) + len(updates)
    assert len(set(events)) == len(events), "an event recorded twice"
    parts = [heading.attributes["id"] for heading in page.css("article h2")]
    assert parts == ["before-the-article", "since-the-article"]
    for term in library.terms.values():
        for event_id in term.shared_events:
            owner, event = library.events[event_id]
            line = next(i for i in items if event.text in text_of(i))
            linked = {a.attributes["href"].rstrip("/").rsplit("/", 1)[-1] for a in line.css("a.term-link")}
            assert {owner.slug, term.slug} <= linked


def test_timeline_filters_by_term_and_category(guarded, site_url: str, library) -> None:  # type: ignore[no-untyped-def]
    page = guarded.page
    page.goto(site_url + "timeline/")
    everything = page.locator("article li:has(.filter-entry)").count()
    page.select_option("#filter-term", "jcpoa")
    only = page.locator("article li:has(.filter-entry):visible")
    assert 0 < only.count() < everything
    slugs = only.locator(".filter-entry").evaluate_all("nodes => nodes.map(n => n.dataset.term.split(' '))")
    assert all("jcpoa" in terms for terms in slugs)
    page.select_option("#filter-term", "")
    page.select_option("#filter-category", "organisation")
    assert 0 < page.locator("article li:has(.filter-entry):visible").count() < everything
