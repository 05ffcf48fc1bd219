"""Value types shared by every publication: localized text, phone numbers, e-mail, web addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

import phonenumbers
from yaml.nodes import Node

from generator.errors import Kind
from generator.model.schema import FORMATTED, Invalid, Reader, StructType, TextType, Type, Where, key, where_field

#: The site's languages: the default (unprefixed URLs, the gazette, the directory), then English.
DEFAULT_LANGUAGE = "zh-Hant"
LANGUAGES = (DEFAULT_LANGUAGE, "en")
#: An id as content writes it (a file name, a slug, an agency's id): lowercase ASCII words joined by
#: hyphens. The one slug rule: the schema, file names, MapType keys and the open data's patterns use it.
SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_SLUG = re.compile(SLUG_PATTERN)
#: An image in Markdown: alt text (brackets nested one level deep at most), a target without brackets
#: or spaces, an optional title. No part can scan past the start of the next image, so a line of a
#: million '![' is read once. The one definition: check reads images with it, and the site and the
#: e-books rewrite the targets it finds (so every image rewritten has been checked).
IMAGE_LINK = re.compile(r"(?P<head>!\[(?P<alt>(?:[^\[\]]|\[[^\[\]]*\])*)\]\()(?P<target>[^()\[\]\s]+)"
                        r"(?P<tail>(?:\s+\"[^\"]*\")?\))")
#: A link target that starts with a URL scheme (``https:``, ``data:``): an address on the web, not a file in content.
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
#: How a list is written in one cell of a flat file (the open-data CSVs): no list item may contain it.
LIST_DELIMITER = ";"
#: What may be published as a file beside the pages, by suffix. A browser opening an .html, .xhtml
#: or .svg file from the site's own address would run any script in it there, as the site (stored
#: XSS), so such files are refused, not served: documents go out as PDF or office formats, images as
#: raster images. The open-data and e-book outputs are made by the build, never taken from content.
ATTACHMENT_TYPES = frozenset({".pdf", ".odt", ".ods", ".odp", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
                              ".csv", ".txt", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp"})
IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})

#: A number as content writes it (a statistics table's cells): ASCII digits, a decimal point, a
#: hyphen-minus; no thousands separators, no plus sign. The one definition of "a number" in content:
#: the tables' column types (site, e-books, open data) come from it (:func:`.yearbook.column_type`).
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
INTEGER = re.compile(r"-?[0-9]+")


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def is_slug(text: str) -> bool:
    """Whether ``text`` follows the slug rule (:data:`SLUG_PATTERN`)."""
    return _SLUG.fullmatch(text) is not None


@dataclass(frozen=True, kw_only=True, slots=True)
class Localized:
    """Text in Traditional Chinese, and optionally in English."""

    zh_hant: str = key(TextType(), required=True, name=DEFAULT_LANGUAGE)
    en: str | None = key(TextType())
    where: Where = where_field()

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Chinese where there is no English."""
        return (self.en or self.zh_hant) if language == "en" else self.zh_hant


@dataclass(frozen=True, kw_only=True, slots=True)
class Bilingual(Localized):
    """Text that must exist in both languages."""

    en: str = key(TextType(), required=True)


LOCALIZED = StructType(Localized)
BILINGUAL = StructType(Bilingual)
#: A file named in content, relative to the file naming it (checked to exist by the loader).
PATH = TextType(free=False)
SLUG = TextType(SLUG_PATTERN, "is not an id: use lowercase ASCII letters, digits and hyphens")
EMAIL = TextType(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", "is not an e-mail address")
URL = TextType(r"https?://[^\s/$.?#][^\s]*", "is not a web address starting with https:// or http://")

#: An extension as typed after a number or in a contact's ``ext``: 1 to 6 digits.
EXTENSION_PATTERN = r"\d{1,6}"
_EXTENSION = re.compile(r"^(?P<number>.*?)\s*(?P<label>分機|轉|ext\.?|x|#)\s*(?P<ext>[^\s].*)?$", re.IGNORECASE)

#: The word shown before an extension, as people write it: (02)2720-8889 分機123.
EXTENSION_LABEL = "分機"

#: Taiwan's area codes (with the trunk 0) and how many digits a local number has after each.
#: libphonenumber decides validity; this table only explains a refusal in words an editor knows.
AREA_CODES = MappingProxyType({
    "02": (8,), "03": (7,), "037": (6,), "04": (7, 8), "049": (7,), "05": (7,), "06": (7,), "07": (7,),
    "08": (7,), "082": (6,), "0826": (5,), "0836": (5,), "089": (6,),
})

_KINDS = MappingProxyType({
    phonenumbers.PhoneNumberType.FIXED_LINE: "landline",
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline",
    phonenumbers.PhoneNumberType.MOBILE: "mobile",
    phonenumbers.PhoneNumberType.TOLL_FREE: "toll-free",
})
_REFUSED = MappingProxyType({
    phonenumbers.PhoneNumberType.PREMIUM_RATE: "a premium-rate number",
    phonenumbers.PhoneNumberType.VOIP: "an internet (VoIP) number",
    phonenumbers.PhoneNumberType.PERSONAL_NUMBER: "a personal number",
    phonenumbers.PhoneNumberType.PAGER: "a pager number",
    phonenumbers.PhoneNumberType.SHARED_COST: "a shared-cost number",
    phonenumbers.PhoneNumberType.UAN: "a universal access number",
})


@dataclass(frozen=True, slots=True)
class Phone:
    """A Taiwan phone number as typed, its E.164 form, its extension and its kind
    (``landline``, ``mobile`` or ``toll-free``)."""

    raw: str
    e164: str
    extension: str | None = None
    kind: str = "landline"

    @property
    def tel_uri(self) -> str:
        """``tel:`` URI with the extension dialled after a pause (RFC 3966 has no better portable form)."""
        return f"tel:{self.e164}" + (f",{self.extension}" if self.extension else "")

    @property
    def digits(self) -> str:
        """The national number as digits only, with the trunk 0: ``052254321``."""
        return "0" + self.e164.removeprefix("+886")

    @property
    def number(self) -> str:
        """The local form people know, without the extension: (05)225-4321, 0912-345-678, 0800-012-345."""
        digits = self.digits
        if self.kind != "landline":
            return f"{digits[:4]}-{digits[4:7]}-{digits[7:]}"
        area = max((code for code in AREA_CODES if digits.startswith(code)), key=len, default=digits[:2])
        local = digits[len(area):]
        head = 4 if len(local) == 8 else 3 if len(local) in (6, 7) else 2
        return f"({area}){local[:head]}-{local[head:]}"

    @property
    def national(self) -> str:
        """The local form with the extension: (05)225-4321 分機301."""
        return self.number + (f" {EXTENSION_LABEL}{self.extension}" if self.extension else "")

    def with_extension(self, extension: str | None) -> Phone:
        """The same number reaching another extension (a contact's ``ext:``)."""
        return Phone(self.raw, self.e164, extension, self.kind)


def parse_phone(raw: str) -> Phone:
    """Parse a number as editors type it; raises ValueError with a reason for a person."""
    number, extension = raw, None
    if match := _EXTENSION.match(raw):
        number, extension = match["number"], match["ext"] or ""
        if not re.fullmatch(EXTENSION_PATTERN, extension):
            raise ValueError(f"the extension after '{match['label']}' must be 1 to 6 digits, e.g. (05)225-4321 分機 301")
    if not re.fullmatch(r"[\d\s()+\-]+", number):
        raise ValueError("use digits, spaces, hyphens and brackets, e.g. (05)225-4321 分機 301")
    try:
        parsed = phonenumbers.parse(number, "TW")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if parsed.country_code != 886:
        raise ValueError(f"+{parsed.country_code} is not Taiwan's country code (+886); the directory lists Taiwan numbers")
    if not phonenumbers.is_valid_number(parsed):
        raise ValueError(_why_invalid(number))
    number_type = phonenumbers.number_type(parsed)
    if number_type in _REFUSED:
        raise ValueError(f"it is {_REFUSED[number_type]}; list a landline, a mobile (09xx) or a toll-free number (0800, 0809)")
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    kind = _KINDS.get(number_type, "landline")
    if kind == "toll-free" and len(e164) != len("+886800123456"):  # libphonenumber also knows retired 9-digit ones
        raise ValueError(_why_invalid(number))
    return Phone(raw, e164, extension, kind)


def _why_invalid(typed: str) -> str:
    """Why libphonenumber refused a number, in the terms of Taiwan's numbering plan."""
    digits = re.sub(r"\D", "", typed)
    if typed.lstrip().startswith("+"):
        digits = "0" + digits.removeprefix("886")
    if not digits.startswith("0"):
        if len(digits) <= 5:
            return "short codes such as 1999 cannot be listed: give a number with its area code"
        return "start with the area code, e.g. (05)225-4321"
    if digits.startswith("09"):
        return f"a mobile number has 10 digits (09xx-xxx-xxx); this one has {len(digits)}"
    if digits.startswith("080"):
        return f"a toll-free number has 10 digits (0800-xxx-xxx); this one has {len(digits)}"
    area = max((code for code in AREA_CODES if digits.startswith(code)), key=len, default=None)
    if area is None:
        return f"({digits[:2]}) is not a Taiwan area code"
    lengths = AREA_CODES[area]
    local = len(digits) - len(area)
    if local not in lengths:
        expected = " or ".join(map(str, lengths))
        return f"a number with area code ({area}) has {expected} digits after it; this one has {local}"
    return f"no such number in area code ({area})"


class PhoneType(Type):
    expected = "a phone number"

    def convert(self, node: Node, reader: Reader, key: str) -> Phone:
        raw = FORMATTED.convert(node, reader, key)
        try:
            return parse_phone(raw)
        except ValueError as exc:
            raise Invalid(Kind.BAD_PHONE, node, value=raw, reason=str(exc)) from None


PHONE = PhoneType()
