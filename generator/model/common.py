"""Value types shared by every publication: localized text, phone numbers, e-mail, web addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

import phonenumbers
from yaml.nodes import Node

from ..errors import Kind
from ..schema import Invalid, Reader, StructType, TextType, Type, key, where_field

LANGUAGES = ("zh-Hant", "en")  # the site's languages; the first is the default


@dataclass(frozen=True, kw_only=True, slots=True)
class Localized:
    """Text in Traditional Chinese, and optionally in English."""

    zh_hant: str = key(TextType(), required=True, name="zh-Hant")
    en: str | None = key(TextType())
    where: MappingProxyType = where_field()

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Chinese where there is no English."""
        return (self.en or self.zh_hant) if language == "en" else self.zh_hant


@dataclass(frozen=True, kw_only=True, slots=True)
class Bilingual(Localized):
    """Text that must exist in both languages."""

    en: str = key(TextType(), required=True)


LOCALIZED = StructType(Localized)
BILINGUAL = StructType(Bilingual)
SLUG = TextType(r"[a-z0-9]+(?:-[a-z0-9]+)*", "is not an id: use lowercase ASCII letters, digits and hyphens")
EMAIL = TextType(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", "is not an e-mail address")
URL = TextType(r"https?://[^\s/$.?#][^\s]*", "is not a web address starting with https:// or http://")

_EXTENSION = re.compile(r"^(?P<number>.*?)\s*(?:分機|轉|ext\.?|x|#)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Phone:
    """A Taiwan phone number as typed, its E.164 form and its extension."""

    raw: str
    e164: str
    extension: str | None = None

    @property
    def tel_uri(self) -> str:
        """``tel:`` URI with the extension dialled after a pause (RFC 3966 has no better portable form)."""
        return f"tel:{self.e164}" + (f",{self.extension}" if self.extension else "")

    @property
    def national(self) -> str:
        """The local form people know, e.g. (05)225-4321 分機 301."""
        number = phonenumbers.parse(self.e164)
        digits = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        area, _, rest = digits.partition(" ")
        local = rest.replace(" ", "-") if area.startswith(("09", "080")) else rest.replace(" ", "")
        if not area.startswith(("09", "080")):
            local = f"{local[:-4]}-{local[-4:]}"
            text = f"({area}){local}"
        else:
            text = f"{area}-{local}"
        return text + (f" 分機 {self.extension}" if self.extension else "")


def parse_phone(raw: str) -> Phone:
    """Parse a number as editors type it; raises ValueError with a reason for a person."""
    number, extension = raw, None
    if match := _EXTENSION.match(raw):
        number, extension = match["number"], match["ext"]
    if not re.fullmatch(r"[\d\s()+\-]+", number):
        raise ValueError("use digits, spaces, hyphens and brackets, e.g. (05)225-4321 分機 301")
    try:
        parsed = phonenumbers.parse(number, "TW")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError("no such area code or wrong number of digits")
    return Phone(raw, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), extension)


class PhoneType(Type):
    expected = "a phone number"

    def convert(self, node: Node, reader: Reader, key: str) -> Phone:
        raw = TextType().convert(node, reader, key)
        try:
            return parse_phone(raw)
        except ValueError as exc:
            raise Invalid(Kind.BAD_PHONE, node, value=raw, reason=str(exc)) from None


PHONE = PhoneType()
