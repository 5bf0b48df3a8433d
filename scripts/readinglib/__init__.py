"""The reading library: load readings and glossary terms from source files.

The MkDocs hooks (``scripts/hooks.py``) and the checker (``scripts/check_xrefs.py``)
both read the sources through this package, so they always agree about what a
reference, a term or an anchor is.

Its names are imported when first used, so that a process that needs one module (a
worker of the checker reading HTML) does not load the Markdown machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglib.diagnostics import Diagnostic
    from readinglib.loader import load_library
    from readinglib.model import Library

_WHERE = {"Diagnostic": "readinglib.diagnostics", "Library": "readinglib.model", "load_library": "readinglib.loader"}

__all__ = ["Diagnostic", "Library", "load_library"]


def __getattr__(name: str) -> object:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'readinglib' has no attribute {name!r}")
