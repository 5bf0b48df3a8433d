"""The ``nav`` of an ``mkdocs.yml``, read with the position of every entry.

Both the hook and the checker read it here, following ``INHERIT:`` the way
MkDocs does, so they report the same ``mkdocs.yml:line:column``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from readinglib.diagnostics import Diagnostic, error


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that tolerates MkDocs' own tags (``!ENV``, ``!!python/name:``…)."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class NavEntry:
    """One page in the navigation: its path (or URL) and where it is written."""

    target: str
    path: str
    line: int
    column: int

    @property
    def is_external(self) -> bool:
        return "://" in self.target or self.target.startswith("mailto:")


@dataclass
class Navigation:
    entries: list[NavEntry]
    explicit: bool
    docs_dir: str = "docs"
    use_directory_urls: bool = True
    site_url: str | None = None
    theme: str = "mkdocs"
    theme_dir: str | None = None
    """The theme's ``custom_dir``, relative to the configuration file's folder."""


def _walk(node: yaml.Node, path: str) -> list[NavEntry]:
    if isinstance(node, yaml.ScalarNode):
        return [NavEntry(node.value, path, node.start_mark.line + 1, node.start_mark.column + 1)]
    if isinstance(node, yaml.SequenceNode):
        return [entry for item in node.value for entry in _walk(item, path)]
    if isinstance(node, yaml.MappingNode):
        return [entry for _, value in node.value for entry in _walk(value, path)]
    return []


def read_navigation(config: Path, display: str | None = None) -> tuple[Navigation, list[Diagnostic]]:
    """Read ``config`` (and what it inherits); problems as diagnostics."""
    display = display or config.name
    settings: dict[str, yaml.Node] = {}
    files: dict[str, str] = {}
    seen: set[Path] = set()
    current: Path | None = config
    while current is not None and current not in seen:
        seen.add(current)
        shown = display if current == config else current.name
        try:
            node = yaml.compose(current.read_text(encoding="utf-8"), Loader=_ConfigLoader)
        except (OSError, UnicodeDecodeError) as exc:
            return Navigation([], False), [error(shown, 1, 1, "config", f"cannot read {shown}: {exc}")]
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            return Navigation([], False), [error(shown, (mark.line + 1) if mark else 1,
                                                 (mark.column + 1) if mark else 1, "config",
                                                 f"malformed YAML: {exc.problem}")]
        parent = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
                    parent = current.parent / value.value
                elif key.value not in settings:
                    settings[key.value] = value
                    files[key.value] = shown
        current = parent
    nav = settings.get("nav")
    navigation = Navigation(_walk(nav, files["nav"]) if nav is not None else [], nav is not None)
    for key, attribute in (("docs_dir", "docs_dir"), ("site_url", "site_url")):
        if isinstance(settings.get(key), yaml.ScalarNode):
            setattr(navigation, attribute, settings[key].value)
    theme = settings.get("theme")
    if isinstance(theme, yaml.ScalarNode):
        navigation.theme = theme.value
    elif isinstance(theme, yaml.MappingNode):
        for key, value in theme.value:
            if key.value == "name" and isinstance(value, yaml.ScalarNode):
                navigation.theme = value.value
            elif key.value == "custom_dir" and isinstance(value, yaml.ScalarNode):
                navigation.theme_dir = value.value
    if isinstance(settings.get("use_directory_urls"), yaml.ScalarNode):
        navigation.use_directory_urls = settings["use_directory_urls"].value.lower() not in ("false", "no", "off")
    return navigation, _check_hooks(settings.get("hooks"), files.get("hooks", display), config.parent, display)


def _check_hooks(node: yaml.Node | None, shown: str, base: Path, display: str) -> list[Diagnostic]:
    """The configuration must load hook files that exist: without them no reference becomes a link."""
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        return [error(display, 1, 1, "config",
                      "no 'hooks:' in the configuration, so [[…]] references would stay raw text; "
                      "add hooks: [scripts/hooks.py]")]
    return [error(shown, item.start_mark.line + 1, item.start_mark.column + 1, "config",
                  f"hook file '{item.value}' does not exist (paths are relative to the configuration file)")
            for item in node.value
            if isinstance(item, yaml.ScalarNode) and not (base / item.value).is_file()]
