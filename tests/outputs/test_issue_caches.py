"""What the stages before the website keep per issue (issue 12): the print edition's PDFs, the open
data's plain texts, the newsletters, the packages that validated. A changed notice makes again
exactly what shows it, and what a build takes from the caches is, byte for byte, what a build
without them makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import make_products
from generator.outputs.printed.issues import IssuePdf
from generator.products import Products

KINDS = ("print", "opendata", "newsletter")


def kept(root: Path) -> dict[str, set[str]]:
    """The files of each cache, by kind."""
    return {kind: {p.name for p in (root / ".cache" / kind).iterdir()} if (root / ".cache" / kind).is_dir() else set()
            for kind in KINDS}


def new_files(before: dict[str, set[str]], after: dict[str, set[str]]) -> dict[str, list[str]]:
    """What each cache holds now that it did not, by the issue or package the file is kept for."""
    return {kind: sorted({_owner(name) for name in after[kind] - before[kind]}) for kind in KINDS}


def _owner(name: str) -> str:
    """``gazette-2026-02-<hash>.pdf`` -> ``gazette-2026-02``."""
    return name.rsplit("-", 1)[0]


def outputs(made: Products) -> dict[str, bytes]:
    """Every file the products hold or placed: the data files, the PDFs, the newsletters' files."""
    found = {asset.uri: asset.path.read_bytes() if asset.path else asset.data for asset in made.data_files}
    found |= {pdf.uri: pdf.data for pdf in made.pdfs}
    found |= {asset.uri: asset.path.read_bytes() if asset.path else asset.data for edition in made.newsletters
              for asset in edition.assets()}  # a kept edition's files are the cache's (read when published)
    return {uri: data for uri, data in found.items() if data is not None}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The shipped project, its products made once (every cache filled)."""
    from conftest import REPO

    root = tmp_path_factory.mktemp("caches") / "project"
    for name in ("content", "datasets", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    first = make_products(root, tmp_path_factory.mktemp("out"))
    return root, first


def test_every_issue_is_kept(built):
    root, first = built
    issues = [f"{i.year}-{i.number:02d}" for i in first.content.gazette.issues]
    owners = {kind: {_owner(name) for name in names} for kind, names in kept(root).items()}
    assert {f"gazette-{issue}" for issue in issues} <= owners["print"]
    assert {f"texts-{issue}" for issue in issues} <= owners["opendata"]
    assert {f"newsletter-{issue}" for issue in issues} == owners["newsletter"]
    assert {"valid-gazette", "valid-directory", "valid-yearbook-statistics"} <= owners["opendata"]
    assert all(isinstance(pdf, IssuePdf) and pdf.data.startswith(b"%PDF") for pdf in first.pdfs)


def test_unchanged_content_makes_nothing_again(built, tmp_path, monkeypatch):
    root, first = built
    before = kept(root)

    def refuse(*args, **kwargs):
        raise AssertionError("made again from unchanged content")

    monkeypatch.setattr("generator.outputs.printed.typeset.compile_pdf", refuse)
    monkeypatch.setattr("generator.outputs.opendata.tables.plain_text", refuse)
    monkeypatch.setattr("generator.outputs.newsletter.render", refuse)
    monkeypatch.setattr("generator.outputs.opendata.validation.validate", refuse)
    again = make_products(root, tmp_path)
    assert kept(root) == before
    assert outputs(again) == outputs(first)
    # each newsletter's letter (what its web version shows) as the build that made it had it
    assert [edition.letter for edition in again.newsletters] == [edition.letter for edition in first.newsletters]


def test_a_changed_notice_makes_again_exactly_its_issue(built, tmp_path):
    root, _ = built
    before = kept(root)
    notice = root / "content/gazette/2026/02/02-public-bicycle.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("---\n\n", "---\n\n新增一段說明。\n\n", 1), encoding="utf-8")
    incremental = make_products(root, tmp_path / "incremental")
    assert new_files(before, kept(root)) == {
        "print": ["gazette-2026-02"], "opendata": ["texts-2026-02", "valid-gazette"], "newsletter": ["newsletter-2026-02"]}
    assert any("新增一段說明" in row[15] for row in incremental.packages[0].resources[1].table.rows)  # notices.text
    # the issue's older letter went with the files kept beside it: a JSON and three files an issue
    assert len(kept(root)["newsletter"]) == 4 * len(incremental.content.gazette.issues)
    scratch = _from_scratch(root, tmp_path)
    assert outputs(incremental) == outputs(scratch)


def test_an_agencys_new_name_makes_again_the_issues_that_show_it(built, tmp_path):
    """The print edition and the newsletter show each notice's agency by its name: the issues with a
    notice of the Department of Education (2 and 4 of 2026) are made again, not issues 1 and 3;
    the notices' plain texts do not show it."""
    root, _ = built
    before = kept(root)
    agency = root / "content/directory/education.yml"
    agency.write_text(agency.read_text(encoding="utf-8").replace("zh-Hant: 教育局", "zh-Hant: 教育處", 1), encoding="utf-8")
    incremental = make_products(root, tmp_path / "incremental")
    assert new_files(before, kept(root)) == {
        "print": ["gazette-2026-02", "gazette-2026-04"],
        "opendata": ["valid-directory", "valid-gazette"],
        "newsletter": ["newsletter-2026-02", "newsletter-2026-04"]}
    letter = next(e for e in incremental.newsletters if e.letter.issue.id == "2026/04")
    assert "教育處" in letter.text.decode("utf-8")
    assert outputs(incremental) == outputs(_from_scratch(root, tmp_path))


def _from_scratch(root: Path, tmp_path: Path) -> Products:
    """The products of a copy of the project without any cache."""
    copy = tmp_path / "scratch"
    for name in ("content", "datasets", "themes"):
        shutil.copytree(root / name, copy / name)
    shutil.copy(root / "mkdocs.yml", copy / "mkdocs.yml")
    return make_products(copy, tmp_path / "scratch-out")
