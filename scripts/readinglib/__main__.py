"""``python3 -m readinglib epub``: write the EPUB edition; ``python3 -m readinglib check``: the checker."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from readinglib.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE

PROG = "python3 -m readinglib"
DEFAULT_OUTPUT = "epub"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """One line, not the usage block."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def _epub_arguments(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(
        prog=f"{PROG} epub",
        description="Write one EPUB 3 per reading (and with --library one for the whole library), made from "
                    "the same model as the site. The sources are checked first, exactly as the build checks "
                    "them: a library with errors gets no books.")
    parser.add_argument("root", nargs="?", default=".", type=Path,
                        help="project folder holding mkdocs.yml, docs/ and glossary/ (default: .)")
    parser.add_argument("--config", default="mkdocs.yml",
                        help="MkDocs configuration, relative to ROOT (default: mkdocs.yml)")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help=f"folder to write <slug>.epub files to (default: ROOT/{DEFAULT_OUTPUT})")
    parser.add_argument("--reading", action="append", metavar="SLUG", default=[],
                        help="only this reading (repeatable; default: every reading)")
    parser.add_argument("--library", action="store_true",
                        help="also write library.epub: every reading in one book with one glossary")
    return parser.parse_args(argv)


def epub_main(argv: list[str]) -> int:
    arguments = _epub_arguments(argv)
    prog = f"{PROG} epub"
    try:
        from readinglib.epub import Edition, EpubError, library_epub, reading_epub
        from readinglib.project import check_project

        root: Path = arguments.root
        config = root / arguments.config
        if not root.is_dir():
            print(f"{prog}: error: {root} is not a folder", file=sys.stderr)
            return EXIT_USAGE
        if not config.is_file():
            print(f"{prog}: error: no {arguments.config} in {root}; pass the project folder as ROOT", file=sys.stderr)
            return EXIT_USAGE
        project = check_project(root, config)
        if project.errors:
            print("\n".join(finding.format() for finding in project.findings), file=sys.stderr)
            print(f"{prog}: the reading library has {len(project.errors)} error(s); no EPUB was written",
                  file=sys.stderr)
            return EXIT_FINDINGS
        library = project.library
        known = {reading.slug: reading for reading in library.readings}
        unknown = [slug for slug in arguments.reading if slug not in known]
        if unknown:
            print(f"{prog}: error: no reading {', '.join(unknown)}; the readings are: "
                  f"{', '.join(known) or '(none)'}", file=sys.stderr)
            return EXIT_USAGE
        readings = [known[slug] for slug in dict.fromkeys(arguments.reading)] or list(library.readings)
        if not readings:
            print(f"{prog}: error: the library in {root} has no readings", file=sys.stderr)
            return EXIT_USAGE
        edition = Edition.from_config(config)
        books = {f"{reading.slug}.epub": reading_epub(library, reading, edition) for reading in readings}
        if arguments.library:
            books["library.epub"] = library_epub(library, edition)
        output: Path = arguments.output if arguments.output is not None else root / DEFAULT_OUTPUT
        output.mkdir(parents=True, exist_ok=True)
        for name, content in books.items():
            (output / name).write_bytes(content)
            print(output / name)
    except (EpubError, OSError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"{prog}: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


COMMANDS = {"epub": "write the EPUB edition (see epub --help)",
            "check": "check cross-references, as scripts/check_xrefs.py (see check --help)"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(f"usage: {PROG} {{{','.join(COMMANDS)}}} ...\n\n"
              + "\n".join(f"  {name:<6} {what}" for name, what in COMMANDS.items()))
        return EXIT_OK if argv else EXIT_USAGE
    command, rest = argv[0], argv[1:]
    if command == "epub":
        return epub_main(rest)
    if command == "check":
        from readinglib.cli import main as check

        return check(rest)
    print(f"{PROG}: error: unknown command {command!r}; use one of {', '.join(COMMANDS)}", file=sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
