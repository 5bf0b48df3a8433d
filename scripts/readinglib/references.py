"""The reference parser: the one definition of what a glossary reference is.

A reference is written ``[[target]]`` or ``[[target|label]]``. The target is a
term's slug, its name or one of its aliases, matched case-insensitively; the
label, when given, is the text shown in the page (so the article's own words
stay untouched). References inside code spans and fenced code are not parsed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

REFERENCE = re.compile(r"\[\[(?P<target>[^\[\]|\n]*)(?:\|(?P<label>[^\[\]\n]*))?\]\]")
OPENER = re.compile(r"\[\[")
UNCLOSED_SHOWN = 40  # characters of an unclosed reference kept for its message
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})", re.MULTILINE)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")
# the text of an inline Markdown link or image, ``[text](``, up to two levels of brackets deep
LINK_TEXT = re.compile(r"\[(?:[^\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*\](?=\()")


@dataclass(frozen=True)
class Reference:
    """One ``[[…]]`` in a source text, with its 1-based line and column.

    ``problem`` is set when the brackets are there but the reference is not
    usable (empty target or label, or never closed).
    """

    target: str
    label: str | None
    line: int
    column: int
    start: int
    end: int
    problem: str | None = None

    @property
    def key(self) -> str:
        """The target as looked up: case and runs of white space ignored."""
        return normalise_name(self.target)

    @property
    def text(self) -> str:
        """The words the reader sees."""
        return self.label if self.label is not None else self.target.strip()


@lru_cache(maxsize=65536)  # every reference's target is looked up on each page that shows it
def normalise_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def format_reference(target: str, label: str | None = None) -> str:
    """Write a reference in source syntax (the inverse of :func:`find_references`)."""
    return f"[[{target}]]" if label is None else f"[[{target}|{label}]]"


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans, where nothing is parsed."""
    if "`" not in text and "~~~" not in text:
        return []
    ranges: list[tuple[int, int]] = []
    fences = list(FENCE.finditer(text))
    index = 0
    while index < len(fences):
        opening = fences[index]
        marker = opening.group(1)
        closing = next((f for f in fences[index + 1:]
                        if f.group(1)[0] == marker[0] and len(f.group(1)) >= len(marker)), None)
        end = closing.end() if closing else len(text)
        ranges.append((opening.start(), end))
        index = fences.index(closing) + 1 if closing else len(fences)
    fenced = sorted(ranges)
    for span in CODE_SPAN.finditer(text):
        if not in_ranges(fenced, span.start()):
            ranges.append((span.start(), span.end()))
    return sorted(ranges)


def in_ranges(ranges: list[tuple[int, int]], offset: int, *, inside: bool = False) -> bool:
    """Whether ``offset`` falls in one of ``ranges`` (sorted, not overlapping: code, link texts).

    A range holds its start unless ``inside`` asks for offsets strictly within it.
    """
    index = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
    if index < 0:
        return False
    start, end = ranges[index]
    return start < offset < end if inside else start <= offset < end


def line_column(text: str, offset: int, first_line: int = 1, first_column: int = 1) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``, which starts at ``first_line``/``first_column``."""
    line = text.count("\n", 0, offset)
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return first_line + line, column + (first_column - 1 if line == 0 else 0)


class _Positions:
    """Turns offsets into 1-based (line, column) pairs."""

    def __init__(self, text: str, first_line: int, first_column: int) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.first_line = first_line
        self.first_column = first_column

    def at(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.starts, offset) - 1
        column = offset - self.starts[row] + 1
        if row == 0:
            column += self.first_column - 1
        return self.first_line + row, column


def find_references(text: str, first_line: int = 1, first_column: int = 1) -> list[Reference]:
    """Every reference in ``text``, in order, including malformed ones.

    ``first_line`` and ``first_column`` say where ``text`` starts in its file.
    """
    if "[[" not in text:
        return []
    code = code_ranges(text)
    link_texts = [(m.start(), m.end()) for m in LINK_TEXT.finditer(text)] if "](" in text else []

    positions = _Positions(text, first_line, first_column)
    found: list[Reference] = []
    covered = 0
    for opener in OPENER.finditer(text):
        start = opener.start()
        if start < covered or in_ranges(code, start):
            continue
        match = REFERENCE.match(text, start)
        line, column = positions.at(start)
        if match is None:
            # the target shown is cut short: a line of many '[[' must not copy the line each time
            end = text.find("\n", start, start + 2 + UNCLOSED_SHOWN)
            shown = text[start + 2:end if end >= 0 else start + 2 + UNCLOSED_SHOWN]
            found.append(Reference(shown, None, line, column, start, start + 2,
                                   problem="'[[' is never closed with ']]' on the same line"))
            covered = start + 2
            continue
        target, label = match.group("target"), match.group("label")
        problem = None
        if not target.strip():
            problem = "empty reference: write [[term]] or [[term|shown text]]"
        elif label is not None and not label.strip():
            problem = "empty label after '|': write [[term|shown text]] or drop the '|'"
        elif in_ranges(link_texts, start, inside=True):
            problem = "a reference inside a link's text would put a link in a link; link the term or the page, not both"
        found.append(Reference(target, label, line, column, start, match.end(), problem))
        covered = match.end()
    return found


def replace_references(text: str, render: Callable[[Reference], str],
                       references: list[Reference] | None = None) -> str:
    """``text`` with each well-formed reference replaced by ``render(reference)``."""
    pieces: list[str] = []
    position = 0
    for reference in references if references is not None else find_references(text):
        if reference.problem:
            continue
        pieces.append(text[position:reference.start])
        pieces.append(render(reference))
        position = reference.end
    pieces.append(text[position:])
    return "".join(pieces)


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"\{[:#. ][^}\n]*\}|[*_`]+|\\(?=\S)")
_MARK_STARTS = ("{", "*", "_", "`", "\\")


def plain_words(markdown: str, references: list[Reference] | None = None) -> str:
    """Authored Markdown as the words a reader sees: references by their labels, no link
    targets or emphasis marks, white space folded (``references``: those of ``markdown``,
    when the caller has found them already)."""
    shown = replace_references(markdown, lambda reference: reference.text, references)
    shown = _LINK.sub(r"\1", shown) if "](" in shown else shown
    if any(mark in shown for mark in _MARK_STARTS):  # (most text has none: a scan for each is quicker)
        shown = _MARKS.sub("", shown)
    return " ".join(shown.split())


def strip_references(text: str) -> str:
    """The text a reader sees, references reduced to their words."""
    return replace_references(text, lambda reference: reference.text)
