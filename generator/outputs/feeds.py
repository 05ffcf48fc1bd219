"""Atom feeds (RFC 4287): the latest notices of the whole gazette, of each category and of each
agency, and the phone directory's changes.

Written with the standard library: the format is small and fixed. Dates are the issue's
publication date at midnight in Taiwan (+08:00), so feeds change only when content does; the
directory's entries are dated by their commits. The subscribe page (訂閱) lists every feed.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping

from generator import urls
from generator.dates import TAIPEI
from generator.labels import labels
from generator.model import Content, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.markup.markdown import Asset, shortened, summary
from generator.model.directory import Entry
from generator.outputs.printed.issues import IssuePdf
from generator.reading.history import ChangeRecord

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def stamp(date: dt.date) -> str:
    return dt.datetime(date.year, date.month, date.day, tzinfo=TAIPEI).isoformat()


def assets(content: Content, pdfs: tuple[IssuePdf, ...] = (),
           texts: Callable[[set[str]], Mapping[str, str]] | None = None) -> Iterator[Asset]:
    """The feeds; ``pdfs``: the print edition, each entry's issue PDF as its enclosure; ``texts``:
    the notices' plain texts (for their summaries) of the issues it is given (their ids), if made
    already (the open data's cache), else each entry's body is converted here."""
    notices = content.gazette.notices
    title = content.site.gazette.title.zh_hant
    printed = {pdf.issue: pdf for pdf in pdfs}
    made = [(urls.gazette_feed(), title, urls.gazette_home(), notices)]
    for category in content.site.categories:
        selected = tuple(n for n in notices if n.category == category.slug)
        made.append((urls.category_feed(category.slug), f"{title}：{category.name.zh_hant}", urls.category(category.slug), selected))
    for agency_id in agencies(content):
        selected = tuple(n for n in notices if agency_id in n.agencies)  # a joint notice is in each of its agencies' feeds
        made.append((urls.agency_feed(agency_id), f"{title}：{content.links.agencies[agency_id].name.zh_hant}",
                     urls.gazette_agency(agency_id), selected))
    shown = {content.links.issue_of(n).id for *_, selected in made for n in selected[-ENTRIES:]}
    plain = texts(shown) if texts is not None else None
    for uri, name, page, selected in made:
        yield Asset(uri, data=feed(content, name, uri, page, selected, printed, plain))


def uris(content: Content) -> list[str]:
    """The site paths of the feeds :func:`assets` makes, without making them (``serve`` makes them when asked)."""
    return [urls.gazette_feed(), *(urls.category_feed(c.slug) for c in content.site.categories),
            *(urls.agency_feed(agency_id) for agency_id in agencies(content))]


def agencies(content: Content) -> list[str]:
    """The agencies that have published in the gazette (each has a feed), in the directory's order."""
    published = {agency for notice in content.gazette.notices for agency in notice.agencies}
    return [agency.id for agency in content.directory.agencies if agency.id in published]


def directory_feed(content: Content, record: ChangeRecord, describe: Callable[[Entry], str]) -> Asset:
    """The phone directory's changes: one entry per published version (commit), newest first, each
    listing what it added, removed or changed (``describe``: an entry in a few words, as the changes
    page says it). Changes not committed yet are not published, so not in the feed."""
    words, directory_words = labels("newsletter", DEFAULT_LANGUAGE), labels("directory", DEFAULT_LANGUAGE)
    base = content.site.base_url
    page = urls.absolute(base, urls.directory_changes())
    versions = [version for version in record.versions if version.published][:ENTRIES]
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": DEFAULT_LANGUAGE})
    _text(root, "id", urls.absolute(base, urls.directory_changes_feed()))
    _text(root, "title", str(words["directory_feed_title"]).format(publisher=content.site.city.zh_hant))
    newest = versions[0] if versions else record.first
    updated = newest.when if newest else dt.datetime.combine(dt.date(2000, 1, 1), dt.time(), tzinfo=TAIPEI)
    _text(root, "updated", updated.astimezone(TAIPEI).isoformat())
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=urls.absolute(base, urls.directory_changes_feed()))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page)
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", content.site.publisher.zh_hant)
    _text(root, "rights", content.site.licence.name.zh_hant)
    for version in versions:
        assert version.commit is not None  # published
        link = f"{page}#{urls.version_anchor(version.commit)}"
        element = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(element, "id", link)
        _text(element, "title", str(words["directory_feed_entry"]).format(
            date=version.date.isoformat(), count=len(version.changes)))
        _text(element, "updated", version.when.astimezone(TAIPEI).isoformat())
        ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=link)
        lines = [f"{change.entry.agency}：" + str(directory_words["change"]).format(
            change=directory_words[change.change], entry=describe(change.before or change.entry)) for change in version.changes]
        _text(element, "content", "\n".join(lines)).set("type", "text")
    ET.indent(root)
    return Asset(urls.directory_changes_feed(), data=ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def feed(content: Content, title: str, self_page: str, html_page: str, notices: tuple[Notice, ...],
         printed: Mapping[str, IssuePdf] | None = None, texts: Mapping[str, str] | None = None) -> bytes:
    """An Atom document with the newest notices first; ``texts``: their plain texts by id, if made already."""
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
        root.append(entry(content, notice, issue_of(notice).date, (printed or {}).get(issue_of(notice).id),
                          texts[notice.id] if texts is not None else None))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def entry(content: Content, notice: Notice, published: dt.date, pdf: IssuePdf | None = None, text: str | None = None) -> ET.Element:
    """A notice's entry; ``text``: its body's plain text, if made already (else made here, for the summary)."""
    base = content.site.base_url
    category = content.links.category_of(notice)
    element = ET.Element(f"{{{ATOM}}}entry")
    _text(element, "id", urls.absolute(base, urls.notice(notice)))
    _text(element, "title", notice.title)
    _text(element, "updated", stamp(published))
    _text(element, "published", stamp(published))
    ET.SubElement(element, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=urls.absolute(base, urls.notice(notice)))
    if pdf:  # the print edition of the notice's issue, the official copy
        ET.SubElement(element, f"{{{ATOM}}}link", rel="enclosure", type="application/pdf", href=urls.absolute(base, pdf.uri),
                      length=str(pdf.size), title=f"{content.site.gazette.title.zh_hant} {printed_issue(content, notice)}")
    for agency in content.links.agencies_of(notice):  # a joint notice: an author per agency, the lead first
        author = ET.SubElement(element, f"{{{ATOM}}}author")
        _text(author, "name", agency.name.zh_hant)
    ET.SubElement(element, f"{{{ATOM}}}category", term=category.slug, label=category.name.zh_hant)
    _text(element, "summary", f"{'、'.join(notice.doc_numbers)}：{summary(notice.body) if text is None else shortened(text)}")
    # what it corrects, amends or repeals, and what corrected, amended or repealed it: related links,
    # titled with the relation (RFC 4287 4.2.7.2: rel="related")
    words = labels("gazette", DEFAULT_LANGUAGE)
    for relation, earlier in content.links.relations(notice):
        ET.SubElement(element, f"{{{ATOM}}}link", rel="related", type="text/html", href=urls.absolute(base, urls.notice(earlier)),
                      title=f"{words['relations'][relation]}：{earlier.title}")
    for relation, later in content.links.related_by(notice):
        ET.SubElement(element, f"{{{ATOM}}}link", rel="related", type="text/html", href=urls.absolute(base, urls.notice(later)),
                      title=words["related_by"].format(issue=content.site.gazette.label(later.year, later.issue),
                                                       relation=words["relation"][relation]) + f"：{later.title}")
    return element


def printed_issue(content: Content, notice: Notice) -> str:
    issue = content.links.issue_of(notice)
    return content.site.gazette.label(issue.year, issue.number)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element
