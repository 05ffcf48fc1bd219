"""The catalogue of the data packages for open-data portals: ``data/catalog.csv`` with the dataset
metadata columns of data.gov.tw (one row per package), and ``data/catalog.jsonld``, a DCAT catalogue
(``dcat:Catalog`` of ``dcat:Dataset`` s, one ``dcat:Distribution`` per file) in JSON-LD; and
``data/SHA256SUMS`` of every data file (:func:`published`: everything the open data publishes).

Both catalogues are made from the packages as published (:mod:`.packages`): titles, descriptions and
the field dictionary from ``datasets/``, sizes and checksums from the files, dates from content.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from types import MappingProxyType

from generator import urls
from generator.model import Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.model.dataset import FREQUENCIES
from generator.spreadsheet import guard
from generator.outputs.opendata.packages import FORMATS, PROFILE, Package, sha256

#: The columns of catalog.csv: data.gov.tw's dataset metadata, in its order.
COLUMNS = (
    "資料集識別碼", "資料集名稱", "資料集描述", "主要欄位說明", "提供機關", "服務分類", "更新頻率", "授權方式",
    "授權說明網址", "計費方式", "檔案格式", "編碼格式", "資料下載網址", "相關網址", "提供機關聯絡人姓名",
    "提供機關聯絡人電話", "提供機關聯絡人電子郵件", "詮釋資料更新時間", "關鍵字", "資料量", "備註",
)
#: What a downloader pays: nothing (data.gov.tw's 計費方式).
FREE = "免費"
FREQUENCY_VOCABULARY = "http://purl.org/cld/freq/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CONTEXT = MappingProxyType({
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
})


def published(content: Content, packages: tuple[Package, ...]) -> tuple[tuple[str, bytes], ...]:
    """(uri, bytes) of every file the open data publishes: each package's files, the catalogue in
    both forms, and SHA256SUMS of all of them."""
    found = [item for package in packages for item in package.files()]
    found += files(content, packages)
    return (*found, (urls.data_checksums(), checksums(found)))


def checksums(files: list[tuple[str, bytes]]) -> bytes:
    """``sha256sum -c`` lines for every file, by path relative to data/."""
    prefix = urls.data_checksums().rsplit("/", 1)[0] + "/"
    return "".join(f"{sha256(data)}  {uri.removeprefix(prefix)}\n" for uri, data in sorted(files)).encode("utf-8")


def files(content: Content, packages: tuple[Package, ...]) -> Iterator[tuple[str, bytes]]:
    """(uri, bytes) of the catalogue in both forms."""
    yield urls.data_catalog("csv"), catalog_csv(content, packages)
    yield urls.data_catalog("jsonld"), (json.dumps(dcat(content, packages), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _absolute(content: Content, uri: str) -> str:
    return urls.absolute(content.site.base_url, uri)


def downloads(package: Package) -> list[tuple[str, str, bytes]]:
    """(format, uri, bytes) of every file of a package, the descriptor first."""
    return [(uri.rsplit(".", 1)[-1], uri, data) for uri, data in package.files()]


# -- data.gov.tw ------------------------------------------------------------------------------------

def field_summary(package: Package) -> str:
    """主要欄位說明: each resource's fields as ``title(name)``, resource by resource."""
    return "；".join(f"{r.title}：" + "、".join(f"{r.field_text(f)[0]}({f.name})" for f in r.table.fields)
                    for r in package.resources)


def catalog_row(content: Content, package: Package) -> dict[str, str]:
    dataset = package.dataset
    return {
        "資料集識別碼": package.name,
        "資料集名稱": dataset.title.zh_hant,
        "資料集描述": dataset.description.zh_hant,
        "主要欄位說明": field_summary(package),
        "提供機關": content.site.publisher.zh_hant,
        "服務分類": dataset.category,
        "更新頻率": dataset.frequency,
        "授權方式": package.licence.name.zh_hant,
        "授權說明網址": package.licence.url,
        "計費方式": FREE,
        "檔案格式": ";".join(fmt.upper() for fmt in FORMATS),
        "編碼格式": "UTF-8",
        "資料下載網址": ";".join(_absolute(content, uri) for _fmt, uri, _data in downloads(package)),
        "相關網址": _absolute(content, urls.data_package(package.name)),
        "提供機關聯絡人姓名": package.contact.name,
        "提供機關聯絡人電話": package.contact.phone.national,
        "提供機關聯絡人電子郵件": package.contact.email,
        "詮釋資料更新時間": package.modified.isoformat() if package.modified else "",
        "關鍵字": ";".join(dataset.keywords),
        "資料量": str(sum(len(r.table.rows) for r in package.resources)),
        "備註": dataset.notes or "",
    }


def catalog_csv(content: Content, packages: tuple[Package, ...]) -> bytes:
    """One row per package under :data:`COLUMNS`; UTF-8 without byte-order mark, LF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = (list(catalog_row(content, package).values()) for package in packages)  # in COLUMNS' order
    writer.writerows(guard("catalog.csv", list(COLUMNS), rows))
    return out.getvalue().encode("utf-8")


# -- DCAT -------------------------------------------------------------------------------------------

def _text(value: str, language: str = DEFAULT_LANGUAGE) -> dict:
    return {"@value": value, "@language": language}


def _date(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def publisher(content: Content) -> dict:
    site = content.site
    return {"@id": site.base_url, "@type": "foaf:Organization",
            "foaf:name": [_text(site.publisher.zh_hant), _text(site.publisher.en, "en")]}


def dcat(content: Content, packages: tuple[Package, ...]) -> dict:
    """The DCAT catalogue of every package."""
    site = content.site
    catalog = {
        "@context": dict(CONTEXT),
        "@id": _absolute(content, urls.data_home()),
        "@type": "dcat:Catalog",
        "dct:title": [_text(f"{site.publisher.zh_hant}開放資料"), _text(f"{site.publisher.en} open data", "en")],
        "dct:publisher": publisher(content),
        "foaf:homepage": {"@id": _absolute(content, urls.data_home())},
        "dcat:dataset": [dataset(content, package) for package in packages],
    }
    latest = max((package.modified for package in packages if package.modified), default=None)
    if latest:
        catalog["dct:modified"] = _date(latest)
    return catalog


def dataset(content: Content, package: Package) -> dict:
    data = package.dataset
    page = _absolute(content, urls.data_package(package.name))
    found = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": package.name,
        "dct:title": [_text(data.title.zh_hant), _text(data.title.en, "en")],
        "dct:description": [_text(data.description.zh_hant)]
                           + ([_text(data.description.en, "en")] if data.description.en else []),
        "dcat:keyword": [_text(word) for word in data.keywords],
        "dct:license": {"@id": package.licence.url},
        "dct:publisher": publisher(content),
        "dcat:contactPoint": {
            "@type": "vcard:Organization", "vcard:fn": package.contact.name,
            "vcard:hasEmail": {"@id": f"mailto:{package.contact.email}"},
            "vcard:hasTelephone": {"@id": package.contact.phone.tel_uri},
        },
        "dct:accrualPeriodicity": {"@id": FREQUENCY_VOCABULARY + FREQUENCIES[data.frequency]},
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": [distribution(content, package, fmt, uri, body) for fmt, uri, body in downloads(package)],
    }
    if package.modified:
        found["dct:modified"] = _date(package.modified)
    return found


def distribution(content: Content, package: Package, fmt: str, uri: str, data: bytes) -> dict:
    """One file: where to download it, its media type, size and SHA-256 checksum."""
    url = _absolute(content, uri)
    found = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": uri.rsplit("/", 1)[-1],
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": _absolute(content, urls.data_package(package.name))},
        "dcat:mediaType": {"@id": MEDIA_TYPES + FORMATS[fmt]},
        "dct:format": fmt.upper(),
        "dcat:byteSize": {"@value": str(len(data)), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                          "spdx:checksumValue": sha256(data)},
        "dct:license": {"@id": package.licence.url},
    }
    if uri.endswith("/datapackage.json"):
        found["dct:conformsTo"] = {"@id": PROFILE}
    return found
