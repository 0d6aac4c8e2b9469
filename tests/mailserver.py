"""A real SMTP server on loopback for the tests of parents' e-mail (aiosmtpd in the test
process), and the messages it received read back the way a mail client reads them.

`MailServer.refuse` names addresses the server answers with 550 (a mailbox that does not
exist); `drop_next` makes it hang up at the next MAIL command once (a server restarted in the
middle of a run); `down()` stops it (a server that cannot be reached)."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from ejournal_tui.services.notify import SmtpSettings

SENDER = "Школа № 1 «Демо» <journal@school1.example.org>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()  # type: ignore[union-attr]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])


@dataclass
class _Handler:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_next: int = 0
    connections: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: ANN001, ANN201
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, ANN201
        if self.drop_next:
            self.drop_next -= 1
            server.transport.close()
            return "421 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


def _authenticator(login: str, password: str):  # noqa: ANN202
    """aiosmtpd's check of AUTH LOGIN / PLAIN against one account."""
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def check(server, session, envelope, mechanism, data) -> AuthResult:  # noqa: ANN001
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (login.encode(), password.encode())
        return AuthResult(success=ok, handled=False)

    return check


class MailServer:
    """`account=(login, password)`: the server takes a sign-in (over plain text, on loopback)."""

    def __init__(self, account: tuple[str, str] | None = None) -> None:
        self.handler = _Handler()
        self.port = free_port()
        auth = {"authenticator": _authenticator(*account), "auth_require_tls": False} if account else {}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **auth)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def down(self) -> None:
        try:
            self.controller.stop()
        except AssertionError:
            pass  # stopped already

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def refuse(self, *addresses: str) -> None:
        self.handler.refuse.update(a.lower() for a in addresses)

    def settings(self) -> SmtpSettings:
        return SmtpSettings(host="127.0.0.1", port=self.port, security="none", sender=SENDER, timeout=10)

    def env(self) -> dict[str, str]:
        """The same settings as `EJOURNAL_SMTP_…` variables, for the command line."""
        return {"EJOURNAL_SMTP_HOST": "127.0.0.1", "EJOURNAL_SMTP_PORT": str(self.port),
                "EJOURNAL_SMTP_SECURITY": "none", "EJOURNAL_SMTP_FROM": SENDER}


# --- reading a digest back ------------------------------------------------------------------

HEADING = re.compile(r"^(?P<name>\S.*), (?P<klass>\d{1,2}[А-ЯЁ])$")
RULE = "─" * 60


@dataclass
class Told:
    """What one message tells of each pupil, by the lines of its plain text."""

    pupils: dict[str, dict[str, list[str]]]  # "full name, 5А" -> section -> lines


def told(text: str) -> Told:
    """The pupils and their sections' lines: a pupil's heading is a line followed by the rule."""
    lines = text.splitlines()
    out: dict[str, dict[str, list[str]]] = {}
    pupil = section = None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and lines[i + 1] == RULE and line:
            pupil, section = line, None
            out[pupil] = {}
        elif line == RULE:
            if pupil is not None and section is None:
                continue
            pupil = None  # the footer's rule
        elif pupil is not None and line and not line.startswith("  "):
            section = line
            out[pupil].setdefault(section, [])
        elif pupil is not None and section is not None and line.startswith("  "):
            out[pupil][section].append(line.strip())
    return Told(out)
