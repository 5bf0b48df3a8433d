"""Authored paragraphs that Markdown would leave word for word, put in as HTML.

Converting Markdown is most of a build's time, and most of an article's paragraphs are
plain words: no emphasis, link, code, HTML or character reference, and nothing a line
could start a list, heading or block with. Python-Markdown makes ``<p>``, the words and
``</p>`` of such a paragraph, on any page, as long as every Markdown extension of the site
needs characters plain words do not have for its syntax (:data:`KNOWN_EXTENSIONS`) and no
abbreviation is defined (an abbreviation marks up any word). Then
:func:`readinglib.pages.render` puts the paragraph in as generated HTML (a placeholder,
:mod:`readinglib.markup`) and Markdown never converts it. Anything else, and everything on
a site with another extension, is converted as before.

``tests/test_plaintext.py`` holds the promise: random and tricky plain paragraphs convert
to exactly that HTML with all the known extensions on (alone, after a heading, after a
paragraph's generated opening), and the fixture library built with this and without it
is the same site, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

KNOWN_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.highlight", "pymdownx.superfences",
})
"""Extensions whose syntax starts a line with a mark, or needs ``*``, ``_``, a backtick,
``[``, ``{``, ``<``, ``&``, a backslash or a line break: none of them changes plain words
(``abbr`` only with abbreviations, which are checked apart)."""

_NOT_PLAIN = re.compile("[^\\w .,;:?!'\"()/%$@#|~^=+\\-–—‘’“”…]|_")
"""A character that is not a letter, digit, space or common punctuation (``_`` is a word
character, and emphasis)."""
_OPENERS = "\"'(“‘"
_NUMBERED = re.compile(r"\d+[.)](?:\s|\Z)")
"""The start of a numbered list item."""
ABBREVIATION = "*["
"""How an abbreviation's definition starts (``*[HTML]: HyperText Markup Language``)."""


@dataclass(frozen=True)
class PlainText:
    """Which authored text a site's Markdown would leave as it is (:meth:`of`)."""

    @classmethod
    def of(cls, extensions: Iterable[object], configs: Mapping[str, Mapping[str, object]]) -> PlainText | None:
        """For a site with these Markdown extensions (names, or objects) and their settings;
        ``None`` when one is not known, or abbreviations come from a glossary setting."""
        names = {name.removeprefix("markdown.extensions.") if isinstance(name, str) else None for name in extensions}
        if not names <= KNOWN_EXTENSIONS:
            return None
        if any(config.get("glossary") for name, config in configs.items()
               if name.removeprefix("markdown.extensions.") == "abbr"):
            return None
        return cls()

    @staticmethod
    def is_plain(text: str) -> bool:
        """Whether Markdown makes ``<p>`` + ``text`` + ``</p>`` of ``text`` as a paragraph of
        its own, or after a paragraph's generated opening (on a page defining no abbreviation)."""
        return (bool(text) and (text[0].isalnum() or text[0] in _OPENERS) and text[-1] != " "
                and _NOT_PLAIN.search(text) is None and _NUMBERED.match(text) is None)

    @staticmethod
    def defines_abbreviations(texts: Iterable[str]) -> bool:
        """Whether any of ``texts`` (a page's authored Markdown) could define an abbreviation."""
        return any(ABBREVIATION in text for text in texts)
