"""Pages of the phone directory: the overview with its filter, one page per agency, recent changes.

The overview holds every entry, grouped as ``directory_groups`` in site.yml lists them, so that it
is the whole phone book without JavaScript (readable, printable) and the filter
(``themes/material/assets/javascripts/directory-filter.js``) only hides rows. Each row carries the digits of its
numbers in ``data-tel``, so that the filter matches any part of a number whatever punctuation the
reader types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator import urls
from generator.dates import roc_date
from generator.reading.history import NOTES, TAIPEI, WINDOW, Change, ChangeRecord, Version
from generator.model import Agency, Contact, Content, Phone, Unit
from generator.model.common import EXTENSION_LABEL
from generator.model.directory import Entry
from generator.outputs.directory_files import COLUMN_LABELS, DOWNLOADS, TITLE, ordered
from generator.outputs import search
from generator.markup.markdown import Page, esc, link, page

LABELS = {
    "switchboard": "總機", "fax": "傳真", "unit_phone": "單位電話", "contact": "聯絡人", "phone": "電話",
    "email": "電子郵件", "parent": "上級機關", "children": "所屬機關", "address": "地址", "website": "網站",
    "hours": "服務時間", "location": "位置", "vcard": "通訊錄", "agency_contacts": "機關窗口",
    "updated": "最後更新", "changes": "異動紀錄", "downloads": "下載", "pending": "含尚未提交的變更",
    "filter": "篩選", "filter_hint": "輸入機關、單位、姓名、業務或電話號碼的任何部分",
    "filter_example": "例：運輸管理科、2254321",
    "added": "新增", "removed": "刪除", "changed": "異動", "unpublished": "尚未提交的變更（預覽）",
}


def pages(content: Content, record: ChangeRecord) -> Iterator[Page]:
    """The overview, the recent changes and one page per agency."""
    yield overview(content, record)
    yield changes_page(content, record)
    for agency in content.directory.agencies:
        yield agency_page(content, agency, record)


def time_html(when: dt.datetime | dt.date) -> str:
    """A date as readers read it (民國), in a ``<time>`` machines read."""
    day = when.astimezone(TAIPEI).date() if isinstance(when, dt.datetime) else when
    return f'<time datetime="{day.isoformat()}">{roc_date(day)}</time>'


def updated_html(when: dt.datetime | None, note: str | None) -> str:
    """最後更新：… with the date, or why there is none."""
    if when is None:
        return f"{LABELS['updated']}：無紀錄（{NOTES[note][1] if note else '—'}）"
    return f"{LABELS['updated']}：{time_html(when)}"


# -- rows of numbers, shared by the overview and the agency pages -----------------------------------

def tel_digits(*phones: Phone | None) -> str:
    """What the filter matches a typed number against: local digits, with the extension, and E.164."""
    found: list[str] = []
    for phone in filter(None, phones):
        found += [phone.digits, phone.e164.lstrip("+")] + ([phone.digits + phone.extension] if phone.extension else [])
    return " ".join(dict.fromkeys(found))


def phone_html(phone: Phone) -> str:
    """A ``tel:`` link in E.164 with the extension, shown in the local form: (05)225-4321 分機301."""
    return f'<a href="{esc(phone.tel_uri)}">{esc(phone.national)}</a>'


def email_html(email: str | None) -> str:
    """A ``mailto:`` link, or nothing."""
    return f'<a href="mailto:{esc(email)}">{esc(email)}</a>' if email else ""


def _row(who: str, phone: str, email: str, digits: str) -> str:
    return (f'<tr data-tel="{digits}"><th scope="row">{who}</th>'
            f'<td class="dir-phone">{phone}</td><td class="dir-email">{email}</td></tr>')


def contact_row(contact: Contact) -> str:
    """A contact's row: role above title and name, the number, the e-mail address."""
    who = " ".join(esc(part) for part in (contact.title, contact.name) if part)
    if contact.role:
        who = f'<span class="dir-role">{esc(contact.role)}</span> {who}'.strip()
    return _row(who, phone_html(contact.number), email_html(contact.email), tel_digits(contact.number))


def number_rows(phone: Phone | None, fax: Phone | None, email: str | None, label: str) -> list[str]:
    """The rows of an agency's or a unit's own numbers and address."""
    rows = []
    if phone or email:
        rows.append(_row(label if phone else LABELS["email"], phone_html(phone) if phone else "", email_html(email),
                         tel_digits(phone)))
    if fax:
        rows.append(_row(LABELS["fax"], esc(fax.national), "", tel_digits(fax)))
    return rows


def table(groups: list[list[str]]) -> str:
    """A table of rows in row groups (``<tbody>``); one line per row, no blank line (a raw HTML block)."""
    head = (f'<thead><tr><th scope="col">{LABELS["contact"]}</th><th scope="col">{LABELS["phone"]}</th>'
            f'<th scope="col">{LABELS["email"]}</th></tr></thead>')
    bodies = ["<tbody>\n" + "\n".join(rows) + "\n</tbody>" for rows in groups if rows]
    return "\n".join(['<table class="dir-table">', head, *bodies, "</table>"])


def unit_header(unit: Unit) -> str:
    """The row heading a unit's rows: its names and where it is."""
    name = esc(unit.name.zh_hant) + (f' <span lang="en" class="dir-en">{esc(unit.name.en)}</span>' if unit.name.en else "")
    where = f' <span class="dir-location">{esc(unit.location)}</span>' if unit.location else ""
    return f'<tr class="dir-unit"><th scope="rowgroup" colspan="3">{name}{where}</th></tr>'


def unit_rows(unit: Unit) -> list[str]:
    """A unit's own numbers, then its contacts."""
    return number_rows(unit.phone, unit.fax, unit.email, LABELS["unit_phone"]) + [contact_row(c) for c in unit.contacts]


# -- the overview -----------------------------------------------------------------------------------

def downloads_line(source: str, record: ChangeRecord) -> str:
    """Links to the downloads, each titled with what it is for, and the date of their data."""
    items = " · ".join(f'[{name}]({link(source, urls.directory_download(ext))} "{esc(about)}")' for ext, name, about in DOWNLOADS)
    return f"{LABELS['downloads']}：{items}（{updated_html(record.updated, record.note)}）"


def filter_box() -> str:
    """Where the script puts the filter: the page's sanitizer keeps no form controls, and without
    JavaScript a box could not work anyway. Its words come from here, as data attributes."""
    return (f'<div class="dir-filter" data-dir-filter data-label="{LABELS["filter"]}" data-hint="{LABELS["filter_hint"]}" '
            f'data-placeholder="{LABELS["filter_example"]}"></div>')


def overview(content: Content, record: ChangeRecord) -> Page:
    """Every agency with all its numbers, by group; the downloads; the filter."""
    source = urls.directory_home()
    agencies = ordered(content)
    units = sum(len(agency.units) for agency in agencies)
    contacts = sum(len(agency.contacts) + sum(len(unit.contacts) for unit in agency.units) for agency in agencies)
    lines = [f"{len(agencies)} 個機關、{units} 個單位、{contacts} 個聯絡窗口。{updated_html(record.updated, record.note)}"
             f"（[{LABELS['changes']}]({link(source, urls.directory_changes())})）", "",
             downloads_line(source, record), "", filter_box(), ""]
    for group in content.site.directory_groups:
        members = [agency for agency in agencies if agency.group == group.slug]
        if members:
            lines += ['<section class="dir-group" markdown>', "", f"## {esc(group.name.zh_hant)} {{ #group-{group.slug} }}", ""]
            for agency in members:
                lines += agency_block(content, source, agency)
            lines += ["</section>", ""]
    return Page(source, page(TITLE, "\n".join(lines)))


def agency_block(content: Content, source: str, agency: Agency) -> list[str]:
    """One agency on the overview: its name linking to its page, then all its numbers."""
    meta = [f'<span lang="en">{esc(agency.name.en)}</span>', esc(agency.address)]
    if agency.parent and (parent := content.directory.agency(agency.parent)) and parent.group != agency.group:
        meta.insert(0, f"{esc(parent.name.zh_hant)}所屬")
    groups = [number_rows(agency.phone, agency.fax, agency.email, LABELS["switchboard"])
              + [contact_row(c) for c in agency.contacts]]
    groups += [[unit_header(unit)] + unit_rows(unit) for unit in agency.units]
    return ['<section class="dir-agency" data-dir-agency markdown>', "",
            f"### [{esc(agency.name.zh_hant)}]({link(source, urls.agency(agency))}) {{ #{agency.id} }}", "",
            f'<p class="dir-meta">{" · ".join(meta)}</p>', "", table(groups), "", "</section>", ""]


# -- one agency -------------------------------------------------------------------------------------

def agency_page(content: Content, agency: Agency, record: ChangeRecord) -> Page:
    """One agency: when it last changed, its details, its own contacts, then each unit."""
    source = urls.agency(agency)
    when = record.last_changed(agency.id)
    pending = f"（{LABELS['pending']}）" if agency.id in record.pending else ""
    lines = [f'<p class="dir-lead"><span lang="en">{esc(agency.name.en)}</span></p>', "",
             f"{updated_html(when, record.note)}{pending} · [{LABELS['changes']}]({link(source, urls.directory_changes())})", "",
             "| 項目 | 內容 |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in facts(content, source, agency)]
    lines.append("")
    if agency.contacts:
        lines += [f"## {LABELS['agency_contacts']}", "", table([[contact_row(c) for c in agency.contacts]]), ""]
    for unit in agency.units:
        lines += [f"## {esc(unit.name.zh_hant)}", ""]
        if unit.location:
            lines += [f"{LABELS['location']}：{esc(unit.location)}", ""]
        lines += [table([unit_rows(unit)]), ""]
    indexed = search.entry("zh-Hant", "directory", meta={"agency": agency.name.zh_hant, "phone": agency.phone.national})
    return Page(source, page(agency.name.zh_hant, "\n".join(lines), search=indexed))


def facts(content: Content, source: str, agency: Agency) -> list[tuple[str, str]]:
    """The agency's own details, as rows of a two-column table."""
    def to(other: Agency) -> str:
        return f"[{esc(other.name.zh_hant)}]({link(source, urls.agency(other))})"

    rows = []
    if agency.parent and (parent := content.directory.agency(agency.parent)):
        rows.append((LABELS["parent"], to(parent)))
    if children := content.directory.children(agency.id):
        rows.append((LABELS["children"], "、".join(to(child) for child in children)))
    rows.append((LABELS["switchboard"], phone_html(agency.phone)))
    if agency.fax:
        rows.append((LABELS["fax"], esc(agency.fax.national)))
    rows.append((LABELS["address"], esc(agency.address)))
    if agency.email:
        rows.append((LABELS["email"], email_html(agency.email)))
    if agency.website:
        rows.append((LABELS["website"], f"<{agency.website}>"))
    if agency.hours:
        rows.append((LABELS["hours"], esc(agency.hours)))
    vcard = link(source, urls.agency_vcard(agency))
    rows.append((LABELS["vcard"], f"[vCard 4.0]({vcard})（{DOWNLOADS[-1][2]}）"))
    return rows


# -- recent changes ---------------------------------------------------------------------------------

def changes_page(content: Content, record: ChangeRecord) -> Page:
    """The change record, newest version first, grouped by agency."""
    source = urls.directory_changes()
    data = link(source, urls.directory_changes_data())
    lines = [f"電話號碼表最近 {WINDOW} 次更新所新增、刪除或異動的項目，依更新日期由新到舊排列。"
             f"{updated_html(record.updated, record.note)}。機器可讀的紀錄：[JSON]({data})。", ""]
    if record.note:
        lines += [f"尚無異動紀錄：{NOTES[record.note][1]}。", ""]
    elif not record.versions:
        lines += ["尚無異動紀錄。", ""]
    for version in record.versions:
        lines += version_section(content, source, version)
    if record.first:
        lines += [f"電話號碼表於{time_html(record.first.when)}首次發布，此前無紀錄。", ""]
    return Page(source, page(f"{TITLE}{LABELS['changes']}", "\n".join(lines)))


def version_section(content: Content, source: str, version: Version) -> list[str]:
    """One version: its date (or 尚未提交), then each agency's changes."""
    if version.published:
        lines = [f"## {time_html(version.when)} {{ #v-{version.commit[:10]} }}", ""]
    else:
        lines = [f"## {LABELS['unpublished']} {{ #unpublished }}", "", f"以{time_html(version.when)}建置時的內容為準。", ""]
    agency_ids = list(dict.fromkeys(change.entry.agency_id for change in version.changes))
    for agency_id in agency_ids:
        changes = [change for change in version.changes if change.entry.agency_id == agency_id]
        agency = content.directory.agency(agency_id)
        name = esc(changes[0].entry.agency or agency_id)
        lines += [f"### [{name}]({link(source, urls.agency(agency))})" if agency else f"### {name}", ""]
        lines += [f"- {change_line(change)}" for change in changes] + [""]
    return lines


def describe(entry: Entry) -> str:
    """An entry in a few words: 運輸管理科 科長 張怡萱 (05)225-4321 分機3521."""
    if entry.kind == "agency":
        parts = [entry.name, "（機關）"]
    elif entry.kind == "unit":
        parts = [entry.name, "（單位）"]
    else:
        parts = [entry.unit, entry.role, entry.title, entry.name]
    phone = entry.phone + (f" {EXTENSION_LABEL}{entry.extension}" if entry.extension else "")
    return esc(" ".join(part for part in parts + [phone] if part))


def change_line(change: Change) -> str:
    """新增／刪除／異動: the entry, and for a change each field before and after."""
    label = f"**{LABELS[change.change]}**：{describe(change.entry if change.change != 'changed' else change.before)}"
    if change.change != "changed":
        return label
    def shown(entry: Entry, name: str) -> str:
        return esc(getattr(entry, name) or "—")

    details = "；".join(f"{COLUMN_LABELS[name]} {shown(change.before, name)} → {shown(change.entry, name)}"
                       for name in change.fields)
    return f"{label}：{details}"
