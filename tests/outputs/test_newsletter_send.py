"""``newsletter send`` against a real SMTP server: aiosmtpd on 127.0.0.1, in this process.

The command runs as an editor runs it (a subprocess with JIAHE_SMTP in its environment); every
message the server accepted is parsed with :mod:`email`. A send killed halfway (SIGKILL) and run
again gives exactly one message per recipient; a kill in the window between the server's acceptance
and the record leaves that one recipient in doubt, whom the next run names and sends to again with
the same Message-ID (the guarantee the module documents).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from generator import urls
from generator.checking.check import check

from conftest import MINIMAL, REPO, Project

KEY = "a-test-key-for-unsubscribe-tokens"
LIST = "gazette-list@lists.jiahe.gov.tw"


class Inbox:
    """The server's side: every message it accepted (stored before its 250 reply, as a real MTA
    commits a message before acknowledging it)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.times: list[float] = []  # when each arrived (monotonic)
        self.lock = threading.Lock()
        self.refuse: set[str] = set()  # addresses answered 550
        self.on_message = None  # called with the count after storing, before the reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
            self.times.append(time.monotonic())
            count = len(self.messages)
        if self.on_message:
            self.on_message(count)
        return "250 Message accepted for delivery"

    def parsed(self) -> list[tuple[list[str], email.message.EmailMessage]]:
        with self.lock:
            return [(rcpt, email.message_from_bytes(data, policy=email.policy.default)) for rcpt, data in self.messages]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def smtp_with_login():
    """A server that requires a login: user editor, password right-password (over a loopback
    connection without TLS, which the client allows only to this machine)."""
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"editor" and auth_data.password == b"right-password"
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """The minimal project, built once (its issue 2026/01 has one notice)."""
    proj = Project(tmp_path_factory.mktemp("send") / "proj")
    proj.write(MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", proj.root / "mkdocs.yml")
    shutil.copytree(REPO / "themes", proj.root / "themes")
    result = proj.run("build", "-q")
    assert result.returncode == 0, result.stderr
    return proj


def send(project: Project, *args: str, env: dict[str, str] | None = None, wait: bool = True):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("JIAHE_")}
    environment.update(env or {})
    command = [sys.executable, "-m", "generator", "newsletter", "send", *args, "--root", str(project.root)]
    if not wait:
        return subprocess.Popen(command, env=environment, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, env=environment, cwd=project.root, capture_output=True, text=True, timeout=300)


def subscribers_file(tmp_path: Path, addresses: list[str]) -> Path:
    path = tmp_path / "private" / "subscribers.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text("# 公報電子報訂閱者（個人資料，勿公開）\n\n" + "\n".join(addresses) + "\n", encoding="utf-8")
    return path


def parts(message) -> tuple[str, str]:
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.iter_parts()
    assert plain.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    return plain.get_content(), html.get_content()


def test_an_issue_sent_to_a_list_address(built, smtp, tmp_path):
    inbox, server = smtp
    result = send(built, "2026/01", "--to", LIST, "--record", str(tmp_path / "record.jsonl"), env={"JIAHE_SMTP": server})
    assert result.returncode == 0, result.stderr
    [(rcpt, message)] = inbox.parsed()
    assert rcpt == [LIST]
    assert message["To"] == LIST
    assert message["From"] == "嘉和市政府秘書處 <gazette@mail.jiahe.gov.tw>"
    assert message["Subject"] == "嘉和市政府公報 115年第1期（中華民國115年1月1日出刊，共 1 則）"
    assert message["Date"].datetime.isoformat() == "2026-01-01T00:00:00+08:00"
    assert message["List-Id"] == "嘉和市政府公報電子報 <gazette.publications.jiahe.gov.tw>"
    assert message["List-Unsubscribe"] == "<https://lists.jiahe.gov.tw/gazette/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith("<gazette-2026-01.")
    plain, html = parts(message)
    published = email.message_from_bytes((built.root / "site" / urls.newsletter_file(check(built.root).gazette.issues[0], "message.eml"))
                                         .read_bytes(), policy=email.policy.default)
    assert (plain, html) == parts(published)  # the list gets what the site publishes
    for text in ("公告本市道路挖掘管理事項", "府工字第1150000001號", "嘉和市政府", "https://publications.jiahe.gov.tw/gazette/2026/01/01/"):
        assert text in plain and text in html
    # run again: the record says it was sent, nothing goes out
    again = send(built, "2026/01", "--to", LIST, "--record", str(tmp_path / "record.jsonl"), env={"JIAHE_SMTP": server})
    assert again.returncode == 0, again.stderr
    assert "already sent to all 1 recipients" in again.stderr
    assert len(inbox.messages) == 1


def test_a_subscriber_file_gives_each_their_own_message_and_link(built, smtp, tmp_path):
    inbox, server = smtp
    addresses = ["chen.yijun@example.org", "lin@example.com.tw", "wang.xiaoming@example.net", "LIN@example.com.tw"]
    path = subscribers_file(tmp_path, addresses)
    record = tmp_path / "record.jsonl"
    env = {"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY}
    result = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), "--rate", "6000", env=env)
    assert result.returncode == 0, result.stderr
    received = inbox.parsed()
    assert sorted(rcpt[0] for rcpt, _ in received) == sorted(addresses[:3])  # the same address twice is sent once
    ids = set()
    for rcpt, message in received:
        assert message["To"] == rcpt[0]
        token = hmac.new(KEY.encode(), rcpt[0].lower().encode(), hashlib.sha256).hexdigest()
        link = f"https://lists.jiahe.gov.tw/gazette/unsubscribe?token={token}"
        assert message["List-Unsubscribe"] == f"<{link}>"
        plain, html = parts(message)
        assert f"取消訂閱：{link}" in plain
        assert f'href="{link}"' in html
        assert "https://lists.jiahe.gov.tw/gazette/unsubscribe\"" not in html  # not the list's link
        ids.add(message["Message-ID"])
    assert len(ids) == 3
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert Counter(line["event"] for line in lines) == {"sending": 3, "sent": 3}
    assert record.stat().st_mode & 0o077 == 0  # personal data: the owner's only
    again = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), env=env)
    assert again.returncode == 0 and len(inbox.messages) == 3


def test_a_send_killed_halfway_and_run_again_sends_each_exactly_once(built, smtp, tmp_path):
    inbox, server = smtp
    addresses = [f"subscriber{n:02d}@example.org" for n in range(8)]
    path = subscribers_file(tmp_path, addresses)
    record = tmp_path / "record.jsonl"
    env = {"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY}
    # 120 a minute: half a second between messages, in which the kill lands
    running = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), "--rate", "120", env=env, wait=False)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sent = record.read_text(encoding="utf-8").count('"sent"') if record.exists() else 0
        if sent >= 4 and len(inbox.messages) >= 4:
            break
        assert running.poll() is None, running.stderr.read().decode()
        time.sleep(0.02)
    running.send_signal(signal.SIGKILL)
    running.wait(timeout=30)
    assert running.returncode == -signal.SIGKILL
    first = len(inbox.messages)
    assert 4 <= first < 8
    # the rate: at most 120 a minute, half a second apart on average (one arrival may be late on a busy machine)
    assert (inbox.times[first - 1] - inbox.times[0]) / (first - 1) > 0.4
    result = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), "--rate", "6000", env=env)
    assert result.returncode == 0, result.stderr
    assert Counter(rcpt[0] for rcpt, _ in inbox.parsed()) == {address: 1 for address in addresses}
    assert f"sent issue 2026/01 to {8 - first} recipients; {first} had it already" in result.stderr


def test_a_kill_between_acceptance_and_record_leaves_one_in_doubt_sent_again_with_the_same_id(built, smtp, tmp_path):
    """The window no client can close: the server took message 3, the sender died before recording
    it. The next run names that recipient and sends again, with the same Message-ID; no one else
    gets two, no one is skipped."""
    inbox, server = smtp
    addresses = [f"reader{n}@example.org" for n in range(5)]
    path = subscribers_file(tmp_path, addresses)
    record = tmp_path / "record.jsonl"
    env = {"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY}
    running = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), "--rate", "6000", env=env, wait=False)
    inbox.on_message = lambda count: count == 3 and os.kill(running.pid, signal.SIGKILL)
    running.wait(timeout=120)
    assert running.returncode == -signal.SIGKILL
    inbox.on_message = None
    assert len(inbox.messages) == 3
    result = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), env=env)
    assert result.returncode == 0, result.stderr
    assert "in doubt from an interrupted send, sent again with the same Message-ID: reader2@example.org" in result.stderr
    received = inbox.parsed()
    assert Counter(rcpt[0] for rcpt, _ in received) == {**{a: 1 for a in addresses}, "reader2@example.org": 2}
    twice = [m["Message-ID"] for rcpt, m in received if rcpt == ["reader2@example.org"]]
    assert twice[0] == twice[1]


def test_an_address_the_server_refuses_is_recorded_and_not_tried_again(built, smtp, tmp_path):
    inbox, server = smtp
    inbox.refuse = {"gone@example.org"}
    path = subscribers_file(tmp_path, ["a@example.org", "gone@example.org", "b@example.org"])
    record = tmp_path / "record.jsonl"
    env = {"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY}
    result = send(built, "2026/01", "--subscribers", str(path), "--record", str(record), "--rate", "6000", env=env)
    assert result.returncode == 0, result.stderr
    assert "refused by the server, not sent again: gone@example.org (550 5.1.1 no such mailbox)" in result.stderr
    assert sorted(rcpt[0] for rcpt, _ in inbox.parsed()) == ["a@example.org", "b@example.org"]
    send(built, "2026/01", "--subscribers", str(path), "--record", str(record), env=env)
    assert len(inbox.messages) == 2


def test_a_dry_run_says_what_would_go_and_sends_nothing(built, smtp, tmp_path):
    inbox, server = smtp
    path = subscribers_file(tmp_path, [f"r{n}@example.org" for n in range(30)])
    result = send(built, "2026/01", "--subscribers", str(path), "--to", LIST, "--dry-run",
                  "--record", str(tmp_path / "record.jsonl"), env={"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY})
    assert result.returncode == 0, result.stderr
    assert "would send 31 message(s): 1 to list address(es), 30 to subscribers" in result.stdout
    assert "at most 60 a minute (about 0.5 min)" in result.stdout
    assert inbox.messages == [] and not (tmp_path / "record.jsonl").exists()


def test_a_login_with_the_right_password_sends(built, smtp_with_login, tmp_path):
    inbox, port = smtp_with_login
    result = send(built, "2026/01", "--to", LIST, "--record", str(tmp_path / "r.jsonl"),
                  env={"JIAHE_SMTP": f"smtp://editor@127.0.0.1:{port}", "JIAHE_SMTP_PASSWORD": "right-password"})
    assert result.returncode == 0, result.stderr
    assert len(inbox.messages) == 1


@pytest.fixture
def tls(tmp_path):
    """A throwaway CA the sender trusts (SSL_CERT_FILE) and the server's certificate for 127.0.0.1."""
    import trustme

    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context, str(tmp_path / "ca.pem")


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"editor" and auth_data.password == b"right-password"
    return AuthResult(success=ok, handled=False)


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_the_login_goes_over_tls_starttls_or_smtps(built, tmp_path, tls, scheme):
    """smtp:// upgrades with STARTTLS (the server offers it and requires it before AUTH); smtps://
    speaks TLS from the start. The sender checks the server's certificate (here against a test CA)."""
    context, ca = tls
    inbox = Inbox()
    # (aiosmtpd counts only STARTTLS as TLS for AUTH: over SMTPS the whole session is TLS anyway)
    options = ({"tls_context": context, "require_starttls": True} if scheme == "smtp"
               else {"ssl_context": context, "auth_require_tls": False})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate, auth_required=True,
                            **options)
    controller.start()
    try:
        env = {"JIAHE_SMTP": f"{scheme}://editor@127.0.0.1:{controller.port}", "JIAHE_SMTP_PASSWORD": "right-password",
               "SSL_CERT_FILE": ca}
        result = send(built, "2026/01", "--to", LIST, "--record", str(tmp_path / "r.jsonl"), env=env)
        assert result.returncode == 0, result.stderr
        assert len(inbox.messages) == 1
        untrusted = send(built, "2026/01", "--to", "other@example.org", "--record", str(tmp_path / "r.jsonl"),
                         env={**env, "SSL_CERT_FILE": str(tmp_path / "none.pem")})
        assert "certificate verify failed" in refused(untrusted)
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def refused(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


class Ran:
    """The command run in this process (click's runner): as the command line, without the start-up."""

    def __init__(self, project: Project, args: tuple[str, ...], env: dict[str, str]):
        from click.testing import CliRunner

        from generator.cli import main

        environment = {key: None for key in os.environ if key.startswith("JIAHE_")}
        result = CliRunner().invoke(main, ["newsletter", "send", *args, "--root", str(project.root)], env={**environment, **env})
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def quick(project: Project, *args: str, env: dict[str, str] | None = None) -> Ran:
    return Ran(project, args, env or {})


def test_refusals_are_clear_and_send_nothing(built, smtp, smtp_with_login, tmp_path):
    inbox, server = smtp
    record = ["--record", str(tmp_path / "r.jsonl")]
    assert "no mail server: set JIAHE_SMTP" in refused(quick(built, "2026/01", "--to", LIST, *record))
    assert "is not smtp://host:port" in refused(quick(built, "2026/01", "--to", LIST, *record, env={"JIAHE_SMTP": "http://x"}))
    assert "cannot reach the mail server smtp://127.0.0.1:9" in refused(
        quick(built, "2026/01", "--to", LIST, *record, env={"JIAHE_SMTP": "smtp://127.0.0.1:9"}))
    _, port = smtp_with_login
    assert "refused the login of 'editor': 535" in refused(quick(built, "2026/01", "--to", LIST, *record, env={
        "JIAHE_SMTP": f"smtp://editor@127.0.0.1:{port}", "JIAHE_SMTP_PASSWORD": "wrong"}))
    assert "set JIAHE_SMTP_PASSWORD" in refused(quick(built, "2026/01", "--to", LIST, *record,
                                                     env={"JIAHE_SMTP": f"smtp://editor@127.0.0.1:{port}"}))
    env = {"JIAHE_SMTP": server, "JIAHE_UNSUBSCRIBE_KEY": KEY}
    assert "there is no issue 2026/07" in refused(quick(built, "2026/07", "--to", LIST, *record, env=env))
    assert "'2026-01' is not an issue" in refused(quick(built, "2026-01", "--to", LIST, *record, env=env))
    assert "no recipients" in refused(quick(built, "2026/01", *record, env=env))
    assert "--to 'not-an-address' is not an e-mail address" in refused(quick(built, "2026/01", "--to", "not-an-address", *record, env=env))
    # every bad line of a subscriber file, at its line and column, all at once
    path = tmp_path / "subs.txt"
    path.write_text("ok@example.org\n  王小明 <wang@example.org>\n\nno-at-sign.example.org\n", encoding="utf-8")
    err = refused(quick(built, "2026/01", "--subscribers", str(path), *record, env=env))
    assert f"{path}:2:3: error: 'address': '王小明 <wang@example.org>' is not an e-mail address" in err
    assert f"{path}:4:1: error: 'address': 'no-at-sign.example.org' is not an e-mail address" in err
    path.write_text("# nobody yet\n\n", encoding="utf-8")
    assert "holds no address" in refused(quick(built, "2026/01", "--subscribers", str(path), *record, env=env))
    inside = built.root / "content" / "subscribers.txt"
    inside.write_text("a@example.org\n", encoding="utf-8")
    try:
        assert "personal data and must never be published" in refused(quick(built, "2026/01", "--subscribers", str(inside), *record, env=env))
    finally:
        inside.unlink()
    assert "uses {token}: set JIAHE_UNSUBSCRIBE_KEY" in refused(quick(
        built, "2026/01", "--subscribers", str(subscribers_file(tmp_path, ["a@example.org"])), *record, env={"JIAHE_SMTP": server}))
    assert "is inside" in refused(quick(built, "2026/01", "--to", LIST, "--record", str(built.root / "site" / "r.jsonl"), env=env))
    assert inbox.messages == []


def test_an_issue_not_built_yet_or_changed_since_the_build_is_refused(built, smtp, tmp_path):
    inbox, server = smtp
    env = {"JIAHE_SMTP": server}
    issue = built.root / "content/gazette/2026/02"
    built.write({"content/gazette/2026/02/issue.yml": "date: 2026-01-16\n",
                 "content/gazette/2026/02/01-notice.md": (built.root / "content/gazette/2026/01/01-road-works.md").read_text(
                     encoding="utf-8").replace("府工字第1150000001號", "府工字第1150000002號")})
    notice = built.root / "content/gazette/2026/01/01-road-works.md"
    original = notice.read_text(encoding="utf-8")
    try:
        assert "issue 2026/02 is not built yet" in refused(quick(built, "2026/02", "--to", LIST, "--record", str(tmp_path / "r"), env=env))
        notice.write_text(original.replace("公告本市道路挖掘管理事項\n", "公告本市道路挖掘管理事項（修正）\n"), encoding="utf-8")
        assert "the built site is older than content/" in refused(quick(built, "2026/01", "--to", LIST, "--record", str(tmp_path / "r"), env=env))
    finally:
        notice.write_text(original, encoding="utf-8")
        shutil.rmtree(issue)
    assert inbox.messages == []
