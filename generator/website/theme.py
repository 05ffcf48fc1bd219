"""What the website takes from mkdocs-material, and what it leaves out: the theme's files as MkDocs
would copy them, less the ones no page uses, and its script with one selector narrowed.

- **No unused assets.** Material ships lunr (32 files: the language stemmers, tinyseg, wordcut) and
  its search worker for its built-in search, which this site does not enable (search is Pagefind's,
  a stage of its own). No page loads them, so they are not published.
- **No requests that fail.** Material's script (``bundle.*.min.js``, "setupAlternate") takes every
  ``<link rel="alternate">`` of a page for another language's copy of the whole site, built by
  MkDocs, and fetches ``sitemap.xml`` beside it, on every page load and whatever the features: for
  our feeds (``/gazette/feed.atom``) that is ``/gazette/sitemap.xml``, a 404, and for the yearbook's
  ``hreflang`` alternates (absolute, as search engines require) the site's public address, from
  every copy of the site, the preview included. The same bug is reported upstream
  (squidfunk/mkdocs-material#8576, zensical/ui#213: "setupAlternate requests sitemap.xml for every
  link[rel=alternate]"), with the fix proposed there: let a link opt out. Our head links carry
  ``data-no-alternate`` (``themes/material/main.html``) and the selector in the bundle becomes
  ``link[rel=alternate]:not([data-no-alternate])``; the links themselves stay as the standards want
  them (feed autodiscovery, hreflang). The theme's alternate-language selector (``extra.alternate``),
  which the script exists for, would keep working. If a theme upgrade changes that part of the
  script, the build stops and says so rather than publish a site that fails requests.
- **Our own CSS and scripts minified.** The overrides' stylesheets and scripts
  (``themes/material/assets/``) are written to be read, with comments that explain them; the site
  publishes them without comments and spaces (rcssmin and rjsmin, the minifiers of the same author
  made for this): the results page's search.js 7.5 KB -> 4.5 KB gzipped, its three stylesheets 4.7 KB
  -> 3.2 KB, which every first query downloads (README, "Search": what a first query downloads).
  Material's own files are minified already.
"""

from __future__ import annotations

import re
from pathlib import Path

import rcssmin
import rjsmin

from generator.errors import BuildError

#: Files of mkdocs-material that only its built-in (lunr) search uses.
UNUSED = re.compile(r"assets/javascripts/(lunr/.*|workers/search\.[0-9a-f]+\.min\.js(\.map)?)")
#: The theme's script, and the selector in it that takes our links for other sites.
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
SELECTOR = b'"link[rel=alternate]"'
NARROWED = b'"link[rel=alternate]:not([data-no-alternate])"'
#: The source map no longer maps the patched script; browsers ask for it only with developer tools open.
SOURCE_MAP = re.compile(rb"\n//# sourceMappingURL=\S+\s*$")


def unused(uri: str) -> bool:
    """Whether a theme file is one no page of this site loads."""
    return bool(UNUSED.fullmatch(uri) or (BUNDLE.fullmatch(uri.removesuffix(".map")) and uri.endswith(".map")))


def is_bundle(uri: str) -> bool:
    return bool(BUNDLE.fullmatch(uri))


def narrowed_bundle(path: Path) -> bytes:
    """The theme's script with the alternate-link selector narrowed (see the module's doc)."""
    script = path.read_bytes()
    if script.count(SELECTOR) != 1:
        raise BuildError(f"{path.name}: mkdocs-material's script no longer has {SELECTOR.decode()} exactly once; "
                         "check generator/website/theme.py against the new version of the theme")
    return SOURCE_MAP.sub(b"\n", script.replace(SELECTOR, NARROWED))


#: The theme overrides' folder: its CSS and scripts are published minified.
OWN = Path(__file__).resolve().parent.parent.parent / "themes" / "material"


def is_own_source(uri: str, path: str) -> bool:
    """Whether a file to publish is one of our overrides' stylesheets or scripts (not Material's)."""
    return uri.endswith((".css", ".js")) and Path(path).resolve().is_relative_to(OWN)


def minified(path: Path) -> bytes:
    """The stylesheet or script at ``path`` without comments and spaces (what it does unchanged)."""
    text = path.read_text(encoding="utf-8")
    return (rcssmin.cssmin(text) if path.suffix == ".css" else rjsmin.jsmin(text)).encode("utf-8")
