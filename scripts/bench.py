#!/usr/bin/env python3
"""Benchmark the reading library's build and checker against baselines measured in the same run.

Generates synthetic libraries (readings x paragraphs with references, terms with
aliases) in a temporary folder and prints a table of ratios with pass/fail
against the targets:

  build overhead   mkdocs build with our hooks / the same pages pre-rendered, hooks off  <= 1.10
  checker vs lychee  check_xrefs.py (sources + --site) / lychee --offline
                     --include-fragments, on the same built site                          <= 1.00
  term scaling     linking + checking with 100x more terms, same text                      <= 1.50
  text scaling     loading + linking + checking 10x the text                                <= 11.0
  real library     check_xrefs.py on this repository, seconds                               <  1.0
  peak memory      of the checker on the largest library (reported, no target)

Times are the best of --repeat runs, so a busy machine inflates them less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readinglib import load_library  # noqa: E402
from readinglib.checks import check_sources  # noqa: E402
from readinglib.pages import GENERATED_PAGES, render, site_plans  # noqa: E402
from readinglib.sourcefile import split_front_matter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HOOKS = Path(__file__).resolve().parent / "hooks.py"
FILLER = ("the of and to in that was for with as on by it from at which this were be have has but "
          "not are or its an their more been after also would who over they new into than other "
          "report officials said could government against while some about before between").split()
SYLLABLES = ["zor", "vak", "tre", "lin", "quo", "dex", "mir", "bal", "sen", "tuv", "kel", "rax",
             "pho", "gil", "nuv", "jet", "wor", "yas", "cim", "fod"]
SECTIONS_PER_READING = 10
CONFIG = """site_name: Benchmark library
theme:
  name: material
  font: false
markdown_extensions: [abbr, admonition, attr_list, md_in_html, pymdownx.details, pymdownx.superfences, tables, toc]
plugins: [search]
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


@dataclass
class Row:
    name: str
    baseline: str
    measured: str
    ratio: float
    target: str
    passed: bool | None


def term_name(index: int) -> str:
    rng = random.Random(index)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(2)]
    return f"{words[0].capitalize()} {words[1]} {index}"


def make_library(root: Path, pages: int, terms: int, *, paragraphs: int = 8, references: int = 3,
                 linked_terms: int = 50, seed: int = 7) -> Path:
    """Write a synthetic library: ``pages`` section pages, ``terms`` glossary entries.

    References go to the first ``linked_terms`` terms, so libraries with more terms
    have the very same text. Returns the library's mkdocs.yml.
    """
    rng = random.Random(seed)
    (root / "glossary").mkdir(parents=True)
    for index in range(terms):
        name = term_name(index)
        (root / "glossary" / f"term-{index:05d}.md").write_text(
            f"---\nterm: {name}\naliases: [{name} alias, T{index:05d}]\n"
            f"short: A synthetic term number {index} for the benchmark.\ncategory: concept\n"
            f"sources:\n  - title: Benchmark source {index}\nsee_also: []\n---\n"
            f"About term {index}, in a short body.\n", encoding="utf-8")
    linkable = min(terms, linked_terms)
    readings = max(1, -(-pages // SECTIONS_PER_READING))
    written = 0
    for reading in range(readings):
        folder = root / "docs" / "readings" / f"reading-{reading:04d}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            f"---\ntitle: Reading {reading}\nsource: The Benchmark Times\nauthor: Bea Marker\n"
            f"date: 2022-10-{1 + reading % 28:02d}\n---\n", encoding="utf-8")
        for section in range(min(SECTIONS_PER_READING, pages - written)):
            blocks = []
            for paragraph in range(paragraphs):
                words = [rng.choice(FILLER) for _ in range(60)]
                for slot in rng.sample(range(60), references):
                    index = rng.randrange(linkable)
                    words[slot] = f"[[term-{index:05d}|{term_name(index)}]]"
                blocks.append(" ".join(words).capitalize() + ".")
                if paragraph == 0:
                    blocks.append('::: context "A note"\nAn editors\' note on the first paragraph.\n\n*Source:* A named document, 2020.\n:::')
            (folder / f"{section + 1:02d}-part.md").write_text(
                f"---\ntitle: Part {section + 1}\nquestions:\n  - Why?\n---\n\n" + "\n\n".join(blocks) + "\n",
                encoding="utf-8")
            written += 1
    (root / "docs" / "index.md").write_text("# Benchmark library\n\nHome page.\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONFIG + f"hooks: [{HOOKS.as_posix()}]\n", encoding="utf-8")
    return config


def prerender(library_root: Path, destination: Path) -> Path:
    """The same pages as plain Markdown files, for a build with the hooks off.

    Pages made from a source file keep its front matter, so MkDocs and the theme
    see the same page metadata in both builds.
    """
    library = load_library(library_root)
    docs = destination / "docs"
    for src_uri, plan in site_plans(library).pages.items():
        path = docs / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        source = library_root / plan.path
        front = ""
        if not plan.generated and source.is_file():
            parsed, _ = split_front_matter(source.read_text(encoding="utf-8"), plan.path)
            if parsed is not None:
                front = "".join(line + "\n" for line in parsed.text.split("\n")[:parsed.body_line - 1])
        path.write_text(front + render(library, plan), encoding="utf-8")
    generated = "\n".join(f"  /{src}" for src in GENERATED_PAGES) + "\n  /glossary/term-*.md\n"
    config = destination / "mkdocs.yml"
    config.write_text(CONFIG + f"not_in_nav: |\n{generated}", encoding="utf-8")
    return config


def best_of(repeat: int, action: Callable[[], object]) -> float:
    return compare(repeat, action)[0]


def compare(repeat: int, *actions: Callable[[], object]) -> list[float]:
    """Best time of each action over ``repeat`` rounds, the actions taking turns in
    each round, so a busy spell on the machine slows them alike."""
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, measured in zip(actions, times):
            started = time.perf_counter()
            action()
            measured.append(time.perf_counter() - started)
    return [min(measured) for measured in times]


def run(command: list[str], ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run ``command``; a timing of a command that failed would mean nothing, so that stops the run."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode not in ok:
        raise RuntimeError(f"{' '.join(command[:3])}… exited {result.returncode}:\n"
                           f"{(result.stdout + result.stderr)[-2000:]}")
    return result


def mkdocs_build(config: Path, site: Path) -> None:
    run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)])


def checker_command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve().parent / "check_xrefs.py"), str(root), *extra]


def link_and_check(root: Path) -> Callable[[], object]:
    library = load_library(root)

    def action() -> object:
        site = site_plans(library)
        findings = check_sources(library, None, site)
        for reading in library.readings:
            for section in reading.sections:
                render(library, site.pages[section.src_uri])
        return findings

    return action


def load_link_and_check(root: Path) -> Callable[[], object]:
    def action() -> object:
        library = load_library(root)
        site = site_plans(library)
        check_sources(library, None, site)
        return [render(library, site.pages[s.src_uri]) for r in library.readings for s in r.sections]

    return action


def peak_memory_mb(command: list[str]) -> float:
    """Peak resident memory of ``command``, in MiB."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = run([sys.executable, "-c", probe, *command])
    return int(result.stdout.strip()) / 1024


def benchmark(sizes: list[int], terms: tuple[int, int], repeat: int, work: Path, lychee: str | None) -> list[Row]:
    rows: list[Row] = []
    few, many = terms
    built: dict[int, tuple[Path, Path]] = {}
    for pages in sizes:
        root = work / f"lib-{pages}"
        config = make_library(root, pages, few)
        plain = prerender(root, work / f"plain-{pages}")
        rounds = repeat if pages >= 1000 else max(repeat, 5)  # short builds are noisier
        with_hooks, without = compare(rounds, lambda: mkdocs_build(config, root / "site"),
                                      lambda: mkdocs_build(plain, work / f"plain-{pages}" / "site"))
        rows.append(Row(f"build overhead, {pages} pages", f"{without:.2f} s hooks off",
                        f"{with_hooks:.2f} s hooks on", with_hooks / without, "<= 1.10", with_hooks / without <= 1.10))
        built[pages] = (root, root / "site")
    largest = max(sizes)
    root, site = built[largest]
    if lychee:
        ours, theirs = compare(repeat, lambda: run(checker_command(root, "--site", str(site))),
                               lambda: run([lychee, "--offline", "--include-fragments", "--no-progress",
                                            "--root-dir", str(site), str(site)], ok=(0, 2)))
        rows.append(Row(f"checker vs lychee, {largest} pages", f"{theirs:.2f} s lychee", f"{ours:.2f} s ours",
                        ours / theirs, "<= 1.00", ours / theirs <= 1.0))
    else:
        ours = best_of(repeat, lambda: run(checker_command(root, "--site", str(site))))
        rows.append(Row(f"checker vs lychee, {largest} pages", "lychee not installed", f"{ours:.2f} s ours",
                        float("nan"), "<= 1.00", None))
    many_root = work / f"lib-{largest}-{many}-terms"
    make_library(many_root, largest, many)
    base, scaled = compare(max(repeat, 5), link_and_check(root), link_and_check(many_root))
    rows.append(Row(f"term scaling, {few} -> {many} terms", f"{base:.3f} s", f"{scaled:.3f} s",
                    scaled / base, "<= 1.50", scaled / base <= 1.5))
    small = min(sizes)
    tenfold_root = work / f"lib-{small * 10}"
    if small * 10 not in built:
        make_library(tenfold_root, small * 10, few)
    base, scaled = compare(max(repeat, 5), load_link_and_check(built[small][0]),
                           load_link_and_check(tenfold_root if small * 10 not in built else built[small * 10][0]))
    rows.append(Row(f"text scaling, {small} -> {small * 10} pages", f"{base:.3f} s", f"{scaled:.3f} s",
                    scaled / base, "<= 11.0", scaled / base <= 11.0))
    real = best_of(max(repeat, 5), lambda: run(checker_command(ROOT)))
    rows.append(Row("real library, check_xrefs.py", "1.00 s budget", f"{real:.2f} s", real, "< 1.0", real < 1.0))
    memory = peak_memory_mb(checker_command(root, "--site", str(site)))
    rows.append(Row(f"checker peak memory, {largest} pages", "-", f"{memory:.0f} MiB", float("nan"), "report", None))
    return rows


def table(rows: list[Row]) -> str:
    header = ("measure", "baseline", "measured", "ratio", "target", "result")
    lines = [(r.name, r.baseline, r.measured, "-" if r.ratio != r.ratio else f"{r.ratio:.2f}", r.target,
              {True: "pass", False: "FAIL", None: "-"}[r.passed]) for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    out = [" | ".join(h.ljust(w) for h, w in zip(header, widths)),
           "-|-".join("-" * w for w in widths)]
    out += [" | ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in lines]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000", help="section pages per library (default: 10,100,1000)")
    parser.add_argument("--terms", default="50,5000", help="few,many terms for term scaling (default: 50,5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default: 3)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    arguments = parser.parse_args(argv)
    sizes = sorted(int(s) for s in arguments.sizes.split(","))
    few, many = (int(t) for t in arguments.terms.split(","))
    lychee = shutil.which("lychee")
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="reading-bench-"))
    try:
        rows = benchmark(sizes, (few, many), arguments.repeat, work, lychee)
    finally:
        if arguments.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if arguments.json:
        print(json.dumps([asdict(r) | {"ratio": None if r.ratio != r.ratio else r.ratio} for r in rows], indent=2))
    else:
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(table(rows))
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
