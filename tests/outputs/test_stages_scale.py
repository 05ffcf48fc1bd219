"""The newsletters and the open data at archive scale (issue 12, goal 5): letters and plain texts
missing from the caches are made by processes of their own, and the stages' products are then the
same, byte for byte, as those they make themselves without any cache."""

from __future__ import annotations

import logging
from pathlib import Path

from generator.checking.check import check
from generator.outputs import newsletter


def test_letters_made_by_processes_equal_those_made_in_the_build(shipped, monkeypatch, caplog):
    content = check(shipped.root)
    published = frozenset()
    alone = newsletter.newsletters(content, published)  # no cache: every letter made here
    monkeypatch.setattr(newsletter, "SPAWN_FROM", 1)  # the four shipped issues, as many as an archive's
    monkeypatch.setattr(newsletter, "JOB", 1)
    monkeypatch.setenv("JIAHE_WORKERS", "2")
    with caplog.at_level(logging.INFO):
        aside = newsletter.newsletters(content, published, shipped.root)
    assert len(aside) == len(alone) == len(content.gazette.issues)
    assert editions(aside) == editions(alone)
    assert f"newsletters: {len(alone)} made, 0 unchanged" in caplog.text
    kept = sorted((shipped.root / ".cache" / "newsletter").glob("*.json"))
    assert len(kept) == len(alone)
    # the next build finds them all, and reads none of their files (they are placed as they are)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = newsletter.newsletters(content, published, shipped.root)
    assert all(isinstance(file, Path) for edition in again for file in edition.files)
    assert editions(again) == editions(alone) and f"newsletters: 0 made, {len(alone)} unchanged" in caplog.text


def editions(made) -> list:
    """Each edition's letter and its three files' bytes."""
    return [(edition.letter, edition.message, edition.html, edition.text) for edition in made]


def test_plain_texts_made_by_processes_equal_those_made_in_the_build(shipped, monkeypatch):
    from generator.markup.markdown import plain_text
    from generator.outputs.opendata import tables

    content = check(shipped.root)
    expected = {notice.id: plain_text(notice.body) for notice in content.gazette.notices}
    monkeypatch.setattr(tables, "SPAWN_BYTES", 1)
    monkeypatch.setattr(tables, "JOB", 1)
    monkeypatch.setenv("JIAHE_WORKERS", "2")

    def refuse(body):
        raise AssertionError("a plain text was made by the stage, not by its processes")

    monkeypatch.setattr(tables, "plain_text", refuse)  # in this process only: a spawned one imports its own
    assert tables.plain_texts(content, shipped.root) == expected
    kept = sorted(p.name for p in (shipped.root / ".cache" / "opendata").iterdir())
    assert len(kept) == len(content.gazette.issues)


def test_the_websites_plain_texts_keep_only_the_last_issues_read(shipped, monkeypatch):
    """PlainTexts (the notices' summaries for the pages the website makes) gives every notice's text,
    asked for in any order, while keeping the texts of the last few issues read only: at 50,000
    notices every text kept grew each worker making the pages by 100 MB or more (issue 12, goal 5)."""
    from generator.markup.markdown import plain_text
    from generator.outputs.opendata import tables

    content = check(shipped.root)
    monkeypatch.setattr(tables.PlainTexts, "ISSUES_KEPT", 2)
    texts = tables.PlainTexts(content, shipped.root)
    notices = content.gazette.notices
    assert len(content.gazette.issues) > 2
    for notice in [*notices, *reversed(notices)]:  # every issue let go, then read again
        assert texts[notice.id] == plain_text(notice.body)
        assert len(texts.found) <= 2
    assert texts.get("2099/01/01") is None and len(texts) == len(notices)
