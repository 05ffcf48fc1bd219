"""Benchmark: what a reader's browser downloads to search a 10,000-notice archive.

    .venv/bin/python tests/benchmarks/search.py [--notices 10000] [--site /tmp/search-bench]

Builds the shipped content plus a generated archive (skipped if --site already holds a build),
serves it on 127.0.0.1 the way a production web server does (gzip for text; Pagefind's index files
are compressed already), opens the search page in Debian's Chromium, runs 10 queries one after the
other and reports the bytes of the first query (the page itself, and Pagefind's files) and the
median of each later query. Bytes are the browser's own network accounting of every request
(Playwright's request.sizes(): headers and body as received), because Pagefind fetches its index
from a Web Worker, whose requests never appear in the page's Resource Timing entries; the page's
Resource Timing total is printed beside it as a cross-check. With --identity the server sends
nothing compressed (the worst case). Exits 1 if the first query needs 300 KB or more.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from archive import add_archive, copy_project  # noqa: E402

QUERIES = ["停車場收費", "府財產字第1150010234號", "土地現值", "衛生局", "垃圾清運", "身心障礙", "人事令", "自治條例",
           "公共自行車", "1150000876"]
LIMIT = 300 * 1024


def build(site: Path, notices: int) -> None:
    if (site / "pagefind" / "pagefind-entry.json").is_file():
        return
    project = copy_project(site.parent / "project")
    add_archive(project, notices - 29)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(project), "--site-dir", str(site)], check=True)
    print(f"built {notices:,} notices in {time.perf_counter() - start:.0f} s")


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", "/")


def serve(site: Path, compress: bool) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Server(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send_head(self):  # gzip text like nginx's `gzip on`, when the browser accepts it
            path = self.translate_path(self.path)
            if Path(path).is_dir():
                path = str(Path(path) / "index.html")
            wants = compress and "gzip" in self.headers.get("Accept-Encoding", "")
            if not (wants and self.path.split("?")[0].endswith(COMPRESSIBLE) and Path(path).is_file()):
                return super().send_head()
            body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return __import__("io").BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Server, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


RESOURCE_TIMING = "() => performance.getEntriesByType('resource').reduce((sum, e) => sum + e.transferSize, 0)"


def measure(url: str) -> tuple[list[tuple[str, int]], list[int], int]:
    """(url, bytes) of every request of the first query; bytes of each later query; Resource Timing total."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page()
        received: list[tuple[str, int]] = []

        def finished(request) -> None:
            sizes = request.sizes()
            received.append((request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))

        page.on("requestfinished", finished)
        page.goto(f"{url}/search/?q={quote(QUERIES[0])}")
        page.wait_for_selector(".search-result")
        page.wait_for_load_state("networkidle")
        first, timing = list(received), page.evaluate(RESOURCE_TIMING)
        later = []
        for query in QUERIES[1:]:
            seen = len(received)
            page.fill("#search-query", query)
            page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
            page.wait_for_function("() => /找到|找不到/.test(document.getElementById('search-status').textContent)")
            page.wait_for_load_state("networkidle")
            later.append(sum(size for _, size in received[seen:]))
        browser.close()
    return first, later, timing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--site", type=Path, default=Path("/tmp/search-bench/site"))
    parser.add_argument("--identity", action="store_true", help="serve nothing compressed")
    args = parser.parse_args()
    build(args.site, args.notices)
    server, url = serve(args.site, compress=not args.identity)
    try:
        first, later, timing = measure(url)
    finally:
        server.shutdown()
    pagefind = sum(size for name, size in first if "/pagefind/" in name)
    page = sum(size for name, size in first) - pagefind
    print(f"{'identity' if args.identity else 'gzip'}: first query: {page / 1024:.0f} KB page (HTML, CSS, JS) + "
          f"{pagefind / 1024:.0f} KB Pagefind = {(page + pagefind) / 1024:.0f} KB in {len(first)} requests "
          f"(page's Resource Timing, without the worker's requests: {timing / 1024:.0f} KB)")
    for name, size in sorted(first, key=lambda item: -item[1])[:10]:
        print(f"  {size / 1024:7.1f} KB  {name.split(url)[-1]}")
    print(f"later queries: median {statistics.median(later) / 1024:.1f} KB, max {max(later) / 1024:.1f} KB "
          f"over {len(later)} queries ({', '.join(f'{b / 1024:.0f}' for b in later)} KB)")
    sys.exit(0 if page + pagefind < LIMIT else 1)


if __name__ == "__main__":
    main()
