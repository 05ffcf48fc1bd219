"""The labels catalogue: every part of the site says the same things in each language."""

from __future__ import annotations

import pytest

from generator.labels import CATALOGUE
from generator.model.common import LANGUAGES


def _keys(value, prefix=""):
    if hasattr(value, "items"):
        return {f"{prefix}{key}" for key, item in value.items() for key in [key, *_keys(item, f"{prefix}{key}.")]}
    return set()


@pytest.mark.parametrize("section", sorted(CATALOGUE))
def test_every_label_exists_in_every_language(section):
    labels = CATALOGUE[section]
    assert set(labels) == set(LANGUAGES)
    first = _keys(labels[LANGUAGES[0]])
    for language in LANGUAGES[1:]:
        assert _keys(labels[language]) == first, f"{section}: {language} differs"
