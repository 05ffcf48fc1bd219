"""The model's references, resolved once: what a notice's ids name, and its neighbours.

Content files refer to each other by id (a notice names its agency and category; its folder names
its issue; an agency names its parent and group). Once content has been checked every id resolves,
and :class:`Links` resolves them all in one pass, so no output looks anything up by string again
(and nothing scans a list for an id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from generator.model.directory import Agency, Directory
from generator.model.gazette import Gazette, Issue, Notice, Reference
from generator.model.site import Named, Site


@dataclass(frozen=True, slots=True)
class Links:
    """Every reference of the content, resolved. Built by :meth:`of`; read-only."""

    agencies: Mapping[str, Agency]  # by id
    children: Mapping[str, tuple[Agency, ...]]  # an agency's id -> the agencies under it, by id (() for none)
    categories: Mapping[str, Named]  # by slug
    groups: Mapping[str, Named]  # the directory's groups, by slug
    issues: Mapping[str, Issue]  # by id, "2026/03"
    _issue_of: Mapping[str, Issue]  # a notice's id -> its issue
    _position: Mapping[str, int]  # a notice's id -> its place in the whole gazette
    _notices: tuple[Notice, ...]
    _issues: tuple[Issue, ...]
    _issue_position: Mapping[str, int]  # an issue's id -> its place among all issues
    _named: Mapping[str, Notice]  # a document number (without spaces) or a notice's id -> the notice
    _relations: Mapping[str, tuple[tuple[str, Notice], ...]]  # a notice's id -> (relation, earlier notice) it declares
    _related_by: Mapping[str, tuple[tuple[str, Notice], ...]]  # a notice's id -> (relation, later notice) naming it

    @classmethod
    def of(cls, site: Site | None, gazette: Gazette, directory: Directory) -> Links:
        notices = gazette.notices
        named: dict[str, Notice] = {}
        for notice in notices:
            named.setdefault(notice.id, notice)
            for number in notice.numbers:
                named.setdefault(number_key(number), notice)
        relations: dict[str, list[tuple[str, Notice]]] = {}
        related_by: dict[str, list[tuple[str, Notice]]] = {}
        for notice in notices:
            for relation, reference in notice.references():
                target = resolve(named, reference)
                if target is not None and target.id != notice.id:  # check reports the others
                    relations.setdefault(notice.id, []).append((relation, target))
                    related_by.setdefault(target.id, []).append((relation, notice))
        return cls(
            agencies=directory.by_id,
            children=directory.children_of,
            categories=MappingProxyType({category.slug: category for category in (site.categories if site else ())}),
            groups=MappingProxyType({group.slug: group for group in (site.directory_groups if site else ())}),
            issues=MappingProxyType({issue.id: issue for issue in gazette.issues}),
            _issue_of=MappingProxyType({notice.id: issue for issue in gazette.issues for notice in issue.notices}),
            _position=MappingProxyType({notice.id: index for index, notice in enumerate(notices)}),
            _notices=notices,
            _issues=gazette.issues,
            _issue_position=MappingProxyType({issue.id: index for index, issue in enumerate(gazette.issues)}),
            _named=MappingProxyType(named),
            _relations=MappingProxyType({key: tuple(value) for key, value in relations.items()}),
            _related_by=MappingProxyType({key: tuple(value) for key, value in related_by.items()}),
        )

    def agency(self, agency_id: str) -> Agency | None:
        """The agency with this id, if the directory has it."""
        return self.agencies.get(agency_id)

    def agency_of(self, notice: Notice) -> Agency:
        """The agency that issued the notice: the lead agency of a joint notice (:meth:`agencies_of`)."""
        return self.agencies[notice.agency]

    def agencies_of(self, notice: Notice) -> tuple[Agency, ...]:
        """Every agency that issued the notice, the lead agency first."""
        return tuple(self.agencies[agency] for agency in notice.agencies)

    def category_of(self, notice: Notice) -> Named:
        return self.categories[notice.category]

    def issue_of(self, notice: Notice) -> Issue:
        return self._issue_of[notice.id]

    def neighbours(self, notice: Notice) -> tuple[Notice | None, Notice | None]:
        """The notices before and after this one in the whole gazette (across issues)."""
        index = self._position[notice.id]
        before = self._notices[index - 1] if index else None
        after = self._notices[index + 1] if index + 1 < len(self._notices) else None
        return before, after

    def issue_neighbours(self, issue: Issue) -> tuple[Issue | None, Issue | None]:
        """The issues before and after this one (across years)."""
        issues, index = self._issues, self._issue_position[issue.id]
        return (issues[index - 1] if index else None), (issues[index + 1] if index + 1 < len(issues) else None)

    def named(self, reference: Reference) -> Notice | None:
        """The notice a reference names, by any of its document numbers or by its id; None if none."""
        return resolve(self._named, reference)

    def relations(self, notice: Notice) -> tuple[tuple[str, Notice], ...]:
        """(relation, notice) for each earlier notice this one corrects, amends or repeals."""
        return self._relations.get(notice.id, ())

    def related_by(self, notice: Notice) -> tuple[tuple[str, Notice], ...]:
        """(relation, notice) for each later notice that corrects, amends or repeals this one, oldest first."""
        return self._related_by.get(notice.id, ())


def number_key(number: str) -> str:
    """A document number as compared: without spaces (``府工字 第1150000001號`` is ``府工字第1150000001號``)."""
    return "".join(number.split())


def resolve(named: Mapping[str, Notice], reference: Reference) -> Notice | None:
    return named.get(reference.text.strip("/")) or named.get(number_key(reference.text))
