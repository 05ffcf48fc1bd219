"""Pages of the phone directory: the overview with its filter, one page per agency, recent changes.

The overview holds every entry, grouped as ``directory_groups`` in site.yml lists them, so that it
is the whole phone book without JavaScript (readable, printable) and the filter
(``themes/material/assets/javascripts/directory-filter.js``) only hides rows. Each row carries the digits of its
numbers in ``data-tel``, so that the filter matches any part of a number whatever punctuation the
reader types.

The pages are laid out by templates/directory/; the words are in generator/labels/directory.yml.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator import urls
from generator.labels import labels
from generator.markup.markdown import Page, page
from generator.model import Agency, Contact, Content, Notice, Phone, Unit
from generator.model.common import DEFAULT_LANGUAGE, EXTENSION_LABEL
from generator.model.directory import Entry
from generator.outputs import search
from generator.outputs.directory_files import DOWNLOADS, ordered
from generator.reading.history import NOTES, WINDOW, Change, ChangeRecord, Version
from generator.dates import TAIPEI
from generator.outputs.opendata.packages import published_update
from generator.website.pages import dated
from generator.website.pages.gazette_lists import notices_by_agency
from generator.website.templating import Templates

LABELS = labels("directory", DEFAULT_LANGUAGE)  # the directory is published in Chinese

Table = list[tuple[Unit | None, list["Row"]]]  # row groups: a unit's starts with its heading


def pages(content: Content, record: ChangeRecord, templates: Templates | None = None) -> Iterator[Page]:
    """The overview, the recent changes and one page per agency."""
    templates = templates or Templates()
    yield overview(content, record, templates)
    yield changes_page(content, record, templates)
    issued = notices_by_agency(content)
    for agency in content.directory.agencies:
        yield agency_page(content, agency, record, templates, issued.get(agency.id, ()))


def _render(templates: Templates, name: str, source: str, record: ChangeRecord, **context: object) -> str:
    """A directory template, with what every directory page knows: the labels, the change record and
    why it has no dates (if so)."""
    unrecorded = NOTES[record.note][1] if record.note else "—"
    return templates.render(name, source, labels=LABELS, record=record, unrecorded=unrecorded, **context)


# -- rows of numbers, shared by the overview and the agency pages -----------------------------------

@dataclass(frozen=True, kw_only=True)
class Row:
    """One row of a table of numbers: who (a contact's role, then title and name; or what the number
    is: 總機, 傳真, …), the number to call or the fax number, the e-mail address, and the digits the
    filter matches."""

    who: str
    role: str | None = None
    phone: Phone | None = None
    fax: Phone | None = None
    email: str | None = None
    digits: str = ""


def tel_digits(*phones: Phone | None) -> str:
    """What the filter matches a typed number against: local digits, with the extension, and E.164."""
    found: list[str] = []
    for phone in filter(None, phones):
        found += [phone.digits, phone.e164.lstrip("+")] + ([phone.digits + phone.extension] if phone.extension else [])
    return " ".join(dict.fromkeys(found))


def contact_row(contact: Contact) -> Row:
    who = " ".join(part for part in (contact.title, contact.name) if part)
    return Row(who=who, role=contact.role, phone=contact.number, email=contact.email, digits=tel_digits(contact.number))


def number_rows(phone: Phone | None, fax: Phone | None, email: str | None, label: str) -> list[Row]:
    """The rows of an agency's or a unit's own numbers: ``label`` names its phone number."""
    rows = []
    if phone or email:
        rows.append(Row(who=label if phone else LABELS["email"], phone=phone, email=email, digits=tel_digits(phone)))
    if fax:
        rows.append(Row(who=LABELS["fax"], fax=fax, digits=tel_digits(fax)))
    return rows


def unit_rows(unit: Unit) -> list[Row]:
    """A unit's own numbers, then its contacts."""
    return number_rows(unit.phone, unit.fax, unit.email, LABELS["unit_phone"]) + [contact_row(c) for c in unit.contacts]


def agency_table(agency: Agency) -> Table:
    """All the numbers of an agency on the overview: its own and its contacts', then each unit's."""
    own = number_rows(agency.phone, agency.fax, agency.email, LABELS["switchboard"]) + [contact_row(c) for c in agency.contacts]
    return [(None, own)] + [(unit, unit_rows(unit)) for unit in agency.units]


# -- the pages --------------------------------------------------------------------------------------

def overview(content: Content, record: ChangeRecord, templates: Templates) -> Page:
    """Every agency with all its numbers, by group; the downloads; the filter."""
    source = urls.directory_home()
    agencies = ordered(content)
    groups = [(group, [agency for agency in agencies if agency.group == group.slug]) for group in content.site.directory_groups]
    # An agency under a parent of another group says so (the parent is not above it on the page).
    parents = {agency.id: parent for agency in agencies
               if agency.parent and (parent := content.links.agencies.get(agency.parent)) and parent.group != agency.group}
    body = _render(templates, "directory/overview.md", source, record, agencies=agencies,
                   units=sum(len(agency.units) for agency in agencies),
                   contacts=sum(len(agency.contacts) + sum(len(unit.contacts) for unit in agency.units) for agency in agencies),
                   downloads=DOWNLOADS, groups=[(group, members) for group, members in groups if members], parents=parents,
                   tables={agency.id: agency_table(agency) for agency in agencies})
    return Page(source, page(LABELS["title"], body, **dated.meta(published_update(record))))


def agency_page(content: Content, agency: Agency, record: ChangeRecord, templates: Templates,
                issued: Sequence[Notice] | None = None) -> Page:
    """One agency: when it last changed, its details, its own contacts, then each unit. ``issued``:
    its notices (:func:`notices_by_agency`; found in the gazette when not given)."""
    source = urls.agency(agency)
    if issued is None:
        issued = notices_by_agency(content).get(agency.id, [])
    body = _render(templates, "directory/agency.md", source, record, agency=agency,
                   updated=record.last_changed(agency.id), pending=agency.id in record.pending,
                   parent=content.links.agencies.get(agency.parent) if agency.parent else None,
                   children=content.links.children.get(agency.id, ()), vcard=DOWNLOADS[-1][1],
                   contacts=[contact_row(c) for c in agency.contacts],
                   units=[(unit, unit_rows(unit)) for unit in agency.units],
                   notices=len(issued),  # joint notices too
                   trail=[(LABELS["title"], urls.directory_home()), *((a.name.zh_hant, urls.agency(a)) for a in ancestors(content, agency))])
    indexed = search.entry(DEFAULT_LANGUAGE, "directory", meta={"agency": agency.name.zh_hant, "phone": agency.phone.national})
    # its own last committed change (the directory's, if it has none or one not committed yet); its
    # notices are counted on it, so the newest issue with one dates it too
    changed = record.last_changed(agency.id) if agency.id not in record.pending else None
    own = changed.astimezone(TAIPEI).date() if changed else published_update(record)
    day = max(filter(None, [own, dated.issues(content.links.issue_of(notice) for notice in issued)]), default=None)
    return Page(source, page(agency.name.zh_hant, body, search=indexed, **dated.meta(day)))


def ancestors(content: Content, agency: Agency) -> list[Agency]:
    """The agencies above this one, the topmost first (the breadcrumbs' trail)."""
    chain: list[Agency] = []
    current = content.links.agencies.get(agency.parent) if agency.parent else None
    while current is not None and current not in chain and len(chain) < 32:
        chain.insert(0, current)
        current = content.links.agencies.get(current.parent) if current.parent else None
    return chain


def changes_page(content: Content, record: ChangeRecord, templates: Templates) -> Page:
    """The change record, newest version first, grouped by agency."""
    source = urls.directory_changes()
    body = _render(templates, "directory/changes.md", source, record, window=WINDOW,
                   versions=[(version, by_agency(content, version)) for version in record.versions], describe=describe)
    return Page(source, page(LABELS["changes_title"], body, **dated.meta(published_update(record))))


def by_agency(content: Content, version: Version) -> list[tuple[str, Agency | None, list[Change]]]:
    """A version's changes by agency, in the order of the record: the agency's name as the record
    gives it, the agency if it still exists, its changes."""
    agency_ids = dict.fromkeys(change.entry.agency_id for change in version.changes)
    found = []
    for agency_id in agency_ids:
        changes = [change for change in version.changes if change.entry.agency_id == agency_id]
        found.append((changes[0].entry.agency or agency_id, content.links.agencies.get(agency_id), changes))
    return found


def describe(entry: Entry) -> str:
    """An entry in a few words: 運輸管理科 科長 張怡萱 (05)225-4321 分機3521."""
    if entry.kind in ("agency", "unit"):
        parts = [entry.name, LABELS["kind_note"].format(kind=LABELS["kinds"][entry.kind])]
    else:
        parts = [entry.unit, entry.role, entry.title, entry.name]
    phone = entry.phone + (f" {EXTENSION_LABEL}{entry.extension}" if entry.extension else "")
    return " ".join(part for part in parts + [phone] if part)
