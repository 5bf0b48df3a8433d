#!/usr/bin/env python3
"""Benchmark the reading library against like-for-like baselines measured in the same run.

Generates synthetic libraries in a temporary folder and, beside each, a plain Material
site of the same article text (its twin: the same pages, theme, features, extensions,
stylesheets and scripts; the hooks off). Every timing is of a whole process. Each
measurement is a set of commands run in rounds, after a warm-up round that is not
counted; within a round every command runs once (in the opposite order in odd rounds),
so a busy spell on the machine slows both sides of a ratio alike. A ratio is the median
of the rounds' ratios (9 rounds by default, at least 5 for a verdict: on a shared machine
one round's ratio of two short builds ranges over half its value, so the median of 5 is
itself unsteady); times shown are medians.

  annotated / plain    mkdocs build with the hooks / the plain twin, per size     <= 1.3
  text scaling         build of 10x the sections / build of the smaller library    <= 10
  term scaling         check_xrefs.py with 5,000 terms / with 50, same text        <= 2
                       (the largest library; the parse cache is warm after the warm-up)
  checker vs lychee    check_xrefs.py --site / lychee --offline --include-fragments
                       --index-files index.html, on the largest built site, with 20
                       planted broken links and fragments both must find            <= 0.5
  site size            the built 1,000-section site                                 < 200 MB
  Lighthouse           mobile performance of a section page of this project's own
                       site, served with gzip, median of 3 runs (only with
                       --lighthouse)                                                >= 95
  checker memory       peak resident memory of check_xrefs.py --site (reported)

The machine's core count and load average are printed with the table. The project's
scripts are byte-compiled first, as pip compiled MkDocs and Material when it installed them.
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import http.server
import io
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from readinglib import load_library  # noqa: E402
from readinglib.pages import relative as relative_link  # noqa: E402
from readinglib.pages import site_plans  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HOOKS = Path(__file__).resolve().parent / "hooks.py"
CHECKER = Path(__file__).resolve().parent / "check_xrefs.py"
CACHE = ROOT / ".cache" / "reading-library"
FILLER = ("the of and to in that was for with as on by it from at which this were be have has but "
          "not are or its an their more been after also would who over they new into than other "
          "report officials said could government against while some about before between").split()
SYLLABLES = ["zor", "vak", "tre", "lin", "quo", "dex", "mir", "bal", "sen", "tuv", "kel", "rax",
             "pho", "gil", "nuv", "jet", "wor", "yas", "cim", "fod"]
SECTIONS_PER_READING = 10
ASSET_FOLDERS = ("stylesheets", "javascripts")
"""Copied from this project's docs/ into both sides, so both pages load the same files."""
REFERENCE = re.compile(r"\[\[(?P<slug>[^\]|]+)\|(?P<label>[^\]]+)\]\]")
PLANTED = 20
LIGHTHOUSE_PAGE = "readings/iran-drones-russia-2022/02-new-tensions/"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
DEFAULT_ROUNDS = 9
"""Rounds counted per measurement. Fifteen paired rounds of the same two 100-section builds,
minutes apart on this project's shared 2-core machine, gave ratios from 0.98 to 1.65 (median
1.21): a median of 5 such rounds moves by about a tenth from run to run, one of 9 less."""
TARGETS = {"annotated": 1.3, "text": 10.0, "terms": 2.0, "lychee": 0.5, "size_mb": 200.0, "lighthouse": 95.0}


@dataclass
class Row:
    name: str
    baseline: str
    measured: str
    ratio: float
    target: str
    passed: bool | None
    cpu_ratio: float = float("nan")
    """The same ratio in CPU time (user + system) of the processes, for a loaded machine."""


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)


# -- the two sides ------------------------------------------------------------------------


def term_name(index: int) -> str:
    rng = random.Random(index)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(2)]
    return f"{words[0].capitalize()} {words[1]} {index}"


def project_config() -> dict:
    """This project's theme, features, extensions, stylesheets and scripts (not its nav or hooks)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    keep = ("site_url", "theme", "markdown_extensions", "extra_css", "extra_javascript", "validation")
    return {"site_name": "Benchmark library", **{key: config[key] for key in keep if key in config},
            "plugins": ["search"]}


def _write_config(root: Path, extra: dict) -> Path:
    config = root / "mkdocs.yml"
    config.write_text(yaml.safe_dump({**project_config(), **extra}, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    for folder in ASSET_FOLDERS:
        if (ROOT / "docs" / folder).is_dir():
            shutil.copytree(ROOT / "docs" / folder, root / "docs" / folder, dirs_exist_ok=True)
    return config


def make_library(root: Path, pages: int, terms: int, *, paragraphs: int = 8, references: int = 3,
                 linked_terms: int = 50, seed: int = 7) -> Path:
    """Write a synthetic library: ``pages`` section pages, ``terms`` glossary entries.

    References go to the first ``linked_terms`` terms, so libraries with more terms
    have the very same text. Returns the library's mkdocs.yml (this project's theme and
    features, with the hooks).
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
            f"date: 2022-10-{1 + reading % 28:02d}\nurl: https://news.example.net/{reading}\n---\n",
            encoding="utf-8")
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
    return _write_config(root, {"hooks": [HOOKS.as_posix()]})


def make_plain_twin(library_root: Path, destination: Path) -> Path:
    """The same site as plain Material pages: one Markdown file for every page the hooks
    build, at the same path, with the same article text (references as ordinary links,
    no ¶ numbers, buttons, notes or generated lists); term pages hold the term, its short
    definition and body; the generated index pages list their links; other generated
    pages carry only their title. Pages the hooks generate stay out of the navigation, as
    they do with the hooks. Returns the twin's mkdocs.yml (hooks off)."""
    library = load_library(library_root)
    sections = {section.src_uri: section for reading in library.readings for section in reading.sections}
    term_pages = {term.page: term for term in library.terms.values()}
    docs = destination / "docs"
    generated = []
    for src_uri, plan in site_plans(library).pages.items():
        if plan.generated:
            generated.append(src_uri)
        term = term_pages.get(src_uri) if plan.generated else None
        if src_uri in sections:
            body = "\n\n".join(_plain_links(p.text, src_uri) for p in sections[src_uri].paragraphs)
        elif term is not None:
            body = f"{term.short}\n\n{term.body}"
        elif src_uri == "glossary/index.md":
            body = "".join(f"- [{t.term}]({relative_link(src_uri, t.page)})\n" for t in library.terms.values())
        else:
            body = ""
        path = docs / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {plan.title or 'Page'}\n\n{body}\n", encoding="utf-8")
    return _write_config(destination, {"not_in_nav": "".join(f"/{src}\n" for src in sorted(generated))})


def _plain_links(paragraph: str, page: str) -> str:
    return REFERENCE.sub(lambda m: f"[{m['label']}]({relative_link(page, 'glossary/' + m['slug'] + '.md')})", paragraph)


def twin_pages(library_root: Path, twin_root: Path) -> tuple[list[str], list[str]]:
    """The pages each side builds, by source path: (the hooks' plans, the twin's files)."""
    planned = sorted(site_plans(load_library(library_root)).pages)
    docs = twin_root / "docs"
    return planned, sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


# -- planted faults -----------------------------------------------------------------------


Fault = tuple[str, str, str]
"""A broken link: (page it is on, the target it resolves to, its #fragment or ""), all site-relative."""


def resolve(site: Path, page: str, url: str) -> Fault:
    """A link as a fault: written on ``page`` (``../x/#id``), or as a file URL (lychee's form)."""
    address, _, fragment = url.partition("#")
    if address.startswith("file://"):
        target = Path(address.removeprefix("file://"))
    else:
        target = (site / page).parent / address if address else site / page
    target = Path(os.path.normpath(target))
    if target.name == "index.html":
        target = target.parent
    return page, target.relative_to(site).as_posix(), fragment


def plant_faults(site: Path, count: int = PLANTED) -> set[Fault]:
    """Add ``count`` broken links to section pages of a built site, one per page: half
    to a page that does not exist, half to a missing #fragment of a page that does."""
    site = site.resolve()
    pages = sorted(site.glob("readings/*/[0-9][0-9]-*/index.html"))
    if len(pages) < count:
        raise ValueError(f"{count} faults need {count} section pages; the site has {len(pages)}")
    planted = set()
    for number, page in enumerate(pages[:count]):
        url = f"../no-such-page-{number}/" if number % 2 == 0 else f"../{page.parent.name}/#no-such-id-{number}"
        html = page.read_text(encoding="utf-8")
        marker = re.search(r'<article class="md-content__inner md-typeset">', html)
        if marker is None:
            raise ValueError(f"no article element in {page}")
        at = marker.end()
        page.write_text(html[:at] + f'<p><a href="{url}">planted fault {number}</a></p>' + html[at:],
                        encoding="utf-8")
        planted.add(resolve(site, page.relative_to(site).as_posix(), url))
    return planted


def checker_faults(output: str, site: Path) -> set[Fault]:
    """Each broken link or fragment in ``check_xrefs.py --format json`` output (the URL is
    the first quoted value of the message)."""
    site = site.resolve()
    found = set()
    for finding in json.loads(output):
        if finding["code"] in ("site-broken-link", "site-missing-anchor"):
            page = Path(finding["path"]).resolve().relative_to(site).as_posix()
            url = re.search(r"'([^']*)'", finding["message"])
            found.add(resolve(site, page, url[1] if url else finding["message"]))
    return found


def lychee_faults(output: str, site: Path) -> set[Fault]:
    """Each failure in ``lychee --format json`` output."""
    site = site.resolve()
    found = set()
    for source, failures in json.loads(output).get("error_map", {}).items():
        page = Path(source).resolve().relative_to(site).as_posix()
        found.update(resolve(site, page, failure["url"]) for failure in failures)
    return found


def lychee_command(lychee: str, site: Path) -> list[str]:
    return [lychee, "--offline", "--include-fragments", "--index-files", "index.html", "--no-progress",
            "--format", "json", "--root-dir", str(site), str(site)]


def checker_command(root: Path, *extra: str) -> list[str]:
    return [sys.executable, str(CHECKER), str(root), *extra]


# -- measuring ----------------------------------------------------------------------------


def run(command: list[str], ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run ``command``; a timing of a command that failed would mean nothing, so that stops the run."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if result.returncode not in ok:
        raise RuntimeError(f"{' '.join(command[:4])}… exited {result.returncode}:\n"
                           f"{(result.stdout + result.stderr)[-2000:]}")
    return result


def mkdocs_command(config: Path, site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]


def paired(rounds: int, warmup: int, commands: dict[str, list[str]], ok: tuple[int, ...] = (0,),
           after: dict[str, object] | None = None) -> dict[str, Timing]:
    """Run every command once per round, ``warmup`` uncounted rounds first; odd rounds run
    them in reverse order. ``after[name](result)`` checks each run's output."""
    timings = {name: Timing() for name in commands}
    for round_number in range(warmup + rounds):
        order = list(commands) if round_number % 2 == 0 else list(reversed(commands))
        for name in order:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            result = run(commands[name], ok)
            wall = time.perf_counter() - started
            used = resource.getrusage(resource.RUSAGE_CHILDREN)
            if after and name in after:
                after[name](result)  # type: ignore[operator]
            if round_number >= warmup:
                timings[name].wall.append(wall)
                timings[name].cpu.append(used.ru_utime + used.ru_stime - before.ru_utime - before.ru_stime)
    return timings


def ratio(measured: Timing, baseline: Timing) -> tuple[float, float]:
    """Median of the rounds' ratios, in wall-clock and in CPU time."""
    return (statistics.median(m / b for m, b in zip(measured.wall, baseline.wall)),
            statistics.median(m / b if b else float("nan") for m, b in zip(measured.cpu, baseline.cpu)))


def folder_size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def peak_memory_mb(command: list[str]) -> float:
    """Peak resident memory of ``command``, in MiB."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(run([sys.executable, "-c", probe, *command]).stdout.strip()) / 1024


# -- Lighthouse ---------------------------------------------------------------------------


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it, as a web server sends them."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


LIGHTHOUSE_RUNS = 3
"""Lighthouse's score of one page moves by a few points from run to run (main-thread timing
under simulated throttling); like Lighthouse CI, the bench takes the median of three runs."""


def lighthouse(site: Path, runs: int = LIGHTHOUSE_RUNS) -> list[float]:
    """Lighthouse's mobile performance scores (0-100) of a section page served with gzip,
    one per run. Lighthouse comes from npm, installed once under .cache/ (never in the repository)."""
    prefix = CACHE / "lighthouse"
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        prefix.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "lighthouse@12"])

    def handler(*args, **kwargs):  # type: ignore[no-untyped-def]
        return _GzipHandler(*args, directory=str(site), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scores = []
    try:
        for _ in range(runs):
            report = Path(tempfile.mkdtemp(prefix="lighthouse-")) / "report.json"
            env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
            url = f"http://127.0.0.1:{server.server_address[1]}/{LIGHTHOUSE_PAGE}"
            subprocess.run(["npx", "--prefix", str(prefix), "--no-install", "lighthouse", url,
                            "--only-categories=performance", "--output=json", f"--output-path={report}",
                            "--quiet", f"--chrome-flags={CHROME_FLAGS}"], env=env, check=True, capture_output=True)
            scores.append(json.loads(report.read_text(encoding="utf-8"))["categories"]["performance"]["score"] * 100)
        return scores
    finally:
        server.shutdown()


# -- the benchmark ------------------------------------------------------------------------


def benchmark(sizes: list[int], terms: tuple[int, int], rounds: int, warmup: int, work: Path,
              lychee: str | None, with_lighthouse: bool) -> list[Row]:
    rows: list[Row] = []
    few, many = terms
    builds: dict[str, list[str]] = {}
    roots: dict[int, Path] = {}
    for pages in sizes:
        roots[pages] = work / f"lib-{pages}"
        config = make_library(roots[pages], pages, few)
        plain = make_plain_twin(roots[pages], work / f"plain-{pages}")
        builds[f"annotated {pages}"] = mkdocs_command(config, roots[pages] / "site")
        builds[f"plain {pages}"] = mkdocs_command(plain, work / f"plain-{pages}" / "site")
    timings = paired(rounds, warmup, builds)
    for pages in sizes:
        annotated, plain = timings[f"annotated {pages}"], timings[f"plain {pages}"]
        wall, cpu = ratio(annotated, plain)
        rows.append(Row(f"annotated / plain build, {pages} sections", f"{plain.median:.2f} s plain",
                        f"{annotated.median:.2f} s annotated", wall, f"<= {TARGETS['annotated']}",
                        wall <= TARGETS["annotated"], cpu))
    for small in sizes:
        if small * 10 in sizes:
            bigger, base = timings[f"annotated {small * 10}"], timings[f"annotated {small}"]
            wall, cpu = ratio(bigger, base)
            rows.append(Row(f"text scaling, build, {small} -> {small * 10} sections", f"{base.median:.2f} s",
                            f"{bigger.median:.2f} s", wall, f"<= {TARGETS['text']:.0f}", wall <= TARGETS["text"], cpu))

    largest = max(sizes)
    root, site = roots[largest], roots[largest] / "site"
    many_root = work / f"lib-{largest}-{many}-terms"
    make_library(many_root, largest, many)
    checks = paired(rounds, warmup, {"few": checker_command(root), "many": checker_command(many_root)}, ok=(0,))
    wall, cpu = ratio(checks["many"], checks["few"])
    rows.append(Row(f"term scaling, check_xrefs.py, {few} -> {many} terms, {largest} sections",
                    f"{checks['few'].median:.2f} s", f"{checks['many'].median:.2f} s", wall,
                    f"<= {TARGETS['terms']:.0f}", wall <= TARGETS["terms"], cpu))

    size = folder_size_mb(site)
    rows.append(Row(f"site size, {largest} sections", "-", f"{size:.0f} MB", float("nan"),
                    f"< {TARGETS['size_mb']:.0f} MB at 1,000", size < TARGETS["size_mb"] if largest >= 1000 else None))

    planted = plant_faults(site, min(PLANTED, len(list(site.glob("readings/*/[0-9][0-9]-*/index.html")))))
    ours = checker_command(root, "--site", str(site), "--format", "json")

    def our_findings(result: subprocess.CompletedProcess[str]) -> None:
        found = checker_faults(result.stdout, site)
        if found != planted:
            raise RuntimeError(f"check_xrefs.py found {sorted(found ^ planted)[:6]} apart from the planted faults")

    def lychee_findings(result: subprocess.CompletedProcess[str]) -> None:
        found = lychee_faults(result.stdout, site)
        if found != planted:
            raise RuntimeError(f"lychee found {sorted(found ^ planted)[:6]} apart from the planted faults")

    if lychee:
        sides = paired(rounds, warmup, {"ours": ours, "lychee": lychee_command(lychee, site)}, ok=(1, 2),
                       after={"ours": our_findings, "lychee": lychee_findings})
        wall, cpu = ratio(sides["ours"], sides["lychee"])
        rows.append(Row(f"checker --site vs lychee, {largest} sections, {len(planted)} faults found by both",
                        f"{sides['lychee'].median:.2f} s lychee", f"{sides['ours'].median:.2f} s ours", wall,
                        f"<= {TARGETS['lychee']}", wall <= TARGETS["lychee"], cpu))
    else:
        rows.append(Row(f"checker --site vs lychee, {largest} sections", "lychee not installed", "-",
                        float("nan"), f"<= {TARGETS['lychee']}", None))
    memory = peak_memory_mb(ours)
    rows.append(Row(f"checker peak memory, {largest} sections", "-", f"{memory:.0f} MiB", float("nan"), "report", None))

    if with_lighthouse:
        real_site = work / "real-site"
        run(mkdocs_command(ROOT / "mkdocs.yml", real_site))
        name = f"Lighthouse mobile performance, section page, gzip, median of {LIGHTHOUSE_RUNS}"
        try:
            scores = lighthouse(real_site)
        except (OSError, subprocess.SubprocessError, RuntimeError, KeyError, ValueError) as exc:
            rows.append(Row(name, "-", f"could not run: {type(exc).__name__}", float("nan"),
                            f">= {TARGETS['lighthouse']:.0f}", False))
        else:
            score = statistics.median(scores)
            rows.append(Row(name, "-", f"{score:.0f} ({', '.join(f'{s:.0f}' for s in scores)})", float("nan"),
                            f">= {TARGETS['lighthouse']:.0f}", score >= TARGETS["lighthouse"]))
    return rows


def table(rows: list[Row]) -> str:
    header = ("measure", "baseline", "measured", "ratio", "cpu ratio", "target", "result")

    def number(value: float) -> str:
        return "-" if math.isnan(value) else f"{value:.2f}"

    lines = [(r.name, r.baseline, r.measured, number(r.ratio), number(r.cpu_ratio), r.target,
              {True: "pass", False: "FAIL", None: "-"}[r.passed]) for r in rows]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
           "| " + " | ".join("-" * w for w in widths) + " |"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |" for line in lines]
    return "\n".join(out)


def machine() -> str:
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (1, 5, 15 min), Python {sys.version.split()[0]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000", help="section pages per library (default: 10,100,1000)")
    parser.add_argument("--terms", default="50,5000", help="few,many terms for term scaling (default: 50,5000)")
    parser.add_argument("--repeat", type=int, default=DEFAULT_ROUNDS,
                        help=f"counted rounds per measurement, at least 5 for a verdict (default: {DEFAULT_ROUNDS})")
    parser.add_argument("--warmup", type=int, default=1, help="uncounted rounds first (default: 1)")
    parser.add_argument("--lighthouse", action="store_true",
                        help="also run Lighthouse (npm, Debian's Chromium) on a section page served with gzip")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    arguments = parser.parse_args(argv)
    sizes = sorted({int(s) for s in arguments.sizes.split(",")})
    few, many = (int(t) for t in arguments.terms.split(","))
    lychee = shutil.which("lychee")
    work = arguments.keep or Path(tempfile.mkdtemp(prefix="reading-bench-"))
    before = machine()
    started = time.perf_counter()
    # Like for like: the plain side's code (MkDocs, Material) was byte-compiled when pip
    # installed it; this project's scripts are too, here, even under PYTHONDONTWRITEBYTECODE.
    compileall.compile_dir(HOOKS.parent, quiet=1)
    try:
        rows = benchmark(sizes, (few, many), max(1, arguments.repeat), max(0, arguments.warmup), work, lychee,
                         arguments.lighthouse)
    finally:
        if arguments.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if arguments.repeat < 5:
        for row in rows:
            if row.passed is not None and row.ratio == row.ratio:
                row.passed = None  # fewer than 5 rounds: a figure, not a verdict
    if arguments.json:
        print(json.dumps([asdict(r) | {"ratio": None if r.ratio != r.ratio else r.ratio,
                                       "cpu_ratio": None if r.cpu_ratio != r.cpu_ratio else r.cpu_ratio}
                          for r in rows], indent=2))
    else:
        print(f"machine: {before} at the start; {machine()} at the end")
        print(f"rounds: {arguments.repeat} counted after {arguments.warmup} warm-up; "
              f"took {(time.perf_counter() - started) / 60:.1f} min")
        print(table(rows))
    return 0 if all(r.passed is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
