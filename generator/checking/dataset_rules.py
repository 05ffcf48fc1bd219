"""Rules for the open-data descriptors (``datasets/<package>.yml``): one for each package the
generator writes, describing exactly the resources and fields it writes, no more and no less.

The tables and fields are those the model declares (:mod:`generator.model.opendata`), which the
open-data output fills with rows. A statistics table's own resource is described by book.yml (its
title, unit, source and column labels), so only the fixed resources of a package are described in
``datasets/``.

Without a ``datasets/`` folder a project publishes no open data, and nothing is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path, PurePosixPath

from generator.errors import Kind, Problem, Source
from generator.reading.load import DATASETS
from generator.model import Content, Dataset
from generator.model.dataset import ResourceText
from generator.model.opendata import PACKAGES, declared
from generator.model.schema import hint


def dataset_rules(content: Content, root: Path, present: AbstractSet[str]) -> Iterator[Problem]:
    """A descriptor for every package and a package for every descriptor; then their resources."""
    if "datasets" not in present:
        return
    named = {dataset.name for dataset in content.datasets}
    for name in PACKAGES:
        if name not in named and f"dataset:{name}" not in present:
            yield Problem.of(Kind.MISSING_FILE, Source(PurePosixPath(DATASETS)), what="dataset descriptor",
                             value=f"{DATASETS}/{name}.yml")
    for dataset in content.datasets:
        if dataset.name not in PACKAGES:
            rule = "name it after the package it describes: " + ", ".join(f"{name}.yml" for name in PACKAGES)
            yield Problem.of(Kind.BAD_NAME, dataset.source, what="dataset descriptor", name=f"{dataset.name}.yml",
                             rule=rule + hint(dataset.name, PACKAGES))
            continue
        written = {table.name: table.field_names for table in declared(content.site, dataset.name)}
        yield from resource_rules(dataset, written)


def resource_rules(dataset: Dataset, written: dict[str, tuple[str, ...]]) -> Iterator[Problem]:
    """Each resource described is written, and each resource written is described."""
    owner = f"package '{dataset.name}'"
    for name, text in dataset.resources.items():
        if name not in written:
            yield Problem.of(Kind.UNKNOWN_FIELD, dataset.resources.where[name], what="resource", name=name, owner=owner,
                             hint=hint(name, written), known=", ".join(written))
        else:
            yield from field_rules(name, text, written[name])
    for name in written:
        if name not in dataset.resources:
            yield Problem.of(Kind.UNDESCRIBED_FIELD, dataset.where["resources"], what="resource", name=name, owner=owner,
                             key="resources")


def field_rules(resource: str, text: ResourceText, fields: tuple[str, ...]) -> Iterator[Problem]:
    """Each field described exists, and each field written is described."""
    owner = f"resource '{resource}'"
    for name in text.fields:
        if name not in fields:
            yield Problem.of(Kind.UNKNOWN_FIELD, text.fields.where[name], what="field", name=name, owner=owner,
                             hint=hint(name, fields), known=", ".join(fields))
    for name in fields:
        if name not in text.fields:
            yield Problem.of(Kind.UNDESCRIBED_FIELD, text.where["fields"], what="field", name=name, owner=owner,
                             key=f"resources: {resource}: fields")
