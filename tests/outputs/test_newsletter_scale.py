"""The newsletters at archive scale (issue 12, goal 5): letters missing from the cache are made by
processes of their own, and the build's letters are then the same, byte for byte, as those it makes
itself without any cache."""

from __future__ import annotations

import logging

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
    assert aside == alone
    assert f"newsletters: {len(alone)} made, 0 unchanged" in caplog.text
    kept = sorted((shipped.root / ".cache" / "newsletter").iterdir())
    assert len(kept) == len(alone)
    # the next build finds them all
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = newsletter.newsletters(content, published, shipped.root)
    assert again == alone and f"newsletters: 0 made, {len(alone)} unchanged" in caplog.text
