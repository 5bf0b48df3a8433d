"""The reading library: load readings and glossary terms from source files.

The MkDocs hooks (``scripts/hooks.py``) and the checker (``scripts/check_xrefs.py``)
both read the sources through this package, so they always agree about what a
reference, a term or an anchor is.
"""

from readinglib.diagnostics import Diagnostic
from readinglib.loader import load_library
from readinglib.model import Library

__all__ = ["Diagnostic", "Library", "load_library"]
