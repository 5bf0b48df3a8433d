"""A MkDocs plugin that refuses to build the reading library without its hooks.

A module of its own, outside ``readinglib``: MkDocs loads plugins before hooks, and the
hooks must import the ``readinglib`` that sits beside them, not one this plugin loaded.

Without ``hooks: [scripts/hooks.py]`` MkDocs would wipe the site folder and then
publish the raw sources ([[…]] references as text, no glossary), failing only on
generic warnings. This plugin (``plugins: [reading-library]``, installed with the
package) stops the build in ``on_config``, before MkDocs touches the site folder.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin

MARKER = "READING_LIBRARY_HOOKS"
"""Set in scripts/hooks.py: how the guard knows the library's hooks are loaded."""


class HooksGuard(BasePlugin):  # type: ignore[type-arg]
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if not any(getattr(module, MARKER, False) for module in (config.hooks or {}).values()):
            raise Abort(f"{config.config_file_path or 'mkdocs.yml'} does not load the reading library's "
                        "hooks, so [[…]] references would stay raw text and no glossary would be built; "
                        "add 'hooks: [scripts/hooks.py]'. Nothing was built and the site folder was "
                        "left as it was.")
        return config
