"""A cache of parsed source files, so a large glossary or library is not parsed again on
every check, build and ``mkdocs serve`` rebuild.

The loader asks the cache for a file's parsed form (its ``SourceFile``, the model object
made from it and the findings it had) under the file's fingerprint: its path, size,
modification time and a hash of its bytes. Any change to the file changes the
fingerprint, so the entry is not used and the file is parsed again; a file that is gone
is not written back, so its entry goes with the next save. The cache is tied to the
library's own code (a hash of ``readinglib/*.py``), Python's and PyYAML's versions: a
change to any of them starts an empty cache.

One file per project, ``.cache/reading-library/parsed.pickle`` (git-ignored). A cache
file that cannot be read, is truncated or holds anything else is ignored and rebuilt;
writing it is best effort (a read-only checkout just runs without). Entries are
unpickled with a loader that only builds the library's own model classes and a few
plain types, so a tampered cache file cannot run code through pickle's class lookup.
Set ``READING_LIBRARY_CACHE=off`` to read every file afresh.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CACHE_DIR = Path(".cache") / "reading-library"
CACHE_FILE = "parsed.pickle"
ENVIRONMENT = "READING_LIBRARY_CACHE"
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent
_ALLOWED_GLOBALS = {("datetime", "date"), ("datetime", "datetime"), ("builtins", "set"),
                    ("builtins", "frozenset"), ("copyreg", "_reconstructor"), ("builtins", "object")}


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one version of a file: any edit changes at least the hash."""

    size: int
    mtime_ns: int
    digest: str


def fingerprint(path: Path) -> Fingerprint | None:
    """The file's fingerprint; ``None`` when it cannot be read (the loader then reports why)."""
    try:
        status = path.stat()
        raw = path.read_bytes()
    except OSError:
        return None
    return Fingerprint(status.st_size, status.st_mtime_ns, hashlib.blake2b(raw, digest_size=16).hexdigest())


def files_fingerprint(paths: list[Path]) -> Fingerprint | None:
    """One fingerprint of a set of files: something made from all of them (a reading's EPUB)
    is current only while every one of them is unchanged and no file is added or removed."""
    digest = hashlib.blake2b(digest_size=16)
    size = 0
    for path in sorted(paths):
        found = fingerprint(path)
        if found is None:
            return None
        digest.update(f"{path.as_posix()}\0{found.digest}\0".encode())
        size += found.size
    return Fingerprint(size, 0, digest.hexdigest())


def code_version() -> str:
    """A hash of everything that decides what a parsed file becomes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_FORMAT} {sys.version} {yaml.__version__}".encode())
    for module in sorted(_PACKAGE.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


class _ModelUnpickler(pickle.Unpickler):
    """Builds only the library's model classes and plain values."""

    def find_class(self, module: str, name: str) -> Any:
        if module.startswith("readinglib.") or (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the parse cache")


def _loads(data: bytes) -> Any:
    return _ModelUnpickler(io.BytesIO(data)).load()


class ParseCache:
    """Parsed files by display path, each under its fingerprint; see the module's docstring."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.version = code_version() if file is not None else ""
        self._stored: dict[str, tuple[Fingerprint, bytes]] = self._read() if file is not None else {}
        self._kept: dict[str, tuple[Fingerprint, bytes]] = {}
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_project(cls, root: Path, name: str = CACHE_FILE) -> ParseCache:
        """The project's cache (``name``: one file per kind of thing kept), or one that keeps
        nothing when ``READING_LIBRARY_CACHE=off``."""
        if os.environ.get(ENVIRONMENT, "").lower() in ("off", "0", "no", "false"):
            return cls(None)
        return cls(Path(root) / CACHE_DIR / name)

    @property
    def enabled(self) -> bool:
        return self.file is not None

    def _read(self) -> dict[str, tuple[Fingerprint, bytes]]:
        assert self.file is not None
        try:
            with self.file.open("rb") as stream:
                stored = _ModelUnpickler(stream).load()
        except FileNotFoundError:
            return {}
        except Exception:  # noqa: BLE001 - a damaged cache is only a slower start
            return {}
        if not (isinstance(stored, dict) and stored.get("version") == self.version
                and isinstance(stored.get("entries"), dict)):
            return {}
        return {key: entry for key, entry in stored["entries"].items()
                if isinstance(key, str) and isinstance(entry, tuple) and len(entry) == 2
                and isinstance(entry[0], Fingerprint) and isinstance(entry[1], bytes)}

    def get(self, key: str, stamp: Fingerprint | None) -> Any | None:
        """The value stored for ``key`` under exactly this fingerprint, as a fresh copy; else ``None``."""
        entry = self._stored.get(key) if stamp is not None and self.enabled else None
        if entry is None or entry[0] != stamp:
            self.misses += 1
            return None
        try:
            value = _loads(entry[1])
        except Exception:  # noqa: BLE001 - a damaged entry is parsed again
            self.misses += 1
            return None
        self._kept[key] = entry
        self.hits += 1
        return value

    def put(self, key: str, stamp: Fingerprint | None, value: Any) -> None:
        """Keep ``value`` for ``key``; it is serialised now, so later changes to it are not kept."""
        if stamp is None or not self.enabled:
            return
        try:
            self._kept[key] = (stamp, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - a value that cannot be kept is parsed next time
            self._kept.pop(key, None)

    def save(self) -> None:
        """Write the entries used or added in this run (files not seen are dropped), if anything changed."""
        if self.file is None or self._kept == self._stored:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".parsed-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump({"version": self.version, "entries": self._kept}, stream,
                                protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.file)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except OSError:
            return
        self._stored = dict(self._kept)
