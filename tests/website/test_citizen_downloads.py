"""Downloads for citizens: CSVs that a Traditional Chinese Excel opens correctly (UTF-8 with a BOM) and
that read in the page's language; the open-data packages stay standard; the e-books say that their
CSV links need a network. And the years: the Chinese interface names them 115年 (with 2026 beside)."""

from __future__ import annotations

import csv
import io
import zipfile

from helpers import built_page as page, text

BOM = b"\xef\xbb\xbf"


def rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"), newline="")))


def test_a_yearbook_table_links_a_csv_in_its_pages_language(site_dir):
    for chapter, language, header in [("yearbook/2025/population/index.md", "zh-Hant", "行政區"),
                                      ("en/yearbook/2025/population/index.md", "en", "District")]:
        (link,) = page(site_dir, chapter).xpath("//div[@class='stat-table']//a[@download]/@href")
        resolved = (site_dir / chapter).parent / link
        assert resolved.resolve() == (site_dir / f"yearbook/2025/tables/population-{language}.csv").resolve()
        data = (site_dir / f"yearbook/2025/tables/population-{language}.csv").read_bytes()
        table = rows(data)
        assert table[0][0] == header and b"\r\n" in data
        assert not any(name.endswith(("_zh", "_en")) or "_" in name for name in table[0])  # labels, not field names
        assert table[1][0] == ("東區" if language == "zh-Hant" else "East District")


def test_the_directory_offers_an_excel_csv_with_chinese_headers(site_dir):
    overview = page(site_dir, "directory/index.md")
    (link,) = overview.xpath("//article//a[@href='directory.zh.csv']")
    assert text(link) == "CSV（Excel）"
    table = rows((site_dir / "directory/directory.zh.csv").read_bytes())
    assert "機關名稱" in table[0] or any("機關" in name for name in table[0])
    assert all(not name.isascii() for name in table[0])
    program = (site_dir / "directory/directory.csv").read_bytes()
    assert not program.startswith(BOM) and program.split(b",", 1)[0].isascii()  # the programs' CSV is unchanged


def test_the_open_data_stays_standard(site_dir):
    for path in (site_dir / "data").rglob("*.csv"):
        if path.name != "catalog.csv":
            assert not path.read_bytes().startswith(BOM), path


def test_the_ebooks_say_their_csv_links_need_a_network(site_dir):
    for language, words in [("zh-Hant", "需連線網路"), ("en", "needs a network connection")]:
        with zipfile.ZipFile(site_dir / f"ebooks/yearbook-2025-{language}.epub") as book:
            chapters = [book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xhtml")]
        linked = [c for c in chapters if f"tables/population-{language}.csv" in c]
        assert linked and all(words in c for c in linked), language


def test_the_chinese_interface_names_years_in_roc_years_with_the_common_era(site_dir):
    year = page(site_dir, "gazette/2026/index.md")
    assert text(year.xpath("//article//h1")[0]).startswith("嘉和市政府公報 115年（2026）")
    notice = page(site_dir, "gazette/2026/02/04/index.md")
    assert [text(a) for a in notice.xpath("//nav[@class='breadcrumbs']/a")][:2] == ["嘉和市政府公報", "115年（2026）"]
    listing = page(site_dir, "gazette/category/notices/2026/index.md")
    assert text(listing.xpath("//article//h1")[0]) == "公報分類：公告（115年）"
    for tree in (year, notice, listing, page(site_dir, "gazette/index.md")):
        assert "2026 年" not in tree.text_content()
