"""Accessibility: axe-core (WCAG 2.0 and 2.1, levels A and AA) on one page of every page kind, at a
desktop width (1280 px) and a phone width (390 px), with no violation allowed.

axe-core is the npm package, installed by ``make test`` into ``.venv/npm/`` (see the Makefile) and
injected into each page through Playwright. A page kind is a pattern of built paths (``PAGE_KINDS``);
``test_every_built_page_has_a_kind`` fails when a new kind of page appears that no pattern covers, so
the axe test keeps covering every kind the site has.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import REPO

AXE = REPO / ".venv" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}

#: page kind -> pattern of the built HTML files of that kind (relative to site/); the first match
#: (in sorted order) is the one checked.
PAGE_KINDS: dict[str, str] = {
    "home": r"index\.html",
    "home-en": r"en/index\.html",
    "not-found": r"404\.html",
    "about": r"about/index\.html",
    "policy": r"(?:accessibility|privacy|open-data)/index\.html",  # hand-written pages of content/pages/
    "subscribe": r"subscribe/index\.html",
    "newsletter": r"gazette/\d{4}/\d{2,3}/newsletter/index\.html",
    "newsletter-email": r"gazette/\d{4}/\d{2,3}/newsletter/email\.html",
    "search": r"search/index\.html",
    "search-en": r"en/search/index\.html",
    "gazette-home": r"gazette/index\.html",
    "gazette-year": r"gazette/\d{4}/index\.html",
    "issue": r"gazette/\d{4}/\d{2,3}/index\.html",
    "notice": r"gazette/\d{4}/\d{2,3}/\d{2,3}/index\.html",
    "agency-index": r"gazette/agency/index\.html",
    "agency-notices": r"gazette/agency/[a-z0-9-]+/index\.html",
    "agency-notices-year": r"gazette/agency/[a-z0-9-]+/\d{4}/index\.html",
    "category-index": r"gazette/category/index\.html",
    "category": r"gazette/category/[a-z0-9-]+/index\.html",
    "category-year": r"gazette/category/[a-z0-9-]+/\d{4}/index\.html",
    "yearbook-home": r"yearbook/index\.html",
    "book": r"yearbook/\d{4}/index\.html",
    "chapter": r"yearbook/\d{4}/[a-z0-9-]+/index\.html",
    "yearbook-home-en": r"en/yearbook/index\.html",
    "book-en": r"en/yearbook/\d{4}/index\.html",
    "chapter-en": r"en/yearbook/\d{4}/[a-z0-9-]+/index\.html",
    "directory": r"directory/index\.html",
    "directory-agency": r"directory/[a-z0-9-]+/index\.html",
    "directory-changes": r"directory/changes/index\.html",
    "data": r"data/index\.html",
    "data-package": r"data/[a-z0-9-]+/index\.html",
}
#: pages that a broader pattern would match but belong to another kind
_SPECIFIC = {"directory/changes/index.html": "directory-changes"}
#: the statistics chapter (tables) stands for the chapters: the richest one
_PREFERRED = {"chapter": "yearbook/2025/population/index.html", "chapter-en": "en/yearbook/2025/population/index.html",
              "notice": "gazette/2026/01/03/index.html"}


def kind_of(path: str) -> str | None:
    if path in _SPECIFIC:
        return _SPECIFIC[path]
    for kind, pattern in PAGE_KINDS.items():
        if re.fullmatch(pattern, path):
            return kind
    return None


def built_pages(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
                  if p.relative_to(site_dir).parts[0] not in ("pagefind", "assets", "ebooks"))


def example_of(site_dir: Path, kind: str) -> str:
    preferred = _PREFERRED.get(kind)
    if preferred and (site_dir / preferred).is_file():
        return preferred
    matches = [p for p in built_pages(site_dir) if kind_of(p) == kind]
    assert matches, f"no built page of kind {kind}"
    return matches[0]


def test_every_built_page_has_a_kind(site_dir):
    unknown = [p for p in built_pages(site_dir) if kind_of(p) is None]
    assert not unknown, "pages of a kind the accessibility test does not check (add it to PAGE_KINDS): " + ", ".join(unknown)


def axe_violations(tab) -> list[dict]:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `make test`, which installs it into .venv/npm/")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("""tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                        resultTypes: ['violations']})""", TAGS)
    return result["violations"]


def settle(tab) -> None:
    """Wait for what a reader sees before reaching for the keyboard: the fonts loaded and the layout
    mkdocs-material's script sets once it has measured the page (the sidebars' heights) painted. On a
    loaded host axe could otherwise run between "load" and the sidebar's first measurement."""
    tab.evaluate("""() => document.fonts.ready.then(() => new Promise(done =>
                      requestAnimationFrame(() => requestAnimationFrame(() => done()))))""")


def scroll_areas(tab) -> str:
    """The sidebars' scroll areas as laid out, for a failure's message."""
    return tab.evaluate("""() => [...document.querySelectorAll('.md-sidebar__scrollwrap')].map(w =>
        `${w.parentElement.className}: ${w.clientHeight}/${w.scrollHeight} px shown/held, style "${w.style.cssText}", `
        + `${w.querySelectorAll('a[href]').length} links`).join('; ')""")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        for node in v["nodes"][:4]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("kind", sorted(PAGE_KINDS))
def test_no_axe_violations(browser, site_dir, site_url, kind, width):
    path = example_of(site_dir, kind)
    w, h = WIDTHS[width]
    tab = browser.new_page(viewport={"width": w, "height": h})
    try:
        tab.goto(f"{site_url}/{path.removesuffix('index.html')}")
        tab.wait_for_load_state("load")
        settle(tab)
        violations = axe_violations(tab)
        layout = scroll_areas(tab) if violations else ""
    finally:
        tab.close()
    assert not violations, f"{path} at {w} px:\n{describe(violations)}\nlayout when checked: {layout}\n" + json.dumps(
        [v["id"] for v in violations])
