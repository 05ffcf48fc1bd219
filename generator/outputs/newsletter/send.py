"""``python -m generator newsletter send YYYY/NN``: an issue's newsletter through SMTP.

The server comes from the environment, never from a file of the project: ``JIAHE_SMTP`` is
``smtp://host:port`` (STARTTLS when the server offers it) or ``smtps://host:port`` (TLS from the
start), with ``user@`` before the host to log in, and the password in ``JIAHE_SMTP_PASSWORD``. A
password is sent only over TLS, or to a server on this machine (127.0.0.1, ::1, localhost).

Recipients: ``--to ADDRESS`` (a mailing list's posting address: the list, such as Mailman or
listmonk, handles its subscribers) gets the message published beside the web version, with a To;
``--subscribers FILE`` (one address a line, ``#`` comments; personal data, so it must lie outside
``content/`` and ``site/``) gets one message per subscriber, each with their own unsubscribe link.

**Exactly once, and the one moment it cannot be.** Every send keeps a record (JSON lines, outside
``content/`` and ``site/``: by default ``$XDG_STATE_HOME/jiahe/newsletter/<YYYY>-<NN>.jsonl``),
one per issue, whatever the recipients. Before a message goes out the record gets a line "sending"
for its recipient, written and flushed to disk (fsync); once the server has accepted the message
(its 250 reply to the end of the data), a line "sent". A run reads the record first and sends only
to those without "sent" (or "refused": a permanent 5xx refusal of that address). So a send killed
or cut off at any point can be run again: nobody who was recorded as sent gets it again, nobody is
skipped. The one window no client can close is between the server's acceptance and the "sent"
line reaching the disk (the time of one reply and one fsync): a recipient whose last line is
"sending" is *in doubt*, the server may or may not have taken it. The next run names each one and
sends to them again (at most one per interrupted run, since messages go one at a time), with the
same Message-ID, which mail systems that deduplicate by Message-ID show once. Missing a gazette
notice weighs more than a duplicate, hence resend rather than skip.

Messages go one at a time on one connection, at most ``rate`` a minute (``newsletter.rate`` in
site.yml, or ``--rate``); one temporary refusal (4xx) or a lost connection stops the run, which
says to run it again. Only one send of an issue runs at a time (a lock on the record).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import re
import smtplib
import ssl
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator import urls
from generator.errors import ContentError, GeneratorError, Kind, Problem, Source
from generator.model import Content, Issue
from generator.model.common import EMAIL
from generator.outputs.newsletter import Letter, downloads, edition, environment, for_recipient, message, recipient_unsubscribe, render

log = logging.getLogger(__name__)

ADDRESS = re.compile(EMAIL.pattern.pattern if EMAIL.pattern else r".+@.+")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIMEOUT = 60  # seconds for the server's every reply


class SendError(GeneratorError):
    """A send refused or stopped, with what to do about it (no traceback)."""


@dataclass(frozen=True)
class Server:
    scheme: str  # smtp or smtps
    host: str
    port: int
    user: str | None
    password: str | None = field(default=None, repr=False)

    def __str__(self) -> str:
        return f"{self.scheme}://{self.user + '@' if self.user else ''}{self.host}:{self.port}"


def server_from(environ: os._Environ[str] | dict[str, str]) -> Server:
    """The server ``JIAHE_SMTP`` names, with ``JIAHE_SMTP_PASSWORD``; refuses what cannot work."""
    value = environ.get("JIAHE_SMTP", "").strip()
    if not value:
        raise SendError("no mail server: set JIAHE_SMTP=smtp://host:port (or smtps://user@host:port and "
                        "JIAHE_SMTP_PASSWORD) in the environment")
    parsed = urllib.parse.urlsplit(value)
    try:
        port = parsed.port
    except ValueError:
        port = -1
    if parsed.scheme not in ("smtp", "smtps") or not parsed.hostname or port == -1 or parsed.path not in ("", "/"):
        raise SendError(f"JIAHE_SMTP={value!r} is not smtp://host:port or smtps://user@host:port")
    if parsed.password is not None:
        raise SendError("JIAHE_SMTP holds a password: put it in JIAHE_SMTP_PASSWORD instead, never in a URL")
    user = urllib.parse.unquote(parsed.username) if parsed.username else None
    password = environ.get("JIAHE_SMTP_PASSWORD") or None
    if user and password is None:
        raise SendError(f"JIAHE_SMTP names the user {user!r}: set JIAHE_SMTP_PASSWORD to their password")
    default = 465 if parsed.scheme == "smtps" else 587
    return Server(parsed.scheme, parsed.hostname, port or default, user, password)


# -- recipients ------------------------------------------------------------------------------------


def read_subscribers(path: Path, shown: str) -> list[str]:
    """The addresses of a subscriber file, each once, in the file's order; every line that is not
    an address is reported at its line and column, all at once. ``shown``: the path in messages."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SendError(f"no subscriber file {shown}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SendError(f"cannot read the subscriber file {shown}: {exc}") from None
    addresses: dict[str, str] = {}
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        value = line.strip()
        if not value or value.startswith("#"):
            continue
        if not ADDRESS.fullmatch(value):
            column = len(line) - len(line.lstrip()) + 1
            problems.append(Problem.of(Kind.BAD_VALUE, Source(PurePosixPath(shown), number, column), key="address",
                                       reason=f"'{value}' is not an e-mail address (one address a line, nothing else)"))
            continue
        addresses.setdefault(value.lower(), value)
    if problems:
        raise ContentError(problems)
    return list(addresses.values())


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def default_record(issue: Issue) -> Path:
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return state / "jiahe" / "newsletter" / f"{issue.year}-{issue.number:02d}.jsonl"


# -- the record ------------------------------------------------------------------------------------


@dataclass
class Record:
    """What was sent of one issue, to whom: read at the start, appended to (and synced) as it goes."""

    path: Path
    sent: set[str] = field(default_factory=set)
    refused: dict[str, str] = field(default_factory=dict)
    sending: set[str] = field(default_factory=set)  # in doubt: "sending" and nothing after it

    @classmethod
    def read(cls, path: Path) -> Record:
        record = cls(path)
        if not path.exists():
            return record
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
                state, address = event["event"], event["to"].lower()
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a line cut short by a kill: it recorded nothing
            record.sending.discard(address)
            if state == "sending":
                record.sending.add(address)
            elif state == "sent":
                record.sent.add(address)
            elif state == "refused":
                record.refused[address] = str(event.get("reply", ""))
        return record

    def done(self, address: str) -> bool:
        return address.lower() in self.sent or address.lower() in self.refused

    def in_doubt(self, address: str) -> bool:
        return address.lower() in self.sending


@contextlib.contextmanager
def _appending(path: Path) -> Iterator[_Log]:
    """The record open for appending, locked against a second send of the same issue."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o600)  # personal data: the owner's only
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SendError(f"another send of this issue is running (it holds {path})") from None
        yield _Log(fd)
    finally:
        os.close(fd)


@dataclass
class _Log:
    fd: int

    def write(self, event: str, to: str, **more: str) -> None:
        """One line, on the disk before this returns: what a kill right after it leaves behind."""
        os.write(self.fd, (json.dumps({"event": event, "to": to, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **more},
                                      ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(self.fd)


# -- sending ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    resent_in_doubt: list[str] = field(default_factory=list)


def prepare(content: Content, issue_id: str, site_dir: Path) -> tuple[Issue, Letter, bytes]:
    """The issue, its letter and its published message, once sure the site holds this very message."""
    if not re.fullmatch(r"\d{4}/\d{2,3}", issue_id):
        raise SendError(f"'{issue_id}' is not an issue: write its year and number, e.g. 2026/01")
    if content.site.newsletter is None:
        raise SendError("content/site.yml has no newsletter: add its settings (README: sending the newsletter)")
    issue = content.links.issues.get(issue_id)
    if issue is None:
        known = ", ".join(list(content.links.issues)[-3:])
        raise SendError(f"there is no issue {issue_id} in content/gazette (the latest: {known})")
    built = site_dir / urls.newsletter_file(issue, "message.eml")
    if not built.is_file():
        raise SendError(f"issue {issue_id} is not built yet ({built} is missing): run `python -m generator build` first, "
                        "so that the links in the message lead to published pages")
    # the letter as the build made it: with the issue's files it published (its PDF)
    made = edition(content, issue, downloads(issue, lambda page: (site_dir / page).is_file()))
    if built.read_bytes() != made.message:
        raise SendError(f"the built site is older than content/ for issue {issue_id}: run `python -m generator build` "
                        "first, so that readers find what the message says")
    return issue, made.letter, made.message


def send(content: Content, root: Path, issue_id: str, *, to: Sequence[str] = (), subscribers: Path | None = None,
         dry_run: bool = False, rate: int | None = None, record_path: Path | None = None, site_dir: Path | None = None,
         environ: dict[str, str] | None = None) -> Outcome:
    environ = dict(os.environ if environ is None else environ)
    root = root.resolve()
    site_dir = (site_dir or root / "site").resolve()
    if not to and subscribers is None:
        raise SendError("no recipients: give --to ADDRESS (a mailing list) or --subscribers FILE")
    for address in to:
        if not ADDRESS.fullmatch(address):
            raise SendError(f"--to {address!r} is not an e-mail address")
    issue, made, published = prepare(content, issue_id, site_dir)
    settings = made.settings
    recipients: list[tuple[str, bool]] = [(address, False) for address in to]  # (address, a subscriber)
    key: bytes | None = None
    if subscribers is not None:
        for folder in (root / "content", site_dir):
            if _inside(subscribers, folder):
                raise SendError(f"the subscriber file {subscribers} is inside {folder}: subscribers' addresses are personal data "
                                "and must never be published; keep the file outside content/ and site/")
        listed = read_subscribers(subscribers, str(subscribers))
        if not listed:
            raise SendError(f"the subscriber file {subscribers} holds no address")
        recipients += [(address, True) for address in listed]
        if settings.unsubscribe_recipient and "{token}" in settings.unsubscribe_recipient:
            secret = environ.get("JIAHE_UNSUBSCRIBE_KEY", "")
            if not secret:
                raise SendError("newsletter.unsubscribe_recipient in site.yml uses {token}: set JIAHE_UNSUBSCRIBE_KEY, the key "
                                "your list's unsubscribe page checks the tokens with")
            key = secret.encode("utf-8")
    record_path = (record_path or default_record(issue)).absolute()
    for folder in (root / "content", site_dir):
        if _inside(record_path, folder):
            raise SendError(f"the send record {record_path} is inside {folder}: keep it outside content/ and site/")
    per_minute = rate or settings.per_minute
    record = Record.read(record_path)
    outcome = Outcome()
    pending = []
    unique = {address.lower(): (address, subscriber) for address, subscriber in reversed(recipients)}  # the first wins
    for address, subscriber in reversed(list(unique.values())):
        if record.done(address):
            outcome.already.append(address)
        else:
            pending.append((address, subscriber))
    doubt = [address for address, _ in pending if record.in_doubt(address)]
    if doubt:
        log.warning("in doubt from an interrupted send, sent again with the same Message-ID: %s", ", ".join(doubt))
    if dry_run:
        _describe(issue_id, made, pending, outcome, doubt, per_minute, record_path, environ)
        return outcome
    server = server_from(environ)
    if not pending:
        log.info("issue %s was already sent to all %d recipients (record: %s)", issue_id, len(outcome.already), record_path)
        return outcome
    templates = environment()
    list_html, list_text = render(made, made.unsubscribe_url, templates)
    sender = settings.sender.email
    interval = 60.0 / per_minute
    with _appending(record_path) as journal, _connected(server) as smtp, _progress(len(pending)) as advance:
        next_at = time.monotonic()
        for address, subscriber in pending:
            if subscriber:
                try:
                    link = recipient_unsubscribe(settings, address, key)
                except ValueError as exc:
                    raise SendError(str(exc)) from None
                data = for_recipient(made, address, link, templates)
            else:
                data = message(made, list_html, list_text, made.unsubscribe_url, to=address)
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at = time.monotonic() + interval
            message_id = _message_id(data)
            journal.write("sending", address, message_id=message_id)
            try:
                smtp.sendmail(sender, [address], data)
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                _refused(journal, outcome, address, code, reply)
            except smtplib.SMTPResponseException as exc:  # SMTPDataError, SMTPSenderRefused, …
                _refused(journal, outcome, address, exc.smtp_code, exc.smtp_error)
            except (smtplib.SMTPException, OSError) as exc:
                raise SendError(f"the connection to {server} was lost while sending to {address} ({exc}); "
                                f"{len(outcome.sent)} sent in this run. Run the same command again to send to the rest "
                                f"(record: {record_path})") from None
            else:
                journal.write("sent", address, message_id=message_id)
                outcome.sent.append(address)
                if address in doubt:
                    outcome.resent_in_doubt.append(address)
            advance(address)
    log.info("sent issue %s to %d recipients; %d had it already; %d refused (record: %s)", issue_id, len(outcome.sent),
             len(outcome.already), len(outcome.refused), record_path)
    for address, answer in outcome.refused:
        log.warning("refused by the server, not sent again: %s (%s)", address, answer)
    return outcome


def _refused(journal: _Log, outcome: Outcome, address: str, code: int, reply: bytes | str) -> None:
    """A permanent refusal (5xx) is recorded and the run goes on; a temporary one (4xx) stops it."""
    text = _text(reply)
    if 400 <= code < 500:
        raise SendError(f"the server refused {address} for now ({code} {text}); run the same command again later "
                        "to send to the rest")
    journal.write("refused", address, reply=f"{code} {text}")
    outcome.refused.append((address, f"{code} {text}"))


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _message_id(data: bytes) -> str:
    match = re.search(rb"^Message-ID:\s*(<[^>]+>)", data, re.MULTILINE | re.IGNORECASE)
    return match.group(1).decode("ascii") if match else ""


@contextlib.contextmanager
def _connected(server: Server) -> Iterator[smtplib.SMTP]:
    """A session with the server, logged in if a user is given; refusals as :class:`SendError`."""
    context = ssl.create_default_context()
    try:
        if server.scheme == "smtps":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"cannot reach the mail server {server}: {exc}") from None
    try:
        try:
            smtp.ehlo()
            encrypted = server.scheme == "smtps"
            if not encrypted and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
                encrypted = True
            if server.user:
                if not encrypted and server.host not in LOOPBACK:
                    raise SendError(f"{server} offers no STARTTLS: the password would cross the network in clear. "
                                    "Use smtps://, or a server that offers STARTTLS")
                smtp.login(server.user, server.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(f"the mail server {server} refused the login of {server.user!r}: "
                            f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise SendError(f"the mail server {server} does not accept a login (no AUTH): remove the user from JIAHE_SMTP") from None
        except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
            raise SendError(f"the mail server {server} did not accept the session: {exc}") from None
        yield smtp
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()


@contextlib.contextmanager
def _progress(total: int) -> Iterator:
    """A progress bar on a terminal; a log line per message otherwise."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        done = 0

        def line(address: str) -> None:
            nonlocal done
            done += 1
            log.info("%d/%d %s", done, total, address)

        yield line
        return
    with Progress(TextColumn("sending"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), TextColumn("{task.description}"),
                  console=console) as progress:
        task = progress.add_task("", total=total)
        yield lambda address: progress.update(task, advance=1, description=address)


def _describe(issue_id: str, made: Letter, pending: list[tuple[str, bool]], outcome: Outcome, doubt: list[str],
              per_minute: int, record_path: Path, environ: dict[str, str]) -> None:
    """What a send would do, without connecting to anything."""
    import click

    subscribers = sum(subscriber for _, subscriber in pending)
    server = environ.get("JIAHE_SMTP") or "(JIAHE_SMTP is not set)"
    minutes = len(pending) / per_minute
    click.echo(f"dry run: issue {issue_id}, «{made.subject}»")
    click.echo(f"  from {made.settings.sender.name} <{made.settings.sender.email}> through {server}")
    click.echo(f"  would send {len(pending)} message(s): {len(pending) - subscribers} to list address(es), "
               f"{subscribers} to subscribers (each with their own unsubscribe link), at most {per_minute} a minute "
               f"(about {minutes:.1f} min)")
    click.echo(f"  already sent or refused: {len(outcome.already)}; in doubt, would send again: {len(doubt)}")
    click.echo(f"  record: {record_path}")
    for address, _ in pending[:5]:
        click.echo(f"  - {address}")
    if len(pending) > 5:
        click.echo(f"  … and {len(pending) - 5} more")
