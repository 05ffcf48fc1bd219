"""Rules across the phone directory's files: groups and parents, unit and contact identities, and
what a phone number can be used for (a fax, an extension, a number shared by two units).

The value of each number was already checked when it was read (:func:`generator.model.common.parse_phone`:
a Taiwan landline with a real area code, a mobile or a toll-free number); these rules look at numbers
in their place.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from pathlib import Path

from generator import urls
from generator.errors import Kind, Problem, Source
from generator.model import Agency, Content, Phone
from generator.model.directory import Contact, Unit, unit_entry_id
from generator.model.schema import hint


def directory_rules(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
    """Every cross-file problem of the directory."""
    yield from agency_rules(content, present)
    for agency in content.directory.agencies:
        for _unit, contacts in _owners(agency):
            yield from contact_rules(contacts)
    yield from number_rules(content)
    yield from shared_numbers(content)


def _owners(agency: Agency) -> Iterator[tuple[Unit | None, tuple[Contact, ...]]]:
    """The agency's own contacts (unit None), then each unit's."""
    yield None, agency.contacts
    for unit in agency.units:
        yield unit, unit.contacts


def _owner_name(agency: Agency, unit: Unit | None) -> str:
    return unit_entry_id(agency.id, unit.id) if unit else agency.id


def agency_rules(content: Content, present: AbstractSet[str]) -> Iterator[Problem]:
    """Known group and parent, no cycle of parents, ids that do not take a page's address, unique unit ids."""
    agencies = content.links.agencies
    groups = list(content.links.groups)
    for agency in content.directory.agencies:
        if agency.id in urls.DIRECTORY_RESERVED:
            yield Problem.of(Kind.BAD_NAME, agency.source, what="agency file", name=f"{agency.id}.yml",
                             rule=f"{urls.url(urls.agency(agency))} is the address of another page; choose another id")
        if agency.group not in groups:
            yield Problem.of(Kind.UNKNOWN_REFERENCE, agency.where["group"], what="group", value=agency.group,
                             hint=hint(agency.group, groups) or f" (one of {', '.join(groups)})")
        if agency.parent is not None and agency.parent not in agencies and f"agency:{agency.parent}" not in present:
            yield Problem.of(Kind.UNKNOWN_REFERENCE, agency.where["parent"], what="parent agency", value=agency.parent,
                             hint=hint(agency.parent, agencies) or " in content/directory/")
        elif agency.parent is not None and _in_cycle(agency.id, agencies):
            yield Problem.of(Kind.BAD_VALUE, agency.where["parent"], key="parent", reason="agencies are each other's parents")
        unit_ids: dict[str, Source] = {}
        for unit in agency.units:
            if unit.id in unit_ids:
                yield Problem.of(Kind.DUPLICATE, unit.where["id"], what="unit id", value=unit.id, first=unit_ids[unit.id])
            unit_ids.setdefault(unit.id, unit.where["id"])


def _in_cycle(start: str, agencies: Mapping[str, Agency]) -> bool:
    seen: set[str] = set()
    current: str | None = start
    while current is not None and current in agencies:
        if current in seen:
            return True
        seen.add(current)
        current = agencies[current].parent
    return False


def contact_rules(contacts: tuple[Contact, ...]) -> Iterator[Problem]:
    """A contact has a name or a role, which no other contact of its unit has (it is how the change
    record tells contacts apart), and its extension is given once."""
    keys: dict[str, Source] = {}
    for contact in contacts:
        if not (contact.name or contact.role):
            yield Problem.of(Kind.MISSING_KEY, contact.where[""], key="name' or 'role", context=" in this contact")
            continue
        where = contact.where["name" if contact.name else "role"]
        if contact.key in keys:
            yield Problem.of(Kind.DUPLICATE, where, what="contact", value=contact.key, first=keys[contact.key])
        keys.setdefault(contact.key, where)
        if contact.ext and contact.phone.extension:
            yield Problem.of(Kind.BAD_VALUE, contact.where["ext"], key="ext",
                             reason=f"the phone number already has extension {contact.phone.extension}")


def _numbers(agency: Agency) -> Iterator[tuple[Phone, Source, bool]]:
    """Every number of an agency with its place and whether it is a fax."""
    yield agency.phone, agency.where["phone"], False
    if agency.fax:
        yield agency.fax, agency.where["fax"], True
    for unit, contacts in _owners(agency):
        if unit and unit.phone:
            yield unit.phone, unit.where["phone"], False
        if unit and unit.fax:
            yield unit.fax, unit.where["fax"], True
        for contact in contacts:
            yield contact.number, contact.where["ext" if contact.ext else "phone"], False


def number_rules(content: Content) -> Iterator[Problem]:
    """A fax is a landline without extension; a mobile has no extension; a toll-free one rarely has."""
    for agency in content.directory.agencies:
        for phone, where, fax in _numbers(agency):
            if fax and phone.kind != "landline":
                yield Problem.of(Kind.BAD_FAX, where, value=phone.number, sort=phone.kind)
            elif fax and phone.extension:
                yield Problem.of(Kind.BAD_EXTENSION, where, value=phone.national, sort="fax",
                                 reason="a fax machine cannot dial an extension; give the fax line's own number")
            elif phone.extension and phone.kind == "mobile":
                yield Problem.of(Kind.BAD_EXTENSION, where, value=phone.national, sort="mobile",
                                 reason="mobile phones have no extensions")
            elif phone.extension and phone.kind == "toll-free":
                yield Problem.of(Kind.TOLL_FREE_EXTENSION, where, value=phone.national)


def shared_numbers(content: Content) -> Iterator[Problem]:
    """The same number (and extension) for two different units, or for a unit and its agency, is
    probably a copy left unchanged. An agency's main number without extension (the switchboard)
    may be given for anyone; faxes are often shared, and are not compared."""
    switchboards = {agency.phone.e164 for agency in content.directory.agencies if not agency.phone.extension}
    first: dict[tuple[str, str | None], tuple[str, Source]] = {}
    for agency in content.directory.agencies:
        for unit, contacts in _owners(agency):
            owner = _owner_name(agency, unit)
            numbers = [(unit.phone, unit.where["phone"])] if unit and unit.phone else []
            numbers += [(contact.number, contact.where["phone"]) for contact in contacts]
            for phone, where in numbers:
                number = (phone.e164, phone.extension)
                if phone.extension is None and phone.e164 in switchboards:
                    continue
                if number in first and first[number][0] != owner:
                    yield Problem.of(Kind.SHARED_NUMBER, where, value=phone.national, other=first[number][0],
                                     first=first[number][1])
                first.setdefault(number, (owner, where))
