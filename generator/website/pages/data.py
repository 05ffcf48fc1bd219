"""Pages of the open data: the catalogue at ``/data/`` and one page per package.

The catalogue lists every package with its description, its resources and their downloads (CSV and
JSON, with sizes) and, folded, each resource's field dictionary; it links the portal catalogue
(catalog.csv, catalog.jsonld) and SHA256SUMS. A package's page holds the same and its facts
(licence, frequency, contact, last update), with schema.org ``Dataset`` JSON-LD in its head
(themes/material/main.html renders ``jsonld``). Every download is a relative link MkDocs checks.

The pages are laid out by templates/data/; the words are in generator/labels/data.yml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from generator import urls
from generator.labels import labels
from generator.markup.markdown import Page, file_size, page
from generator.model import Content
from generator.model.common import DEFAULT_LANGUAGE
from generator.model.opendata import Field, Table
from generator.outputs.opendata.packages import Package, Resource
from generator.website.pages import dated
from generator.website.templating import Templates

LABELS = labels("data", DEFAULT_LANGUAGE)  # the open data is described in Chinese

Constraint = tuple[str, object]  # (kind, value): ("required", None), ("reference", "issues.id"), …


def pages(content: Content, made: tuple[Package, ...], templates: Templates | None = None) -> Iterator[Page]:
    """The catalogue and a page per package, from the packages the open-data stage made."""
    templates = templates or Templates()
    yield catalogue_page(content, made, templates)
    for package in made:
        yield package_page(content, package, templates)


def _render(templates: Templates, name: str, source: str, content: Content, **context: object) -> str:
    """An open-data template, with what every open-data page knows: the labels, the publisher, and
    how to list a table's downloads and fields."""
    return templates.render(name, source, labels=LABELS, publisher=content.site.publisher.zh_hant, downloads=downloads,
                            fields=fields, **context)


def catalogue_page(content: Content, made: tuple[Package, ...], templates: Templates) -> Page:
    source = urls.data_home()
    body = _render(templates, "data/catalogue.md", source, content, packages=made)
    return Page(source, page(LABELS["title"], body, jsonld=catalog_jsonld(content, made),
                             **dated.meta(max((package.modified for package in made if package.modified), default=None))))


def package_page(content: Content, package: Package, templates: Templates) -> Page:
    source = urls.data_package(package.name)
    dataset = package.dataset
    # A fenced code block shows its text as typed, so the command must not be escaped: the URL is
    # the checked base URL (no white space, so it cannot end the block) and a package's name.
    descriptor = Markup(urls.absolute(content.site.base_url, urls.data_file(package.name, "datapackage.json")))
    body = _render(templates, "data/package.md", source, content, package=package, descriptor=descriptor,
                   notes=one_line(dataset.notes) if dataset.notes else None)
    return Page(source, page(dataset.title.zh_hant, body, jsonld=dataset_jsonld(content, package),
                             description=dataset.description.zh_hant[:160], **dated.meta(package.modified)))


def downloads(package: Package, resource: Resource) -> list[tuple[str, str, str]]:
    """A table's files: (format, path, size) of its CSV and its JSON."""
    name = resource.table.name
    return [(fmt.upper(), urls.data_file(package.name, f"{name}.{fmt}"), file_size(len(data)))
            for fmt, data in (("csv", resource.csv), ("json", resource.json))]


# -- the field dictionary ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldRow:
    """A field in the dictionary: its name, words (each on one line: a Markdown table's cell),
    type and constraints."""

    name: str
    title: str
    type: str
    description: str
    constraints: tuple[Constraint, ...]


def fields(resource: Resource) -> list[FieldRow]:
    """Every field of a table, in order."""
    rows = []
    for field in resource.table.fields:
        title, description = resource.field_text(field)
        rows.append(FieldRow(field.name, one_line(title), field.type, one_line(description), constraints(resource.table, field)))
    return rows


def one_line(text: str) -> str:
    return " ".join(text.split())


def constraints(table: Table, field: Field) -> tuple[Constraint, ...]:
    """The field's constraints, in the order they are shown: primary key, required, unique,
    references, possible values, pattern, format, minimum."""
    found: list[Constraint] = []
    if field.name in table.primary_key:
        found.append(("primary_key" if len(table.primary_key) == 1 else "primary_key_part", None))
    if field.required and field.name not in table.primary_key:
        found.append(("required", None))
    if field.unique:
        found.append(("unique", None))
    for fk in table.foreign_keys:
        if field.name in fk.fields:
            found.append(("reference", f"{fk.resource or table.name}.{fk.reference[fk.fields.index(field.name)]}"))
    if field.enum:
        found.append(("enum", field.enum))
    if field.pattern:
        found.append(("pattern", field.pattern))
    if field.format:
        found.append(("format", field.format))
    if field.minimum is not None:
        found.append(("minimum", field.minimum))
    return tuple(found)


# -- schema.org -------------------------------------------------------------------------------------

def _organization(content: Content) -> dict[str, str]:
    return {"@type": "GovernmentOrganization", "name": content.site.publisher.zh_hant, "url": content.site.base_url}


def catalog_jsonld(content: Content, made: tuple[Package, ...]) -> dict[str, object]:
    """schema.org ``DataCatalog`` of the catalogue page."""
    url = urls.absolute(content.site.base_url, urls.data_home())
    return {"@context": "https://schema.org", "@type": "DataCatalog", "@id": url, "url": url, "name": LABELS["title"],
            "publisher": _organization(content),
            "dataset": [{"@type": "Dataset", "name": p.dataset.title.zh_hant,
                         "url": urls.absolute(content.site.base_url, urls.data_package(p.name))} for p in made]}


def dataset_jsonld(content: Content, package: Package) -> dict[str, object]:
    """schema.org ``Dataset`` of a package page (what search engines list as a dataset)."""
    base = content.site.base_url
    dataset = package.dataset
    url = urls.absolute(base, urls.data_package(package.name))
    data: dict[str, object] = {
        "@context": "https://schema.org", "@type": "Dataset", "@id": url, "url": url, "identifier": package.name,
        "name": dataset.title.zh_hant, "alternateName": dataset.title.en, "description": dataset.description.zh_hant,
        "keywords": list(dataset.keywords), "inLanguage": DEFAULT_LANGUAGE, "isAccessibleForFree": True,
        "license": package.licence.url, "creator": _organization(content), "publisher": _organization(content),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": LABELS["title"], "url": urls.absolute(base, urls.data_home())},
        "variableMeasured": list(dict.fromkeys(r.field_text(field)[0] for r in package.resources for field in r.table.fields)),
        "distribution": [
            {"@type": "DataDownload", "name": uri.rsplit("/", 1)[-1], "contentUrl": urls.absolute(base, uri),
             "encodingFormat": "application/json" if uri.endswith(".json") else "text/csv", "contentSize": f"{len(data)} B"}
            for uri, data in package.files()],
    }
    if package.modified:
        data["dateModified"] = package.modified.isoformat()
    return data
