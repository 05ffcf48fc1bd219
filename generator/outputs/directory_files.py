"""The directory's downloads: CSV, JSON, ODS and vCard 4.0, and the change record as JSON.

Every table download is made of the same :class:`~generator.model.directory.Entry` lines in the same
order (the overview's): the CSV and the JSON hold the same values (an empty CSV cell is a JSON
``null``), the ODS the same cells under Chinese column labels. The last-updated date is the
change record's (:mod:`generator.reading.history`), never the build's clock, so an unchanged directory gives
byte-identical files.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator import urls
from generator.dates import TAIPEI
from generator.reading.history import NOTES, Change, ChangeRecord, Version
from generator.model import Agency, Content
from generator.model.directory import COLUMNS, Entry, agency_entries, entries
from generator.spreadsheet import excel_csv, guard
from generator.labels import labels
from generator.markup.markdown import Asset
from generator.model.common import DEFAULT_LANGUAGE

#: Each download's extension and format, in the order pages list them (what each is for, in words:
#: labels/directory.yml, ``download_uses``).
#: (extension, name): "zh.csv" is the CSV for people (Excel: UTF-8 with a byte-order mark, Chinese column
#: labels), "csv" the one for programs (column names, no mark).
DOWNLOADS = (("zh.csv", "CSV（Excel）"), ("csv", "CSV"), ("json", "JSON"), ("ods", "ODS"), ("vcf", "vCard 4.0"))
#: The downloads are in Chinese: their title, column labels (the ODS header, the JSON's "columns").
LABELS = labels("directory", DEFAULT_LANGUAGE)
TITLE = LABELS["title"]
COLUMN_LABELS = LABELS["columns"]

def ordered(content: Content) -> tuple[Agency, ...]:
    """The agencies in the overview's order: by group, each parent before its children."""
    return content.directory.in_order(tuple(group.slug for group in content.site.directory_groups))


def assets(content: Content, record: ChangeRecord, root: Path | None = None) -> Iterator[Asset]:
    """Every download of the directory. ``root``: the project folder, whose ``.cache/directory/``
    keeps the spreadsheet (:func:`kept_ods`)."""
    agencies = ordered(content)
    lines = entries(agencies)
    yield Asset(urls.directory_download("csv"), data=to_csv(lines))
    yield Asset(urls.directory_download("zh.csv"), data=excel_csv(urls.directory_download("zh.csv"), [COLUMN_LABELS[name] for name in COLUMNS],
                                                                 (list(entry.values().values()) for entry in lines)))
    yield Asset(urls.directory_download("json"), data=to_json(content, lines, record))
    yield Asset(urls.directory_download("ods"), data=kept_ods(content, lines, record, root))
    yield Asset(urls.directory_download("vcf"), data=b"".join(to_vcards(content, a, record) for a in agencies))
    for agency in agencies:
        yield Asset(urls.agency_vcard(agency), data=to_vcards(content, agency, record))
    yield Asset(urls.directory_changes_data(), data=changes_json(content, record))


def _day(when: dt.datetime | None) -> str | None:
    return when.astimezone(TAIPEI).date().isoformat() if when else None


# -- CSV, JSON --------------------------------------------------------------------------------------

def to_csv(lines: tuple[Entry, ...]) -> bytes:
    """RFC 4180 CSV in UTF-8 (no byte-order mark: for programs; people get ``directory.zh.csv``, made by
    :func:`~generator.spreadsheet.excel_csv`, and the ODS), a header of column names."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(guard("directory.csv", list(COLUMNS), (list(entry.values().values()) for entry in lines)))
    return out.getvalue().encode("utf-8")


def _about(content: Content, record: ChangeRecord) -> dict[str, object]:
    site = content.site
    return {
        "title": f"{site.city.zh_hant}{TITLE}",
        "publisher": site.publisher.zh_hant,
        "licence": {"name": site.licence.name.zh_hant, "url": site.licence.url},
        "url": urls.absolute(site.base_url, urls.directory_home()),
        "updated": _day(record.updated),
    }


def to_json(content: Content, lines: tuple[Entry, ...], record: ChangeRecord) -> bytes:
    """The same lines as the CSV, as objects (an empty value is null), under a few facts about the file."""
    document = _about(content, record) | {
        "columns": {name: COLUMN_LABELS[name] for name in COLUMNS},
    }
    return _dump(document, "entries", [{name: value or None for name, value in entry.values().items()} for entry in lines])


def changes_json(content: Content, record: ChangeRecord) -> bytes:
    """The change record: each added, removed or changed entry with its date and commit, newest first."""
    first = record.first
    document = _about(content, record) | {
        "title": f"{content.site.city.zh_hant}{LABELS['changes_title']}",
        "note": NOTES[record.note][0] if record.note else None,
        "first_published": {"date": _day(first.when), "commit": first.commit} if first else None,
    }
    return _dump(document, "changes", [_change(version, change) for version in record.versions for change in version.changes])


def _dump(document: dict[str, object], name: str, items: list[dict[str, object]]) -> bytes:
    """JSON with ``items`` last under ``name``, one item a line: readable, and half the size of indented JSON."""
    head = json.dumps(document, ensure_ascii=False, indent=1).removesuffix("\n}")
    lines = ",\n".join(json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in items)
    return f'{head},\n "{name}": [\n{lines}\n ]\n}}\n'.replace("[\n\n ]", "[]").encode("utf-8")


def _change(version: Version, change: Change) -> dict[str, object]:
    item: dict[str, object] = {
        "date": version.date.isoformat(), "committed": version.when.isoformat(), "commit": version.commit,
        "published": version.published, "change": change.change, "id": change.entry.id, "kind": change.entry.kind,
        "entry": {name: value or None for name, value in change.entry.values().items()},
    }
    if change.before is not None:
        item["fields"] = list(change.fields)
        item["before"] = {name: getattr(change.before, name) or None for name in change.fields}
        item["after"] = {name: getattr(change.entry, name) or None for name in change.fields}
    return item


# -- ODS --------------------------------------------------------------------------------------------

def kept_ods(content: Content, lines: tuple[Entry, ...], record: ChangeRecord, root: Path | None) -> bytes:
    """:func:`to_ods`, kept in the project's ``.cache/directory/`` (``root``; None: made) under a hash
    of every value the spreadsheet is made from (the lines' values, the file's facts and date, the
    column labels) and of this module and odfpy (issue 12: odfpy takes about 0.4 s for it on every
    build, a tenth of the website stage after a new issue, which leaves the directory as it was).
    A kept file is checked by its SHA-256 before it is used; a damaged one is made again."""
    if root is None:
        return to_ods(content, lines, record)
    from generator.outputs.issuecache import IssueCache, code_digest, library_versions

    cache = IssueCache(root, "directory", library_versions("odfpy") + code_digest(Path(__file__)))
    key = cache.key(repr(_about(content, record)), repr(record.updated), repr(TITLE), repr(COLUMNS), repr(COLUMN_LABELS),
                    *(repr(list(entry.values().values())) for entry in lines))
    kept = cache.get("ods", key)
    if isinstance(kept, dict) and isinstance(kept.get("ods"), str):
        with contextlib.suppress(ValueError):
            data = base64.b64decode(kept["ods"], validate=True)
            if hashlib.sha256(data).hexdigest() == kept.get("sha256"):
                return data
    data = to_ods(content, lines, record)
    cache.put("ods", key, {"sha256": hashlib.sha256(data).hexdigest(), "ods": base64.b64encode(data).decode("ascii")})
    return data


def to_ods(content: Content, lines: tuple[Entry, ...], record: ChangeRecord) -> bytes:
    """An OpenDocument spreadsheet: a header of Chinese column labels, then one row per line, every cell text."""
    from odf import dc
    from odf.element import Element
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableColumn

    # odfpy keeps the namespaces it has seen in one dict for the whole process, and declares them all
    # in every file it writes after: start from none, so that the same directory gives the same bytes.
    Element.namespaces.clear()
    doc = OpenDocumentSpreadsheet()
    about = _about(content, record)
    doc.meta.addElement(dc.Title(text=str(about["title"])))
    doc.meta.addElement(dc.Creator(text=str(about["publisher"])))
    if record.updated:
        doc.meta.addElement(dc.Date(text=record.updated.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")))
    bold = Style(name="header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="column", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="3.5cm"))
    doc.automaticstyles.addElement(bold)
    doc.automaticstyles.addElement(wide)
    table = Table(name=TITLE)
    table.addElement(TableColumn(numbercolumnsrepeated=len(COLUMNS), stylename=wide))
    table.addElement(_row([COLUMN_LABELS[name] for name in COLUMNS], bold))
    for entry in lines:
        table.addElement(_row(list(entry.values().values())))
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return _fixed_times(out.getvalue(), record.updated)


def _row(values: list[str], style: Any = None) -> Any:  # odfpy's elements are untyped
    from odf.table import TableCell, TableRow
    from odf.text import P

    row = TableRow()
    for value, run in _runs(values):
        if value:  # text cells, so that 0800 and 0123 stay as written
            cell = TableCell(valuetype="string", stylename=style)
            cell.addElement(P(text=value))
        else:  # a run of empty cells is one element: odfpy is slow per element
            cell = TableCell(numbercolumnsrepeated=run) if run > 1 else TableCell()
        row.addElement(cell)
    return row


def _runs(values: list[str]) -> Iterator[tuple[str, int]]:
    """Each text value alone, and each run of empty values with its length."""
    index = 0
    while index < len(values):
        end = index + 1
        while not values[index] and end < len(values) and not values[end]:
            end += 1
        yield values[index], end - index
        index = end


def _fixed_times(data: bytes, when: dt.datetime | None) -> bytes:
    """The zip again, every member dated ``when`` (odfpy dates them by the clock), order and compression kept."""
    stamp = when.astimezone(dt.timezone.utc).timetuple()[:6] if when else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, stamp)
            fixed.compress_type = info.compress_type  # the first member, mimetype, stays stored
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


# -- vCard 4.0 (RFC 6350) ---------------------------------------------------------------------------

def to_vcards(content: Content, agency: Agency, record: ChangeRecord) -> bytes:
    """One vCard per entry of the agency: the agency and its units (KIND:org), its contacts."""
    changed = record.last_changed(agency.id)
    cards = [_vcard(content, agency, entry, changed) for entry in agency_entries(agency)]
    return "".join(cards).encode("utf-8")


def _vcard(content: Content, agency: Agency, entry: Entry, changed: dt.datetime | None) -> str:
    base = content.site.base_url
    person = entry.kind == "contact" and bool(entry.name)
    org = [entry.agency] + ([entry.unit] if entry.unit else [])
    if entry.kind == "contact":
        name = entry.name or " ".join(org + [entry.role])
    else:
        name = " ".join(org)
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"PRODID:-//{_text(content.site.publisher.en)}//Phone directory//ZH-TW",
             f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, urls.absolute(base, urls.directory_entry(entry.id)))}",
             f"KIND:{'individual' if person else 'org'}", f"FN:{_text(name)}"]
    if person:
        lines.append(f"N:{_text(entry.name)};;;;")  # a Chinese name is not split into family and given names
    lines.append("ORG:" + ";".join(_text(part) for part in org))
    lines += [f"TITLE:{_text(entry.title)}"] * bool(entry.title) + [f"ROLE:{_text(entry.role)}"] * bool(entry.role)
    if entry.phone_e164:
        kind = "cell" if entry.phone.startswith("09") else "voice"  # 09: Taiwan's mobile prefix
        ext = f";ext={entry.extension}" if entry.extension else ""
        lines.append(f"TEL;VALUE=uri;TYPE=work,{kind}:tel:{entry.phone_e164}{ext}")
    if entry.fax_e164:
        lines.append(f"TEL;VALUE=uri;TYPE=work,fax:tel:{entry.fax_e164}")
    if entry.email:
        lines.append(f"EMAIL;TYPE=work:{entry.email}")
    lines.append(f"ADR;TYPE=work:;{_text(entry.location)};{_text(agency.address)};;;;{_text('臺灣')}")
    if agency.website:
        lines.append(f"URL;TYPE=work:{agency.website}")
    if entry.hours:
        lines.append(f"NOTE:{_text(LABELS['hours_note'].format(hours=entry.hours))}")
    lines.append(f"SOURCE:{urls.absolute(base, urls.agency_vcard(agency))}")
    if changed:
        lines.append("REV:" + changed.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _text(value: str) -> str:
    """A text value escaped for vCard (RFC 6350 3.4): backslash, comma, semicolon, and every line
    break (CRLF, CR or LF) as ``\\n``, so no value can start a property of its own."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return "\\n".join(value.splitlines()) if value else value


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued after CRLF and a space, never inside a UTF-8 character."""
    parts, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # a continuation line starts with the space
        current += char
        size += width
    return "\r\n ".join(parts + [current])
