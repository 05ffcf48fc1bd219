"""Pages of the phone directory: the overview by group, one page per agency."""

from __future__ import annotations

from collections.abc import Iterator

from .. import urls
from ..model import Agency, Contact, Content, Phone
from .markdown import Page, esc, link, page


def pages(content: Content) -> Iterator[Page]:
    yield overview(content)
    for agency in content.directory.agencies:
        yield agency_page(content, agency)


def phone_link(phone: Phone, extension: str | None = None) -> str:
    extension = extension or phone.extension
    tel = f"tel:{phone.e164}" + (f",{extension}" if extension else "")
    shown = phone.national.split(" 分機")[0] + (f" 分機 {extension}" if extension else "")
    return f'<a href="{tel}">{esc(shown)}</a>'


def overview(content: Content) -> Page:
    source = urls.directory_home()
    lines = []
    for group in content.site.directory_groups:
        members = [a for a in content.directory.agencies if a.group == group.slug]
        if not members:
            continue
        lines += [f"## {esc(group.name.zh_hant)}", "", "| 機關 | 電話 | 地址 |", "|---|---|---|"]
        for agency in members:
            name = f"[{esc(agency.name.zh_hant)}]({link(source, urls.agency(agency))})"
            lines.append(f"| {name} | {phone_link(agency.phone)} | {esc(agency.address)} |")
        lines.append("")
    return Page(source, page("電話號碼表", "\n".join(lines)))


def contact_rows(contacts: tuple[Contact, ...]) -> list[str]:
    rows = ["| 姓名／職稱 | 電話 | 電子郵件 |", "|---|---|---|"]
    for contact in contacts:
        who = " ".join(esc(part) for part in (contact.role, contact.title, contact.name) if part)
        email = f"<{contact.email}>" if contact.email else ""
        rows.append(f"| {who} | {phone_link(contact.phone, contact.extension)} | {email} |")
    return rows + [""]


def agency_page(content: Content, agency: Agency) -> Page:
    source = urls.agency(agency)
    lines = [f'<span lang="en">{esc(agency.name.en)}</span>', "", "| 項目 | 內容 |", "|---|---|"]
    if agency.parent and (parent := content.directory.agency(agency.parent)):
        lines.append(f"| 上級機關 | [{esc(parent.name.zh_hant)}]({link(source, urls.agency(parent))}) |")
    lines.append(f"| 總機 | {phone_link(agency.phone)} |")
    if agency.fax:
        lines.append(f"| 傳真 | {esc(agency.fax.national)} |")
    lines.append(f"| 地址 | {esc(agency.address)} |")
    if agency.email:
        lines.append(f"| 電子郵件 | <{agency.email}> |")
    if agency.website:
        lines.append(f"| 網站 | <{agency.website}> |")
    if agency.hours:
        lines.append(f"| 服務時間 | {esc(agency.hours)} |")
    lines.append("")
    if agency.contacts:
        lines += ["## 聯絡窗口", ""] + contact_rows(agency.contacts)
    for unit in agency.units:
        lines += [f"## {esc(unit.name.zh_hant)}", ""]
        if unit.phone:
            lines += [f"電話：{phone_link(unit.phone)}" + (f"　位置：{esc(unit.location)}" if unit.location else ""), ""]
        if unit.contacts:
            lines += contact_rows(unit.contacts)
    return Page(source, page(agency.name.zh_hant, "\n".join(lines)))
