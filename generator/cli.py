"""The command line: ``python -m generator check|build|serve|new-issue|newsletter send``.

Each command imports its stage only when it runs, so ``check`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import sys
from pathlib import Path

import click

from generator.errors import ContentError, GeneratorError, Severity

log = logging.getLogger("generator")


def common(func):
    """Options every command takes."""

    @click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
                  help="The project folder (the one holding content/ and mkdocs.yml).")
    @click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
    @functools.wraps(func)
    def wrapper(root: Path, quiet: bool, **kwargs):
        _logging(quiet)
        try:
            return func(root=root, **kwargs)
        except ContentError as exc:
            _report(exc.problems)
            sys.exit(1)
        except GeneratorError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)

    return wrapper


def _logging(quiet: bool) -> None:
    """Progress on stderr: Rich on a terminal, plain lines in a CI log."""
    from rich.console import Console
    from rich.logging import RichHandler

    console = Console(stderr=True)
    if console.is_terminal:
        handler: logging.Handler = RichHandler(show_time=False, show_path=False, markup=False, console=console)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logging.basicConfig(level=logging.WARNING if quiet else logging.INFO, handlers=[handler], force=True)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)


def _report(problems) -> None:
    """Each problem on a line of its own, ``path:line:col: severity: message [kind]``, then a count."""
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)


@click.group()
@click.version_option(package_name="jiahe-publications")
def main() -> None:
    """Build the Secretariat's gazette, yearbook and phone directory from content/."""


@main.command()
@common
def check(root: Path) -> None:
    """Validate content/ and report every problem; exit 1 if any is an error."""
    import gc

    from generator.checking.check import problems_of
    from generator.errors import errors_in

    gc.disable()  # the command ends with the check: no collection of what it leaves (check pauses it anyway)

    _content, problems = problems_of(root)
    _report(problems)
    if errors_in(problems) or _content is None:
        sys.exit(1)


@main.command()
@common
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to publish (default: site/ in the project).")
def build(root: Path, site_dir: Path | None) -> None:
    """Check content/, then build everything into site/ (replaced only if all succeeds)."""
    from generator.build import build as run_build

    out = run_build(root, site_dir)
    click.echo(f"built {out}")


@main.command()
@common
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Preview the site, rebuilding when content/ changes."""
    # MkDocs' server, making each page when it is asked for; a change to notices is shown in about
    # a second at any archive size (generator/preview.py, which says what the preview leaves out).
    from generator.preview import serve as run_serve

    run_serve(root, dev_addr)


@main.command("new-issue")
@common
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Publication date (default: the next day on the schedule).")
def new_issue(root: Path, date: dt.datetime | None) -> None:
    """Scaffold the next gazette issue."""
    from generator.checking.check import check as run_check
    from generator.scaffold import next_issue, write_issue

    content = run_check(root)
    issue = next_issue(content, date.date() if date else None, dt.date.today())
    for path in write_issue(root, content, issue):
        click.echo(f"created {path.relative_to(root.resolve()) if path.is_absolute() else path}")
    click.echo(f"issue {issue.number} of {issue.year}, dated {issue.date}: add its notices beside issue.yml")


@main.group()
def newsletter() -> None:
    """The gazette e-newsletter (README: sending the newsletter)."""


@newsletter.command("send")
@common
@click.argument("issue")
@click.option("--to", "to", multiple=True, metavar="ADDRESS",
              help="Send the issue's message to this address (a mailing list's posting address); repeatable.")
@click.option("--subscribers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A file of subscribers' addresses, one a line (kept outside content/ and site/): one message each.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent, and to how many, without sending.")
@click.option("--rate", type=click.IntRange(1, 6000), default=None,
              help="At most this many messages a minute (default: newsletter.rate in content/site.yml).")
@click.option("--record", "record", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The record of who was sent this issue (default: $XDG_STATE_HOME/jiahe/newsletter/YYYY-NN.jsonl).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built site (default: site/ in the project).")
def newsletter_send(root: Path, issue: str, to: tuple[str, ...], subscribers: Path | None, dry_run: bool, rate: int | None,
                    record: Path | None, site_dir: Path | None) -> None:
    """Send issue ISSUE (YYYY/NN) through the SMTP server of JIAHE_SMTP; run again to resume."""
    from generator.checking.check import check as run_check
    from generator.outputs.newsletter.send import send

    content = run_check(root)
    try:
        send(content, root, issue, to=to, subscribers=subscribers, dry_run=dry_run, rate=rate, record_path=record,
             site_dir=site_dir)
    except KeyboardInterrupt:
        click.echo("error: interrupted; run the same command again to send to the rest", err=True)
        sys.exit(130)


@main.group("import")
def import_group() -> None:
    """Bring an existing archive into content/."""


@import_group.command("ey-xml")
@common
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--group", default=None,
              help="Directory group of the agencies the import adds (default: the last group in site.yml).")
def import_ey_xml(root: Path, paths: tuple[Path, ...], group: str | None) -> None:
    """Import the national gazette's daily XML files (or folders of them): each record becomes a notice
    in the issue the schedule gives its day; nothing is written if anything cannot be converted."""
    from generator.checking.check import problems_of
    from generator.errors import errors_in
    from generator.importing.archive import import_ey_xml as run_import

    result = run_import(root, list(paths), group)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(f"imported {result.imported} notice{'s' * (result.imported != 1)} into {len(result.issues)} issue"
               f"{'s' * (len(result.issues) != 1)} ({result.new_issues} new); {result.skipped} already imported, left as they are")
    if result.categories:
        click.echo(f"added to the categories of content/site.yml: {', '.join(result.categories)}")
    if result.agencies:
        click.echo(f"{len(result.agencies)} new directory entr{'ies' if len(result.agencies) != 1 else 'y'} to complete "
                   f"(English name, address, phone): {' '.join(result.agencies)}")
    if result.imported:
        _content, problems = problems_of(root)
        errors = len(errors_in(problems))
        click.echo(f"check after the import: {errors} error{'s' * (errors != 1)}, {len(problems) - errors} warnings"
                   " (run check to see them)")
        if errors:
            sys.exit(1)
