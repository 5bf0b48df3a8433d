"""Read one source file: UTF-8 text, YAML front matter and a Markdown body.

Every problem becomes a :class:`Diagnostic` at the line and column where it
is, never an exception, so one bad file cannot hide the problems of another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from readinglib.diagnostics import Diagnostic, error

FENCE = "---"


@dataclass
class SourceFile:
    """A source file split into front matter (``meta``) and Markdown ``body``.

    ``positions`` maps a front-matter key, or ``(key, index)`` for an item of a
    list, to its 1-based ``(line, column)`` in the file.
    """

    path: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    positions: dict[object, tuple[int, int]] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1

    @property
    def last_line(self) -> int:
        """Number of the file's last line (a final newline does not start another)."""
        return self.text.count("\n", 0, len(self.text.rstrip("\n"))) + 1

    def position(self, key: object) -> tuple[int, int]:
        """Where ``key`` is written; the top of the file when it is absent."""
        return self.positions.get(key, (1, 1))


class _UniqueKeys:
    """Safe-loader behaviour shared by both loaders below: unique plain keys, marked errors."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Turn a value YAML accepts but Python cannot (``2022-02-30``) into a marked error."""
        try:
            return super().construct_object(node, deep=deep)  # type: ignore[no-untyped-call]
        except yaml.MarkedYAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value!r}: {exc}", node.start_mark) from exc

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be a plain name, not a list or mapping", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _ExactLoader(_UniqueKeys, yaml.SafeLoader):
    """Pure-Python PyYAML: its error messages are the same on every machine."""


class _FastLoader(_UniqueKeys, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml when PyYAML has it: valid front matter loads several times faster."""


def read_source(path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Read ``path`` (reported as ``display``); ``None`` when it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(display, 1, 1, "unreadable", f"cannot read this file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            error(display, line, column, "not-utf8",
                  f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        ]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return split_front_matter(text, display)


def split_front_matter(text: str, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Split ``---``-fenced YAML front matter from the Markdown body."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return SourceFile(display, text, body=text, body_line=1), []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE)
    except StopIteration:
        return None, [
            error(display, 1, 1, "front-matter",
                  "front matter opened with '---' is never closed; add a '---' line after it")
        ]
    yaml_text = "\n".join(lines[1:end])
    source = SourceFile(display, text, body="\n".join(lines[end + 1:]), body_line=end + 2)
    problem = _parse_yaml(yaml_text, source, line_offset=1)
    if problem:
        return None, [problem]
    return source, []


def _parse_yaml(yaml_text: str, source: SourceFile, line_offset: int) -> Diagnostic | None:
    """Parse with libyaml; on any problem parse again in pure Python for a stable message."""
    try:
        node, data = _load(_FastLoader, yaml_text)
    except yaml.YAMLError:
        pass
    else:
        return _accept(node, data, source, line_offset)
    try:
        node, data = _load(_ExactLoader, yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "malformed YAML").strip()
        if "'\\t'" in problem:
            problem += " (indent YAML with spaces, not tabs)"
        return error(source.path, line, column, "front-matter",
                     f"malformed YAML front matter: {problem}")
    except yaml.YAMLError as exc:
        return error(source.path, 1, 1, "front-matter", f"malformed YAML front matter: {exc}")
    return _accept(node, data, source, line_offset)


def _load(loader_class: type, yaml_text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else {})
    finally:
        loader.dispose()


def _accept(node: yaml.Node | None, data: Any, source: SourceFile, line_offset: int) -> Diagnostic | None:
    """Keep a parsed mapping and the positions of its keys on ``source``."""
    if not isinstance(data, dict):
        return error(source.path, 2, 1, "front-matter",
                     "front matter must be a YAML mapping of 'key: value' lines")
    source.meta = data
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            source.positions[key] = _mark(key_node, line_offset)
            source.positions[(key, "value")] = _mark(value_node, line_offset)
            _record_items(source.positions, (key,), value_node, line_offset)
    return None


def _mark(node: yaml.Node, line_offset: int) -> tuple[int, int]:
    return node.start_mark.line + 1 + line_offset, node.start_mark.column + 1


def _record_items(positions: dict[object, tuple[int, int]], path: tuple[object, ...], node: yaml.Node,
                  line_offset: int) -> None:
    """Positions below a top-level key: ``(key, index)`` for a list item, ``(key, index, name)``
    for a key of that item, and so on down (``("updates", 0, "sources", 1, "url")``)."""
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[(*path, index)] = _mark(item, line_offset)
            _record_items(positions, (*path, index), item, line_offset)
    elif isinstance(node, yaml.MappingNode) and len(path) > 1:
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                positions[(*path, key_node.value)] = _mark(key_node, line_offset)
                _record_items(positions, (*path, key_node.value), value_node, line_offset)
