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
from generator.model.gazette import Gazette, Issue, Notice
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

    @classmethod
    def of(cls, site: Site | None, gazette: Gazette, directory: Directory) -> Links:
        notices = gazette.notices
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
