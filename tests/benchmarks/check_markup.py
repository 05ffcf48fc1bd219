"""Benchmark: how long `check` takes over Markdown bodies of pathological lines, against a normal one.

    .venv/bin/python tests/benchmarks/check_markup.py [--size-kib 1000] [--repeat 3]

For each pattern, a body of about ``size`` KiB is checked by the Markdown rules of `check` (refused
characters, script-capable markup, images, the first line), and then as a notice of a copy of the
shipped project by the whole `check` (the project alone is timed first and subtracted). Prints the
median time per MiB. The rules are linear in the text: every pattern should cost about what a normal
text does (tests/checking/test_check_limits.py holds them to a generous 2 s per MiB).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from generator.checking.check import problems_of  # noqa: E402
from generator.errors import Source  # noqa: E402
from generator.checking.rules import body_start, markdown_images, unsafe_markup  # noqa: E402
from generator.reading.yamlio import characters  # noqa: E402

NORMAL = ("本市位於嘉南平原，東臨山區、西濱海港，轄東、西、港、山四區。[市府網站](https://www.jiahe.gov.tw/) "
          "H<sub>2</sub>O 與 m<sup>2</sup>。`code` 與 **粗體**。\n\n")

#: name -> the unit repeated (on one line unless it holds line breaks)
PATTERNS = {
    "normal text": NORMAL,
    "'<a ' on one line": "<a ",
    "'<a onx' on one line": "<a onx",
    "'](' on one line": "](",
    "'![' on one line": "![",
    "'<a onx' lines": "<a onx <a onx <a onx <a onx\n",
    "'=&#' on one line": "=&#",
    "'`' runs of growing length": None,  # built below
    "'{ on' on one line": "{ on",
    "'<' on one line": "<",
}


def body(name: str, size: int) -> str:
    unit = PATTERNS[name]
    if unit is None:  # backtick runs of lengths 1, 2, 3, ... none ever closed
        parts, length, total = [], 1, 0
        while total < size:
            parts.append("`" * length + "x")
            total += length + 1
            length += 1
        return "".join(parts)
    return unit * (size // len(unit.encode("utf-8")))


def rules(text: str) -> None:
    source = Source(PurePosixPath("content/gazette/2026/01/01-x.md"))
    for _ in characters(text, source, tabs=True):
        pass
    for rule in (unsafe_markup(text, source, 10), markdown_images(text, source, 10, REPO), body_start(text, source, 10)):
        for _ in rule:
            pass


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-kib", type=int, default=1000, help="body size (the file limit is 1024 KiB)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.size_kib * 1024
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        for name in ("content", "datasets"):
            shutil.copytree(REPO / name, project / name)
        notice = sorted((project / "content/gazette").glob("*/*/*.md"))[0]
        front = notice.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n主旨：公告。\n\n"
        baseline = timed(lambda: problems_of(project), args.repeat)
        print(f"whole check of the shipped project: {baseline:.3f} s (subtracted below)")
        print(f"{'pattern':32s} {'MiB':>5s} {'rules s/MiB':>12s} {'check s/MiB':>12s} {'problems':>9s}")
        for name in PATTERNS:
            text = body(name, size)
            mib = len(text.encode("utf-8")) / 2**20
            rules_time = timed(lambda text=text: rules(text), args.repeat)
            notice.write_text(front + text + "\n", encoding="utf-8")
            check_time = timed(lambda: problems_of(project), args.repeat) - baseline
            problems = len(problems_of(project)[1])
            print(f"{name:32s} {mib:5.2f} {rules_time / mib:12.3f} {check_time / mib:12.3f} {problems:9d}", flush=True)


if __name__ == "__main__":
    main()
