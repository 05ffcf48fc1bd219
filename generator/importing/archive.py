"""``python -m generator import ey-xml PATH...``: the national gazette's days into ``content/``.

How the records become the project's content (decisions recorded here and in README):

- **Issues follow the schedule** of ``content/site.yml``: a record goes into the issue dated the first
  schedule day on or after the day its file was published (with a daily schedule, the day itself; with
  the 1st and 16th, the next of them). An issue already there takes more notices after its last one;
  a new issue is numbered after the last of its year. An issue cannot be put before an existing issue
  of its year (that would renumber published issues): such a day is refused, nothing is written.
- **A notice's file is** ``<SS>-ey-<MetaId>.md``: the MetaId (the source's record id, never reused)
  makes importing repeatable: a record whose file exists anywhere in the gazette is left alone, so
  importing the same files twice changes nothing and a later day only adds. Positions and issue numbers
  take three digits once an issue or a year holds more than 99 (the names already there are renamed to
  match; the addresses, which use the number, do not change).
- **Categories** are the records' ``Chapter`` (內政篇, 交通建設篇, …): a chapter that is not yet a
  category of site.yml is added to it (slug and English name from the table below), at the end of
  ``categories:``; an unknown chapter is refused.
- **Agencies** are ``PubGovName`` (all issuing agencies, the lead first; ``PubGov`` if it is empty),
  matched by Chinese name or short name with the directory. An agency not in it gets a minimal entry,
  ``content/directory/<pinyin-of-the-name>.yml``, valid for check and marked at its top for an editor
  to complete: the English name repeats the Chinese one, the address says it is missing, the phone is
  the gazette's contact (site.yml) until the agency's own number is typed.
- **All or nothing**: the project must pass check first; then every file is read and every record
  converted before anything is written. Any problem (a broken file, a record that cannot be
  converted, a day that cannot be placed) is reported with its file, line and MetaId, and nothing is
  written. The new files are written into a staging folder beside ``content/`` and moved into place
  one by one (each file appears whole; issue files before their notices), so a run that is killed
  leaves whole files only, and importing again completes it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from generator.errors import ContentError, GeneratorError, Kind, Problem, errors_in
from generator.importing.eyxml import Record, read_day
from generator.model import Content
from generator.model.gazette import MAX_NUMBER, number_width
from generator.model.schedule import Schedule
from generator.model.site import Site

#: The Executive Yuan gazette's chapters (篇): slug and English name of the category each becomes.
CHAPTERS = MappingProxyType({
    "綜合行政篇": ("general-administration", "General Administration"),
    "內政篇": ("interior", "Interior Affairs"),
    "外交、國防及法務篇": ("foreign-affairs-defence-justice", "Foreign Affairs, National Defence and Justice"),
    "財政經濟篇": ("finance-economy", "Finance and Economy"),
    "教育文化篇": ("education-culture", "Education and Culture"),
    "交通建設篇": ("transportation-construction", "Transportation and Construction"),
    "農業環保篇": ("agriculture-environment", "Agriculture and Environmental Protection"),
    "衛生勞動篇": ("health-labour", "Health and Labour"),
    "科技篇": ("science-technology", "Science and Technology"),
    "附錄": ("appendix", "Appendix"),
    "勘誤": ("errata", "Errata"),
})
#: The file name of an imported notice: position, "ey", the record's MetaId.
IMPORTED_NOTICE = re.compile(r"(?P<seq>\d{2,3})-ey-(?P<meta_id>\d+)\.md")
#: What an agency entry made by the importer says for what it does not know.
UNKNOWN_ADDRESS = "地址待補（自行政院公報匯入，請編輯補正）"


def issue_date(day: dt.date, schedule: Schedule) -> dt.date | None:
    """The date of the issue that publishes what appeared on ``day``: the first schedule day on or after
    it (None after the last date of a list of dates)."""
    return day if schedule.is_issue_day(day) else schedule.next_day(day)


def agency_id(name: str, taken: set[str]) -> str:
    """A directory id for an agency known only by its Chinese name: its pinyin (內政部 -> nei-zheng-bu),
    at most 48 characters, made unique with -2, -3, …"""
    from pypinyin import lazy_pinyin

    words = "-".join(lazy_pinyin(name)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "agency"
    while len(slug) > 48 and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def _q(text: str) -> str:
    """A YAML value that is read back exactly as this text: a double-quoted scalar written by YAML's
    own serializer (a JSON string is not always one: YAML reads a raw U+0085 in it as a line break)."""
    return yaml.safe_dump(text, allow_unicode=True, default_style='"', width=float("inf")).rstrip("\n")


@dataclass
class _Issue:
    year: int
    number: int
    date: dt.date
    folder: str  # its folder's name now ("" for a new issue)
    new: bool
    last_seq: int = 0
    seq_width: int = 2  # the width of the notice files already there
    records: list[Record] = field(default_factory=list)


@dataclass
class Result:
    """What an import did (or would have done)."""

    imported: int = 0
    skipped: int = 0  # already in content/, by MetaId
    new_issues: int = 0
    issues: set[tuple[int, int]] = field(default_factory=set)  # (year, number) that got notices
    agencies: list[str] = field(default_factory=list)  # paths of the entries made, to complete
    categories: list[str] = field(default_factory=list)  # chapters added to site.yml
    warnings: list[Problem] = field(default_factory=list)


class Importer:
    def __init__(self, root: Path, content: Content, group: str | None = None):
        self.root = root
        self.content = content
        self.site: Site = content.site
        groups = [g.slug for g in self.site.directory_groups]
        if group is not None and group not in groups:
            raise GeneratorError(f"--group '{group}' is not a directory group of content/site.yml ({', '.join(groups)})")
        self.group = group or groups[-1]
        self.problems: list[Problem] = []
        self.result = Result()

    # -- what is there ---------------------------------------------------------------------------

    def imported_ids(self) -> set[str]:
        gazette = self.root / "content" / "gazette"
        return {m["meta_id"] for path in gazette.glob("*/*/*-ey-*.md") if (m := IMPORTED_NOTICE.fullmatch(path.name))}

    def existing_issues(self) -> dict[int, list[_Issue]]:
        years: dict[int, list[_Issue]] = {}
        for issue in self.content.gazette.issues:
            folder = issue.source.path.parent.name
            seqs = [n.seq for n in issue.notices]
            widths = {len(Path(n.source.path).name.split("-", 1)[0]) for n in issue.notices}
            years.setdefault(issue.year, []).append(_Issue(issue.year, issue.number, issue.date, folder, False,
                                                           max(seqs, default=0), max(widths, default=2)))
        for issues in years.values():
            issues.sort(key=lambda i: i.number)
        return years

    # -- the plan --------------------------------------------------------------------------------

    def run(self, paths: Iterable[Path]) -> Result:
        records: list[Record] = []
        for path in paths:
            found, problems = read_day(path)
            records += found
            self.problems += problems
        records.sort(key=lambda r: r.day)  # stable: a day's records keep the file's order
        done = self.imported_ids()
        seen: set[str] = set()
        fresh = []
        for record in records:
            if record.meta_id in done or record.meta_id in seen:
                self.result.skipped += 1
                continue
            seen.add(record.meta_id)
            fresh.append(record)
        categories = self.categories(fresh)
        agencies = self.agencies(fresh)
        self.numbers(fresh)
        issues = self.place(fresh)
        if errors_in(self.problems):
            raise ContentError(self.problems)
        for record in fresh:
            self.result.warnings += [Problem.of(Kind.IMPORT_CHANGED, record.source, meta_id=record.meta_id, note=note)
                                     for note in record.notes]
        self.write(issues, categories, agencies)
        self.result.imported = len(fresh)
        return self.result

    def refuse(self, record: Record, reason: str) -> None:
        self.problems.append(Problem.of(Kind.IMPORT_RECORD, record.source, meta_id=record.meta_id, reason=reason))

    def categories(self, records: list[Record]) -> dict[str, tuple[str, str]]:
        """The chapters to add to site.yml: chapter -> (slug, English name); refuses unknown ones."""
        added: dict[str, tuple[str, str]] = {}
        slugs = {c.slug for c in self.site.categories}
        for record in records:
            chapter = record.chapter
            if self.site.category(chapter) is not None or chapter in added:
                continue
            if chapter not in CHAPTERS:
                self.refuse(record, f"Chapter '{chapter}' is not a category of content/site.yml, and not a chapter the "
                                    "importer knows: add it to categories in site.yml (slug and names), then import again")
                continue
            slug, english = CHAPTERS[chapter]
            while slug in slugs:
                slug += "-ey"
            slugs.add(slug)
            added[chapter] = (slug, english)
        return added

    def agencies(self, records: list[Record]) -> dict[str, tuple[str, Record]]:
        """Agency name -> (id, first record naming it) for the agencies to add to the directory; sets each
        record's ``agencies`` to ids."""
        known: dict[str, str] = {}
        for agency in self.content.directory.agencies:
            names = [agency.name.zh_hant] + ([agency.short_name.zh_hant] if agency.short_name else [])
            for name in names:
                known.setdefault(name, agency.id)
        taken = {agency.id for agency in self.content.directory.agencies}
        taken |= {p.stem for p in (self.root / "content" / "directory").glob("*.yml")}
        new: dict[str, tuple[str, Record]] = {}
        for record in records:
            ids = []
            for name in record.agencies:
                if name not in known:
                    known[name] = agency_id(name, taken)
                    new[name] = (known[name], record)
                ids.append(known[name])
            record.agencies = tuple(dict.fromkeys(ids))
        return new

    def numbers(self, records: list[Record]) -> None:
        """Each document number once in the whole gazette (check's rule), against content/ and this import."""
        first: dict[str, str] = {}
        for notice in self.content.gazette.notices:
            for number in notice.doc_numbers:
                first.setdefault(number, str(notice.source))
        for record in records:
            for number in record.doc_numbers:
                if number in first:
                    self.refuse(record, f"GazetteId '{number}' is already the document number of {first[number]}")
                first.setdefault(number, f"MetaId {record.meta_id} ({record.source})")

    def place(self, records: list[Record]) -> list[_Issue]:
        """Each record into its issue (existing or new), by the schedule; the issues that get notices."""
        years = self.existing_issues()
        touched: dict[tuple[int, int], _Issue] = {}
        for record in records:
            date = issue_date(record.day, self.site.gazette.schedule)
            if date is None:
                self.refuse(record, f"the schedule in content/site.yml has no day on or after {record.day}: add dates to it")
                continue
            issues = years.setdefault(date.year, [])
            target = next((issue for issue in issues if issue.date == date), None)
            if target is None:
                last = issues[-1] if issues else None
                if last is not None and last.date > date:
                    self.refuse(record, f"its day {record.day} belongs in an issue dated {date}, before issue {last.number} "
                                        f"of {last.year} ({last.date}) already in content/: issues cannot be inserted "
                                        "(that would renumber published issues); import the days in date order")
                    continue
                number = (last.number if last else 0) + 1
                if number > MAX_NUMBER:
                    self.refuse(record, f"{date.year} would have more than {MAX_NUMBER} issues")
                    continue
                target = _Issue(date.year, number, date, "", True)
                issues.append(target)
            if target.last_seq + len(target.records) >= MAX_NUMBER:
                self.refuse(record, f"issue {target.number} of {target.year} would hold more than {MAX_NUMBER} notices")
                continue
            target.records.append(record)
            touched[(target.year, target.number)] = target
        self.years = years
        return list(touched.values())

    # -- writing ---------------------------------------------------------------------------------

    def write(self, issues: list[_Issue], categories: dict[str, tuple[str, str]],
              agencies: dict[str, tuple[str, Record]]) -> None:
        content = self.root / "content"
        files: dict[Path, str] = {}  # relative to content/ -> text; issue files are placed first
        renames: list[tuple[Path, Path]] = []  # relative to content/, in order
        for name, (agency, record) in agencies.items():
            files[Path("directory") / f"{agency}.yml"] = self.agency_text(name, record)
            self.result.agencies.append(f"content/directory/{agency}.yml")
        site_text = self.site_text(categories) if categories else None
        self.result.categories = list(categories)
        folders: dict[tuple[int, int], str] = {}
        touched_years = {issue.year for issue in issues}
        for year in sorted(touched_years):
            all_issues = self.years[year]
            existing = [len(i.folder) for i in all_issues if not i.new]
            # as new-issue names them: three digits in a year of more than 99 schedule days, from its first issue
            digits = max([number_width(all_issues[-1].number)] + (existing or [number_width(self.site.gazette.schedule.days_in(year))]))
            for issue in all_issues:
                folders[(year, issue.number)] = f"{issue.number:0{digits}d}"
                if not issue.new and issue.folder != folders[(year, issue.number)]:
                    renames.append((Path("gazette") / str(year) / issue.folder, Path("gazette") / str(year) / folders[(year, issue.number)]))
        notices: dict[Path, str] = {}
        for issue in sorted(issues, key=lambda i: (i.year, i.number)):
            folder = Path("gazette") / str(issue.year) / folders[(issue.year, issue.number)]
            last = issue.last_seq + len(issue.records)
            digits = max(number_width(last), issue.seq_width if not issue.new else 2)
            if not issue.new and digits != issue.seq_width:
                for path in sorted((content / folder).glob("*.md")):
                    digits_now, rest = path.name.split("-", 1)
                    if digits_now.isdigit() and len(digits_now) != digits:
                        renames.append((folder / path.name, folder / f"{int(digits_now):0{digits}d}-{rest}"))
            if issue.new:
                files[folder / "issue.yml"] = self.issue_text(issue)
                self.result.new_issues += 1
            for seq, record in enumerate(issue.records, start=issue.last_seq + 1):
                notices[folder / f"{seq:0{digits}d}-ey-{record.meta_id}.md"] = self.notice_text(record, categories)
            self.result.issues.add((issue.year, issue.number))
        files.update(notices)
        _apply(self.root, files, renames, site_text)

    def site_text(self, categories: dict[str, tuple[str, str]]) -> str:
        """site.yml with the new categories at the end of ``categories:``, comments and all kept."""
        path = self.root / "content" / "site.yml"
        lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        start = next((i for i, line in enumerate(lines) if re.match(r"categories:\s*(#.*)?$", line.rstrip("\r\n"))), None)
        if start is None:
            raise GeneratorError("content/site.yml has no block 'categories:' to add the gazette's chapters to; add them "
                                 f"yourself: {', '.join(categories)}")
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][0] in " #-"):
            end += 1
        while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
            end -= 1  # the comments above the next key belong to it
        item = next((line for line in lines[start + 1:end] if line.lstrip().startswith("- ")), "  - ")
        indent = item[: len(item) - len(item.lstrip())]
        block = [f"{indent}# added by python -m generator import ey-xml: the national gazette's chapter {chapter}\n"
                 f"{indent}- slug: {slug}\n{indent}  name:\n{indent}    zh-Hant: {_q(chapter)}\n{indent}    en: {_q(english)}\n"
                 for chapter, (slug, english) in categories.items()]
        if end > 0 and not lines[end - 1].endswith("\n"):
            lines[end - 1] += "\n"
        text = "".join(lines[:end] + block + lines[end:])
        parsed = yaml.safe_load(text)
        found = {c.get("slug") for c in parsed.get("categories", []) if isinstance(c, dict)}
        if not all(slug in found for slug, _ in categories.values()):
            raise GeneratorError("could not add the gazette's chapters to categories in content/site.yml (is it written "
                                 f"as a flow list?); add them yourself: {', '.join(categories)}")
        return text

    def agency_text(self, name: str, record: Record) -> str:
        phone = self.site.contact.phone.raw
        return (
            "# TO COMPLETE: made by `python -m generator import ey-xml` because the national gazette names this agency\n"
            f"# (first in record MetaId {record.meta_id} of {record.source.path.name}). The English name repeats the Chinese one,\n"
            "# the address says it is missing and the phone is the gazette's contact in content/site.yml: type the\n"
            "# agency's own, add its short name, parent, units and contacts, then delete these comment lines.\n"
            f"name:\n  zh-Hant: {_q(name)}\n  en: {_q(name)}\n"
            f"group: {self.group}\n"
            f"address: {_q(UNKNOWN_ADDRESS)}\n"
            f"phone: {_q(phone)}\n"
        )

    def issue_text(self, issue: _Issue) -> str:
        days = sorted({r.day.isoformat() for r in issue.records})
        return (f"# Imported from the national gazette's open data (python -m generator import ey-xml): "
                f"the days {', '.join(days)}.\n"
                f"date: {issue.date.isoformat()}\n")

    def notice_text(self, record: Record, categories: dict[str, tuple[str, str]]) -> str:
        category = self.site.category(record.chapter)
        slug = category.slug if category is not None else categories[record.chapter][0]
        lines = [
            "---",
            f"# imported from {record.source.path.name}, record MetaId {record.meta_id}",
            f"title: {_q(record.title)}",
        ]
        if record.title_en:
            lines.append(f"title_en: {_q(record.title_en)}")
        lines.append(f"category: {slug}")
        lines.append(f"agency: {_one_or_list(record.agencies, quote=False)}")
        lines.append(f"doc_number: {_one_or_list(record.doc_numbers, quote=True)}")
        lines.append(f"issued: {record.issued.isoformat()}")
        if record.signer:
            lines.append(f"signer: {_q(record.signer)}")
        if record.keywords:
            lines.append(f"keywords: [{', '.join(_q(k) for k in record.keywords)}]")
        lines += ["---", ""]
        return "\n".join(lines) + record.body


def _one_or_list(values: tuple[str, ...], quote: bool) -> str:
    items = [_q(v) if quote else v for v in values]
    return items[0] if len(items) == 1 else f"[{', '.join(items)}]"


def _apply(root: Path, files: dict[Path, str], renames: list[tuple[Path, Path]], site_text: str | None) -> None:
    """Write ``files`` into a staging folder beside content/, then rename what must be renamed and move
    each file into content/ (each appears whole: a rename within one file system)."""
    content = root / "content"
    for stale in root.glob(".import-*"):  # left by a killed import
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".import-", dir=root))
    try:
        staged: list[tuple[Path, Path]] = []
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            staged.append((target, content / relative))
        if site_text is not None:
            (staging / "site.yml").write_text(site_text, encoding="utf-8")
        for relative, _text in files.items():  # nothing may be overwritten
            if (content / relative).exists():
                raise GeneratorError(f"content/{relative.as_posix()} exists already; nothing was written")
        for target, final in staged:
            if final.parent.name == "directory":
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, final)
        if site_text is not None:
            os.replace(staging / "site.yml", content / "site.yml")
        for old, new in renames:
            os.replace(content / old, content / new)
        for target, final in staged:
            if final.parent.name != "directory":
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def import_ey_xml(root: Path, paths: list[Path], group: str | None = None) -> Result:
    """Import the days in ``paths`` (files, or folders of them) into the project at ``root``."""
    from generator.checking.check import problems_of

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix == ".xml")
        else:
            files.append(path)
    if not files:
        raise GeneratorError("no XML files to import")
    content, problems = problems_of(root)
    if content is None or errors_in(problems):
        count = len(errors_in(problems))
        raise GeneratorError(f"content/ has {count} error{'s' * (count != 1)}: run check and fix them before importing")
    return Importer(root.resolve(), content, group).run(files)

