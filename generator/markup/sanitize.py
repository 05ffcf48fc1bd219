"""Defence in depth for page HTML: whatever check let through, nothing that runs script is published.

``check`` rejects script-capable markup in content with a located error (see validate.py); this
allow-list (nh3, the Ammonia sanitizer) cleans every page's HTML after Markdown, so a gap in the
rules still cannot put ``<script>``, ``on*=`` handlers or ``javascript:`` URLs on the site.
"""

from __future__ import annotations

from types import MappingProxyType

import nh3

TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
COMMON = frozenset({"id", "class", "lang", "title", "dir", "role", "aria-label", "aria-hidden", "aria-describedby", "aria-live"})
ATTRIBUTES = MappingProxyType({
    "*": COMMON,
    "a": COMMON | {"href", "rel", "hreflang", "type", "download"},
    "img": COMMON | {"src", "alt", "width", "height", "loading"},
    "th": COMMON | {"scope", "colspan", "rowspan", "abbr"},
    "td": COMMON | {"colspan", "rowspan"},
    "time": COMMON | {"datetime"},
    "ol": COMMON | {"start", "reversed", "type"},
    "details": COMMON | {"open"},
    "col": COMMON | {"span"},
})
SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def clean(html: str) -> str:
    """The HTML with only allowed tags, attributes and URL schemes; script and style contents dropped."""
    return nh3.clean(html, tags=TAGS, attributes=dict(ATTRIBUTES), url_schemes=SCHEMES, link_rel=None,  # nh3 takes a dict
                     generic_attribute_prefixes={"data-"}, strip_comments=True)
