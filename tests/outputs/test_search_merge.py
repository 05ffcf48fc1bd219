"""The search index in shards: the merge of the shards' Pagefind bundles is, byte for byte, the bundle
of one Pagefind run over all the pages (made canonical), and the cache runs Pagefind only over the
shards whose pages changed. The browser tests (test_search.py) search the merged bundle of the built site."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest

from generator import workers
from generator.checking.check import check
from generator.outputs import pagefind_bundle, search

from conftest import REPO


@pytest.fixture(autouse=True)
def pagefinds_own_chunks(monkeypatch):
    """These tests compare the merge with Pagefind's own bundle of one run, whose index chunks Pagefind
    cuts by its rule (PAGEFIND_CHUNK_SIZE): the merge cuts there too here, which checks its writing
    of chunks byte for byte against Pagefind's; the site's own size (CHUNK_SIZE) is that rule's bound."""
    monkeypatch.setattr(pagefind_bundle, "CHUNK_SIZE", pagefind_bundle.PAGEFIND_CHUNK_SIZE)


def one_run(site, cut) -> dict[str, bytes]:
    """The canonical bundle of one Pagefind run over every page of ``cut``, in order (its pages named as
    their sort values say: pagefind_bundle.NAME)."""
    files, sorts = search.Index(site)._run("all", [source for _, sources in cut for source in sources])
    return pagefind_bundle.canonical(files, sorts=sorts)


def assert_same_bundle(merged: dict[str, bytes], single: dict[str, bytes]) -> None:
    assert sorted(merged) == sorted(single)
    assert [name for name in single if merged[name] != single[name]] == []


@pytest.fixture(scope="module")
def shipped(site_dir):
    return site_dir, search.shards(check(REPO), site_dir)


def test_the_site_is_indexed_in_shards_by_publication_and_year(shipped):
    _, cut = shipped
    names = [name for name, _ in cut]
    assert names[0].startswith("gazette-") and names[-3:] == ["yearbook", "directory", "english.0"]
    assert len(names) == len(set(names))  # each shard is one run of consecutive pages


def test_merged_shards_equal_one_run_over_the_shipped_site(shipped):
    site, cut = shipped
    single = one_run(site, cut)
    assert_same_bundle(search.Index(site).bundle(cut), single)
    # and cut finer: shards of 5 pages (words, filters and metadata fields spread over many runs)
    sources = [source for _, sources in cut for source in sources]
    finer = [(f"part-{i}", sources[i:i + 5]) for i in range(0, len(sources), 5)]
    assert_same_bundle(search.Index(site).bundle(finer), single)


def synthetic_archive(site, count: int = 120, seed: int = 12) -> list[tuple[str, list[search._Source]]]:
    """``count`` notices made from the shipped ones: other titles, numbers, years and dates (so the
    date sort interleaves across shards), some without a document number (so runs have other
    metadata fields), some with a numeric sort key; in shards of uneven size."""
    rng = random.Random(seed)
    notices = [path for path in sorted(site.glob("gazette/2026/*/*/index.html"))
               if 'data-pagefind-meta="title:' in path.read_text(encoding="utf-8")]  # not the issues' newsletters
    sources = []
    for serial in range(count):
        page = notices[serial % len(notices)].read_text(encoding="utf-8")
        year = 2000 + rng.randrange(20)
        page = re.sub(r'(data-pagefind-meta="title:[^"]*)"', rf'\1（第{serial}號）"', page, count=1)
        page = re.sub(r"<h1([^>]*)>", rf"<h1\1>第{serial}號 ", page, count=1)
        page = page.replace('data-pagefind-filter="year:2026"', f'data-pagefind-filter="year:{year}"')
        page = re.sub(r'data-pagefind-sort="date:\d{4}', f'data-pagefind-sort="date:{year}', page)
        # Latin words with diacritics (Pagefind keeps "café" as a variant of "cafe"), many of them
        accents = " ".join(rng.choice(["café", "cafe", "cafè", "naïve", "résumé", "resume", "Zürich"]) for _ in range(60))
        page = re.sub(r"(<p[ >])", rf"<p>{accents}</p>\1", page, count=1)
        if serial % 7 == 3:
            page = re.sub(r'data-pagefind-meta="doc_number:[^"]*"', "", page)
        if serial % 5 == 0:
            page = re.sub("<h1", f'<span data-pagefind-sort="rank:{rng.randrange(-50, 50)}"></span><h1', page, count=1)
        sources.append(search._Source(f"archive/{serial}/index.html", page.encode("utf-8"), None, "zh-TW"))
    cut, at = [], 0
    while at < len(sources):
        size = rng.randrange(1, 40)
        cut.append((f"shard-{len(cut)}", sources[at:at + size]))
        at += size
    return cut


def test_merged_shards_equal_one_run_over_a_synthetic_archive(site_dir):
    cut = synthetic_archive(site_dir)
    merged = search.Index(site_dir).bundle(cut)
    assert_same_bundle(merged, one_run(site_dir, cut))
    entry = pagefind_bundle.json.loads(merged["pagefind-entry.json"])
    meta = pagefind_bundle.read_cbor(merged[f"pagefind.{entry['languages']['und-hani']['hash']}.pf_meta"])
    assert len(cut) > 3 and len(meta[2]) > 2  # several runs, several index chunks
    assert sorted(key for key, _ in meta[4]) == ["rank"]  # a page's date is in its name: no sort of Pagefind's
    assert [name for name, _ in meta[1]] == [search.page_name(source.path, re.search(r'data-pagefind-sort="date:([^"]+)"', source.data.decode())[1])
                                             for _, sources in cut for source in sources]
    assert all(f"fragment/{name}.pf_fragment" in merged for name, _ in meta[1])


@pytest.mark.parametrize("cached", [False, True])
def test_documents_made_and_runs_read_by_worker_processes_give_one_runs_bundle(site_dir, tmp_path, monkeypatch, cached):
    """A full build of an archive makes its pages' documents, and reads its shards' runs, in a worker
    process per core (Index._make_documents, _merged), in batches of shards: here from 1 page on, and
    the same bundle as one Pagefind run over the pages comes out."""
    monkeypatch.setattr(search.Index, "PARALLEL_PAGES", 1)
    monkeypatch.setenv("JIAHE_WORKERS", "2")
    forked: list[str] = []
    real_forked = workers.forked
    monkeypatch.setattr(workers, "forked", lambda task, shares, what, here=False: forked.append(what) or real_forked(task, shares, what, here))
    cut = synthetic_archive(site_dir)
    index = search.Index(site_dir, tmp_path / "cache" if cached else None)
    assert_same_bundle(index.bundle(cut), one_run(site_dir, cut))
    assert index.made == {} and index.kept == {}  # every document made ahead, and every kept one read, was used
    # in batches of shards of about 4 pages, here (PARALLEL_PAGES * 4)
    assert forked.count("reading the search index's shards") >= 3
    assert forked.count("making the search index's documents") >= 3


def test_the_cache_runs_pagefind_over_changed_shards_only(site_dir, tmp_path, monkeypatch):
    cut = synthetic_archive(site_dir, count=60)
    cache = tmp_path / "cache"
    first = search.Index(site_dir, cache).bundle(cut)
    ran: list[list[str]] = []
    parsed: list[str] = []
    real_run, real_document = search.Index._run, search._Source.document

    def counted_run(self, shard, sources):
        ran.append([source.path for source in sources])
        return real_run(self, shard, sources)

    def counted_document(self):
        parsed.append(self.path)
        return real_document(self)

    merges: list[int] = []
    real_merge = pagefind_bundle.merge_parts

    def counted_merge(parts, program, *memo):
        merges.append(len(parts["und-hani"]))
        return real_merge(parts, program, *memo)

    monkeypatch.setattr(search.Index, "_run", counted_run)
    monkeypatch.setattr(search._Source, "document", counted_document)
    monkeypatch.setattr(pagefind_bundle, "merge_parts", counted_merge)
    read: list[int] = []
    real_read = pagefind_bundle.read_parts

    def counted_read(bundle, sorts, unions):
        read.append(1)
        return real_read(bundle, sorts, unions)

    monkeypatch.setattr(pagefind_bundle, "read_parts", counted_read)
    assert search.Index(site_dir, cache).bundle(cut) == first  # nothing changed: ...
    assert ran == [] and parsed == [] and merges == []  # ... no run, no page parsed, no merge
    name, sources = cut[1]
    changed = sources[0]
    edited = search._Source(changed.path, changed.data.replace('data-pagefind-meta="title:'.encode(), 'data-pagefind-meta="title:改'.encode(), 1), None, "zh-TW")
    cut[1] = (name, [edited, *sources[1:]])
    again = search.Index(site_dir, cache).bundle(cut)
    assert ran == [[source.path for source in cut[1][1]]]  # that shard only ...
    assert parsed == [edited.path]  # ... whose other pages were not parsed again
    assert again != first
    assert_same_bundle(again, one_run(site_dir, cut))
    assert len(read) == 1  # the other shards' parts came from the cache, ...
    assert merges == [3]  # ... and the shards after the changed one, unchanged, were merged as one group
    assert len(list((cache / "shards").iterdir())) == len(cut)  # the shard's earlier bundle is gone
    assert len(list((cache / "merged").iterdir())) == 1


def test_runs_are_read_back_from_the_cache_one_at_a_time_and_run_again_if_it_lost_them(site_dir, tmp_path, monkeypatch):
    """With a cache, the shards' runs are not held together while their parts are read (issue 12, goal
    5): each is read back from the cache; one the cache lost meanwhile is run again, and the bundle
    is the bundle of a build without a cache."""
    cut = synthetic_archive(site_dir, count=60)
    read_back: list[str] = []
    real_cached = search.Index._cached

    def cached(self, key, folder="shards"):
        found = real_cached(self, key, folder)
        if folder == "shards" and found is not None:
            read_back.append(key)
        return found

    monkeypatch.setattr(search.Index, "_cached", cached)
    assert_same_bundle(search.Index(site_dir, tmp_path / "cache").bundle(cut), search.Index(site_dir).bundle(cut))
    assert len(read_back) == len(cut)  # every run, back from the cache for its parts
    ran: list[str] = []
    real_run = search.Index._run

    def counted_run(self, shard, sources):
        ran.append(shard)
        return real_run(self, shard, sources)

    monkeypatch.setattr(search.Index, "_run", counted_run)
    monkeypatch.setattr(search.Index, "_store", lambda self, key, run, folder="shards": None)  # a cache that keeps nothing
    assert_same_bundle(search.Index(site_dir, tmp_path / "lost").bundle(cut), search.Index(site_dir).bundle(cut))
    assert ran.count(cut[0][0]) == 3  # twice with the lost cache (its Pagefind run, then again for its parts), once without


def test_a_year_is_cut_in_pieces_from_its_oldest_page_so_a_new_issue_leaves_the_others_alone(monkeypatch):
    monkeypatch.setattr(search, "SHARD_BYTES", 1000)
    year = [search._Source(f"gazette/2020/{n:02d}/index.html", b"x" * 300, None, "zh-TW") for n in range(24, 0, -1)]
    pieces = search._pieces("gazette-2020", year)
    assert [source for _, piece in pieces for source in piece] == year  # the same pages, in the same order
    assert [len(piece) for _, piece in pieces] == [4, 4, 4, 4, 4, 4]
    newer = [search._Source(f"gazette/2020/{n:02d}/index.html", b"x" * 300, None, "zh-TW") for n in (26, 25)]
    again = search._pieces("gazette-2020", newer + year)
    assert again[1:] == pieces and again[0] == ("gazette-2020.6", newer)
    assert search._pieces("yearbook", year) == [("yearbook", year)]


def test_the_english_records_are_cut_in_pieces_from_the_oldest_so_new_records_leave_the_others_alone(monkeypatch):
    monkeypatch.setattr(search, "ENGLISH_SHARD_BYTES", 1000)
    records = [search._Source(f"en/gazette/{n:03d}.html", b"x" * 300, "/u", "en") for n in range(1, 25)]  # oldest first
    pieces = search._pieces("english", records)
    assert [source for _, piece in pieces for source in piece] == records
    assert [name for name, _ in pieces] == [f"english.{n}" for n in range(6)]
    newer = [search._Source(f"en/gazette/{n:03d}.html", b"x" * 300, "/u", "en") for n in (25, 26)]
    again = search._pieces("english", records + newer)
    assert again[:-1] == pieces and again[-1] == ("english.6", newer)


def test_chunk_ranges_are_cut_as_pagefind_cuts_them():
    # (first word, last word) of consecutive chunks, as Pagefind 1.5.2 wrote them at 10,000 notices
    chunks = [("70", "alarm"), ("all", "becom"), ("befor", "by"), ("calcul", "chines"), ("chronicl", "citi")]
    assert pagefind_bundle._ranges(chunks) == [("70", "ala"), ("all", "bec"), ("bef", "by"), ("c", "chi"), ("chr", "citi")]


def test_parts_kept_in_the_cache_give_the_full_builds_bundle(site_dir, tmp_path):
    """Each layer of the cache (a shard's run, its parts read for merging, the program files) gives the
    bundle of a build without a cache, after a changed page, a removed page, a page whose metadata
    fields are new to the index (every part read again), and with any cache file damaged."""
    cut = synthetic_archive(site_dir, count=60)
    cache = tmp_path / "cache"
    search.Index(site_dir, cache).bundle(cut)

    def same_as_without_cache(cut) -> None:
        assert_same_bundle(search.Index(site_dir, cache).bundle(cut), search.Index(site_dir).bundle(cut))

    name, sources = cut[2]
    cut[2] = (name, sources[1:])  # a page removed
    same_as_without_cache(cut)
    name, sources = cut[0]
    first = sources[0]
    new_field = first.data.replace(b"<h1", '<span data-pagefind-meta="aaa:新欄位"></span><h1'.encode(), 1)
    cut[0] = (name, [search._Source(first.path, new_field, None, "zh-TW"), *sources[1:]])  # fields of every run renumbered
    same_as_without_cache(cut)
    name, sources = cut[-1]
    cut[-1] = (name, sources[1:])  # the others unchanged: kept as a group ...
    same_as_without_cache(cut)
    assert len(list((cache / "groups").glob("*.part"))) == 1
    name, sources = cut[-1]
    cut[-1] = (name, sources[1:])  # ... and merged as one
    same_as_without_cache(cut)
    for folder in ("groups", "parts", "program", "shards"):
        for number, path in enumerate(sorted((cache / folder).iterdir())):
            data = path.read_bytes()
            path.write_bytes(data[:len(data) // 2] if number % 2 else data[:-40] + b"x" * 40)  # cut short, or overwritten
        for path in (cache / "merged").iterdir():
            path.unlink()  # (the merged bundle is reused when nothing changed)
        same_as_without_cache(cut)


def test_pages_known_from_the_last_build_are_not_read_again(shipped, tmp_path, monkeypatch):
    """shards() with a cache reads only the pages whose files changed since the last build, and gives
    the same shards, pages and digests as without a cache: after a page written anew, a page changed
    in place, a page removed, and with its memo damaged. No page's bytes are held meanwhile (read
    again when its indexing document is made: issue 12, goal 5)."""
    site_dir, _ = shipped
    site, cache, content = tmp_path / "site", tmp_path / "cache", check(REPO)
    shutil.copytree(site_dir, site, copy_function=os.link)  # the website stage links the pages it did not render

    def listed(cut):
        return [(name, [(source.path, source.digest, source.size, source.data) for source in sources]) for name, sources in cut]

    def same_as_without_cache() -> list:
        cut = search.shards(content, site, cache)
        assert listed(cut) == listed(search.shards(content, site))
        return cut

    same_as_without_cache()
    assert all(source._data is None for _, sources in search.shards(content, site) for source in sources if source.file)
    read: list[Path] = []
    real_read = Path.read_bytes

    def counted(path: Path) -> bytes:
        if path.suffix == ".html":
            read.append(path)
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    cut = search.shards(content, site, cache)
    monkeypatch.undo()
    assert read == []
    assert len([source for _, sources in cut for source in sources if source.file]) == \
        len([page for page in site.rglob("*.html") if b"data-pagefind-body" in page.read_bytes()])
    notices = sorted(site.glob("gazette/2026/*/*/index.html"))
    anew, in_place, removed = notices[0], notices[1], notices[2]
    data = anew.read_bytes()
    anew.unlink()
    anew.write_bytes(data.replace("</h1>".encode(), "改</h1>".encode(), 1))
    in_place.write_bytes(in_place.read_bytes().replace("臺".encode(), "台".encode(), 1))  # the same size, the same inode
    removed.unlink()
    same_as_without_cache()
    (cache / "pages.json").write_bytes((cache / "pages.json").read_bytes()[:-100])
    same_as_without_cache()


def test_the_placed_bundle_is_the_full_builds_and_unchanged_files_are_links(site_dir, tmp_path, monkeypatch):
    """Index.place() with a cache writes the same files as without one; where no shard changed it
    neither merges nor writes (hard links to the cache's files, readable by a web server); a missing
    or cut blob, or a damaged list, gives the full build's files again."""
    cut = synthetic_archive(site_dir, count=40)
    cache = tmp_path / "cache"

    def placed(cut, cache, folder) -> dict[str, bytes]:
        search.Index(site_dir, cache).place(cut, tmp_path / folder)
        return {path.relative_to(tmp_path / folder).as_posix(): path.read_bytes()
                for path in (tmp_path / folder).rglob("*") if path.is_file()}

    def same_as_without_cache(folder: str) -> dict[str, bytes]:
        files = placed(cut, cache, folder)
        assert files == placed(cut, None, f"{folder}-plain") == search.Index(site_dir).bundle(cut)
        return files

    first = same_as_without_cache("first")
    merges: list[int] = []
    real_merge = pagefind_bundle.merge_parts
    monkeypatch.setattr(pagefind_bundle, "merge_parts", lambda parts, program, *memo: merges.append(1) or real_merge(parts, program, *memo))
    assert placed(cut, cache, "again") == first and merges == []
    for path in (tmp_path / "again").rglob("*"):
        if path.is_file():
            assert path.stat().st_nlink > 1 and path.stat().st_mode & 0o777 == 0o644
    name, sources = cut[1]
    cut[1] = (name, sources[1:])
    same_as_without_cache("changed")
    blobs = sorted((cache / "blobs").iterdir())
    blobs[0].unlink()
    blobs[1].write_bytes(blobs[1].read_bytes()[:-1])
    same_as_without_cache("blobs damaged")
    for listing in (cache / "published").iterdir():
        listing.write_bytes(listing.read_bytes()[:-10])
    same_as_without_cache("list damaged")


def test_parts_combined_merge_as_their_runs_do(site_dir):
    """combine() of consecutive parts (once, or of a combination and a part), merged with the other
    parts, gives the bundle of one run over every page: what the search stage keeps of a stretch of
    shards that did not change."""
    cut = synthetic_archive(site_dir, count=80, seed=5)
    runs = [search.Index(site_dir)._run(name, sources) for name, sources in cut]
    fields = [pagefind_bundle.languages(files) for files, _ in runs]
    unions = {language: sorted({field for run in fields for field in run.get(language, [])}) for language in fields[0]}
    parts = [pagefind_bundle.read_parts(files, sorts, unions)["und-hani"] for files, sorts in runs]
    program = pagefind_bundle.program([files for files, _ in runs])
    assert len(parts) >= 5 and any(part.variants for part in parts)
    combined = [parts[0], pagefind_bundle.combine([pagefind_bundle.combine(parts[1:3]), parts[3]]),
                pagefind_bundle.Part.loads(pagefind_bundle.combine(parts[4:]).dumps())]
    assert_same_bundle(pagefind_bundle.merge_parts({"und-hani": combined}, program), one_run(site_dir, cut))
    assert_same_bundle(pagefind_bundle.merge_parts({"und-hani": [pagefind_bundle.combine(parts)]}, program), one_run(site_dir, cut))



def test_a_stretch_lacking_another_shards_field_is_combined_and_merged(site_dir):
    """The directory's pages carry a metadata field (``phone``) that no gazette page has: a stretch of
    unchanged gazette shards is still combined (a group) and merged into one run's bundle. (combine()
    refused such a stretch, and the 10,030-notice benchmark fell back to one Pagefind run over the
    whole site after every new issue: 35 s, 2.9 GB.)"""
    cut = synthetic_archive(site_dir, count=60, seed=7)
    name, sources = cut[-1]
    first = sources[0]
    with_phone = first.data.replace(b"<h1", '<span data-pagefind-meta="phone:02-2720-8889"></span><h1'.encode(), 1)
    cut[-1] = (name, [search._Source(first.path, with_phone, None, "zh-TW"), *sources[1:]])
    runs = [search.Index(site_dir)._run(name, sources) for name, sources in cut]
    fields = [pagefind_bundle.languages(files) for files, _ in runs]
    unions = {language: sorted({field for run in fields for field in run.get(language, [])}) for language in fields[0]}
    assert "phone" in unions["und-hani"]
    parts = [pagefind_bundle.read_parts(files, sorts, unions)["und-hani"] for files, sorts in runs]
    stretch = pagefind_bundle.combine(parts[:-1])
    assert "phone" not in stretch.fields and stretch.union == unions["und-hani"]
    program = pagefind_bundle.program([files for files, _ in runs])
    assert_same_bundle(pagefind_bundle.merge_parts({"und-hani": [stretch, parts[-1]]}, program), one_run(site_dir, cut))


def test_a_word_that_fills_a_chunk_alone_gets_a_chunk_of_its_own(shipped, monkeypatch):
    """Pagefind closes a chunk after the word that fills it, so a very common word (第: a 103 KB chunk
    at 10,108 notices) took the words sorted before it along, and a query for one of those (符號)
    fetched it. The merge closes the chunk before such a word: it is alone in its chunk, and every
    other chunk is as Pagefind's rule cuts it. (A chunk size of 300 makes the shipped site's common
    words such words.)"""
    site, cut = shipped
    monkeypatch.setattr(pagefind_bundle, "CHUNK_SIZE", 300)
    merged = search.Index(site).bundle(cut)
    entry = pagefind_bundle.json.loads(merged["pagefind-entry.json"])
    meta = pagefind_bundle.read_cbor(merged[f"pagefind.{entry['languages']['und-hani']['hash']}.pf_meta"])
    chunks = [[(word, sum(len(posting[1]) + len(posting[2]) + 1 for posting in postings))
               for word, postings, _ in pagefind_bundle.read_cbor(merged[f"index/{name}.pf_index"], check=False)[0]]
              for _, _, name in meta[2]]
    alone = [chunk[0][0] for chunk in chunks if chunk[-1][1] >= 300 and len(chunk) == 1]
    assert len(alone) > 5  # the shipped site's common words
    for chunk in chunks:
        assert all(size < 300 for _, size in chunk[:-1]), chunk  # a word filling a chunk comes only last
        assert sum(size for _, size in chunk[:-1]) < 300  # and the chunk closes as Pagefind's rule closes it
        if chunk[-1][1] >= 300:
            assert len(chunk) == 1, chunk  # ... alone


def test_the_merge_compresses_each_index_chunk_as_it_is_made_not_the_whole_index_at_once():
    """Issue 12, goal 5: the merge made every index chunk's CBOR before compressing any, so at 50,000
    notices it held the whole index uncompressed twice over (its words' pieces and the joined chunks)
    beside the parts it was made from. Each chunk is now compressed when it is closed, a few at a time:
    what the merge allocates stays well under the index's uncompressed size (measured by tracemalloc,
    the parts made before it; the words' postings compress well, as real ones do)."""
    import json
    import tracemalloc

    part = pagefind_bundle.Part()
    part.language, part.version, part.about = "zh-tw", "1.5.2", {"hash": "", "wasm": None, "page_count": 1}
    part.pages, part.fragments, part.sorts = [("aaaa", 10)], {"aaaa": b"fragment"}, [{}]
    words = 3000
    for n in range(words):  # about 10 words a chunk, 300 chunks, 24 MB of postings
        part.add(f"w{n:05d}", pagefind_bundle.Postings(1, 0, 0, pagefind_bundle.CHUNK_SIZE // 10, b"%05d-" % n * 1300))
    raw = sum(len(tail) for tail in part.tails)
    program = {"pagefind-entry.json": json.dumps({"version": "1.5.2", "languages": {}}).encode()}
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        files = pagefind_bundle.merge_parts({"zh-tw": [part]}, program)
        peak = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    assert len([name for name in files if name.startswith("index/")]) >= 250
    assert peak < raw / 5, (peak, raw)
