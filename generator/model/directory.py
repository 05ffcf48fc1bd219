"""The phone directory (電話號碼表): agencies, their units and contacts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.errors import Source
from generator.model.schema import ListType, StructType, TextType, Where, key, where_field
from generator.model.common import (BILINGUAL, EMAIL, EXTENSION_PATTERN, LOCALIZED, PHONE, SLUG, URL, Bilingual, Localized,
                                    Phone)

EXTENSION = TextType(EXTENSION_PATTERN, "is not an extension: write 1 to 6 digits")


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A person or a role to call. At least one of ``name`` and ``role``."""

    name: str | None = key(TextType())
    role: str | None = key(TextType())
    title: str | None = key(TextType())
    phone: Phone = key(PHONE, required=True)
    ext: str | None = key(EXTENSION)
    email: str | None = key(EMAIL)
    where: Where = where_field()

    @property
    def extension(self) -> str | None:
        return self.ext or self.phone.extension

    @property
    def number(self) -> Phone:
        """The phone number with the extension, whether typed in ``phone`` or in ``ext``."""
        return self.phone.with_extension(self.extension)

    @property
    def key(self) -> str:
        """What tells this contact from the others of its unit: the name, or the role if it has none."""
        return self.name or self.role or ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Unit:
    id: str = key(SLUG, required=True)
    name: Localized = key(LOCALIZED, required=True)
    phone: Phone | None = key(PHONE)
    fax: Phone | None = key(PHONE)
    email: str | None = key(EMAIL)
    location: str | None = key(TextType())
    contacts: tuple[Contact, ...] = key(ListType(StructType(Contact)), default=())
    where: Where = where_field()


@dataclass(frozen=True, kw_only=True, slots=True)
class Agency:
    name: Bilingual = key(BILINGUAL, required=True)
    short_name: Localized | None = key(LOCALIZED)
    parent: str | None = key(SLUG)
    group: str = key(SLUG, required=True)
    address: str = key(TextType(), required=True)
    phone: Phone = key(PHONE, required=True)
    fax: Phone | None = key(PHONE)
    email: str | None = key(EMAIL)
    website: str | None = key(URL)
    hours: str | None = key(TextType())
    units: tuple[Unit, ...] = key(ListType(StructType(Unit)), default=())
    contacts: tuple[Contact, ...] = key(ListType(StructType(Contact)), default=())
    where: Where = where_field()
    id: str  # the file name
    source: Source


@dataclass(frozen=True, kw_only=True, slots=True)
class Directory:
    agencies: tuple[Agency, ...] = ()  # by id
    #: The agencies by id, and the agencies under each (by id; () for none): indexed once, when the
    #: directory is made. Outputs read them as ``content.links.agencies`` and ``content.links.children``.
    by_id: Mapping[str, Agency] = field(init=False, repr=False, compare=False)
    children_of: Mapping[str, tuple[Agency, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        children: dict[str, list[Agency]] = {agency.id: [] for agency in self.agencies}
        for agency in self.agencies:
            if agency.parent:
                children.setdefault(agency.parent, []).append(agency)
        object.__setattr__(self, "by_id", MappingProxyType({agency.id: agency for agency in self.agencies}))
        object.__setattr__(self, "children_of", MappingProxyType(
            {parent: tuple(sorted(found, key=lambda a: a.id)) for parent, found in children.items()}))

    def in_order(self, groups: tuple[str, ...]) -> tuple[Agency, ...]:
        """Every agency in the order readers see them: by group (as ``groups`` lists them), and within
        a group each parent before its children, siblings by id."""
        roots = [a for a in self.agencies if a.parent is None or a.parent not in self.by_id]
        tree: list[Agency] = []
        seen: set[str] = set()

        def walk(agency: Agency) -> None:
            if agency.id not in seen:  # a cycle of parents is an error reported by validation
                seen.add(agency.id)
                tree.append(agency)
                for child in self.children_of[agency.id]:
                    walk(child)

        for root in roots:
            walk(root)
        tree += [a for a in self.agencies if a.id not in seen]
        rank = {slug: index for index, slug in enumerate(groups)}
        return tuple(sorted(tree, key=lambda a: rank.get(a.group, len(rank))))  # stable: tree order within a group


@dataclass(frozen=True, kw_only=True, slots=True)
class Entry:
    """One line of the directory, flattened: an agency, a unit or a contact.

    The downloads are made of entries, and changes between two versions of the directory are found
    by comparing the entries with the same ``id``: ``agency``, ``agency/unit`` or
    ``agency/unit/name-or-role`` (``agency//name-or-role`` for a contact of the agency itself).
    Absent values are empty strings. ``agency`` and ``unit`` name where the entry belongs, to help a
    reader of one line; they are not the entry's own data (see :data:`COMPARED`).
    """

    id: str
    kind: str  # agency, unit or contact
    agency_id: str
    unit_id: str = ""
    agency: str = ""
    unit: str = ""
    name: str = ""
    name_en: str = ""
    short_name: str = ""
    short_name_en: str = ""
    role: str = ""
    title: str = ""
    phone: str = ""  # the local form, (05)225-4321, without the extension
    extension: str = ""
    phone_e164: str = ""
    fax: str = ""
    fax_e164: str = ""
    email: str = ""
    address: str = ""
    location: str = ""
    website: str = ""
    hours: str = ""
    parent_id: str = ""
    group: str = ""

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in COLUMNS}


#: The columns of the downloads, in order.
COLUMNS: tuple[str, ...] = tuple(Entry.__dataclass_fields__)
#: What a change is made of: the entry's own data, less what derives from another column (the E.164
#: forms) and where it belongs (the names of its agency and unit, which change on their own line).
COMPARED: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("id", "kind", "agency_id", "unit_id", "agency", "unit",
                                                                  "phone_e164", "fax_e164"))


def _phone(phone: Phone | None) -> dict[str, str]:
    if phone is None:
        return {}
    return {"phone": phone.number, "extension": phone.extension or "", "phone_e164": phone.e164}


def _fax(fax: Phone | None) -> dict[str, str]:
    return {"fax": fax.number, "fax_e164": fax.e164} if fax else {}


def unit_entry_id(agency_id: str, unit_id: str) -> str:
    """A unit's entry id, ``agency/unit`` (see :class:`Entry`)."""
    return f"{agency_id}/{unit_id}"


def _contact(agency: Agency, unit: Unit | None, contact: Contact) -> Entry:
    unit_id = unit.id if unit else ""
    return Entry(id=f"{unit_entry_id(agency.id, unit_id)}/{contact.key}", kind="contact", agency_id=agency.id, unit_id=unit_id,
                 agency=agency.name.zh_hant, unit=unit.name.zh_hant if unit else "", name=contact.name or "",
                 role=contact.role or "", title=contact.title or "", email=contact.email or "", **_phone(contact.number))


def agency_entries(agency: Agency) -> Iterator[Entry]:
    """The agency's own line, its contacts, then each unit followed by the unit's contacts."""
    short = agency.short_name
    yield Entry(id=agency.id, kind="agency", agency_id=agency.id, agency=agency.name.zh_hant,
                name=agency.name.zh_hant, name_en=agency.name.en, short_name=short.zh_hant if short else "",
                short_name_en=(short.en or "") if short else "", email=agency.email or "", address=agency.address,
                website=agency.website or "", hours=agency.hours or "", parent_id=agency.parent or "",
                group=agency.group, **_phone(agency.phone), **_fax(agency.fax))
    for contact in agency.contacts:
        yield _contact(agency, None, contact)
    for unit in agency.units:
        yield Entry(id=unit_entry_id(agency.id, unit.id), kind="unit", agency_id=agency.id, unit_id=unit.id,
                    agency=agency.name.zh_hant, unit=unit.name.zh_hant, name=unit.name.zh_hant, name_en=unit.name.en or "",
                    email=unit.email or "", location=unit.location or "", **_phone(unit.phone), **_fax(unit.fax))
        for contact in unit.contacts:
            yield _contact(agency, unit, contact)


def entries(agencies: tuple[Agency, ...]) -> tuple[Entry, ...]:
    """Every entry of these agencies, in their order."""
    return tuple(entry for agency in agencies for entry in agency_entries(agency))
