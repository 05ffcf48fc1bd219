"""Pages of the open data: the catalogue at ``/data/`` and one page per package.

The catalogue lists every package with its description, its resources and their downloads (CSV and
JSON, with sizes) and, folded, each resource's field dictionary; it links the portal catalogue
(catalog.csv, catalog.jsonld) and SHA256SUMS. A package's page holds the same and its facts
(licence, frequency, contact, last update), with schema.org ``Dataset`` JSON-LD in its head
(themes/material/main.html renders ``jsonld``). Every download is a relative link MkDocs checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator import urls
from generator.dates import roc_date
from generator.model import Content
from generator.outputs.opendata.tables import Field
from generator.outputs.opendata.packages import Package, Resource
from generator.website.pages.gazette import breadcrumbs
from generator.markup.markdown import Page, esc, file_size, link, page

TITLE = "開放資料"
TYPES = {"string": "文字", "integer": "整數", "number": "數值", "date": "日期", "datetime": "日期時間", "list": "清單"}


def pages(content: Content, made: tuple[Package, ...]) -> Iterator[Page]:
    """The catalogue and a page per package, from the packages the open-data stage made."""
    yield catalogue_page(content, made)
    for package in made:
        yield package_page(content, package)


def catalogue_page(content: Content, made: tuple[Package, ...]) -> Page:
    source = urls.data_home()
    site = content.site
    lines = [f"{esc(site.publisher.zh_hant)}以開放資料提供市府公報、電話號碼表與年鑑統計，資料與網站內容出自同一來源、"
             "同時更新。每個資料集都是一個 [Frictionless 資料包](https://datapackage.org/)（Data Package v2）："
             "描述檔 `datapackage.json` 說明每個欄位的型別與限制，每個資料表都有 CSV（UTF-8、無 BOM、LF 換行）與 JSON 兩種格式。", "",
             f"- 資料集目錄：[catalog.csv]({link(source, urls.data_catalog('csv'))})（政府資料開放平臺詮釋資料欄位）、"
             f"[catalog.jsonld]({link(source, urls.data_catalog('jsonld'))})（DCAT）",
             f"- 檢查碼：[SHA256SUMS]({link(source, urls.data_checksums())})（下載後以 `sha256sum -c SHA256SUMS` 核對）", ""]
    if not made:
        lines += ["目前沒有開放資料集。", ""]
    for package in made:
        target = urls.data_package(package.name)
        lines += [f"## [{esc(package.dataset.title.zh_hant)}]({link(source, target)})", "",
                  esc(package.dataset.description.zh_hant), "", facts_line(package), ""]
        for resource in package.resources:
            lines += resource_section(source, package, resource, "###", folded=True)
    return Page(source, page(TITLE, "\n".join(lines), jsonld=catalog_jsonld(content, made)))


def facts_line(package: Package) -> str:
    updated = f"最後更新：{time_html(package.modified)} · " if package.modified else ""
    return f"<small>{updated}更新頻率：{esc(package.dataset.frequency)} · 授權：{esc(package.licence.name.zh_hant)}</small>"


def time_html(date) -> str:
    return f'<time datetime="{date.isoformat()}">{roc_date(date)}</time>'


def downloads(source: str, package: Package, resource: Resource) -> str:
    """``下載：CSV（12 KB）· JSON（15 KB） · 29 筆``."""
    name = resource.table.name
    parts = [f"[{fmt.upper()}]({link(source, urls.data_file(package.name, f'{name}.{fmt}'))}){{ download=\"\" }}"
             f"（{file_size(len(data))}）" for fmt, data in (("csv", resource.csv), ("json", resource.json))]
    return f"下載：{' · '.join(parts)} · {len(resource.table.rows):,} 筆"


def resource_section(source: str, package: Package, resource: Resource, level: str, folded: bool) -> list[str]:
    """A resource: its title and name, description, downloads, and its field dictionary."""
    lines = [f"{level} {esc(resource.title)}（`{resource.table.name}`）", ""]
    if resource.description:
        lines += [esc(resource.description), ""]
    lines += [downloads(source, package, resource), ""]
    dictionary = field_dictionary(resource)
    if folded:
        lines += [f'<details markdown="1"><summary>欄位說明（{len(resource.table.fields)} 個欄位）</summary>', "",
                  dictionary, "", "</details>", ""]
    else:
        lines += [dictionary, ""]
    return lines


def field_dictionary(resource: Resource) -> str:
    """Every field: its name, title, type, constraints and description."""
    rows = ["| 欄位 | 名稱 | 型別 | 限制 | 說明 |", "|---|---|---|---|---|"]
    for field in resource.table.fields:
        title, description = resource.field_text(field)
        rows.append(f"| `{field.name}` | {cell(title)} | {TYPES.get(field.type, field.type)} | "
                    f"{constraints(resource, field)} | {cell(description)} |")
    return "\n".join(rows)


def cell(text: str) -> str:
    """Text in a Markdown table cell: escaped, on one line, without a column separator."""
    return " ".join(esc(text).replace("|", "&#124;").split())


def constraints(resource: Resource, field: Field) -> str:
    """The field's constraints in words: 主鍵, 必填, 不重複, 參照, 可能值, 格式."""
    table = resource.table
    words = []
    if field.name in table.primary_key:
        words.append("主鍵" if len(table.primary_key) == 1 else "主鍵之一")
    if field.required and field.name not in table.primary_key:
        words.append("必填")
    if field.unique:
        words.append("不重複")
    for fk in table.foreign_keys:
        if field.name in fk.fields:
            words.append(f"參照 `{fk.resource or table.name}.{fk.reference[fk.fields.index(field.name)]}`")
    if field.enum:
        words.append("可能值：" + "、".join(f"`{value}`" for value in field.enum))
    if field.pattern:
        words.append(f"<code>{esc(field.pattern)}</code>")
    if field.format:
        words.append({"uri": "網址", "email": "電子郵件"}.get(field.format, field.format))
    if field.minimum is not None:
        words.append(f"最小 {field.minimum}")
    return "、".join(words) or "—"


def package_page(content: Content, package: Package) -> Page:
    source = urls.data_package(package.name)
    dataset = package.dataset
    lines = [breadcrumbs(source, [(TITLE, urls.data_home())], dataset.title.zh_hant), esc(dataset.description.zh_hant), ""]
    if dataset.description.en:
        lines += [f'<p lang="en">{esc(dataset.description.en)}</p>', ""]
    lines += ["| 項目 | 內容 |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in package_facts(source, content, package)]
    lines += ["", "## 資料表", ""]
    for resource in package.resources:
        lines += resource_section(source, package, resource, "###", folded=False)
    descriptor = urls.absolute(content.site.base_url, urls.data_file(package.name, "datapackage.json"))
    lines += ["## 驗證資料", "", "以 [frictionless](https://framework.frictionlessdata.io/) 驗證型別、主鍵與參照：", "",
              "```sh", f"frictionless validate {descriptor}", "```", ""]
    return Page(source, page(dataset.title.zh_hant, "\n".join(lines), jsonld=dataset_jsonld(content, package),
                             description=dataset.description.zh_hant[:160]))


def package_facts(source: str, content: Content, package: Package) -> list[tuple[str, str]]:
    dataset, contact = package.dataset, package.contact
    rows = [
        ("提供機關", esc(content.site.publisher.zh_hant)),
        ("服務分類", esc(dataset.category)),
        ("更新頻率", esc(dataset.frequency)),
        ("最後更新", time_html(package.modified) if package.modified else "—"),
        ("授權方式", f"[{esc(package.licence.name.zh_hant)}]({package.licence.url})"),
        ("聯絡人", f"{esc(contact.name)} · [{esc(contact.phone.national)}]({contact.phone.tel_uri}) · "
                  f"[{esc(contact.email)}](mailto:{contact.email})"),
        ("關鍵字", "、".join(esc(word) for word in dataset.keywords)),
        ("描述檔", f"[datapackage.json]({link(source, urls.data_file(package.name, 'datapackage.json'))})"
                  f"（Data Package v2）"),
    ]
    if dataset.notes:
        rows.append(("備註", cell(dataset.notes)))
    return rows


# -- schema.org -------------------------------------------------------------------------------------

def _organization(content: Content) -> dict:
    return {"@type": "GovernmentOrganization", "name": content.site.publisher.zh_hant, "url": content.site.base_url}


def catalog_jsonld(content: Content, made: tuple[Package, ...]) -> dict:
    """schema.org ``DataCatalog`` of the catalogue page."""
    url = urls.absolute(content.site.base_url, urls.data_home())
    return {"@context": "https://schema.org", "@type": "DataCatalog", "@id": url, "url": url, "name": TITLE,
            "publisher": _organization(content),
            "dataset": [{"@type": "Dataset", "name": p.dataset.title.zh_hant,
                         "url": urls.absolute(content.site.base_url, urls.data_package(p.name))} for p in made]}


def dataset_jsonld(content: Content, package: Package) -> dict:
    """schema.org ``Dataset`` of a package page (what search engines list as a dataset)."""
    base = content.site.base_url
    dataset = package.dataset
    url = urls.absolute(base, urls.data_package(package.name))
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "@id": url, "url": url, "identifier": package.name,
        "name": dataset.title.zh_hant, "alternateName": dataset.title.en, "description": dataset.description.zh_hant,
        "keywords": list(dataset.keywords), "inLanguage": "zh-Hant", "isAccessibleForFree": True,
        "license": package.licence.url, "creator": _organization(content), "publisher": _organization(content),
        "includedInDataCatalog": {"@type": "DataCatalog", "name": TITLE, "url": urls.absolute(base, urls.data_home())},
        "variableMeasured": list(dict.fromkeys(r.field_text(field)[0] for r in package.resources for field in r.table.fields)),
        "distribution": [
            {"@type": "DataDownload", "name": uri.rsplit("/", 1)[-1], "contentUrl": urls.absolute(base, uri),
             "encodingFormat": "application/json" if uri.endswith(".json") else "text/csv", "contentSize": f"{len(data)} B"}
            for uri, data in package.files()],
    }
    if package.modified:
        data["dateModified"] = package.modified.isoformat()
    return data
