"""The phone directory (電話號碼表): agencies, their units and contacts."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from ..errors import Source
from ..schema import ListType, StructType, TextType, key, where_field
from .common import BILINGUAL, EMAIL, LOCALIZED, PHONE, SLUG, URL, Bilingual, Localized, Phone

EXTENSION = TextType(r"\d{1,6}", "is not an extension: write 1 to 6 digits")


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A person or a role to call. At least one of ``name`` and ``role``."""

    name: str | None = key(TextType())
    role: str | None = key(TextType())
    title: str | None = key(TextType())
    phone: Phone = key(PHONE, required=True)
    ext: str | None = key(EXTENSION)
    email: str | None = key(EMAIL)
    where: MappingProxyType = where_field()

    @property
    def extension(self) -> str | None:
        return self.ext or self.phone.extension


@dataclass(frozen=True, kw_only=True, slots=True)
class Unit:
    id: str = key(SLUG, required=True)
    name: Localized = key(LOCALIZED, required=True)
    phone: Phone | None = key(PHONE)
    fax: Phone | None = key(PHONE)
    email: str | None = key(EMAIL)
    location: str | None = key(TextType())
    contacts: tuple[Contact, ...] = key(ListType(StructType(Contact)), default=())
    where: MappingProxyType = where_field()


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
    where: MappingProxyType = where_field()
    id: str  # the file name
    source: Source


@dataclass(frozen=True, kw_only=True, slots=True)
class Directory:
    agencies: tuple[Agency, ...] = ()  # by id

    def agency(self, agency_id: str) -> Agency | None:
        return next((a for a in self.agencies if a.id == agency_id), None)
