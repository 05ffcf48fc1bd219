"""Pages of the gazette: home, year archives, issues and one page per notice."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from .. import urls
from ..dates import issue_label, roc_date
from ..model import Content, Issue, Notice
from .markdown import Asset, Page, esc, link, page


def label(content: Content, issue: Issue) -> str:
    return issue_label(content.site.gazette.issue_label, issue.year, issue.number)


def agency_name(content: Content, agency_id: str) -> str:
    agency = content.directory.agency(agency_id)
    return agency.name.zh_hant if agency else agency_id


def pages(content: Content) -> Iterator[Page]:
    yield gazette_home(content)
    for year, issues in groupby(content.gazette.issues, key=lambda issue: issue.year):
        yield year_page(content, year, list(issues))
    for issue in content.gazette.issues:
        yield issue_page(content, issue)
        for notice in issue.notices:
            yield notice_page(content, issue, notice)


def assets(content: Content, root: Path) -> Iterator[Asset]:
    for notice in content.gazette.notices:
        for attachment in notice.attachments:
            yield Asset(urls.notice_folder(notice) + attachment.file, root / attachment.path)


def issue_line(content: Content, source: str, issue: Issue) -> str:
    count = len(issue.notices)
    return f"- [{esc(label(content, issue))}]({link(source, urls.issue(issue))}) · {roc_date(issue.date)} · {count} 則"


def gazette_home(content: Content) -> Page:
    source = urls.gazette_home()
    title = content.site.gazette.title.zh_hant
    lines = []
    if content.gazette.issues:
        latest = content.gazette.issues[-1]
        lines += [f"## 最新一期：{esc(label(content, latest))}", "", f"{roc_date(latest.date)}出刊", ""]
        lines += [notice_line(content, source, notice) for notice in latest.notices]
        lines += ["", "## 歷期公報", ""]
        for year in sorted({issue.year for issue in content.gazette.issues}, reverse=True):
            lines.append(f"- [{year} 年（民國 {year - 1911} 年）]({link(source, urls.gazette_year(year))})")
    else:
        lines.append("尚無公報。")
    return Page(source, page(title, "\n".join(lines)))


def year_page(content: Content, year: int, issues: list[Issue]) -> Page:
    source = urls.gazette_year(year)
    lines = [issue_line(content, source, issue) for issue in reversed(issues)]
    return Page(source, page(f"{content.site.gazette.title.zh_hant} {year} 年", "\n".join(lines)))


def notice_line(content: Content, source: str, notice: Notice) -> str:
    return (f"- [{esc(notice.title)}]({link(source, urls.notice(notice))})  \n"
            f"  {esc(agency_name(content, notice.agency))} · {esc(notice.doc_number)}")


def issue_page(content: Content, issue: Issue) -> Page:
    source = urls.issue(issue)
    lines = [f"{roc_date(issue.date)}出刊", ""]
    if issue.title:
        lines += [f"**{esc(issue.title)}**", ""]
    if issue.notes:
        lines += [esc(issue.notes), ""]
    for category in content.site.categories:
        notices = [n for n in issue.notices if n.category == category.slug]
        if notices:
            lines += [f"## {category.name.zh_hant}", ""] + [notice_line(content, source, n) for n in notices] + [""]
    title = f"{content.site.gazette.title.zh_hant} {label(content, issue)}"
    return Page(source, page(title, "\n".join(lines)))


def notice_page(content: Content, issue: Issue, notice: Notice) -> Page:
    source = urls.notice(notice)
    category = next(c for c in content.site.categories if c.slug == notice.category)
    rows = [
        ("發文機關", f"[{esc(agency_name(content, notice.agency))}]({link(source, urls.agency(notice.agency))})"),
        ("發文字號", esc(notice.doc_number)),
        ("發文日期", f'<time datetime="{notice.issued.isoformat()}">{roc_date(notice.issued)}</time>'),
        ("刊登公報", f"[{esc(label(content, issue))}]({link(source, urls.issue(issue))})，"
                     f'<time datetime="{issue.date.isoformat()}">{roc_date(issue.date)}</time>'),
        ("類別", esc(category.name.zh_hant)),
    ]
    if notice.signer:
        rows.append(("署名", esc(notice.signer)))
    if notice.keywords:
        rows.append(("關鍵詞", "、".join(esc(k) for k in notice.keywords)))
    if notice.title_en:
        rows.append(("英文標題", f'<span lang="en">{esc(notice.title_en)}</span>'))
    meta = ["| 項目 | 內容 |", "|---|---|"] + [f"| {name} | {value} |" for name, value in rows]
    body = notice.body.strip()
    lines = meta + ["", body, ""]
    if notice.attachments:
        lines += ["## 附件", ""]
        for attachment in notice.attachments:
            name = attachment.title or attachment.file
            kind = Path(attachment.file).suffix.lstrip(".").upper()
            lines.append(f"- [{esc(name)}]({attachment.file})（{kind}，{_size(attachment.size)}）")
    return Page(source, page(notice.title, "\n".join(lines)))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
