"""What a first query downloads (issue 14): the bundle made smaller for transfer (word counts rounded,
Zopfli), the large index chunks the results page is told of and how it picks a long part's words,
and the results page loading only what it uses."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import statistics
from pathlib import Path
from urllib.parse import urlencode

import pytest
import zopfli.gzip

from conftest import REPO

from generator.outputs import search as indexing
from generator.outputs import search_transfer
from generator.outputs.pagefind_bundle import MAGIC, read_cbor


def bundle(site_dir: Path) -> dict[str, bytes]:
    folder = site_dir / "pagefind"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def page_lists(files: dict[str, bytes]) -> dict[str, list]:
    entry = json.loads(files["pagefind-entry.json"])
    return {language: read_cbor(files[f"pagefind.{about['hash']}.pf_meta"], check=False)
            for language, about in entry["languages"].items()}


def test_rounded_keeps_four_significant_bits():
    assert [search_transfer.rounded(n) for n in (0, 1, 15, 16, 17, 31, 32, 35)] == [0, 1, 15, 17, 17, 31, 34, 34]
    assert search_transfer.rounded(1000) == 992  # the step 960-1023, its middle
    for count in range(1, 20_000):
        rounded = search_transfer.rounded(count)
        assert abs(rounded - count) / count <= 1 / 16
        assert search_transfer.rounded(rounded) == rounded  # a bundle given again stays the same


def test_the_shipped_page_lists_give_rounded_word_counts(site_dir):
    files = bundle(site_dir)
    for language, meta in page_lists(files).items():
        for fragment, count in meta[1]:
            page = json.loads(gzip.decompress(files[f"fragment/{fragment}.pf_fragment"])[len(MAGIC):])
            assert count == search_transfer.rounded(page["word_count"]), (language, page["url"])


def test_page_lists_and_webassembly_are_zopfli_compressed_and_inflate_as_pagefind_reads_them(site_dir):
    files = bundle(site_dir)
    entry = json.loads(files["pagefind-entry.json"])
    squeezed = [f"pagefind.{about['hash']}.pf_meta" for about in entry["languages"].values()]
    squeezed += [name for name in files if name.startswith("wasm.")]
    assert len(squeezed) == 4  # Chinese and English
    for name in squeezed:
        body = gzip.decompress(files[name])
        assert body.startswith(MAGIC if name.endswith(".pf_meta") else MAGIC + b"\0asm"), name
        assert len(files[name]) < len(gzip.compress(body, compresslevel=9)), name  # smaller than zlib's best


def test_giving_the_bundle_again_changes_nothing_and_the_memo_keeps_only_what_it_used(site_dir, tmp_path):
    files = bundle(site_dir)
    memo = tmp_path / "transfer"
    again = search_transfer.for_transfer(files, search_transfer.Memo(memo))
    assert again == files
    kept = sorted(path.name for path in memo.iterdir())
    assert len(kept) == 4  # two page lists, two WebAssembly files
    (memo / ("0" * 64 + ".gz")).write_bytes(b"stale")
    assert search_transfer.for_transfer(files, search_transfer.Memo(memo)) == files
    assert sorted(path.name for path in memo.iterdir()) == kept


def test_pagefinds_webassembly_is_compressed_once_for_the_machine(site_dir, tmp_path, monkeypatch):
    """Zopfli takes about a second for each WebAssembly file, which is Pagefind's and the same in every
    project: a project's first build takes it from the machine's folder, where it is checked."""
    files = bundle(site_dir)
    machine = tmp_path / "machine"
    first = search_transfer.for_transfer(files, search_transfer.Memo(tmp_path / "one", machine))
    wasm = {hashlib.sha256(gzip.decompress(files[name])).hexdigest(): name for name in files if name.startswith("wasm.")}
    assert len(wasm) == 2 and sorted(path.name for path in machine.iterdir()) == sorted(f"{key}.gz" for key in wasm)
    compressed: list[bytes] = []
    real = zopfli.gzip.compress
    monkeypatch.setattr(zopfli.gzip, "compress", lambda body, **kw: compressed.append(body) or real(body, **kw))
    # another project: only its page lists are compressed; the WebAssembly is the machine's, kept in the project too
    assert search_transfer.for_transfer(files, search_transfer.Memo(tmp_path / "two", machine)) == first
    assert len(compressed) == 2 and not any(body.startswith(MAGIC + b"\0asm") for body in compressed)
    assert {path.name for path in (tmp_path / "two").iterdir()} >= {f"{key}.gz" for key in wasm}
    # a damaged file of the machine's is not used: compressed again, and replaced
    damaged = machine / f"{min(wasm)}.gz"
    damaged.write_bytes(damaged.read_bytes()[:-100])
    compressed.clear()
    assert search_transfer.for_transfer(files, search_transfer.Memo(tmp_path / "three", machine)) == first
    assert len(compressed) == 3
    assert gzip.decompress(damaged.read_bytes()) == gzip.decompress(files[wasm[min(wasm)]])
    # a machine's folder that cannot be written (here a file) changes nothing but the time
    (tmp_path / "file").write_bytes(b"")
    assert search_transfer.for_transfer(files, search_transfer.Memo(tmp_path / "four", tmp_path / "file")) == first
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert search_transfer.machine_cache() == tmp_path / "xdg" / "jiahe" / "zopfli"


def test_large_chunks_names_pagefinds_ranges_with_their_sizes(site_dir):
    files = bundle(site_dir)
    listed = json.loads(search_transfer.for_transfer(files, large_chunk=1)["large-chunks.json"])
    for language, meta in page_lists(files).items():
        sizes = sorted(len(files[f"index/{chunk[2]}.pf_index"]) for chunk in meta[2])
        typical = listed[language]["typical"]
        assert typical == int(statistics.median(sizes))
        expected = [[chunk[0], chunk[1], len(files[f"index/{chunk[2]}.pf_index"])] for chunk in meta[2]
                    if len(files[f"index/{chunk[2]}.pf_index"]) >= typical]
        assert listed[language]["large"] == expected and expected
    shipped = json.loads(files["large-chunks.json"])  # 1.5 times the usual size or more: none on the small shipped site
    assert set(shipped) == set(listed) and all(about["large"] == [] for about in shipped.values())


# -- the results page ---------------------------------------------------------------------------------


@pytest.fixture
def tab(browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    yield page
    page.close()


def requested(tab, site_url: str, query: str, table: dict | None = None, page: str = "/search/") -> tuple[list[str], list[str], str]:
    """(paths fetched, result paths, status) for ``query`` on the results page; ``table`` stands for
    large-chunks.json."""
    paths: list[str] = []
    tab.on("request", lambda request: paths.append(request.url.removeprefix(site_url).split("?")[0]))
    if table is not None:
        tab.route("**/pagefind/large-chunks.json", lambda route: route.fulfill(json=table))
    tab.goto(f"{site_url}{page}?{urlencode({'q': query})}")
    tab.wait_for_function("() => /\\d|找不到|No results/.test(document.getElementById('search-status').textContent)")
    tab.wait_for_load_state("networkidle")
    results = tab.eval_on_selector_all(".search-result__title a", "els => els.map(a => new URL(a.href).pathname)")
    return paths, results, tab.text_content("#search-status")


def test_the_results_page_loads_only_what_it_uses(tab, site_url, site_dir):
    paths, results, _ = requested(tab, site_url, "停車場收費")
    assert results[0] == "/gazette/2026/01/03/"
    unused = ("/assets/directory.css", "/assets/yearbook.css", "/assets/javascripts/directory-filter.js")
    assert not set(unused) & set(paths)
    assert not [path for path in paths if re.search(r"/bundle\.\w+\.min\.js$", path)]  # mkdocs-material's script
    assert "/assets/search.css" in paths and "/assets/a11y.css" in paths
    assert "/pagefind/large-chunks.json" in paths  # 5 characters: about every other bigram (plan())
    paths, results, _ = requested(tab, site_url, "停車場")
    assert "/pagefind/large-chunks.json" not in paths and results  # a short query has no words to choose among
    assert "/pagefind/lone-words.json" not in paths  # nor is it one word alone
    paths, results, _ = requested(tab, site_url, "停車")
    assert "/pagefind/lone-words.json" in paths and results  # one word alone: asked for by its lone key, if it has one
    assert (site_dir / "pagefind" / "lone-words.json").read_text() == "{}"  # none on the shipped site, but no 404
    paths, results, _ = requested(tab, site_url, "subtropical monsoon climate with hot wet summers", page="/en/search/")
    assert "/pagefind/large-chunks.json" not in paths and results  # nor an English one, however long
    paths, results, _ = requested(tab, site_url, "monsoon", page="/en/search/")
    assert "/pagefind/lone-words.json" not in paths and results  # English words have no lone key
    directory = (site_dir / "directory" / "index.html").read_text(encoding="utf-8")
    yearbook = (site_dir / "yearbook" / "index.html").read_text(encoding="utf-8")
    assert "assets/directory.css" in directory and "directory-filter.js" in directory and "assets/yearbook.css" in yearbook
    assert re.search(r'src="[./]*assets/javascripts/bundle\.\w+\.min\.js"', directory)  # other pages keep it


def test_the_results_page_works_on_a_phone_without_the_themes_script(browser, site_url, screenshot):
    """Without mkdocs-material's script bundle (themes/material/search.html), a reader on a phone
    still gets results, opens the drawer from the header's menu button and goes where its links lead."""
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        scripts: list[str] = []
        phone.on("request", lambda request: scripts.append(request.url) if request.resource_type == "script" else None)
        phone.goto(f"{site_url}/search/?{urlencode({'q': '停車場'})}")
        phone.wait_for_selector(".search-result__title a")
        assert not [url for url in scripts if "/bundle." in url]
        link = phone.locator(".md-nav--primary .md-nav__link", has_text="年鑑")
        box = link.bounding_box()
        assert box and box["x"] + box["width"] <= 0  # the drawer is closed: its links are off the screen
        phone.click(".md-header label[for=__drawer]")
        phone.wait_for_function("() => document.querySelector('.md-nav--primary').getBoundingClientRect().left >= 0")
        screenshot(phone, "search-drawer-phone")
        link.click()
        phone.wait_for_url(f"{site_url}/yearbook/")
    finally:
        phone.close()


def cover(tab, costs: list[float], unchecked: float) -> list[int]:
    return tab.evaluate("([costs, unchecked]) => import(new URL('assets/javascripts/search.js', document.baseURI + '../').href)"
                        ".then((module) => module.cover(costs, unchecked === null ? Infinity : unchecked))",
                        [costs, None if unchecked == float("inf") else unchecked])


def covered(chosen: list[int], characters: int) -> list[bool]:
    return [any(i in chosen for i in (c - 1, c)) for c in range(characters)]


def test_a_long_part_is_asked_for_by_the_cheapest_bigrams_that_check_it(tab, site_url):
    tab.goto(site_url + "/search/")
    inf = float("inf")
    assert cover(tab, [1] * 5, inf) == [0, 2, 4]  # 6 characters: every other bigram
    seven = cover(tab, [1] * 6, inf)
    assert len(seven) == 4 and all(covered(seven, 7))
    assert cover(tab, [9, 9, 9, 40, 9, 9], inf) == [0, 2, 4, 5]  # a common word's chunk avoided …
    assert cover(tab, [9, 9, 9, 9, 26], inf) == [0, 2, 4]  # … unless it alone checks a character
    # 30 characters whose first bigram has a chunk 18 times the usual one: that character unchecked
    name = cover(tab, [168] + [9] * 28, 36)
    assert 0 not in name and covered(name, 30) == [False] + [True] * 29
    # never two characters side by side unchecked, however large their chunks
    for costs in ([9, 9, 9, 9, 9, 115, 113, 134, 136, 171], [200] * 12, [9, 300, 300, 9, 9, 9, 9, 9, 300, 300, 9]):
        chosen = cover(tab, costs, 36)
        checked = covered(chosen, len(costs) + 1)
        assert not any(not a and not b for a, b in zip(checked, checked[1:], strict=False)), (costs, chosen)
    assert all(covered(cover(tab, [500] * 7, inf), 8))  # up to 8 characters: every character checked


def test_a_long_name_whose_common_word_is_left_out_is_still_found_exactly(tab, site_url):
    name = "嘉和市住宅用火災警報器設置補助辦法"  # 17 characters; 嘉和 is on nearly every page
    table = {"und-hani": {"typical": 1000, "large": [["嘉和", "嘉和", 100_000], ["辦法", "辦法", 100_000]]}}
    paths, results, status = requested(tab, site_url, name, table)
    assert "/pagefind/large-chunks.json" in paths
    assert results[0] == "/gazette/2026/03/01/"
    assert re.fullmatch(r"找到 \d+ 筆結果", status), status  # an exact match, not the looser results
    _, shorter, status = requested(tab, site_url, "嘉和市住宅用火災警報器設置補助辦理", table)  # the last character differs
    assert status.startswith("找不到"), (status, shorter)  # no page has it as written
    # pages with texts (large-chunks.json's piece): a few bigrams fetched, the rest left to the page's text
    with_texts = {"und-hani": {**table["und-hani"], "piece": 500}}
    paths, results, status = requested(tab, site_url, name, with_texts)
    assert results[0] == "/gazette/2026/03/01/" and re.fullmatch(r"找到 \d+ 筆結果", status), status
    assert [path for path in paths if path.startswith("/pagefind/text/")]
    _, shorter, status = requested(tab, site_url, "嘉和市住宅用火災警報器設置補助辦理", with_texts)
    assert status.startswith("找不到"), (status, shorter)  # the text refuses it
    words = ["嘉和", "和市", "市住", "住宅", "宅用", "用火", "火災", "災警", "警報", "報器", "器設", "設置", "置補", "補助", "助辦", "辦法"]
    anchored, every = plans(tab, [words], with_texts["und-hani"]) + plans(tab, [words], table["und-hani"])
    assert len(anchored["terms"]) == 3 and not {"嘉和", "辦法"} & set(anchored["terms"])
    assert sorted(anchored["offsets"] + anchored["deferred"]) == every["offsets"]  # the same bigrams, fewer at first


def plans(tab, parts: list[list[str]], table: dict, alone: tuple[str, ...] = ()) -> list[dict]:
    return tab.evaluate("""([parts, table, alone]) => import(new URL('/assets/javascripts/search.js', location.origin).href)
        .then((module) => parts.map((part) => module.plan(part, table, new Set(alone))))""", [parts, table, alone])


def test_a_parts_large_chunks_are_deferred_where_it_has_rarer_bigrams(tab, site_url):
    # what tests/outputs/test_search_positions.py checks in a browser, planned: the common words
    # (large chunks) are left to occurrences() where the part has another bigram, and only if the
    # bundle's pages have texts (large-chunks.json gives their usual piece)
    common = ["股份", "份有", "有限", "限公", "公司"]
    table = {"typical": 1000, "piece": 500, "large": [[word, word, 50_000] for word in common]}
    name = ["長春", "春造", "造景", "景股", "股份", "份有", "有限", "限公", "公司"]
    tab.goto(f"{site_url}/search/")
    named, only_common = plans(tab, [name, common], table)
    (without_texts,) = plans(tab, [name], {**table, "piece": 0})
    assert named["deferred"] and all(name[i] in common for i in named["deferred"])
    assert named["terms"] and not set(named["terms"]) & set(common) and named["check"] == "positions"
    assert sorted(named["offsets"] + named["deferred"]) == sorted(without_texts["offsets"])  # the same cover, split
    assert only_common["deferred"] == [] and set(only_common["terms"]) <= set(common)  # nothing rarer to start from
    assert without_texts["deferred"] == [] and set(without_texts["terms"]) & set(common)


def test_a_part_whose_words_are_all_in_large_chunks_starts_from_the_smallest(tab, site_url):
    # 和潤企業股份有限公司: every bigram in a large chunk (a car-finance company on thousands of lists), 和潤
    # and 潤企 far smaller than the others: they are asked for first, the rest left to occurrences(). 業股
    # is in two listed ranges (業…業, whose last word is 業, and its own): its size is its own chunk's.
    # 股份有限公司: all alike, nothing to start from but a lone key (without one: asked for whole, as before)
    sizes = {"和潤": 40_000, "潤企": 40_000, "企業": 100_000, "業股": 91_528, "股份": 169_000, "份有": 168_000,
             "有限": 178_000, "限公": 178_000, "公司": 193_000}
    table = {"typical": 1000, "piece": 500, "large": sorted([["業", "業", 18_733]] + [[w, w, n] for w, n in sizes.items()])}
    name = ["和潤", "潤企", "企業", "業股", "股份", "份有", "有限", "限公", "公司"]
    tab.goto(f"{site_url}/search/")
    named, common, short = plans(tab, [name, name[4:], name[1:5]], table)
    assert named["terms"] and set(named["terms"]) <= {"和潤", "潤企"} and named["check"] == "positions", named
    assert named["deferred"] and not {name[i] for i in named["deferred"]} & {"和潤", "潤企"}
    # 潤企業股份: 潤企 業股 股份 cover it; 業股 counted at its own 91,528 bytes, not 業…業's 18,733
    assert short["terms"] == ["潤企"] and [name[1:5][i] for i in short["deferred"]] == ["業股", "股份"], short
    assert common["deferred"] == [], common
    # all alike, with lone keys: the key of the smallest (股份's, 0股份), the rest deferred, smallest first
    (keyed,) = plans(tab, [name[4:]], table, alone=("股份", "有限", "公司"))
    assert keyed["terms"] == ["0股份"] and keyed["keyed"] == [True] and keyed["offsets"] == [0], keyed
    assert [name[4:][i] for i in keyed["deferred"]] == ["有限", "公司"]
    (without_texts,) = plans(tab, [name], {**table, "piece": 0})
    assert without_texts["deferred"] == [] and sorted(named["offsets"] + named["deferred"]) == sorted(without_texts["offsets"])


def test_four_characters_or_more_are_asked_for_by_about_every_other_bigram_as_an_exact_phrase(tab, site_url):
    # 火災警報器: 火災 災警 警報 報器; 火災 and 報器 always, and the cheaper of 災警 and 警報 (AB at p, CD at
    # p+2 is ABCD as written: search.BREAK); the page is found exactly, a different last character is not
    table = {"und-hani": {"typical": 1000, "large": [["警報", "警報", 5000]]}}
    paths, results, status = requested(tab, site_url, "火災警報器", table)
    assert results[0] == "/gazette/2026/03/01/" and re.fullmatch(r"找到 \d+ 筆結果", status), status
    five, four, three = plans(tab, [["火災", "災警", "警報", "報器"], ["停車", "車場", "場收"], ["停車", "車場"]], table["und-hani"])
    assert five["terms"] == ["火災", "災警", "報器"] and five["offsets"] == [0, 1, 3] and five["check"] == "positions"
    assert four["terms"] == ["停車", "場收"] and four["offsets"] == [0, 2] and four["check"] == "positions"
    assert three["terms"] == ["停車", "車場"] and three["check"] == "phrase"  # 3 characters: both bigrams, Pagefind's phrase
    _, _, status = requested(tab, site_url, "火災警報機", table)  # the last character differs
    assert status.startswith("找不到"), status


def test_a_break_in_the_page_is_never_taken_for_the_phrase_across_it(tab, site_url, site_dir):
    """Every other bigram is exact only because the page has a break word where a run ends: two runs
    of the shipped notices parted by punctuation (AB，CD), asked for as ABCD, find no page that has
    them so, and the same text with its punctuation finds the page."""
    texts = {path: re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
             for path in (site_dir / "gazette").glob("2026/*/*/index.html")}
    everything = "\n".join(texts.values())
    han = "[\u4e00-\u9fff]"
    found = None
    for path, text in sorted(texts.items()):
        for match in re.finditer(f"({han}{{2}})，({han}{{2}})", text):
            joined = match[1] + match[2]
            if joined not in everything:
                found = (path, match[0], joined)
                break
        if found:
            break
    assert found, "no two runs parted by punctuation in the shipped notices"
    path, written, joined = found
    page = "/" + path.relative_to(site_dir).parent.as_posix() + "/"
    paths, results, status = requested(tab, site_url, joined)
    assert status.startswith("找不到"), (joined, status, results)  # no exact match (the page may follow among the looser ones)
    _, results, status = requested(tab, site_url, written)  # with its punctuation, as the page writes it
    assert page in results and re.fullmatch(r"找到 \d+ 筆結果", status), (written, status)
    part = plans(tab, [["相關", "關", "·", "事項"]], {"typical": 1, "large": []})[0]
    assert part["terms"] == ["相關", "關", "事項"] and part["offsets"] == [0, 1, 3] and part["check"] == "positions"


def test_the_results_page_cuts_text_into_the_words_the_index_holds(tab, site_url):
    """search.js's words() and generator/outputs/search.py's words() agree (the break word included):
    a query is cut as the pages were."""
    texts = ["路邊停車場", "府財產字第1150010234號", "（本府）， Open Data", "相關，事項", "第三條　設籍本市", "第1條",
             "新台幣１１５年", "A、B、C", "臺北市 政府公告"]
    tab.goto(site_url + "/search/")
    tab.wait_for_function("() => document.getElementById('search-app')")
    cut = tab.evaluate("""(texts) => import(new URL('/assets/javascripts/search.js', location.origin).href)
        .then((module) => texts.map((text) => module.words(text)))""", texts)
    assert cut == [indexing.words(text) for text in texts]
    assert [indexing.BREAK] == [word for word in cut[3] if not word[0].isalnum() and not "\u4e00" <= word[0] <= "\u9fff"]


def test_newest_first_orders_results_by_the_date_and_address_in_their_names(tab, site_url):
    ids = ["20260105-2026-01-03", "directory-a", "20260301-2026-03-10", "20260301-2026-03-02", "20251231-yearbook-2025-population",
           "abcde", "20260105-2026-01-01"]
    tab.goto(site_url + "/search/")
    ordered = tab.evaluate("""(ids) => import(new URL('/assets/javascripts/search.js', location.origin).href)
        .then((module) => module.newestFirst(ids.map((id) => ({ id }))).map((result) => result.id))""", ids)
    # newest day first; a day's notices in the order (10 after 2: by number); undated pages after, as they came
    assert ordered == ["20260301-2026-03-02", "20260301-2026-03-10", "20260105-2026-01-01", "20260105-2026-01-03",
                       "20251231-yearbook-2025-population", "directory-a", "abcde"]


def test_our_own_scripts_and_styles_are_published_minified(site_dir):
    own = REPO / "themes" / "material" / "assets"
    for name in ("javascripts/search.js", "javascripts/directory-filter.js", "site.css", "search.css", "a11y.css"):
        source, published = (own / name).read_bytes(), (site_dir / "assets" / name).read_bytes()
        assert b"/*" not in published and b"\n//" not in published, name  # no comments left
        assert len(gzip.compress(published)) < 0.9 * len(gzip.compress(source)), name
    bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))  # Material's: as it ships (narrowed)
    assert bundle.stat().st_size > 100_000
