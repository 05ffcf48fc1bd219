"""Atom feeds (RFC 4287) of the latest notices: the whole gazette, and each category.

Written with the standard library: the format is small and fixed. Dates are the issue's
publication date at midnight in Taiwan (+08:00), so feeds change only when content does.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from generator import urls
from generator.dates import TAIPEI
from generator.model import Content, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.markup.markdown import Asset, summary

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def stamp(date: dt.date) -> str:
    return dt.datetime(date.year, date.month, date.day, tzinfo=TAIPEI).isoformat()


def assets(content: Content) -> Iterator[Asset]:
    notices = content.gazette.notices
    title = content.site.gazette.title.zh_hant
    yield Asset(urls.gazette_feed(), data=feed(content, title, urls.gazette_feed(), urls.gazette_home(), notices))
    for category in content.site.categories:
        selected = tuple(n for n in notices if n.category == category.slug)
        yield Asset(urls.category_feed(category.slug), data=feed(
            content, f"{title}：{category.name.zh_hant}", urls.category_feed(category.slug), urls.category(category.slug), selected))


def feed(content: Content, title: str, self_page: str, html_page: str, notices: tuple[Notice, ...]) -> bytes:
    """An Atom document with the newest notices first."""
    base = content.site.base_url
    issue_of = content.links.issue_of
    latest = list(reversed(notices))[:ENTRIES]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": DEFAULT_LANGUAGE})
    _text(root, "id", urls.absolute(base, self_page))
    _text(root, "title", title)
    every = max((issue.date for issue in content.gazette.issues), default=dt.date(2000, 1, 1))
    newest = max((issue_of(n).date for n in latest), default=every)
    _text(root, "updated", stamp(newest))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=urls.absolute(base, self_page))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=urls.absolute(base, html_page))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", content.site.publisher.zh_hant)
    _text(root, "rights", content.site.licence.name.zh_hant)
    for notice in latest:
        root.append(entry(content, notice, issue_of(notice).date))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def entry(content: Content, notice: Notice, published: dt.date) -> ET.Element:
    base = content.site.base_url
    category = content.links.category_of(notice)
    element = ET.Element(f"{{{ATOM}}}entry")
    _text(element, "id", urls.absolute(base, urls.notice(notice)))
    _text(element, "title", notice.title)
    _text(element, "updated", stamp(published))
    _text(element, "published", stamp(published))
    ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=urls.absolute(base, urls.notice(notice)))
    for agency in content.links.agencies_of(notice):  # a joint notice: an author per agency, the lead first
        author = ET.SubElement(element, f"{{{ATOM}}}author")
        _text(author, "name", agency.name.zh_hant)
    ET.SubElement(element, f"{{{ATOM}}}category", term=category.slug, label=category.name.zh_hant)
    _text(element, "summary", f"{'、'.join(notice.doc_numbers)}：{summary(notice.body)}")
    return element


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element
