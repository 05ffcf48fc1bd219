"""Benchmark: ``serve``'s start-up and the time from saving a notice to seeing it, and ``check``.

    .venv/bin/python tests/benchmarks/serve.py 1000 10000 --repeat 3
    .venv/bin/python tests/benchmarks/serve.py 1000 --before 1cec2ed     # also the code of a commit (baseline)

For each size: the shipped project plus that many archived notices (``tests/archive.py``), committed
to git as an editor's project is. Then, for this code (and ``--before``'s, run from a folder of its
own on the same project), ``--repeat`` times:

- **start-up**: from starting ``python -m generator serve`` to a notice's page answered over HTTP
  with its title; the first run has no ``.cache/`` (nothing checked or rendered before), the others
  find the one the run before left;
- **change to visible**: ``--edits`` times, a notice's title is changed in its file (a notice in the
  middle of the archive), and its page is fetched every 50 ms until it shows the new title.

Then ``check`` of the whole archive without ``.cache/check/`` and after one notice changed (the memo
of every other file kept). Prints medians (wall seconds) and, with ``--before``, the ratios; and the
CPU seconds each took (the server's own, from /proc, for start-up and for each change), which a
busy machine changes far less than the wall times. The machine is shared and noisy: read the ratios
of runs made in the same script.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO / "tests"))
from archive import add_archive, copy_project  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def shows(url: str, text: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return text in response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait(url: str, text: str, limit: float) -> float:
    """Seconds until ``url`` shows ``text`` (polling every 50 ms), at most ``limit``."""
    start = time.perf_counter()
    while not shows(url, text):
        if time.perf_counter() - start > limit:
            raise SystemExit(f"{url} did not show {text!r} within {limit} s")
        time.sleep(0.05)
    return time.perf_counter() - start


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used, with those of its children it waited for (pandoc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def project_of(notices: int, work: Path) -> tuple[Path, Path]:
    """The project and the notice to edit (in the middle of the archive)."""
    project = copy_project(work / f"project-{notices}")
    add_archive(project, notices)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=bench@example.org",
                                                    "commit", "-qm", "archive"]):
        subprocess.run(["git", *command], cwd=project, check=True)
    notices_found = sorted((project / "content" / "gazette").glob("*/*/*-archived.md"))
    return project, notices_found[len(notices_found) // 2]


def serve_runs(project: Path, notice: Path, code: Path, repeat: int, edits: int, limit: float) -> dict[str, list[float]]:
    shutil.rmtree(project / ".cache", ignore_errors=True)
    parts = notice.relative_to(project / "content" / "gazette").parts
    url_path = f"gazette/{parts[0]}/{parts[1]}/{parts[2].split('-', 1)[0]}/"
    original = notice.read_text(encoding="utf-8")
    title = next(line for line in original.splitlines() if line.startswith("title: "))[len("title: "):]
    found: dict[str, list[float]] = {"start-up (no .cache/)": [], "start-up": [], "change to visible": [],
                                     "start-up (no .cache/), CPU s": [], "start-up, CPU s": [], "change to visible, CPU s": []}
    for run in range(repeat):
        port = free_port()
        url = f"http://127.0.0.1:{port}/{url_path}"
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "-q", "--dev-addr", f"127.0.0.1:{port}",
                                    "--root", str(project)], cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait(url, title, limit)
            name = "start-up (no .cache/)" if run == 0 else "start-up"
            found[name].append(time.perf_counter() - started)
            found[f"{name}, CPU s"].append(cpu_of(process.pid))
            for edit in range(edits):
                new = f"{title}（第{run}-{edit}次修正）"
                before = cpu_of(process.pid)
                notice.write_text(original.replace(f"title: {title}", f"title: {new}", 1), encoding="utf-8")
                found["change to visible"].append(wait(url, new, limit))
                found["change to visible, CPU s"].append(cpu_of(process.pid) - before)
                time.sleep(0.5)  # the server settles (MkDocs' reload of the browsers)
        finally:
            process.terminate()
            process.wait(timeout=60)
            notice.write_text(original, encoding="utf-8")
    return found


def check_runs(project: Path, notice: Path, code: Path, repeat: int) -> dict[str, list[float]]:
    found: dict[str, list[float]] = {"check (no .cache/check/)": [], "check, one file changed": [],
                                     "check (no .cache/check/), CPU s": [], "check, one file changed, CPU s": []}
    original = notice.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "generator", "check", "-q", "--root", str(project)]

    def timed(name: str) -> None:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, cwd=code, check=True, capture_output=True)
        found[name].append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        found[f"{name}, CPU s"].append(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)

    for run in range(repeat):
        shutil.rmtree(project / ".cache" / "check", ignore_errors=True)
        timed("check (no .cache/check/)")
        notice.write_text(original.replace("主旨：", f"主旨（{run}）：", 1), encoding="utf-8")
        timed("check, one file changed")
        notice.write_text(original, encoding="utf-8")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int, help="archived notices (e.g. 1000 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="serve sessions and check runs per measurement (median)")
    parser.add_argument("--edits", type=int, default=3, help="saved changes per serve session")
    parser.add_argument("--before", metavar="REV", help="also the code of this git revision (a baseline)")
    parser.add_argument("--limit", type=float, default=900, help="give up waiting for a page after this many seconds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jiahe-bench-serve-") as tmp:
        work = Path(tmp)
        codes = {"this": REPO}
        if args.before:
            before = work / args.before
            before.mkdir()
            archive = subprocess.run(["git", "archive", args.before, "generator"], cwd=REPO, capture_output=True, check=True)
            subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
            codes[f"before ({args.before})"] = before
        for size in args.sizes:
            project, notice = project_of(size, work)
            count = len(list((project / "content" / "gazette").glob("*/*/*.md")))
            print(f"\n{count:,} notices (median wall seconds of {args.repeat} runs; 'change to visible': of "
                  f"{args.repeat * args.edits} saves)", flush=True)
            table: dict[str, dict[str, float]] = {}
            for name, code in codes.items():
                found = serve_runs(project, notice, code, args.repeat, args.edits, args.limit)
                found.update(check_runs(project, notice, code, args.repeat))
                table[name] = {what: statistics.median(times) for what, times in found.items() if times}
                print(f"  {name}: " + ", ".join(f"{what} {value:.2f}" for what, value in table[name].items()), flush=True)
            print("| measure | " + " | ".join(table) + (" | before / this |" if len(table) > 1 else " |"))
            print("|---|" + "---|" * (len(table) + (len(table) > 1)))
            for what in table["this"]:
                values = [table[name].get(what) for name in table]
                ratio = f" {values[1] / values[0]:.1f} |" if len(values) > 1 and values[1] and values[0] else (" |" if len(values) > 1 else "")
                print(f"| {what} | " + " | ".join("" if v is None else f"{v:.2f}" for v in values) + " |" + ratio, flush=True)


if __name__ == "__main__":
    main()
