"""The gazette e-newsletter (公報電子報): one message per issue, built with the site.

For each issue the stage :func:`newsletters` makes a :class:`Letter` (what the newsletter says) and
from it three files, published beside the issue's newsletter page (``/gazette/<YYYY>/<NN>/newsletter/``,
the web version, made by :mod:`generator.website.pages.newsletter`):

- ``email.html``: the e-mail's HTML: a table layout about 600 px wide, every style inlined by
  css-inline (mail clients drop ``<style>``; the dark-mode and narrow-screen rules stay in a
  ``<style>`` for those that read it), no script, no web font, no image;
- ``email.txt``: the plain-text alternative, readable on its own;
- ``message.eml``: the whole MIME message as it goes to a mailing list (``multipart/alternative``,
  UTF-8, with Message-ID, Date, From, Subject, List-Id, List-Unsubscribe and List-Unsubscribe-Post of
  RFC 8058). It has no ``To``: ``newsletter send --to ADDRESS`` adds it.

Everything is a function of the content: two builds give the same bytes. The Date is the issue's
day at midnight in Taiwan (like the feeds); the Message-ID and the MIME boundary come from a hash of
the message's parts (and of the recipient's address for a subscriber's own message), never from the
clock or a random number. Every content string is text: the HTML comes from an autoescaping Jinja
template, the headers from :mod:`email`'s header objects, each value first folded onto one line
(a title with CR/LF cannot add a header).

The newsletter is in Chinese only, like the gazette (see ``generator/labels/newsletter.yml``).

The issue's downloads are the files of :func:`issue_files` (its print edition's PDF) that were
published: the build says which it made (``published``: their site paths), ``newsletter send``
looks for them in the built site, so both make the same letter.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.policy
import hashlib
import hmac
import json
import logging
import urllib.parse
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from generator import urls
from generator.dates import TAIPEI, roc_date
from generator.labels import labels
from generator.markup.markdown import Asset, summary
from generator.model import Content, Issue, Notice
from generator.model.common import DEFAULT_LANGUAGE
from generator.model.site import NewsletterSettings

if TYPE_CHECKING:
    from generator.outputs.issuecache import IssueCache

log = logging.getLogger(__name__)
LANGUAGE = DEFAULT_LANGUAGE  # the gazette, and so its newsletter, is published in Chinese
WORDS = labels("newsletter", LANGUAGE)
TEMPLATES = Path(__file__).parent / "templates"
#: How long a notice's one-line subject may be in the newsletter.
SUBJECT_LENGTH = 100
#: The e-mail's width in CSS pixels: what mail clients show without scrolling.
WIDTH = 600


def one_line(text: str) -> str:
    """Text folded onto one line: every run of white space (CR, LF, tabs) one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Item:
    """A notice as the newsletter lists it."""

    title: str
    agency: str
    doc_number: str
    subject: str  # the first words of its text, on one line
    url: str  # its page, absolute
    page: str  # its page's source path (for the web version's relative links)


@dataclass(frozen=True)
class Section:
    """A category of the issue with its notices, in the issue's order."""

    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Letter:
    """What one issue's newsletter says, whoever receives it."""

    issue: Issue
    name: str  # the newsletter's name: 嘉和市政府公報電子報
    gazette: str  # the gazette's title
    label: str  # the issue's label: 115年第1期
    date: str  # 中華民國115年1月1日
    subject: str  # the e-mail's Subject, one line
    title: str | None  # the issue's own title, if any
    count: int
    sections: tuple[Section, ...]
    downloads: tuple[tuple[str, str, str], ...]  # (label, absolute URL, site path)
    web_url: str  # the web version
    issue_url: str
    subscribe_url: str  # the subscribe page
    contact: str  # one line: the Secretariat's contact
    join: str
    join_url: str | None
    unsubscribe_url: str  # the list's unsubscribe page (each subscriber's own link replaces it)
    settings: NewsletterSettings

    @property
    def preheader(self) -> str:
        """The line mail clients show after the subject in the inbox."""
        first = self.sections[0].items[0].title if self.sections else ""
        return one_line(str(WORDS["preheader"]).format(issue=self.label, first=first, count=self.count))


@dataclass(frozen=True)
class Edition:
    """An issue's newsletter as built: the letter and its three files (:data:`urls.NEWSLETTER_FILES`),
    each its bytes or, kept by an earlier build, its file in the cache: read only when asked for
    (issue 12: the build read every issue's three files back from the cache, 0.3 s of a build after
    one new issue at 10,000 notices and 275 MB held at 50,000; the website places the kept files by
    hard links, website/cache.py)."""

    letter: Letter
    files: tuple[bytes | Path, bytes | Path, bytes | Path]  # message.eml, email.html, email.txt

    @property
    def message(self) -> bytes:
        return _bytes(self.files[0])

    @property
    def html(self) -> bytes:
        return _bytes(self.files[1])

    @property
    def text(self) -> bytes:
        return _bytes(self.files[2])

    def assets(self) -> Iterator[Asset]:
        issue = self.letter.issue
        for name, file in zip(urls.NEWSLETTER_FILES, self.files, strict=True):
            uri = urls.newsletter_file(issue, name)
            yield Asset(uri, path=file) if isinstance(file, Path) else Asset(uri, data=file)


def _bytes(file: bytes | Path) -> bytes:
    return file.read_bytes() if isinstance(file, Path) else file


def issue_files(issue: Issue) -> list[tuple[str, str]]:
    """(label, site path) of each file of an issue the newsletter links when it is published."""
    return [(str(WORDS["pdf"]), urls.issue_pdf(issue))]


def downloads(issue: Issue, published: Callable[[str], bool]) -> tuple[tuple[str, str], ...]:
    """The issue's files that were published (``published(site path)``), for :func:`letter`."""
    return tuple((label, page) for label, page in issue_files(issue) if published(page))


def newsletters(content: Content, published: Collection[str] = (), root: Path | None = None) -> tuple[Edition, ...]:
    """The build's stage: every issue's newsletter (none if site.yml has no ``newsletter``).
    ``published``: the site paths of the files the stages before it made (the print edition's PDFs).
    ``root``: the project folder, whose ``.cache/newsletter/`` keeps each issue's newsletter
    (:func:`edition`)."""
    if content.site.newsletter is None:
        return ()
    from generator.outputs.issuecache import IssueCache

    templates = environment()
    cache = IssueCache(root, "newsletter", version()) if root is not None else None
    if cache is None:
        return tuple(edition(content, issue, downloads(issue, published.__contains__), templates) for issue in content.gazette.issues)
    # each issue's letter keyed by its notices' bodies, and its key, made once for both the letters made
    # aside and the editions found in the cache (issue 12: they were made twice, and each edition's
    # letter a third time, 0.5 s of every build at 10,000 notices)
    keyed = [_Keyed.of(content, issue, downloads(issue, published.__contains__), cache) for issue in content.gazette.issues]
    aside = _make_aside(keyed, cache)
    made = tuple(edition(content, one.letter.issue, one.letter_downloads, templates, cache, one) for one in keyed)
    log.info("newsletters: %d made, %d unchanged (from %s)", cache.made + aside, cache.found - aside, cache.folder)
    return made


@dataclass(frozen=True)
class _Keyed:
    """An issue's letter with each notice's body for its subject (what the cache's key hashes, since
    a subject follows from the body alone), the ids of its notices in the letter's order, and the
    letter's name and key in the cache."""

    letter: Letter
    letter_downloads: tuple[tuple[str, str], ...]
    ids: tuple[str, ...]
    name: str
    key: str

    @classmethod
    def of(cls, content: Content, issue: Issue, downloads: Sequence[tuple[str, str]], cache: IssueCache) -> _Keyed:
        keyed = letter(content, issue, downloads, subject_for=lambda notice: notice.body)
        ids = tuple(n.id for category in content.site.categories for n in issue.notices if n.category == category.slug)
        return cls(keyed, tuple(downloads), ids, _cache_name(issue), cache.key(_fingerprint(keyed)))

    def with_subjects(self, subject_of_notice: Callable[[str, str], str]) -> Letter:
        """The letter with each item's subject ``subject_of_notice(id, body)``: the letter that
        :func:`letter` makes with those subjects (they are the only values it takes from them)."""
        ordered = iter(self.ids)
        sections = tuple(dataclasses.replace(section, items=tuple(
            dataclasses.replace(item, subject=subject_of_notice(next(ordered), item.subject)) for item in section.items))
            for section in self.letter.sections)
        return dataclasses.replace(self.letter, sections=sections)


#: How many letters to make for each process :func:`_make_aside` spawns (a process takes about a
#: second to start); with fewer, the build makes them itself.
SPAWN_FROM = 50
#: Letters in one job of those processes.
JOB = 32


def _make_aside(keyed: Sequence[_Keyed], cache: IssueCache) -> int:
    """The letters missing from ``cache`` made into it by processes of their own, side by side
    (issue 12: about 9 ms a letter, 5,000 letters in a 50,000-notice daily gazette built from
    nothing); :func:`edition` then finds every one in the cache. Returns how many were made.

    The processes are spawned, not forked: the e-books are made in a thread meanwhile, and a fork
    copies no thread but every lock. Each job holds, for each letter, the letter keyed by its notices'
    bodies (what :func:`edition` hashes) and the ids of its notices in order: a process makes each
    subject from its body (:func:`subject_of`), then the files, as :func:`edition` would."""
    jobs = [(one.name, one.key, one.letter, list(one.ids)) for one in keyed if not cache.has(one.name, one.key)]
    from generator.workers import cores

    workers = min(cores(), len(jobs) // SPAWN_FROM)
    if workers < 2:
        return 0
    import multiprocessing
    import types
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.reduction import register

    # the model's read-only mappings travel as what they are: a read-only view of the same items
    register(types.MappingProxyType, _mapping_proxy)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for future in [pool.submit(_make_into_cache, cache.folder.parent.parent, cache.version, jobs[start:start + JOB])
                       for start in range(0, len(jobs), JOB)]:
            future.result()  # what stops a process stops the build (edition would have stopped it alike)
    return len(jobs)


def _mapping_proxy(mapping: Mapping[object, object]) -> tuple[Callable[..., Any], tuple[dict[object, object]]]:
    return _read_only, (dict(mapping),)


def _read_only(items: dict[object, object]) -> Mapping[object, object]:
    import types

    return types.MappingProxyType(items)


def _make_into_cache(root: Path, version_: str, jobs: list[tuple[str, str, Letter, list[str]]]) -> None:
    """Letters made into the cache by a process of :func:`_make_aside`."""
    from generator.outputs.issuecache import IssueCache

    cache, templates = IssueCache(root, "newsletter", version_), environment()
    for name, key, keyed, ids in jobs:
        ordered = iter(ids)
        subjects: dict[str, str] = {}
        sections = []
        for section in keyed.sections:
            items = []
            for item in section.items:  # item.subject: the notice's body
                notice_id: str = next(ordered)
                subjects[notice_id] = subject_of(item.subject)
                items.append(dataclasses.replace(item, subject=subjects[notice_id]))
            sections.append(dataclasses.replace(section, items=tuple(items)))
        made = dataclasses.replace(keyed, sections=tuple(sections))
        html, text = render(made, made.unsubscribe_url, templates)
        _keep(cache, name, key, subjects, (message(made, html, text, made.unsubscribe_url), html.encode("utf-8"), text.encode("utf-8")))


def _cache_name(issue: Issue) -> str:
    return f"newsletter-{issue.year}-{issue.number:02d}"


def version() -> str:
    """What makes a newsletter besides its letter: this code, the templates, the words, the Markdown
    of the subjects, and the libraries that write the HTML and the message."""
    from generator.outputs.issuecache import GENERATOR, code_digest, library_versions

    return library_versions("jinja2", "css-inline", "markdown", "nh3") + code_digest(
        Path(__file__).parent, GENERATOR / "labels", GENERATOR / "markup")


def edition(content: Content, issue: Issue, downloads: Sequence[tuple[str, str]] = (),
            templates: jinja2.Environment | None = None, cache: IssueCache | None = None,
            keyed: _Keyed | None = None) -> Edition:
    """An issue's newsletter; with ``cache``, kept from an earlier build when its letter is the same
    (every word of it, the notices' bodies standing for their subjects). ``keyed``: that letter and
    its key, when the stage made them already."""
    templates = templates or environment()
    if cache is not None:
        keyed = keyed or _Keyed.of(content, issue, downloads, cache)
        name, key = keyed.name, keyed.key
        kept_files = tuple(cache.file(name, key, file) for file in urls.NEWSLETTER_FILES)
        if (kept := cache.get(name, key)) is not None and all(file.is_file() for file in kept_files):
            subjects = kept["subjects"]
            made = keyed.with_subjects(lambda notice_id, _body: subjects[notice_id])
            return Edition(made, (kept_files[0], kept_files[1], kept_files[2]))
    made_subjects: dict[str, str] = {}

    def remember(notice: Notice) -> str:
        made_subjects[notice.id] = subject_of(notice.body)
        return made_subjects[notice.id]

    made = letter(content, issue, downloads, subject_for=remember)
    html, text = render(made, made.unsubscribe_url, templates)
    files = (message(made, html, text, made.unsubscribe_url), html.encode("utf-8"), text.encode("utf-8"))
    if cache is not None:
        return Edition(made, _keep(cache, name, key, made_subjects, files))
    return Edition(made, files)


def _keep(cache: IssueCache, name: str, key: str, subjects: Mapping[str, str],
          files: tuple[bytes, bytes, bytes]) -> tuple[bytes | Path, bytes | Path, bytes | Path]:
    """A letter kept in ``cache``: its subjects in the JSON, its three files beside it. Returns the
    files as the cache keeps them (their paths: the website links them, nobody holds their bytes),
    or their bytes where the cache could not keep them (a read-only checkout)."""
    cache.put(name, key, {"subjects": dict(subjects)}, dict(zip(urls.NEWSLETTER_FILES, files, strict=True)))
    kept = tuple(cache.file(name, key, file) for file in urls.NEWSLETTER_FILES)
    if all(path.is_file() for path in kept):
        return kept[0], kept[1], kept[2]
    return files


def _fingerprint(made: Letter) -> str:
    """Every value of a letter (its issue by its id and date: the rest of the issue is in the letter)."""
    values = {field.name: getattr(made, field.name) for field in dataclasses.fields(made) if field.name != "issue"}
    values["issue"] = [made.issue.id, made.issue.year, made.issue.number, made.issue.date]
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=_plain)


def _plain(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    return str(value)


def letter(content: Content, issue: Issue, downloads: Sequence[tuple[str, str]] = (),
           subject_for: Callable[[Notice], str] = lambda notice: subject_of(notice.body)) -> Letter:
    settings = content.site.newsletter
    assert settings is not None
    site, base, links = content.site, content.site.base_url, content.links
    label = site.gazette.label(issue.year, issue.number)
    gazette = site.gazette.title.get(LANGUAGE)
    sections = []
    for category in site.categories:
        notices = [n for n in issue.notices if n.category == category.slug]
        if notices:
            sections.append(Section(category.name.get(LANGUAGE), tuple(
                Item(title=one_line(n.title), agency=one_line("、".join(a.name.get(LANGUAGE) for a in links.agencies_of(n))),  # joint: every agency
                     doc_number=one_line("、".join(n.doc_numbers)),
                     subject=subject_for(n), url=urls.absolute(base, urls.notice(n)),
                     page=urls.notice(n)) for n in notices)))
    subject = one_line(settings.subject.format(gazette=gazette, issue=label, date=roc_date(issue.date), count=len(issue.notices)))
    contact = site.contact
    return Letter(
        issue=issue, name=one_line(settings.name.get(LANGUAGE)), gazette=one_line(gazette), label=one_line(label),
        date=roc_date(issue.date), subject=subject, title=one_line(issue.title) if issue.title else None,
        count=len(issue.notices), sections=tuple(sections),
        downloads=tuple((one_line(name), urls.absolute(base, page), page) for name, page in downloads),
        web_url=urls.absolute(base, urls.newsletter(issue)), issue_url=urls.absolute(base, urls.issue(issue)),
        subscribe_url=urls.absolute(base, urls.subscribe()),
        contact=one_line(str(WORDS["contact"]).format(name=contact.name, phone=contact.phone.national, email=contact.email)),
        join=one_line(settings.join.get(LANGUAGE)), join_url=settings.join_url,
        unsubscribe_url=settings.unsubscribe, settings=settings)


def subject_of(body: str) -> str:
    """A notice's subject in one line: its 主旨 (what follows "主旨：" up to the end of the sentence)
    if it states one, else its first sentence; at most :data:`SUBJECT_LENGTH` characters."""
    # only the first blocks are read: the subject is in them, and a long body (a table of a hundred
    # rows) would cost the build tens of milliseconds a notice to render whole
    head = "\n\n".join(body.strip().split("\n\n")[:3])
    text = summary(head, limit=10 * SUBJECT_LENGTH)
    text = text.removeprefix("主旨：").removeprefix("主旨:").strip()
    end = text.find("。")
    if end != -1:
        text = text[:end + 1]
    return text if len(text) <= SUBJECT_LENGTH else text[:SUBJECT_LENGTH - 1] + "…"


# -- the two parts ---------------------------------------------------------------------------------


def environment() -> jinja2.Environment:
    """The e-mail's templates: HTML autoescaped, the plain text not (it is text); undefined names an error."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                              autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def render(made: Letter, unsubscribe_url: str, templates: jinja2.Environment | None = None) -> tuple[str, str]:
    """The HTML part (styles inlined) and the plain-text part, with this unsubscribe link."""
    import css_inline

    templates = templates or environment()
    context = {"letter": made, "labels": WORDS, "unsubscribe_url": unsubscribe_url, "width": WIDTH}
    html = templates.get_template("email.html").render(**context)
    # The rules in @media (dark mode, narrow screens) cannot be inlined: they stay in a <style>.
    inlined = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False).inline(html)
    text = templates.get_template("email.txt").render(**context)
    return inlined, text


# -- the message -----------------------------------------------------------------------------------


def message(made: Letter, html: str, text: str, unsubscribe: str, to: str | None = None) -> bytes:
    """The MIME message of the letter's two parts (made by :func:`render` with ``unsubscribe``), to
    ``to`` (no To header without it: the list's copy, as published). Same arguments, same bytes."""
    settings = made.settings
    digest = hashlib.sha256("\0".join([made.subject, html, text, to or ""]).encode("utf-8")).hexdigest()
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = Address(display_name=one_line(settings.sender.name), addr_spec=settings.sender.email)
    if to is not None:
        msg["To"] = Address(addr_spec=to)
    msg["Subject"] = made.subject
    msg["Date"] = format_datetime(dt.datetime.combine(made.issue.date, dt.time(), tzinfo=TAIPEI))
    # short enough not to be folded (a folded Message-ID reads back with a leading space in some parsers)
    domain = settings.sender.email.rpartition("@")[2]
    msg["Message-ID"] = f"<gazette-{made.issue.year}-{made.issue.number:02d}.{digest[:16]}@{domain}>"
    msg["List-Id"] = f"{made.name} <{settings.list_id}>"
    msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["List-Archive"] = f"<{made.subscribe_url}>"
    msg["Content-Language"] = LANGUAGE
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    msg.set_boundary(f"=_jiahe_{digest[20:44]}")
    return msg.as_bytes()


def recipient_unsubscribe(settings: NewsletterSettings, address: str, key: bytes | None) -> str:
    """A subscriber's own unsubscribe link (``unsubscribe_recipient`` in site.yml): ``{address}``
    percent-encoded, ``{token}`` the HMAC-SHA256 of the address (lower case) under ``key``. Without
    ``unsubscribe_recipient``, the list's link."""
    template = settings.unsubscribe_recipient
    if template is None:
        return settings.unsubscribe
    token = hmac.new(key, address.lower().encode("utf-8"), hashlib.sha256).hexdigest() if key else None
    if "{token}" in template and token is None:
        raise ValueError("no key for {token}")
    return template.format(address=urllib.parse.quote(address, safe=""), token=token or "")


def for_recipient(made: Letter, address: str, unsubscribe_url: str, templates: jinja2.Environment | None = None) -> bytes:
    """The message for one subscriber: their address in To, their own unsubscribe link in the foot and
    in List-Unsubscribe."""
    html, text = render(made, unsubscribe_url, templates)
    return message(made, html, text, unsubscribe_url, to=address)
