"""Shared helpers: build a library with MkDocs and read the pages it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> LexborHTMLParser:
        """Parse the page at ``url_path`` (``readings/x/`` or ``readings/x/index.html``)."""
        path = self.site / url_path
        if url_path.endswith("/") or not url_path:
            path = path / "index.html"
        return LexborHTMLParser(path.read_text(encoding="utf-8"))


def mkdocs_build(config: Path, site: Path, *extra: str) -> BuildResult:
    """Run ``mkdocs build --strict`` in a child process, as an author would."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site), *extra],
        capture_output=True, text=True, env=env, cwd=config.parent, timeout=300,
    )
    return BuildResult(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("real") / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    result = mkdocs_build(FIXTURES / "two-readings" / "mkdocs.yml",
                          tmp_path_factory.mktemp("fixture") / "site")
    assert result.returncode == 0, result.output
    return result


def text_of(node) -> str:  # type: ignore[no-untyped-def]
    """Visible text of a node, white space folded."""
    return " ".join(node.text(deep=True, separator="").split())


def copy_library(source: Path, destination: Path) -> Path:
    """Copy a fixture library so a test may break it; returns its mkdocs.yml."""
    import shutil

    shutil.copytree(source, destination)
    config = destination / "mkdocs.yml"
    hooks = (ROOT / "scripts" / "hooks.py").as_posix()
    text = config.read_text(encoding="utf-8").replace("../../../scripts/hooks.py", hooks)
    config.write_text(text, encoding="utf-8")
    return config


def heading_text(node) -> str:  # type: ignore[no-untyped-def]
    """Text of a heading without its permalink marker."""
    for link in node.css("a.headerlink"):
        link.decompose()
    return text_of(node)
