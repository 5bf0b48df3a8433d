"""Markdown bodies: a section split into numbered paragraphs and editors' notes, and the
validation every body gets before it may reach a page."""

from __future__ import annotations

import re
from collections.abc import Callable

from readinglib.anchors import link_definitions
from readinglib.diagnostics import Diagnostic, error
from readinglib.model import Annotation, Paragraph, Section
from readinglib.references import FENCE, find_references
from readinglib.schema import as_date
from readinglib.sourcefile import SourceFile
from readinglib.text import markdown_problems

ANNOTATION_OPEN = re.compile(
    r'^:::\s*(?P<kind>[A-Za-z-]+)(?:\s+(?P<date>\d{4}-\d{2}-\d{2}))?(?:\s+"(?P<title>[^"]*)")?'
    r'(?:\s+reviewed=(?P<reviewed>\S*))?\s*$'
)
ANNOTATION_CLOSE = ":::"
ANNOTATION_KINDS = ("context", "explanation", "update")

Report = Callable[[Diagnostic], None]


def check_markdown(path: str, text: str, first_line: int, report: Report) -> None:
    """A body is Markdown only: no raw HTML, unsafe link targets or attributes (code may show them)."""
    for problem in markdown_problems(text, first_line):
        report(error(path, problem.line, problem.column, problem.code, problem.message))


def leading_blank_lines(text: str) -> int:
    count = 0
    for line in text.split("\n"):
        if line.strip():
            break
        count += 1
    return count


def parse_section_body(source: SourceFile, section: Section, number: int, report: Report) -> None:
    """Split a section body into paragraphs numbered from ``number`` and the notes after them."""
    lines = source.body.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        line_number = source.body_line + index
        if not line.strip():
            index += 1
            continue
        opening = ANNOTATION_OPEN.match(line)
        if line.startswith(":::") and opening is None:
            report(error(source.path, line_number, 1, "bad-annotation",
                         'annotation must open with ::: context|explanation|update [YYYY-MM-DD] ["title"] '
                         '[reviewed=YYYY-MM-DD]'))
            index += 1
            continue
        if opening:
            index = _parse_annotation(source, section, lines, index, opening, report)
            continue
        start = index
        index = _paragraph_end(lines, index)
        text = "\n".join(lines[start:index])
        if text.lstrip().startswith("#"):
            report(error(source.path, line_number, 1, "heading-in-body",
                         "headings come from the front matter 'title'; one section per file"))
        elif definitions := link_definitions(text):
            report(error(source.path, line_number + text.count("\n", 0, definitions[0].start()), 1,
                         "link-definition",
                         "Markdown takes a link definition ([name]: address) out of the text, which "
                         "breaks the paragraph and its numbering; write the link inline: [text](address)"))
        check_markdown(source.path, text, line_number, report)
        section.paragraphs.append(Paragraph(number=number, text=text, line=line_number,
                                            references=find_references(text, line_number)))
        number += 1


def _parse_annotation(source: SourceFile, section: Section, lines: list[str], index: int,
                      opening: re.Match[str], report: Report) -> int:
    line_number = source.body_line + index

    def problem(column: int, code: str, message: str) -> None:
        report(error(source.path, line_number, column, code, message))

    end = next((i for i in range(index + 1, len(lines)) if lines[i].strip() == ANNOTATION_CLOSE), None)
    if end is None:
        problem(1, "bad-annotation", "annotation is never closed; end it with a line ':::'")
        return len(lines)
    kind = opening.group("kind").lower()
    text = "\n".join(lines[index + 1:end]).strip("\n")
    text_line = source.body_line + index + 1 + leading_blank_lines("\n".join(lines[index + 1:end]))
    date = as_date(opening.group("date")) if opening.group("date") else None
    reviewed = as_date(opening.group("reviewed")) if opening.group("reviewed") is not None else None
    title = opening.group("title")
    if opening.group("reviewed") is not None and reviewed is None:
        problem(opening.start("reviewed") + 1, "bad-date",
                f"reviewed={opening.group('reviewed')} is not a date; write reviewed=YYYY-MM-DD")
    elif opening.group("date") and date is None:
        problem(opening.start("date") + 1, "bad-annotation", f"'{opening.group('date')}' is not a date; write YYYY-MM-DD")
    elif kind not in ANNOTATION_KINDS:
        problem(5, "bad-annotation", f"unknown annotation kind '{kind}'; use one of {', '.join(ANNOTATION_KINDS)}")
    elif kind == "update" and date is None:
        problem(1, "bad-annotation", "an 'update' annotation needs its date: ::: update YYYY-MM-DD")
    elif not text.strip():
        problem(1, "bad-annotation", "annotation is empty")
    elif not section.paragraphs:
        problem(1, "bad-annotation", "annotation must follow the paragraph it is about")
    elif "[[" in (title or ""):
        problem(opening.start("title") + title.index("[[") + 1, "bad-reference",
                "[[…]] references work in a note's text, not in its title; write the name as plain text")
    else:
        check_markdown(source.path, text, text_line, report)
        section.paragraphs[-1].annotations.append(Annotation(
            kind=kind, text=text, line=line_number, text_line=text_line, date=date, title=title,
            reviewed=reviewed, references=find_references(text, text_line)))
    return end + 1


def _paragraph_end(lines: list[str], index: int) -> int:
    """Index after the paragraph starting at ``index``: a blank line or ``:::`` ends it,
    except inside fenced code, which may hold both."""
    fence: str | None = None
    while index < len(lines):
        line = lines[index]
        marker = FENCE.match(line)
        if fence is not None:
            if marker and marker.group(1)[0] == fence[0] and len(marker.group(1)) >= len(fence):
                fence = None
        elif marker:
            fence = marker.group(1)
        elif not line.strip() or line.startswith(":::"):
            break
        index += 1
    return index
