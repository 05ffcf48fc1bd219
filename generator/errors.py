"""Where things come from, what can be wrong with them, and the exceptions of the generator.

Every problem found in content carries a :class:`Source` (``path:line:col``) and a :class:`Kind`
from the catalogue below, so tests assert the kind and the place, never the prose.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True, order=True)
class Source:
    """A place in a content file: a path relative to the project, and a 1-based line and column."""

    path: PurePosixPath
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def at(self, line: int, column: int = 1) -> Source:
        return Source(self.path, line, column)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Kind(enum.Enum):
    """The catalogue of content problems: a stable slug and a message template."""

    # reading files
    FILE_TOO_LARGE = ("file-too-large", "file is {size:,} bytes; the limit for this kind of file is {limit:,} bytes")
    NOT_UTF8 = ("not-utf8", "file is not UTF-8 (byte 0x{byte:02X}){guess}; save it as UTF-8")
    UNREADABLE = ("unreadable", "cannot read the file: {reason}")
    YAML_SYNTAX = ("yaml-syntax", "YAML syntax error: {reason}")
    TAB_INDENT = ("tab-indent", "tab character in indentation; indent with spaces")
    DUPLICATE_KEY = ("duplicate-key", "duplicate key '{key}' (first given on line {first})")
    ALIAS = ("alias", "YAML anchors and aliases ('&', '*') are not allowed; write the value out in full")
    NO_FRONT_MATTER = ("no-front-matter", "the file must start with front matter: a line '---', the fields, and a line '---'")
    UNCLOSED_FRONT_MATTER = ("unclosed-front-matter", "front matter opened on line 1 is never closed by a line '---'")
    CONTROL_CHARACTER = ("control-character", "{char} is {what}; delete it{hint}")
    PRIVATE_USE = ("private-use", "{char} is a private-use character: every reader without the font it was made for sees an "
                   "empty box; type the standard Unicode character instead (an old Big5 造字 usually has one)", Severity.WARNING)
    TOO_DEEP = ("too-deep", "nested more than {limit} levels deep, far more than any content file needs; "
                            "check the indentation and the brackets here")
    # the schema
    NOT_MAPPING = ("not-mapping", "{what} must be a mapping of keys to values, not {found}")
    UNKNOWN_KEY = ("unknown-key", "unknown key '{key}'{hint}")
    MISSING_KEY = ("missing-key", "missing required key '{key}'{context}")
    EMPTY_VALUE = ("empty-value", "'{key}' must not be empty")
    NULL_VALUE = ("null-value", "'{key}' has no value: YAML reads an unquoted {typed} as nothing; write the value "
                                "(or \"{typed}\" in quotes, if that is the text you mean)")
    FORMULA_START = ("formula-start", "'{value}' starts with {char}, which a spreadsheet opening the open-data CSV runs as a "
                                      "formula; begin the text differently (a full-width ＝＋－＠ reads the same)")
    WRONG_TYPE = ("wrong-type", "'{key}' must be {expected}, not {found}")
    BAD_DATE = ("bad-date", "'{value}' is not a valid date: {reason}")
    BAD_VALUE = ("bad-value", "'{key}': {reason}")
    BAD_PHONE = ("bad-phone", "'{value}' is not a valid Taiwan phone number: {reason}")
    BAD_NAME = ("bad-name", "{what} '{name}' is not allowed here: {rule}")
    # across files
    UNKNOWN_REFERENCE = ("unknown-reference", "{what} '{value}' does not exist{hint}")
    DUPLICATE = ("duplicate", "{what} '{value}' is already used at {first}")
    SHARED_NUMBER = ("shared-number", "{value} is also listed for {other} at {first}", Severity.WARNING)
    BAD_EXTENSION = ("bad-extension", "{value} is a {sort} number: {reason}")
    BAD_FAX = ("bad-fax", "fax {value} is a {sort} number; a fax needs a landline")
    TOLL_FREE_EXTENSION = ("toll-free-extension", "{value} is a toll-free number, which callers reach directly: is the extension right?", Severity.WARNING)
    BAD_RELATION = ("bad-relation", "'{value}' {reason}")
    ISSUE_GAP = ("issue-gap", "issue {number:02d} of {year} follows issue {previous:02d}: issue numbers must have no gaps")
    ISSUE_DATE = ("issue-date", "{reason}")
    OFF_SCHEDULE = ("off-schedule", "publication date {date} is not on the schedule in site.yml ({schedule})", Severity.WARNING)
    MISSING_TRANSLATION = ("missing-translation", "chapter '{chapter}' has no {language} file {expected}; write it or mark the chapter as not_translated")
    MISSING_FILE = ("missing-file", "{what} '{value}' does not exist")
    FILE_TYPE = ("file-type", "{what} '{value}' is a {suffix} file, which a browser would open as a page of this site and "
                              "run any script in it; publish it as {instead}")
    OUTSIDE_CONTENT = ("outside-content", "{what} '{value}' points outside content/: {reason}")
    MISSING_ALT = ("missing-alt", "image '{value}' has no alt text; describe the image between the brackets: ![…]({value})")
    UNSAFE_MARKUP = ("unsafe-markup", "{what} is not allowed in content: it could run a script in readers' browsers")
    EMPTY_ISSUE = ("empty-issue", "issue {year}/{number:02d} has no notices yet", Severity.WARNING)
    BAD_TABLE = ("bad-table", "{reason}")
    BAD_NUMBER = ("bad-number", "'{value}' in column '{column}' is a number written {how}; write it plain, {plain} "
                                "(the site and the e-books add the thousands separators and a real minus sign)")
    MIXED_COLUMN = ("mixed-column", "'{value}' in column '{column}' is text, but the column's other {count} filled "
                                    "cell{s} {are} numbers; write a plain number (-1234, 12.5), or leave the cell empty "
                                    "where there is no value (a column with any text in it is published as text)")
    # importing an archive (python -m generator import ey-xml)
    IMPORT_FILE = ("import-file", "{reason}")
    IMPORT_RECORD = ("import-record", "record MetaId {meta_id}: {reason}")
    IMPORT_CHANGED = ("import-changed", "record MetaId {meta_id}: {note}", Severity.WARNING)
    IMPORT_FILE_CHANGED = ("import-changed", "{note}", Severity.WARNING)
    # open-data descriptors (datasets/)
    UNKNOWN_FIELD = ("unknown-field", "{what} '{name}' is not in the data of {owner}{hint}; the data has {known}")
    UNDESCRIBED_FIELD = ("undescribed-field", "{what} '{name}' of {owner} has no description; describe it under '{key}'")

    def __init__(self, slug: str, template: str, severity: Severity = Severity.ERROR) -> None:
        self.slug = slug
        self.template = template
        self.severity = severity


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in the content, at one place."""

    source: Source
    kind: Kind
    message: str

    @classmethod
    def of(cls, kind: Kind, source: Source, **params: object) -> Problem:
        return cls(source=source, kind=kind, message=kind.template.format(**params))

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    def __str__(self) -> str:
        return f"{self.source}: {self.severity.value}: {self.message} [{self.kind.slug}]"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


class GeneratorError(Exception):
    """Base of the errors the generator reports to a person (no traceback)."""


class ContentError(GeneratorError):
    """The content has errors; ``problems`` holds all of them (and the warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(errors_in(problems))
        super().__init__(f"{count} error{'s' if count != 1 else ''} in content/")


class BuildError(GeneratorError):
    """A build stage failed for a reason other than content: a missing program, a failed tool."""
