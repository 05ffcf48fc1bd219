"""Gazette listings by category and by agency: newest first, one page per year, so that no page
grows without bound as the archive does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from generator import urls
from generator.model import Content, Notice
from generator.markup.markdown import Page, esc, link, page

LATEST = 20  # notices listed on a category's or agency's first page


def _by_year(notices: list[Notice]) -> dict[int, list[Notice]]:
    years: dict[int, list[Notice]] = defaultdict(list)
    for notice in notices:
        years[notice.year].append(notice)
    return dict(sorted(years.items(), reverse=True))


def pages(content: Content) -> Iterator[Page]:
    notices = content.gazette.notices
    yield category_index(content)
    for category in content.site.categories:
        selected = [n for n in notices if n.category == category.slug]
        yield from listing(content, category.name.zh_hant, "公報分類", selected,
                           lambda year=None, slug=category.slug: urls.category(slug, year), urls.category_feed(category.slug))
    yield agency_index(content)
    for agency_id in sorted({n.agency for n in notices}):
        selected = [n for n in notices if n.agency == agency_id]
        agency = content.directory.agency(agency_id)
        yield from listing(content, agency.name.zh_hant if agency else agency_id, "發文機關", selected,
                           lambda year=None, a=agency_id: urls.gazette_agency(a, year), None)


def listing(content: Content, name: str, kind: str, notices: list[Notice], where, feed: str | None) -> Iterator[Page]:
    """The first page (years, latest notices, feed) and one page per year, newest first."""
    from generator.website.pages.gazette import breadcrumbs, notice_line

    source = where()
    years = _by_year(notices)
    trail = [(content.site.gazette.title.zh_hant, urls.gazette_home())]
    lines = [breadcrumbs(source, trail, f"{kind}：{name}")]
    if feed:
        lines += [f"[訂閱本類別最新公報（Atom）]({link(source, feed)})", ""]
    lines += ["## 歷年", ""] + [f"- [{year} 年]({link(source, where(year))}) · {len(items)} 則" for year, items in years.items()]
    lines += ["", f"## 最新 {min(LATEST, len(notices))} 則", ""]
    lines += [notice_line(content, source, n, with_issue=True) for n in list(reversed(notices))[:LATEST]]
    meta = {"feeds": [feed]} if feed else {}
    yield Page(source, page(f"{kind}：{name}", "\n".join(lines), **meta))
    for year, items in years.items():
        year_source = where(year)
        lines = [breadcrumbs(year_source, trail + [(name, source)], f"{kind}：{name}（{year} 年）"), f"{year} 年共 {len(items)} 則，由新至舊排列。", ""]
        lines += [notice_line(content, year_source, n, with_issue=True) for n in reversed(items)]
        yield Page(year_source, page(f"{kind}：{name}（{year} 年）", "\n".join(lines)))


def category_index(content: Content) -> Page:
    source = urls.category("").replace("category//", "category/")
    counts = defaultdict(int)
    for notice in content.gazette.notices:
        counts[notice.category] += 1
    lines = [f"- [{esc(c.name.zh_hant)}]({link(source, urls.category(c.slug))}) · {counts[c.slug]} 則" for c in content.site.categories]
    return Page(source, page("公報分類", "\n".join(lines)))


def agency_index(content: Content) -> Page:
    source = urls.gazette_agency("").replace("agency//", "agency/")
    counts = defaultdict(int)
    for notice in content.gazette.notices:
        counts[notice.agency] += 1
    lines = []
    for agency in content.directory.agencies:
        if counts[agency.id]:
            lines.append(f"- [{esc(agency.name.zh_hant)}]({link(source, urls.gazette_agency(agency.id))}) · {counts[agency.id]} 則")
    return Page(source, page("發文機關", "\n".join(lines) or "尚無公報。"))


def index_links(content: Content, source: str) -> list[str]:
    """The gazette home's links to the listings by category and agency."""
    lines = ["## 依類別瀏覽", ""]
    lines += [f"- [{esc(c.name.zh_hant)}]({link(source, urls.category(c.slug))})" for c in content.site.categories]
    lines += ["", "## 依機關瀏覽", "", f"[各機關發布之公報]({link(source, urls.gazette_agency('').replace('agency//', 'agency/'))})", ""]
    return lines
