"""Reading the national gazette's day files: values as content holds them, problems at their place."""

from __future__ import annotations

import datetime as dt
import pytest
import yaml

from eyxml_files import record, write_day

from generator.errors import Kind
from generator.importing.eyxml import file_day, read_day, roc_date, substitute_number


def test_roc_dates():
    assert roc_date("中華民國94年12月26日") == dt.date(2005, 12, 26)
    assert roc_date(" 民國 95 年 1 月 2 日") == dt.date(2006, 1, 2)
    assert roc_date("中華民國95年2月30日") is None and roc_date("2006-01-02") is None
    assert file_day(__import__("pathlib").Path("095-01-02.xml")) == dt.date(2006, 1, 2)


def test_a_joint_notice_with_several_numbers(tmp_path):
    path = write_day(tmp_path, "095-01-02.xml", [record(
        PubGovName="內政部;銓敘部", GazetteId="台內警字第0940101731號;部特三字第0942568395號;台內警字第0940101731號",
        Keyword="警察;;殉職；人事", Title="內政部、銓敘部令：\n   修正細則", Officer_name="部長\u3000李逸洋")])
    (found,), problems = read_day(path)
    assert problems == []
    assert found.agencies == ("內政部", "銓敘部")
    assert found.doc_numbers == ("台內警字第0940101731號", "部特三字第0942568395號")
    assert found.keywords == ("警察", "殉職", "人事")
    assert found.title == "內政部、銓敘部令： 修正細則" and found.signer == "部長\u3000李逸洋"
    assert found.issued == dt.date(2006, 1, 2) and found.day == dt.date(2006, 1, 2)
    assert found.source.line == 3 and found.source.path.name == "095-01-02.xml"


def test_an_empty_number_gets_a_labelled_substitute(tmp_path):
    (found,), _ = read_day(write_day(tmp_path, "095-01-02.xml", [record(MetaId="7909", GazetteId="")]))
    assert found.doc_numbers == (substitute_number("7909"),) and "7909" in found.doc_numbers[0]
    assert any("GazetteId is empty" in note for note in found.notes)


def test_characters_check_refuses_are_removed_and_reported_private_use_kept(tmp_path):
    (found,), problems = read_day(path := write_day(tmp_path, "095-01-02.xml", [record(
        Title="公告\x1b事項\u0085", HTMLContent="<p>張廖月\ue4ae\x07君\u2028。</p>")]))
    assert found.title == "公告事項" and "張廖月\ue4ae君。" in found.body
    notes = " ".join(found.notes)
    assert "U+0085 NEXT LINE" in notes and "U+2028 LINE SEPARATOR" in notes and "U+E4AE" in notes
    # C0 controls are not even XML: taken out of the file before it is parsed, each reported at its place
    lines = path.read_text(encoding="utf-8").split("\n")
    title, body = (next(n for n, line in enumerate(lines, 1) if line.startswith(tag)) for tag in ("<Title>", "<HTMLContent>"))
    assert [(p.kind, p.source.line, p.severity.value) for p in problems] == [(Kind.IMPORT_FILE_CHANGED, title, "warning"),
                                                                            (Kind.IMPORT_FILE_CHANGED, body, "warning")]
    assert problems[0].source.column == lines[title - 1].index("\x1b") + 1
    assert "U+001B ESCAPE" in problems[0].message and "U+0007 ALERT" in problems[1].message


def test_a_formula_start_is_written_full_width(tmp_path):
    (found,), _ = read_day(write_day(tmp_path, "095-01-02.xml", [record(Title="=公告", HTMLContent="<p>-1 公告</p>")]))
    assert found.title == "＝公告" and found.body.startswith("－1 公告")


def test_broken_xml_is_reported_at_its_line_and_column(tmp_path):
    path = tmp_path / "095-01-02.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<Gazette>\n<Record>\n<MetaId>1</Title>\n', encoding="utf-8")
    records, (problem,) = read_day(path)
    assert records == [] and problem.kind is Kind.IMPORT_FILE
    assert (problem.source.line, problem.source.column) == (4, 18) and "not well-formed" in problem.message


def test_records_that_cannot_be_converted_name_their_meta_id(tmp_path):
    path = write_day(tmp_path, "095-01-02.xml", [record(MetaId="11", Date_Created="九十五年"), record(MetaId="12"),
                                                   record(MetaId="13", PubGovName="", PubGov=""),
                                                   record(MetaId="14", Date_Created="中華民國95年1月3日")])
    records, problems = read_day(path)
    assert [r.meta_id for r in records] == ["12"]
    assert [(p.kind, p.source.line) for p in problems] == [(Kind.IMPORT_RECORD, 3), (Kind.IMPORT_RECORD, 33),
                                                           (Kind.IMPORT_RECORD, 48)]
    assert ["MetaId 11" in problems[0].message, "MetaId 13" in problems[1].message, "after the day" in problems[2].message] == [True] * 3


def test_a_file_not_named_by_its_day(tmp_path):
    _, (problem,) = read_day(write_day(tmp_path, "gazette.xml", [record()]))
    assert problem.kind is Kind.IMPORT_FILE and "095-01-02.xml" in problem.message


@pytest.mark.parametrize("text", ["a\u0085b", "a\u2028b", "x\ufeffy", '"#: {a} [b] - c', "臺北 市\\n", "- 1", ""])
def test_a_front_matter_value_reads_back_exactly(text):
    """The importer writes each text as a YAML scalar that `check` reads back as the same text."""
    from generator.importing.archive import _q
    assert yaml.safe_load(f"title: {_q(text)}\n") == {"title": text}
