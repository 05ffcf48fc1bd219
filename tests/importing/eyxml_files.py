"""Writing day files of the national gazette's XML for tests, and finding the real sample."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import REPO

SAMPLE = REPO.parent / "shared" / "realdata" / "ey-gazette-2006-01-04.tar.xz"

FIELDS = ("MetaId", "Doc_Style_LName", "Chapter", "PubGov", "PubGovName", "Officer_name", "Date_Created", "GazetteId",
          "Title", "TitleEnglish", "Keyword", "Explain", "HTMLContent")


def record(**values: str) -> dict[str, str]:
    """A record as the gazette publishes one, with ``values`` replacing its fields."""
    fields = {"MetaId": "1001", "Doc_Style_LName": "公告及送達", "Chapter": "內政篇", "PubGov": "內政部", "PubGovName": "內政部",
              "Officer_name": "部長 王大明", "Date_Created": "中華民國95年1月2日", "GazetteId": "台內字第0950000001號",
              "Title": "內政部公告：公告測試事項", "TitleEnglish": "", "Keyword": "測試;公告", "Explain": "公告測試事項。",
              "HTMLContent": "<p>主旨：公告測試事項。</p>"}
    fields.update(values)
    return fields


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_day(folder: Path, name: str, records: list[dict[str, str]]) -> Path:
    """A day's file, ``name`` being its ROC date (095-01-02.xml)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Gazette>"]
    for fields in records:
        lines.append("<Record>")
        lines += [f"<{key}>{cdata(value)}</{key}>" if value else f"<{key}/>" for key, value in fields.items()]
        lines.append("</Record>")
    lines.append("</Gazette>")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def unpack_sample(target: Path) -> Path:
    """The real sample, unpacked into ``target`` (never into content/); the folder of its day files."""
    assert SAMPLE.is_file(), f"the real gazette sample is missing: {SAMPLE} (see ../shared/realdata/README.md)"
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "xJf", str(SAMPLE), "-C", str(target)], check=True)
    (folder,) = [p for p in target.iterdir() if p.is_dir()]
    return folder
