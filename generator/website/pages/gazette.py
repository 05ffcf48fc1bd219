"""Pages of the gazette: home, year archives, issues, and one permanent page per notice.

Listings by category and agency are in :mod:`.gazette_lists`; feeds in :mod:`.feeds`. A notice
page links only to its neighbours, its issue, category and agency, so its size does not grow
with the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from pathlib import Path

from generator import urls
from generator.dates import issue_label, roc_date, roc_year
from generator.model import Content, Issue, Notice
from generator.website.pages import gazette_lists
from generator.outputs import search
from generator.markup.markdown import Asset, Page, esc, file_size, link, page
from generator.website.templating import Templates

RECENT_ISSUES = 6


def label(content: Content, issue: Issue) -> str:
    return issue_label(content.site.gazette.issue_label, issue.year, issue.number)


def agency_name(content: Content, agency_id: str) -> str:
    agency = content.directory.agency(agency_id)
    return agency.name.zh_hant if agency else agency_id


def category_name(content: Content, slug: str) -> str:
    return next(c.name.zh_hant for c in content.site.categories if c.slug == slug)


def time(date) -> str:
    """A date as readers read it (民國), machine-readable in ``datetime``."""
    return f'<time datetime="{date.isoformat()}">{roc_date(date)}</time>'


def pages(content: Content) -> Iterator[Page]:
    yield gazette_home(content)
    for year, issues in groupby(content.gazette.issues, key=lambda issue: issue.year):
        yield year_page(content, year, list(issues))
    issues = content.gazette.issues
    for index, issue in enumerate(issues):
        yield issue_page(content, issue, issues[index - 1] if index else None, issues[index + 1] if index + 1 < len(issues) else None)
    notices = content.gazette.notices
    by_id = {issue.id: issue for issue in issues}
    for index, notice in enumerate(notices):
        before = notices[index - 1] if index else None
        after = notices[index + 1] if index + 1 < len(notices) else None
        yield notice_page(content, by_id[f"{notice.year}/{notice.issue:02d}"], notice, before, after)
    yield from gazette_lists.pages(content)


def assets(content: Content, root: Path) -> Iterator[Asset]:
    for notice in content.gazette.notices:
        for attachment in notice.attachments:
            yield Asset(urls.notice_folder(notice) + attachment.file, root / attachment.path)


def nav_section(content: Content) -> list[dict]:
    """Years (newest first), each with its page and its issues (newest first), for the site's nav."""
    years = []
    for year, issues in groupby(reversed(content.gazette.issues), key=lambda issue: issue.year):
        years.append({f"{year} 年": [urls.gazette_year(year), *({label(content, i): urls.issue(i)} for i in issues)]})
    return years


def breadcrumbs(source: str, trail: list[tuple[str, str]], title: str) -> str:
    """A trail of links above the page's title: (label, page) pairs, then the title as the h1
    (mkdocs-material adds its own h1 only when the page has none; raw HTML keeps the title
    free of a permalink anchor)."""
    parts = [f"[{esc(name)}]({link(source, target)})" for name, target in trail]
    return ('<nav class="breadcrumbs" aria-label="導覽路徑" markdown="span">' + " › ".join(parts) + "</nav>\n\n"
            f"<h1>{esc(title)}</h1>\n")


def notice_line(content: Content, source: str, notice: Notice, with_issue: bool = False) -> str:
    """One notice in a list: its title, then agency, document number (and issue)."""
    details = [esc(agency_name(content, notice.agency)), esc(notice.doc_number)]
    if with_issue:
        details.append(issue_label(content.site.gazette.issue_label, notice.year, notice.issue))
    return f"- [{esc(notice.title)}]({link(source, urls.notice(notice))})  \n  <small>{' · '.join(details)}</small>"


def issue_line(content: Content, source: str, issue: Issue) -> str:
    return (f"- [{esc(label(content, issue))}]({link(source, urls.issue(issue))}) · {time(issue.date)}出刊 · "
            f"{len(issue.notices)} 則")


def gazette_home(content: Content) -> Page:
    source = urls.gazette_home()
    gazette = content.site.gazette
    lines = [f"{esc(content.site.publisher.zh_hant)}發行，每月 {'、'.join(map(str, gazette.days))} 日出刊。"
             f"[訂閱最新公報（Atom）]({link(source, urls.gazette_feed())})", ""]
    issues = content.gazette.issues
    if issues:
        latest = issues[-1]
        lines += [f"## 最新一期：[{esc(label(content, latest))}]({link(source, urls.issue(latest))})", "",
                  f"{time(latest.date)}出刊", ""]
        lines += contents_by_category(content, source, latest, level="###")
        lines += ["## 近期公報", ""] + [issue_line(content, source, i) for i in reversed(issues[-RECENT_ISSUES:])] + [""]
        lines += ["## 歷年公報", ""]
        for year in sorted({issue.year for issue in issues}, reverse=True):
            count = sum(1 for issue in issues if issue.year == year)
            lines.append(f"- [{year} 年（民國 {roc_year(year)} 年）]({link(source, urls.gazette_year(year))}) · {count} 期")
        lines.append("")
    else:
        lines.append("尚無公報。")
    lines += gazette_lists.index_links(content, source)
    return Page(source, page(gazette.title.zh_hant, "\n".join(lines), feeds=[urls.gazette_feed()]))


def year_page(content: Content, year: int, issues: list[Issue], templates: Templates | None = None) -> Page:
    source = urls.gazette_year(year)
    title = f"{content.site.gazette.title.zh_hant} {year} 年"
    body = (templates or Templates()).render(
        "gazette/year.md", source, gazette_title=content.site.gazette.title.zh_hant, title=title, year=year,
        roc_year=roc_year(year), issues=issues, notices=sum(len(i.notices) for i in issues),
        labels={issue.id: label(content, issue) for issue in issues})
    return Page(source, page(title, body))


def contents_by_category(content: Content, source: str, issue: Issue, level: str = "##") -> list[str]:
    """An issue's notices grouped by category, in the order configured in site.yml."""
    lines = []
    for category in content.site.categories:
        notices = [n for n in issue.notices if n.category == category.slug]
        if notices:
            lines += [f"{level} {esc(category.name.zh_hant)}", ""] + [notice_line(content, source, n) for n in notices] + [""]
    return lines


def neighbours(source: str, before: tuple[str, str] | None, after: tuple[str, str] | None, what: str) -> str:
    """Links to the previous and next item: (label, page) or None."""
    parts = []  # raw HTML links: directory URLs, written the way MkDocs writes its own
    if before:
        parts.append(f'<a class="prev" rel="prev" href="{link(source, before[1]).removesuffix("index.md")}">'
                     f"‹ 上一{what}：{esc(before[0])}</a>")
    if after:
        parts.append(f'<a class="next" rel="next" href="{link(source, after[1]).removesuffix("index.md")}">'
                     f"下一{what}：{esc(after[0])} ›</a>")
    return f'<nav class="neighbours" aria-label="上一{what}與下一{what}">' + "".join(parts) + "</nav>" if parts else ""


def issue_page(content: Content, issue: Issue, before: Issue | None, after: Issue | None) -> Page:
    source = urls.issue(issue)
    title = f"{content.site.gazette.title.zh_hant} {label(content, issue)}"
    lines = [breadcrumbs(source, [(content.site.gazette.title.zh_hant, urls.gazette_home()),
                                  (f"{issue.year} 年", urls.gazette_year(issue.year))], title)]
    lines += [f"{time(issue.date)}出刊 · 共 {len(issue.notices)} 則", ""]
    if issue.title:
        lines += [f"**{esc(issue.title)}**", ""]
    if issue.notes:
        lines += [esc(issue.notes), ""]
    lines += contents_by_category(content, source, issue)
    lines.append(neighbours(source, before and (label(content, before), urls.issue(before)),
                            after and (label(content, after), urls.issue(after)), "期"))
    return Page(source, page(title, "\n".join(lines)))


def citation(content: Content, issue: Issue, notice: Notice) -> str:
    """The line a lawyer or a clerk pastes into a document to cite the notice."""
    url = urls.absolute(content.site.base_url, urls.notice(notice))
    return (f"{content.site.gazette.title.zh_hant}{label(content, issue)}（{roc_date(issue.date)}），"
            f"{agency_name(content, notice.agency)}{notice.doc_number}「{notice.title}」，{url}")


def metadata_rows(content: Content, source: str, issue: Issue, notice: Notice) -> list[tuple[str, str]]:
    category = category_name(content, notice.category)
    rows = [
        ("發文機關", f"[{esc(agency_name(content, notice.agency))}]({link(source, urls.agency(notice.agency))})"
                     f"（[本機關公告]({link(source, urls.gazette_agency(notice.agency))})）"),
        ("發文字號", f'<span class="doc-number" data-pagefind-weight="10">{esc(notice.doc_number)}</span>'),
        ("發文日期", time(notice.issued)),
        ("刊登公報", f"[{esc(label(content, issue))}]({link(source, urls.issue(issue))})，{time(issue.date)}"),
        ("類別", f"[{esc(category)}]({link(source, urls.category(notice.category))})"),
    ]
    if notice.signer:
        rows.append(("署名", esc(notice.signer)))
    if notice.keywords:
        rows.append(("關鍵詞", "、".join(esc(k) for k in notice.keywords)))
    if notice.title_en:
        rows.append(("英文標題", f'<span lang="en">{esc(notice.title_en)}</span>'))
    return rows


def notice_page(content: Content, issue: Issue, notice: Notice, before: Notice | None, after: Notice | None) -> Page:
    source = urls.notice(notice)
    category = category_name(content, notice.category)
    lines = [breadcrumbs(source, [(content.site.gazette.title.zh_hant, urls.gazette_home()),
                                  (f"{notice.year} 年", urls.gazette_year(notice.year)),
                                  (label(content, issue), urls.issue(issue)), (category, urls.category(notice.category))],
                         notice.title)]
    lines += ['<dl class="notice-meta" markdown="1">']
    for name, value in metadata_rows(content, source, issue, notice):  # md_in_html wants one element per line
        lines += [f"<dt>{name}</dt>", f'<dd markdown="span">{value}</dd>']
    lines += ["</dl>", "", notice.body.strip(), ""]
    if notice.attachments:
        lines += ["## 附件", ""]
        for attachment in notice.attachments:
            kind = Path(attachment.file).suffix.lstrip(".").upper()
            lines.append(f"- [{esc(attachment.title or attachment.file)}]({attachment.file})"
                         f"（{kind}，{file_size(attachment.size)}）")
        lines.append("")
    lines += ['<div class="citation" markdown="1">', "", "**引用本則**", "", "```text", citation(content, issue, notice), "```",
              "", "</div>", ""]
    lines.append(neighbours(source, before and (before.title, urls.notice(before)), after and (after.title, urls.notice(after)), "則"))
    agency = agency_name(content, notice.agency)
    indexed = search.entry("zh-Hant", "gazette",
                           filters={"category": category, "agency": agency, "year": str(notice.year)},
                           meta={"date": roc_date(issue.date), "agency": agency, "doc_number": notice.doc_number,
                                 "issue": label(content, issue)})
    return Page(source, page(notice.title, "\n".join(lines), jsonld=jsonld(content, issue, notice), search=indexed,
                             description=f"{agency_name(content, notice.agency)} {notice.doc_number}，{roc_date(issue.date)}刊登"))


def jsonld(content: Content, issue: Issue, notice: Notice) -> dict:
    """schema.org description of a notice: an article in a periodical issue, by a government body."""
    base = content.site.base_url
    agency = content.directory.agency(notice.agency)
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "@id": urls.absolute(base, urls.notice(notice)),
        "url": urls.absolute(base, urls.notice(notice)),
        "headline": notice.title,
        "identifier": notice.doc_number,
        "inLanguage": "zh-Hant",
        "dateCreated": notice.issued.isoformat(),
        "datePublished": issue.date.isoformat(),
        "articleSection": category_name(content, notice.category),
        "author": {"@type": "GovernmentOrganization", "name": agency.name.zh_hant if agency else notice.agency,
                   "url": urls.absolute(base, urls.agency(notice.agency))},
        "publisher": {"@type": "GovernmentOrganization", "name": content.site.publisher.zh_hant},
        "isPartOf": {"@type": "PublicationIssue", "issueNumber": str(issue.number), "datePublished": issue.date.isoformat(),
                     "url": urls.absolute(base, urls.issue(issue)),
                     "isPartOf": {"@type": "Periodical", "name": content.site.gazette.title.zh_hant}},
    }
    if notice.keywords:
        data["keywords"] = ", ".join(notice.keywords)
    if notice.title_en:
        data["alternativeHeadline"] = notice.title_en
    return data

