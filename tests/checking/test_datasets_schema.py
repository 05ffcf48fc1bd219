"""The open-data descriptors (datasets/*.yml): read strictly, and checked against the data the
generator writes, each problem at its place."""

from __future__ import annotations

import dataclasses

from generator.checking.check import problems_of
from generator.errors import Kind
from generator.outputs.opendata import packages as datapackage
from generator.reading.history import ChangeRecord

from helpers import at, only, position
from opendata import DESCRIPTORS, GAZETTE, with_datasets

DIRECTORY = "datasets/directory.yml"


def edited(project, path: str, old: str, new: str) -> str:
    text = DESCRIPTORS[path]
    assert old in text, old
    text = text.replace(old, new, 1)
    project.write({path: text})
    return text


def test_the_shipped_descriptors_describe_a_project_exactly(project):
    with_datasets(project)
    assert project.problems() == []


def test_without_a_datasets_folder_nothing_is_required_and_nothing_published(project):
    content, problems = problems_of(project.root)
    assert problems == [] and content.datasets == ()
    assert datapackage.packages(content, ChangeRecord()) == ()


def test_a_description_of_a_field_the_data_does_not_have(project):
    with_datasets(project)
    text = edited(project, GAZETTE, "      doc_number: {", "      doc_numbr: {title: 字號, description: 多出來的}\n      doc_number: {")
    problem = only(project.problems(), Kind.UNKNOWN_FIELD)
    line, column = position(text, "doc_numbr")
    assert at(problem) == f"{GAZETTE}:{line}:{column}"
    assert "field 'doc_numbr' is not in the data of resource 'notices'" in problem.message
    assert "did you mean 'doc_number'" in problem.message


def test_a_field_without_a_description(project):
    with_datasets(project)
    text = edited(project, GAZETTE, "      signer: {title: 署名, description: 公告之署名，如「市長 林志遠」；無則空白。}\n", "")
    problem = only(project.problems(), Kind.UNDESCRIBED_FIELD)
    # reported at the resource's fields, where the description is to be added
    line, column = position(text, "id: {title: 公告代碼")
    assert at(problem) == f"{GAZETTE}:{line}:{column}"
    assert "field 'signer' of resource 'notices' has no description" in problem.message


def test_a_resource_the_package_does_not_have(project):
    with_datasets(project)
    text = edited(project, DIRECTORY, "  units:\n", "  unit:\n")
    problems = project.problems()
    unknown = only(problems, Kind.UNKNOWN_FIELD)
    assert at(unknown) == f"{DIRECTORY}:{position(text, 'unit:')[0]}:3"
    assert "resource 'unit' is not in the data of package 'directory' (did you mean 'units'?)" in unknown.message
    missing = only(problems, Kind.UNDESCRIBED_FIELD)
    assert "resource 'units' of package 'directory' has no description" in missing.message


def test_update_frequency_uses_the_portal_vocabulary(project):
    with_datasets(project)
    text = edited(project, GAZETTE, "frequency: 每半月", "frequency: 半月")
    problem = only(project.problems(), Kind.BAD_VALUE)
    line, column = position(text, "半月\n")
    assert at(problem) == f"{GAZETTE}:{line}:{column}"
    assert "每半月" in problem.message


def test_a_missing_descriptor(project):
    with_datasets(project)
    (project.root / "datasets/yearbook-statistics.yml").unlink()
    problem = only(project.problems(), Kind.MISSING_FILE)
    assert at(problem) == "datasets:1:1" and "datasets/yearbook-statistics.yml" in problem.message


def test_a_descriptor_of_no_package(project):
    with_datasets(project)
    project.write({"datasets/budget.yml": DESCRIPTORS[GAZETTE]})
    problem = only(project.problems(), Kind.BAD_NAME)
    assert at(problem) == "datasets/budget.yml:1:1" and "gazette.yml, directory.yml" in problem.message


def test_a_broken_descriptor_is_reported_once(project):
    with_datasets(project)
    text = edited(project, GAZETTE, "title:\n  zh-Hant: 嘉和市政府公報索引及全文\n", "titel:\n  zh-Hant: 嘉和市政府公報索引及全文\n")
    problems = project.problems()
    assert at(only(problems, Kind.UNKNOWN_KEY)) == f"{GAZETTE}:{position(text, 'titel')[0]}:1"
    assert at(only(problems, Kind.MISSING_KEY)) == f"{GAZETTE}:4:1"
    assert not [p for p in problems if p.kind is Kind.MISSING_FILE]  # the file exists: not "missing" again


def test_check_prints_every_problem_with_its_place(project):
    with_datasets(project)
    edited(project, GAZETTE, "frequency: 每半月", "frequency: weekly")
    result = project.run("check")
    assert result.returncode == 1
    assert f"{GAZETTE}:" in result.stderr and "[bad-value]" in result.stderr and "1 error" in result.stderr
    assert "Traceback" not in result.stderr


def test_wrapped_chinese_descriptions_join_without_a_space(project):
    with_datasets(project)
    notes = "notes: >-\n  本資料集自115年起提供，\n  早期公報另案數位化。 Older\n  issues follow.\n"
    edited(project, GAZETTE, "category: 公共資訊\n", "category: 公共資訊\n" + notes)
    content, problems = problems_of(project.root)
    assert problems == []
    gazette = next(d for d in content.datasets if d.name == "gazette")
    assert gazette.notes == "本資料集自115年起提供，早期公報另案數位化。 Older issues follow."
    # a space typed on one line stays
    assert gazette.resources["notices"].fields["signer"].description == "公告之署名，如「市長 林志遠」；無則空白。"


def test_licence_and_contact_default_to_site_yml_unless_given(project):
    with_datasets(project)
    edited(project, DIRECTORY, "category: 公共資訊\n",
           "category: 公共資訊\ncontact:\n  name: 人事處\n  phone: (05)225-4321 分機 3301\n  email: personnel@mail.jiahe.gov.tw\n")
    content, problems = problems_of(project.root)
    assert problems == []
    made = {package.name: package for package in datapackage.packages(content, ChangeRecord())}
    assert made["directory"].contact.name == "人事處" and made["gazette"].contact.name == content.site.contact.name
    assert made["gazette"].licence == content.site.licence


def test_the_data_written_is_the_data_declared_in_the_model(shipped):
    """check reads the model's declarations (generator/model/opendata.py); the open data fills the same
    tables with rows: what a descriptor is held to is what is published."""
    from generator.model.opendata import PACKAGES, declared
    from generator.outputs.opendata.tables import tables

    content = problems_of(shipped.root)[0]
    for package in PACKAGES:
        written = [dataclasses.replace(table, rows=()) for table in tables(content, package) if table.described]
        assert written == list(declared(content.site, package)), package
