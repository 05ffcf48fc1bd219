"""Benchmark: search quality on real gazette text, and what a reader's browser downloads.

    .venv/bin/python tests/benchmarks/search.py [--work /tmp/search-bench] [--copies 7] [--baseline] [--seed 14]
        [--reuse] [--bytes-only] [--bytes-all] [--largest N]

--reuse keeps the indexes of an earlier run in --work (indexing 10,108 notices takes a quarter of an
hour) and puts the results page and its assets as the build makes them now beside them, the bundle
made smaller for transfer as the search stage does; --bytes-only skips the quality table; --bytes-all
adds every seeded title, regulation and agency query as a first query; --largest N the word of each of
the N largest index chunks and the characters that end many runs (之 及 等 …). Each first query is
printed with an estimate for as many different notices ("What the copies hide" below).

Real data: the national gazette's XML in ../shared/realdata/ (1,444 notices, unpacked into --work),
each record turned into the indexed part of a notice page (title, metadata list, 主旨, text) the way
the site's notice template writes it, until `generator import ey-xml` lands; the pages are indexed
by the build's own code (generator/outputs/search.py) into a copy of the shipped site, whose search
page is then driven in Debian's Chromium.

Queries (seeded, expected notices computed from the data, never chosen by hand), four kinds:
  title      a 2-8 character run of a title found in at most 5 titles (and often in many bodies);
             a hit: one of those notices in the top 5
  regulation a name quoted 「…」 in a title; a hit: a notice with 「name」 in its title in the top 5
  agency     "<issuing agency> <2-4 characters of its notice's title>", at most 5 such notices, the
             agency named as the page writes it (公共工程委員會)
  (abbreviation: the same with the source's short name of the lead agency, 工程會, which the page
             never writes: reported, not part of the goal)
  number     every document number of a notice (several numbers: each); a hit: that notice first

With --baseline the same pages are also indexed the way the site did before (one character per word,
generator/outputs/search.py and search.js at commit BASELINE) and the same queries run there.

Bytes: --copies N repeats the real notices N times (new document numbers, 1,444 x 7 = 10,108) into
another site; each query is then the first one in a fresh browser (nothing cached), served the way a
production web server does (gzip for text, Pagefind's index files are compressed already), and the
browser's own accounting of every request is summed (Playwright's request.sizes(): headers and body
as received; Pagefind fetches its index from a Web Worker, whose requests Resource Timing misses).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import html
import http.server
import importlib.util
import io
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode, urlparse

REPO = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))
from generator.outputs import search  # noqa: E402

REAL = REPO.parent / "shared" / "realdata" / "ey-gazette-2006-01-04.tar.xz"
BASELINE = "1833c6c"  # the last commit with the one-character-per-word index
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
LIMIT, LONG_LIMIT = 300 * 1024, 500 * 1024


# -- real notices --------------------------------------------------------------------------------------

def records(work: Path) -> list[dict[str, str]]:
    folder = work / "ey"
    if not folder.is_dir():
        with tarfile.open(REAL) as archive:
            archive.extractall(folder, filter="data")
    out = []
    for path in sorted(folder.rglob("*.xml")):
        roc, month, day = (int(n) for n in path.stem.split("-"))
        for record in ET.parse(path).getroot():
            fields = {child.tag: (child.text or "").strip() for child in record}
            fields["published"] = f"{roc + 1911}-{month:02d}-{day:02d}"
            out.append(fields)
    # the site's URL of a notice, /gazette/<YYYY>/<NN>/<SS>/: an issue a day of publication, numbered in
    # its year, the notices of a day in the source's order (the names the search bundle gives the
    # pages follow from it: pagefind_bundle, "page names")
    days = sorted({r["published"] for r in out})
    issue = {day: sum(1 for d in days[:i] if d[:4] == day[:4]) + 1 for i, day in enumerate(days)}
    seen: dict[str, int] = {}
    for r in out:
        seen[r["published"]] = seen.get(r["published"], 0) + 1
        r["issue"], r["sequence"] = str(issue[r["published"]]), str(seen[r["published"]])
    return out


def different(recs: list[dict[str, str]], copy: int, seed: int) -> list[dict[str, str]]:
    """Copy ``copy`` of the notices made different from the others (--different): the titles and the
    subjects dealt out again among the notices, and every sentence of their texts shuffled and dealt
    back, each notice keeping its number of paragraphs and sentences. Each copy then says what the
    real gazette says, word for word (the same words, as often), but no page, and no word's places on
    a page, repeats another copy's: what gzip finds in an index chunk of the plain copies (README,
    "What the copies hide") it cannot find here."""
    rng = random.Random(f"{seed}-{copy}")
    bodies = [[_SENTENCE.findall(line) for line in paragraphs(r.get("HTMLContent", ""))] for r in recs]
    pool = [sentence for body in bodies for line in body for sentence in line]
    rng.shuffle(pool)
    dealt = iter(pool)
    titles = [r["Title"] for r in recs]
    subjects = [r.get("ThemeSubject", "") for r in recs]
    rng.shuffle(titles)
    rng.shuffle(subjects)
    out = []
    for r, body, title, subject in zip(recs, bodies, titles, subjects, strict=True):
        made = dict(r, Title=title, ThemeSubject=subject)
        made["paragraphs"] = ["".join(next(dealt) for _ in line) for line in body]
        out.append(made)
    return out


_SENTENCE = re.compile(r"[^。；！？]+[。；！？]?")


def numbers(record: dict[str, str]) -> list[str]:
    return [n.strip() for n in record["GazetteId"].split(";") if n.strip()]


_BLOCKS = re.compile(r"(?i)<\s*(?:br|/p|/div|/tr|/td|/li|/h\d|/table)\b[^>]*>")


def paragraphs(fragment: str) -> list[str]:
    """The text of the source's HTML, a paragraph a line (its markup is not trusted, only read)."""
    from lxml import html as lxml_html

    if not fragment.strip():
        return []
    marked = _BLOCKS.sub("\n", fragment)
    text = lxml_html.fromstring(f"<div>{marked}</div>").text_content()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def agency_name(record: dict[str, str]) -> str:
    """The issuing agency as the notice page writes it (the lead one of a joint notice)."""
    return next((a for a in record["PubGovName"].split(";") if a), record["PubGov"])


def notice_page(record: dict[str, str], number_suffix: str = "", years_back: int = 0) -> str:
    """A built notice page's indexed part, as themes/material/main.html and gazette/notice.md write it
    (a copy ``years_back`` years earlier, with other document numbers, for the archive-size figures)."""
    e = functools.partial(html.escape, quote=True)
    published = f"{int(record['published'][:4]) - years_back}{record['published'][4:]}"
    docs = [n + number_suffix for n in numbers(record)]
    agencies = "、".join(a for a in record["PubGovName"].split(";") if a) or record["PubGov"]
    spans = [("meta", "title", record["Title"]), ("filter", "publication", "市府公報"), ("filter", "agency", record["PubGov"]),
             ("filter", "year", published[:4]), ("meta", "date", record["Date_Created"]), ("meta", "agency", agencies),
             ("meta", "doc_number", "、".join(docs)), ("sort", "date", published)]
    parts = ['<html lang="zh-TW"><body><article><div data-pagefind-body>']
    parts += [f'<span hidden data-pagefind-{kind}="{e(name)}:{e(value)}"></span>' for kind, name, value in spans if value]
    parts.append(f"<h1>{e(record['Title'])}</h1>")
    parts.append('<dl class="notice-meta">')
    parts.append(f"<dt>發文機關</dt><dd>{e(agencies)}</dd>")
    if docs:
        parts.append("<dt>發文字號</dt><dd>" + "、".join(f'<span class="doc-number" data-pagefind-weight="10">{e(n)}</span>'
                                                      for n in docs) + "</dd>")
    for label, field in (("發文日期", "Date_Created"), ("署名", "Officer_name"), ("關鍵詞", "Keyword"), ("英文標題", "TitleEnglish")):
        if record.get(field):
            parts.append(f"<dt>{label}</dt><dd>{e(record[field].replace(';', '、'))}</dd>")
    parts.append("</dl>")
    if record.get("ThemeSubject"):
        parts.append(f"<p>主旨：{e(record['ThemeSubject'])}</p>")
    lines = record["paragraphs"] if "paragraphs" in record else paragraphs(record.get("HTMLContent", ""))
    parts += [f"<p>{e(line)}</p>" for line in lines]
    parts.append("</div></article></body></html>")
    return "\n".join(parts)


def url_of(record: dict[str, str], copy: int = 0) -> str:
    """The notice's URL as the site writes it (a copy ``copy`` years earlier: :func:`notice_page`)."""
    return f"/gazette/{int(record['published'][:4]) - copy}/{int(record['issue']):02d}/{int(record['sequence']):02d}/"


# -- queries -------------------------------------------------------------------------------------------

def make_queries(recs: list[dict[str, str]], seed: int, per_kind: int = 40) -> list[tuple[str, str, set[str], int]]:
    """(kind, query, expected URLs, rank needed) for the four kinds, from the data."""
    rng = random.Random(seed)
    titles = {url_of(r): r["Title"] for r in recs}
    queries: list[tuple[str, str, set[str], int]] = []

    def with_title(text: str, among=None) -> set[str]:
        return {url for url, title in titles.items() if text in title and (among is None or url in among)}

    seen: set[str] = set()
    tries = 0
    while sum(1 for q in queries if q[0] == "title") < per_kind and tries < 100_000:
        tries += 1
        record = rng.choice(recs)
        runs = [run for run in HAN.findall(record["Title"].split("：", 1)[-1]) if len(run) >= 2]
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(2, min(8, len(run)))
        start = rng.randrange(len(run) - size + 1)
        phrase = run[start:start + size]
        expected = with_title(phrase)
        if phrase not in seen and 1 <= len(expected) <= 5:
            seen.add(phrase)
            queries.append(("title", phrase, expected, 5))
    names = sorted({name for r in recs for name in re.findall(r"「([^」「]{4,40})」", r["Title"])})
    for name in rng.sample(names, min(per_kind, len(names))):
        queries.append(("regulation", name, with_title(f"「{name}」"), 5))
    written: dict[str, bool] = {}  # MetaId -> whether the page writes the source's short agency name

    def abbreviated(record: dict[str, str]) -> bool:
        if record["MetaId"] not in written:
            text = notice_page(record).replace(f'data-pagefind-filter="agency:{html.escape(record["PubGov"])}"', "")
            written[record["MetaId"]] = record["PubGov"] not in text  # (the filter's value is not indexed text)
        return written[record["MetaId"]]

    for kind, name_of in (("agency", agency_name), ("abbreviation", lambda r: r["PubGov"])):
        agencies: dict[str, set[str]] = {}
        for r in recs:
            agencies.setdefault(name_of(r), set()).add(url_of(r))
        tries = 0
        while sum(1 for q in queries if q[0] == kind) < per_kind and tries < 100_000:
            tries += 1
            record = rng.choice(recs)
            runs = [run for run in HAN.findall(record["Title"].split("：", 1)[-1]) if len(run) >= 2]
            if not runs or not name_of(record) or (kind == "abbreviation" and not abbreviated(record)):
                continue  # an abbreviation the page never writes (金管會 for 行政院金融監督管理委員會)
            run = rng.choice(runs)
            size = rng.randint(2, min(4, len(run)))
            start = rng.randrange(len(run) - size + 1)
            topic = run[start:start + size]
            query = f"{name_of(record)} {topic}"
            expected = with_title(topic, agencies[name_of(record)])
            if query not in seen and 1 <= len(expected) <= 5:
                seen.add(query)
                queries.append((kind, query, expected, 5))
    owners: dict[str, list[str]] = {}
    for r in recs:
        for n in numbers(r):
            owners.setdefault(n, []).append(url_of(r))
    unique = sorted(n for n, urls in owners.items() if len(urls) == 1)
    for n in rng.sample(unique, min(per_kind, len(unique))):
        queries.append(("number", n, set(owners[n]), 1))
    return queries


def company_names(recs: list[dict[str, str]], seed: int, count: int = 30) -> list[str]:
    """Full names of companies ending in 股份有限公司 (8 to 14 Han characters) as the notices write them
    (a whole run of Han characters, in lists and titles): a seeded sample of names met in notices, each
    name as likely as the notices that write it (the car-finance companies of the long lists of
    動產擔保 notices are in 50 of the 1,444, most names in one). The query a citizen types most often in
    a gazette after a document number; measured for its download only (a listed name is on many
    notices, so no one notice is expected first). Its own random stream, so that the seeded queries of
    :func:`make_queries` stay what they were."""
    written: list[str] = []  # a name once per notice that writes it
    for r in recs:
        text = r["Title"] + " " + re.sub(r"<[^>]+>", " ", html.unescape(r.get("HTMLContent", "")))
        written += sorted({run for run in HAN.findall(text) if run.endswith("股份有限公司") and 8 <= len(run) <= 14})
    rng = random.Random(f"{seed}-company")
    names: list[str] = []
    while written and len(names) < count:
        name = rng.choice(written)
        if name not in names:
            names.append(name)
    return names


# -- indexing ------------------------------------------------------------------------------------------

def shipped_site(work: Path, fresh: bool = False) -> Path:
    site = work / "shipped"
    if fresh or not (site / "search" / "index.html").is_file():
        subprocess.run([sys.executable, "-m", "generator", "build", "-q", "--root", str(REPO), "--site-dir", str(site)],
                       check=True, cwd=REPO)
    return site


def keep_runs(module, index, folder: Path) -> None:
    """Pagefind's raw run of each shard kept in ``folder`` under a hash of what it follows from (Pagefind's
    version, the code that makes the indexing documents, the shard's pages), not of the code that reads
    and merges runs (``pagefind_bundle.py``, which the search stage's own cache keys by too): a change
    there re-merges the 10,108 notices in a minute instead of indexing them again (a quarter of an hour)."""
    from importlib import metadata

    real = index._run
    store = module.Index(index.cwd, folder)  # only its _cached() and _store()
    code = hashlib.sha256()
    for distribution in ("pagefind", "pagefind_bin_extended"):
        code.update(f"{distribution} {metadata.version(distribution)}\n".encode())
    for path in (module.__file__, REPO / "generator" / "markup" / "cjk.py"):
        code.update(Path(path).read_bytes())

    def run(shard, sources):
        digest = code.copy()
        for source in sources:
            digest.update(json.dumps([source.path, source.url, source.digest]).encode())
        key = digest.hexdigest()
        if (found := store._cached(key, "runs")) is not None:
            index.peaks[shard] = 0  # (the search stage logs the peak of every run it asked for)
            return found
        made = real(shard, sources)
        store._store(key, made, "runs")
        return made

    index._run = run


def index_into(site: Path, pages: list[tuple[str, str]], module, runs: Path | None = None) -> float:
    """Index ``pages`` ((built file, page HTML)) with ``module``'s way into site/pagefind; seconds taken.
    ``runs``: a folder keeping Pagefind's runs (:func:`keep_runs`)."""
    start = time.perf_counter()
    if hasattr(module, "Index"):  # the build's way: shards (pieces of the pages, newest first), merged
        sources = [module._Source(name, page.encode("utf-8"), None, "zh-TW") for name, page in pages]
        index = module.Index(site)
        if runs is not None:
            keep_runs(module, index, runs)
        files = index.bundle(module._pieces("gazette-bench", sources))
        if transfer := getattr(module, "search_transfer", None):  # as the search stage does (index_site)
            files = transfer.for_transfer(files)
        peak = f"the largest peaked at {max(index.peaks.values()) / 2**20:.0f} MB (VmHWM)" if any(index.peaks.values()) else "all kept"
        print(f"  Pagefind: {len(index.peaks)} runs, {peak}; {time.perf_counter() - start:.0f} s in all")
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        for name, data in files.items():
            (site / "pagefind" / name).parent.mkdir(parents=True, exist_ok=True)
            (site / "pagefind" / name).write_bytes(data)
        return time.perf_counter() - start
    if hasattr(module, "indexing_document"):
        documents = ((name, module.indexing_document(page, "zh-TW")) for name, page in pages)
    else:  # the baseline: the page itself, its text one character per word
        documents = ((name, "".join(part if part.startswith("<") else module.segment(part) for part in module._TAGS.split(page)))
                     for name, page in pages)
    _, files = module._Service(cwd=site).index(documents)
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    for name, data in module.canonical(files).items():
        (site / "pagefind" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "pagefind" / name).write_bytes(data)
    return time.perf_counter() - start


def baseline_module(work: Path):
    """generator/outputs/search.py and search.js as they were at BASELINE."""
    folder = work / "baseline-code"
    folder.mkdir(parents=True, exist_ok=True)
    for path in ("generator/outputs/search.py", "themes/material/assets/javascripts/search.js"):
        data = subprocess.run(["git", "show", f"{BASELINE}:{path}"], cwd=REPO, capture_output=True, check=True).stdout
        (folder / Path(path).name).write_bytes(data)
    spec = importlib.util.spec_from_file_location("baseline_search", folder / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, folder / "search.js"


def make_site(work: Path, name: str, recs, copies: int, module, script: Path | None = None, reuse: bool = False,
              different_seed: int | None = None) -> Path:
    """A copy of the shipped site with ``copies`` copies of the notices indexed (with ``different_seed``,
    copies after the first made different: :func:`different`)."""
    site = work / name  # the page's script as the build publishes it now, unless another is given (baseline)
    if reuse and (site / "pagefind" / "pagefind-entry.json").is_file():
        # the page and its assets as the build makes them now, the index kept (made smaller for
        # transfer as the search stage does now: search_transfer.for_transfer() gives the same
        # bundle again when given its own)
        for path in shipped_site(work, fresh=True).rglob("*"):
            relative = path.relative_to(work / "shipped")
            if path.is_file() and relative.parts[0] != "pagefind":
                (site / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, site / relative)
        if script:
            shutil.copy(script, site / "assets/javascripts/search.js")
        if transfer := getattr(module, "search_transfer", None):
            bundle = site / "pagefind"
            files = {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}
            made = transfer.for_transfer(files)
            for gone in set(files) - set(made):
                (bundle / gone).unlink()
            for file, data in made.items():
                if files.get(file) != data:
                    (bundle / file).write_bytes(data)
        return site
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(shipped_site(work), site)
    if script:
        shutil.copy(script, site / "assets/javascripts/search.js")
    # newest first, as the build gives Pagefind the gazette (generator.outputs.search.index_order)
    made = [recs if copy == 0 or different_seed is None else different(recs, copy, different_seed) for copy in range(copies)]
    pages = [(url_of(r, copy).strip("/") + "/index.html", notice_page(r, f"-{copy}" if copy else "", copy))
             for copy in range(copies) for r in sorted(made[copy], key=lambda r: (r["published"], -int(r["sequence"])), reverse=True)]
    seconds = index_into(site, pages, module, work / "runs" if hasattr(module, "Index") else None)
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    size = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    print(f"{name}: indexed {len(pages):,} notices in {seconds:.0f} s; bundle {size / 2**20:.1f} MB, "
          f"{sum(1 for _ in (site / 'pagefind' / 'index').iterdir())} index chunks; languages {sorted(entry['languages'])}")
    return site


# -- the browser ---------------------------------------------------------------------------------------

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", "/")


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Server(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def send_head(self):  # gzip text like nginx's `gzip on`, when the browser accepts it
            path = self.translate_path(self.path)
            if Path(path).is_dir():
                path = str(Path(path) / "index.html")
            wants = "gzip" in self.headers.get("Accept-Encoding", "")
            if not (wants and self.path.split("?")[0].endswith(COMPRESSIBLE) and Path(path).is_file()):
                return super().send_head()
            body = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Server, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def launch(p):
    return p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu",
                             "--disable-background-networking", "--disable-component-update"])


def results(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}/search/?{urlencode({'q': query})}")
    page.wait_for_function("() => /\\d|找不到/.test(document.getElementById('search-status').textContent)", timeout=60_000)
    page.wait_for_load_state("networkidle")
    return [urlparse(href).path for href in page.eval_on_selector_all(".search-result__title a", "els => els.map(a => a.href)")]


def quality(site: Path, queries) -> dict[str, list[int | None]]:
    """Rank (1-based, None if not in the first 10 shown) of the best expected notice, by kind."""
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    ranks: dict[str, list[int | None]] = {}
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            for kind, query, expected, _ in queries:
                shown = results(page, url, query)
                rank = next((i + 1 for i, path in enumerate(shown) if path in expected), None)
                ranks.setdefault(kind, []).append(rank)
            browser.close()
    finally:
        server.shutdown()
    return ranks


#: The capped pages' texts (pagefind/text/…) each first query fetched to check its phrase: query -> their bytes.
texts: dict[str, list[int]] = {}

#: The index chunks each first query fetched: query -> [(chunk file name, bytes of its body as received)].
chunks: dict[str, list[tuple[str, int]]] = {}


# -- what the copies hide ----------------------------------------------------------------------------
#
# The 10,108 notices are the 1,444 real ones seven times over, with other document numbers and years:
# the same text, so a word's postings on copy 2 to 7 repeat those on copy 1 (the same positions, page
# after page). gzip finds those repeats wherever they lie within its 32 KB window: an index chunk of
# the copies compresses to about a quarter of what a chunk of 10,108 different notices would (median
# 8.9 KB against 35 KB for the 1,444 real notices indexed alone, whose chunks hold as many places).
# The figures of the copies are what a browser downloads from this benchmark, and understate a real
# archive for every index chunk. distinct_bytes() estimates a chunk of different notices: the
# postings of one copy (its pages come first), compressed alone, times the number of copies.

_distinct: dict[str, int] = {}


def distinct_bytes(site: Path, chunk: str, copies: int, per_copy: int) -> int:
    """The estimated bytes of index chunk ``chunk`` if the ``copies`` copies were different notices."""
    if chunk not in _distinct:
        from generator.outputs import pagefind_bundle

        entries = []
        for word, postings, _ in pagefind_bundle.read_cbor((site / "pagefind" / "index" / f"{chunk}.pf_index").read_bytes(),
                                                                  check=False)[0]:
            page, kept = 0, []
            for posting in postings:
                page += posting[0]
                if page < per_copy:
                    kept.append(posting)
            if kept:
                entries.append([word, kept, []])
        _distinct[chunk] = copies * len(pagefind_bundle.gzipped(pagefind_bundle.cbor([entries])))
    return _distinct[chunk]


def distinct_estimate(site: Path, query: str, first: int, copies: int, per_copy: int) -> int:
    """A first query's bytes with each index chunk it fetched counted as :func:`distinct_bytes`."""
    return first + sum(distinct_bytes(site, name, copies, per_copy) - size for name, size in chunks.get(query, []))


def asked_as(word: str) -> bool:
    """Whether a query of ``word`` alone asks for that word alone (as search.js's phraseWords(): a
    Han run's last character is left out of a query ending with it, 規定 -> 規定)."""
    found = search.words(word)
    return found == [word] or (len(found) == 2 and found[0] == word and len(word) == 2 and bool(HAN.fullmatch(word)))


def largest_words(site: Path, count: int) -> list[tuple[str, int]]:
    """The word a query would ask for in each of the ``count`` largest index chunks that hold one (the
    one with the most places; a chunk of metadata values only, 主旨：… cut by Pagefind, has none), and
    that chunk's bytes: a query a reader can type, whose words are that word alone."""
    from generator.outputs import pagefind_bundle

    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    meta = pagefind_bundle.read_cbor((bundle / f"pagefind.{entry['languages']['und-hani']['hash']}.pf_meta").read_bytes(), check=False)
    sized = sorted(((bundle / "index" / f"{name}.pf_index").stat().st_size, name) for _, _, name in meta[2])[::-1]
    out: list[tuple[str, int]] = []
    for size, name in sized:
        words = [(sum(len(p[1]) + len(p[2]) + 1 for p in postings), word)
                 for word, postings, _ in pagefind_bundle.read_cbor((bundle / "index" / f"{name}.pf_index").read_bytes(), check=False)[0]
                 if asked_as(word)]
        if words:
            out.append((max(words)[1], size))
        if len(out) == count:
            break
    return out


#: The requests of each first query: (path, bytes received), by query.
requests_of: dict[str, list[tuple[str, int]]] = {}


def kind_of(path: str) -> str:
    """What a request of a first query is, for the breakdown (--breakdown)."""
    for pattern, kind in ((r"\.pf_meta$", "page list (pf_meta)"), (r"/index/", "index chunks"), (r"/fragment/", "results' fragments"),
                          (r"/text/", "capped pages' texts"), (r"\.wasm", "Pagefind's WebAssembly"),
                          (r"/pagefind/pagefind\.js", "Pagefind's script"), (r"/pagefind/", "Pagefind's other files"),
                          (r"/search\.js$", "search.js"), (r"\.js$", "the theme's scripts"), (r"\.css$", "the theme's styles"),
                          (r"/search/$", "the page")):
        if re.search(pattern, path):
            return kind
    return "other"


def first_query_bytes(site: Path, queries: list[str]) -> list[tuple[str, int, int, int]]:
    """(query, bytes of it as the first query in a fresh browser, its requests, bytes of the next query
    typed after it on the same page); the texts it fetched go to :data:`texts`, every request to :data:`requests_of`."""
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    out = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            for i, query in enumerate(queries):
                context = browser.new_context()
                page = context.new_page()
                received: list[int] = []
                current: list[str | None] = [query]  # the first query's requests, then None
                def finished(request, received=received, current=current) -> None:
                    try:
                        sizes = request.sizes()
                    except Exception:  # a request still finishing as the context closes
                        return
                    received.append(sizes["responseHeadersSize"] + sizes["responseBodySize"])
                    if current[0] is not None:
                        requests_of.setdefault(current[0], []).append((urlparse(request.url).path, received[-1]))
                    if "/pagefind/text/" in request.url and current[0] is not None:
                        texts.setdefault(current[0], []).append(received[-1])
                    if "/pagefind/index/" in request.url and current[0] is not None:
                        name = request.url.rsplit("/", 1)[-1].removesuffix(".pf_index")
                        chunks.setdefault(current[0], []).append((name, sizes["responseBodySize"]))

                page.on("requestfinished", finished)
                results(page, url, query)
                first, count = sum(received), len(received)
                current[0] = None
                later = queries[(i + 1) % len(queries)]
                page.fill("#search-query", later)
                page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=later)
                page.wait_for_function("() => /\\d|找不到/.test(document.getElementById('search-status').textContent)")
                page.wait_for_load_state("networkidle")
                out.append((query, first, count, sum(received) - first))
                page.remove_listener("requestfinished", finished)
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def report(name: str, queries, ranks) -> None:
    print(f"\n{name}: queries found in the top 5 (numbers: first)")
    for kind in ("title", "regulation", "agency", "number", "abbreviation"):
        got = ranks.get(kind, [])
        needed = [q[3] for q in queries if q[0] == kind]
        hits = sum(1 for rank, need in zip(got, needed, strict=True) if rank is not None and rank <= need)
        found = [r for r in got if r is not None]
        print(f"  {kind:10s} {hits:3d}/{len(got):3d} = {100 * hits / max(1, len(got)):5.1f} %   "
              f"median rank {statistics.median(found) if found else '-'}, not in the first 10: {got.count(None)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path, default=Path("/tmp/search-bench"))
    parser.add_argument("--copies", type=int, default=7, help="copies of the real notices for the download figures (0: none)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--baseline", action="store_true", help="also measure the one-character-per-word index")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep indexes a previous run made in --work")
    parser.add_argument("--bytes-only", action="store_true", help="only the download figures")
    parser.add_argument("--bytes-all", action="store_true",
                        help="the download of every seeded title, regulation and agency query as a first query (with --copies)")
    parser.add_argument("--different", action="store_true",
                        help="the copies made different from each other (different()): no copy repeats another's pages")
    parser.add_argument("--chunk-size", type=int, default=0, metavar="PLACES",
                        help="index chunks of this many places instead of pagefind_bundle.CHUNK_SIZE (the runs kept are merged again)")
    parser.add_argument("--breakdown", action="store_true", help="what the first probes' first queries fetched, by kind")
    parser.add_argument("--largest", type=int, default=0, metavar="N",
                        help="the word of each of the N largest index chunks as a first query, and the characters that end most runs")
    args = parser.parse_args()
    if args.chunk_size:
        from generator.outputs import pagefind_bundle
        pagefind_bundle.CHUNK_SIZE = args.chunk_size
    args.work.mkdir(parents=True, exist_ok=True)
    recs = records(args.work)
    queries = make_queries(recs, args.seed)
    print(f"{len(recs):,} real notices; {len(queries)} queries (seed {args.seed}): "
          + ", ".join(f"{k} {sum(1 for q in queries if q[0] == k)}" for k in ("title", "regulation", "agency", "number", "abbreviation")))
    sites = {} if args.bytes_only else {"bigrams": make_site(args.work, "bigrams", recs, 1, search, reuse=args.reuse)}
    if args.baseline and not args.bytes_only:
        module, script = baseline_module(args.work)
        sites["baseline"] = make_site(args.work, "baseline", recs, 1, module, script, reuse=args.reuse)
    for name, site in sites.items():
        ranks = quality(site, queries)
        report(name, queries, ranks)
        if args.show_misses:
            for kind in ranks:
                kinds = [q for q in queries if q[0] == kind]
                for (_, query, expected, need), rank in zip(kinds, ranks[kind], strict=True):
                    if rank is None or rank > need:
                        print(f"    miss {kind}: {query!r} rank {rank} expected {sorted(expected)[:3]}")
    if args.copies:
        big = make_site(args.work, f"bigrams-x{args.copies}{'-different' if args.different else ''}", recs, args.copies, search,
                        reuse=args.reuse, different_seed=args.seed if args.different else None)
        rng = random.Random(args.seed)
        long_names = [q[1] for q in queries if q[0] == "regulation" and len(q[1]) >= 25] or \
            sorted((q[1] for q in queries if q[0] == "regulation"), key=len)[-1:]
        probes = [q[1] for q in queries if q[0] == "title" and len(q[1]) == 2][:2] + \
            [q[1] for q in queries if q[0] == "title" and len(q[1]) == 4][:2] + \
            [q[1] for q in queries if q[0] == "title" and len(q[1]) >= 7][:2] + \
            rng.sample([q[1] for q in queries if q[0] == "number"], 2) + long_names[:2] + \
            ["公司", "股份有限公司"]  # the commonest words of the real gazette (their positions capped: pagefind_bundle.POSITIONS)
        def estimated(query: str, first: int) -> str:  # (measured with --different: no estimate)
            return "   -" if args.different else f"{distinct_estimate(big, query, first, args.copies, len(recs)) / 1024:4.0f}"

        print(f"\nfirst query, {len(recs) * args.copies:,} notices, gzip (each in a fresh browser; 'distinct': estimated "
              "for as many different notices, see distinct_bytes()):")
        for query, first, count, again in first_query_bytes(big, probes):
            han = sum(len(run) for run in HAN.findall(query))
            limit = LIMIT if han <= 8 else LONG_LIMIT
            print(f"  {first / 1024:6.0f} KB in {count:2d} requests  {'ok  ' if first <= limit else 'OVER'}  distinct {estimated(query, first)} KB  "
                  f"next query {again / 1024:4.0f} KB  {query} ({han} Han characters)")
        if args.breakdown:
            for query in probes[:1] + probes[2:3] + probes[9:10] + probes[-1:]:
                kinds: dict[str, list[int]] = {}
                for path, size in requests_of.get(query, []):
                    kinds.setdefault(kind_of(path), []).append(size)
                print(f"\n  {query}, what its first query fetched (KB, requests):")
                for kind, sizes in sorted(kinds.items(), key=lambda item: -sum(item[1])):
                    print(f"    {sum(sizes) / 1024:6.1f}  {len(sizes):3d}  {kind}")
        if args.largest:
            largest = largest_words(big, args.largest)
            ending = [c for c in "之及等者條年月日號字府市" if c not in {word for word, _ in largest}]
            print(f"\nthe word of each of the {args.largest} largest index chunks, and characters that end many runs, "
                  "as a first query (KB; the chunk's own KB):")
            sizes = dict(largest)
            for query, first, _, _ in first_query_bytes(big, [word for word, _ in largest] + ending):
                fetched = ", ".join(f"{size / 1024:.0f}" for _, size in chunks.get(query, []))
                print(f"  {first / 1024:6.0f} KB  {'ok  ' if first <= LIMIT else 'OVER'}  distinct {estimated(query, first)} KB  "
                      f"{query}  (its chunk {sizes[query] / 1024:.0f} KB; chunks fetched {fetched or '-'})" if query in sizes else
                      f"  {first / 1024:6.0f} KB  {'ok  ' if first <= LIMIT else 'OVER'}  distinct {estimated(query, first)} KB  "
                      f"{query}  (chunks fetched {fetched or '-'})")
        if args.bytes_all:
            print(f"\nevery seeded query as a first query, {len(recs) * args.copies:,} notices (KB: median, largest):")
            companies = company_names(recs, args.seed)
            for kind in ("title", "regulation", "agency", "company"):
                asked = companies if kind == "company" else [q[1] for q in queries if q[0] == kind]
                measured = first_query_bytes(big, asked)
                for short in (True, False):
                    rows = [(query, first) for query, first, _, _ in measured
                            if (sum(len(run) for run in HAN.findall(query)) <= 8) == short]
                    if not rows:
                        continue
                    limit = LIMIT if short else LONG_LIMIT
                    over = [(query, first) for query, first in rows if first > limit]
                    sizes = sorted(first for _, first in rows)
                    guess = sorted(distinct_estimate(big, query, first, args.copies, len(recs)) for query, first in rows)
                    print(f"  {kind:10s} {'up to 8' if short else '9 or more'} characters: {len(rows) - len(over)}/{len(rows)} "
                          f"within {limit // 1024} KB; {statistics.median(sizes) / 1024:.0f}, {sizes[-1] / 1024:.0f} "
                          f"(distinct: {sum(1 for g in guess if g <= limit)} within, {statistics.median(guess) / 1024:.0f}, "
                          f"{guess[-1] / 1024:.0f})"
                          + "".join(f"\n      over: {query} {first / 1024:.0f} KB" for query, first in over))
            checked = {query: sizes for query, sizes in texts.items() if sizes}
            print(f"  capped pages' texts fetched to check a phrase: {sum(len(s) for s in checked.values())} in "
                  f"{len(checked)} first queries" + "".join(f"\n      {query}: {len(sizes)}, {sum(sizes) / 1024:.0f} KB"
                                                          for query, sizes in checked.items()))


if __name__ == "__main__":
    main()
