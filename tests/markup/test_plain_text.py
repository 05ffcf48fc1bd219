"""plain_text with one reused converter gives the text a new converter per call gave."""

from __future__ import annotations

import html
import re
import threading

import markdown
import nh3

from generator.markup.markdown import PLAIN_EXTENSIONS, plain_text, summary

from conftest import REPO


def fresh(text: str) -> str:
    """plain_text as it was: a new Markdown converter, every extension set up again."""
    rendered = markdown.markdown(text, extensions=list(PLAIN_EXTENSIONS))
    return re.sub(r"[ \t]*\n\s*", "\n", html.unescape(nh3.clean(rendered, tags=set()))).strip()


#: What a converter that kept state from the text before would get wrong: footnotes, reference links,
#: abbreviation-like definitions, tables, soft-wrapped Chinese lines.
TRICKY = [
    "本文[^1]。\n\n[^1]: 第一則註腳。",
    "另文[^1]與[^2]。\n\n[^1]: 甲。\n[^2]: 乙。",
    "見[本府網站][site]。\n\n[site]: https://example.org/",
    "見[本府網站][site]。",  # the same reference, undefined here: shown as typed
    "| 區 | 人口 |\n|---|---|\n| 東區 | 1,234 |",
    "第一行\n第二行\nEnglish line\nnext",
    "",
]


def test_the_text_is_the_same_as_with_a_new_converter_for_each_body():
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
              for path in sorted((REPO / "content" / "gazette").glob("*/*/*.md"))]
    assert len(bodies) > 20
    for text in TRICKY + bodies + TRICKY[::-1]:  # in any order, after any other text
        assert plain_text(text) == fresh(text), text[:80]
    longest = max(bodies, key=len)
    assert summary(longest, 100) == " ".join(fresh(longest).split())[:99] + "…"


def test_each_thread_has_its_own_converter():
    found: list[str] = []
    texts = [f"段落{n}[^1]。\n\n[^1]: 註{n}。" for n in range(40)]

    def work(offset: int) -> None:
        for text in texts[offset:] + texts[:offset]:
            found.append(plain_text(text) == fresh(text) and "same" or text)

    threads = [threading.Thread(target=work, args=(n * 10,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == ["same"] * 160
