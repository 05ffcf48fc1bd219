"""Benchmark: this project against plain mkdocs-material on the same archive, in one run.

    .venv/bin/python tests/benchmarks/archive.py 10000            # the table of issue 12
    .venv/bin/python tests/benchmarks/archive.py 1000 10000 50000 --only-project   # growth

For each size: generates the shipped project plus that many archived notices (``tests/archive.py``),
then measures, each in a process of its own (wall time, and the peak memory of the largest process
of the run, ``ru_maxrss`` of its children):

- plain mkdocs-material over the same notices (each notice a Markdown page with its title, metadata
  and text; issues and years in the nav, notices out of it, ``navigation.prune``), with its built-in
  search plugin and without;
- this project: a full ``build`` from a clean checkout (no ``site/``, no ``.cache/``), then ``build``
  again after one new issue of 20 notices (twice), ``build`` again with nothing changed, and ``check``.

The project is a git repository, as an editor's is, and each new issue is committed on a later
day than the commit before: publishing an issue then changes the footer's "last update" on every
page, as it does for an editor (without git the date is the newest issue's or yearbook's, which an
issue of the shipped year does not pass).

Prints one table per size with the ratio of each time to plain mkdocs-material with search, and the
build's own stage times; with several sizes, how time and memory grow from the first. The machine is
shared and noisy: ``--repeat N`` takes medians of N runs of each measurement.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_archive, add_next_issue, copy_project  # noqa: E402
from gitrepo import git  # noqa: E402

STAGE = re.compile(r"(?:checked|read|built and validated|built|typeset|validated|published) (.+?) in (\d+\.\d) s$")
PAGES = re.compile(r"gazette pages: (\d+) rendered, \d+ reused unchanged \((\d+\.\d) s\)")
#: the build's log lines, by what they name, as the table shows them
STAGES = {"content/": "check", "the directory's change record": "history", "the e-books": "e-books",
          "the print edition": "print", "the open data": "open data", "the newsletters": "newsletters",
          "the website": "website", "the search index": "search", "the open data beside the website": "validation (wait)"}
MEASURE = """
import resource, subprocess, sys, time, json
start = time.perf_counter()
result = subprocess.run(sys.argv[2:], capture_output=True, text=True, cwd=sys.argv[1])
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss * 1024,
                  "code": result.returncode, "err": result.stderr[-50000:]}))
"""


def measure(command: list[str], cwd: Path = REPO) -> dict:
    """Wall time, CPU time (user + system, of every process of the run) and peak memory of
    ``command``, run by a process of its own (so that the memory is this command's alone)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, str(cwd), *command], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['err'][-3000:]}")
    result["stages"] = {}
    for line in result["err"].splitlines():
        if (m := STAGE.search(line.strip())) and m[1] in STAGES:
            result["stages"][STAGES[m[1]]] = float(m[2])
        elif m := PAGES.search(line):
            result["stages"][f"gazette pages ({m[1]} rendered)"] = float(m[2])
    return result


def plain_project(project: Path, target: Path) -> Path:
    """The project's gazette as a plain mkdocs-material site: the same notices, one page each."""
    docs = target / "docs"
    nav_years: list[dict] = []
    (docs / "gazette").mkdir(parents=True)
    (docs / "index.md").write_text("# 嘉和市政府出版品\n", encoding="utf-8")
    (docs / "gazette" / "index.md").write_text("# 嘉和市政府公報\n", encoding="utf-8")
    gazette = project / "content" / "gazette"
    for year_dir in sorted(gazette.iterdir(), key=lambda p: int(p.name), reverse=True):
        issues = []
        (docs / "gazette" / year_dir.name).mkdir()
        (docs / "gazette" / year_dir.name / "index.md").write_text(f"# {year_dir.name}\n", encoding="utf-8")
        for issue_dir in sorted(year_dir.iterdir(), reverse=True):
            out = docs / "gazette" / year_dir.name / issue_dir.name
            out.mkdir()
            listing = [f"# {year_dir.name} 第{int(issue_dir.name)}期", ""]
            for source in sorted(issue_dir.glob("*.md")):
                text = source.read_text(encoding="utf-8")
                _, head, body = text.split("---\n", 2)
                meta = yaml.safe_load(head)
                seq = source.name[:2]
                listing.append(f"- [{meta['title']}]({seq}.md)")
                page = textwrap.dedent(f"""\
                    ---
                    title: {json.dumps(meta['title'], ensure_ascii=False)}
                    ---

                    | 發文機關 | 發文字號 | 發文日期 |
                    |---|---|---|
                    | {meta['agency']} | {meta['doc_number']} | {meta['issued']} |

                    """) + body.strip() + "\n\n```text\n" + f"{meta['title']} {meta['doc_number']}\n```\n"
                (out / f"{seq}.md").write_text(page, encoding="utf-8")
            (out / "index.md").write_text("\n".join(listing) + "\n", encoding="utf-8")
            issues.append({f"第{int(issue_dir.name)}期": f"gazette/{year_dir.name}/{issue_dir.name}/index.md"})
        nav_years.append({year_dir.name: [f"gazette/{year_dir.name}/index.md", *issues]})
    config = {
        "site_name": "Plain", "site_url": "https://example.org/", "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh-TW", "features": ["navigation.tabs", "navigation.prune", "navigation.indexes"]},
        "markdown_extensions": ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables",
                                {"toc": {"permalink": True}}, "pymdownx.details", "pymdownx.superfences"],
        "nav": [{"首頁": "index.md"}, {"市府公報": ["gazette/index.md", *nav_years]}],
        "not_in_nav": "/gazette/**/[0-9][0-9].md",
    }
    for search, name in ((True, "mkdocs-search.yml"), (False, "mkdocs.yml")):
        config["plugins"] = ["search"] if search else []
        (target / name).write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def use_frame(project: Path, source: Path) -> None:
    """``source``'s mkdocs.yml and themes/ in the project (the content stays)."""
    shutil.copy(source / "mkdocs.yml", project / "mkdocs.yml")
    shutil.rmtree(project / "themes")
    shutil.copytree(source / "themes", project / "themes")


def run_size(notices: int, repeat: int, baseline: bool, work: Path, before: Path | None = None) -> dict:
    project = copy_project(work / f"project-{notices}")
    add_archive(project, notices)
    (project / ".gitignore").write_text("/site/\n/.site-spare/\n/.cache/\n", encoding="utf-8")
    days = itertools.count(1)

    def commit(message: str) -> None:  # a day after the commit before, as issues are published
        git(project, "add", "-A")
        git(project, "commit", "-q", "-m", message, date=f"2026-07-{next(days):02d}T10:00:00+08:00")

    git(project, "init", "-q", "-b", "main")
    commit("the archive")
    count = len(list((project / "content" / "gazette").glob("*/*/*.md")))
    results: dict[str, dict] = {}

    def record(name: str, command: list[str], prepare=None, cwd: Path = REPO) -> None:
        runs = []
        for _ in range(repeat):
            if prepare:
                prepare()
            runs.append(measure(command, cwd))
        results[name] = {"wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
                         "rss": max(r["rss"] for r in runs), "stages": runs[len(runs) // 2]["stages"]}

    if baseline:
        plain = plain_project(project, work / f"plain-{notices}")
        record("plain mkdocs-material, search on", [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs-search.yml")])
        record("plain mkdocs-material, search off", [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml")])

    build = [sys.executable, "-m", "generator", "build", "--root", str(project)]

    def clean() -> None:
        for name in ("site", ".cache"):
            shutil.rmtree(project / name, ignore_errors=True)

    if before is not None:  # the code of another commit, on the same project (run from its own folder)
        def clean_before() -> None:
            clean()
            use_frame(project, before)  # that commit's mkdocs.yml and theme: it cannot load a later one's extensions

        record(f"before ({before.name}), full build", [*build, "--site-dir", str(work / "site-before")], clean_before, before)
        use_frame(project, REPO)
    record("this project, full build (clean)", build, clean)
    issues = itertools.count()

    def new_issue() -> None:
        add_next_issue(project, serial=9_000_000 + 1000 * next(issues))
        commit("a new issue")

    # The first build after a full one also makes what the later ones reuse (the search stage's
    # groups of unchanged shards): the second new issue is what publishing an issue costs from then on.
    record("this project, one new issue of 20, build", build, new_issue)
    record("this project, the next new issue, build", build, new_issue)
    record("this project, nothing changed, build", build)
    record("this project, check", [sys.executable, "-m", "generator", "check", "--root", str(project)])
    return {"notices": count, "results": results}


def print_table(size: dict) -> None:
    results = size["results"]
    base = results.get("plain mkdocs-material, search on")
    print(f"\n{size['notices']:,} notices")
    print(f"| {'run':<45} | {'wall s':>7} | {'ratio':>6} | {'CPU s':>7} | {'ratio':>6} | {'peak MB':>8} | stages (s) |")
    print(f"|{'-' * 47}|{'-' * 9}|{'-' * 8}|{'-' * 9}|{'-' * 8}|{'-' * 10}|---|")
    for name, r in results.items():
        ratio = f"{r['wall'] / base['wall']:.2f}" if base else "-"
        cpu_ratio = f"{r['cpu'] / base['cpu']:.2f}" if base else "-"
        stages = ", ".join(f"{k} {v:.1f}" for k, v in r["stages"].items() if v >= 0.1)
        print(f"| {name:<45} | {r['wall']:>7.1f} | {ratio:>6} | {r['cpu']:>7.1f} | {cpu_ratio:>6} | {r['rss'] / 1e6:>8.0f} | {stages} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="archived notices (the shipped ones come on top)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only-project", action="store_true", help="leave out plain mkdocs-material")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects (printed)")
    parser.add_argument("--before", metavar="REV", help="also a full build by the code of this git revision (a baseline)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    try:
        before = None
        if args.before:
            before = work / args.before
            before.mkdir()
            archive = subprocess.run(["git", "archive", args.before, "generator", "mkdocs.yml", "themes"], cwd=REPO,
                                     capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        sizes = []
        for notices in args.sizes:
            sizes.append(run_size(notices, args.repeat, not args.only_project, work, before))
            print_table(sizes[-1])
        if len(sizes) > 1:
            first = sizes[0]
            print(f"\ngrowth from {first['notices']:,} notices (time and peak memory, as multiples)")
            for size in sizes[1:]:
                for name, r in size["results"].items():
                    f = first["results"][name]
                    print(f"  {size['notices']:>7,} x{size['notices'] / first['notices']:<5.1f} {name:<45} "
                          f"time x{r['wall'] / f['wall']:.1f}  memory x{r['rss'] / f['rss']:.1f}")
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
