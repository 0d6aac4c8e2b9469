"""Sending the digests: the school's mail server or mail account by the settings `smtp_host`,
`smtp_port`, `smtp_security` (starttls | ssl | none), `smtp_user`, `smtp_password_file` and
`smtp_from` (also `EJOURNAL_SMTP_…`).

One connection serves the whole run; when the server drops it (idle timeouts, a restart), it
is opened again once and the message sent again; when that fails too, the server is
unreachable and the run stops sending (`ServerUnreachable`). A refusal concerns one message:
all its recipients refused, the sender or the data refused — the run logs it with the
server's reply and goes on. Settings that cannot work are refused before anything is done
(`SmtpSettings.check`), the password file included (chmod 600, `services.secret_file`).
"""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING

from ejournal_tui.domain.errors import EjournalError, InvalidInput
from ejournal_tui.i18n import Phrase, register_many
from ejournal_tui.services.secret_file import read_secret

if TYPE_CHECKING:
    from ejournal_tui.config import AppConfig

SECURITY = ("starttls", "ssl", "none")
TIMEOUT_S = 30.0

register_many({
    "smtp.no_host": ("не задан почтовый сервер: укажите smtp_host (или EJOURNAL_SMTP_HOST) в настройках",
                     "no mail server: set smtp_host (or EJOURNAL_SMTP_HOST) in the settings"),
    "smtp.no_from": ("не задан отправитель писем: укажите smtp_from (например, «Школа № 1 <journal@school.ru>»)",
                     "no sender: set smtp_from (e.g. \"School 1 <journal@school.example.org>\")"),
    "smtp.bad_from": ("smtp_from «{value}»: нужен адрес отправителя с доменом", "smtp_from {value!r}: needs a sender address with a domain"),
    "smtp.bad_security": ("smtp_security «{value}»: используйте starttls, ssl или none",
                          "smtp_security {value!r}: use starttls, ssl or none"),
    "smtp.bad_port": ("smtp_port {value}: от 1 до 65535", "smtp_port {value}: from 1 to 65535"),
    "smtp.no_password": ("задан smtp_user, но не задан smtp_password_file с паролем почтового ящика",
                         "smtp_user is set but smtp_password_file (the mail account's password) is not"),
    "smtp.unreachable": ("почтовый сервер {host}:{port} недоступен: {detail}",
                         "the mail server {host}:{port} cannot be reached: {detail}"),
    "smtp.untrusted": ("почтовый сервер {host}:{port} предъявил сертификат, которому этот компьютер не доверяет "
                       "({detail}): проверьте smtp_host или добавьте сертификат центра сертификации школы в хранилище системы",
                       "the mail server {host}:{port} presented a certificate this computer does not trust ({detail}): "
                       "check smtp_host, or add the school's certificate authority to the system's store"),
    "smtp.login": ("почтовый сервер {host} не принял вход {user}: {detail}",
                   "the mail server {host} refused the sign-in of {user}: {detail}"),
})


class ServerUnreachable(EjournalError):
    """The mail server cannot be reached, or refuses the sign-in: nothing more can be sent."""

    key = "smtp.unreachable"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: str = "starttls"
    user: str = ""
    password_file: str = ""
    sender: str = ""  # smtp_from
    timeout: float = TIMEOUT_S
    password: str = field(default="", repr=False)  # read by `check`, never from the settings

    @property
    def envelope_from(self) -> str:
        return parseaddr(self.sender)[1]

    @property
    def domain(self) -> str:
        """The sender's domain: the right-hand side of every Message-ID."""
        return self.envelope_from.rpartition("@")[2]

    def check(self, *, sending: bool = True) -> SmtpSettings:
        """These settings with the password read, or the one clear refusal; `sending=False`
        (a dry run) needs only the sender the messages name."""
        if not self.sender.strip():
            raise InvalidInput(what=Phrase("smtp.no_from"))
        if "@" not in self.envelope_from or not self.domain:
            raise InvalidInput(what=Phrase("smtp.bad_from", value=self.sender))
        if not sending:
            return self
        if not self.host.strip():
            raise InvalidInput(what=Phrase("smtp.no_host"))
        if self.security not in SECURITY:
            raise InvalidInput(what=Phrase("smtp.bad_security", value=self.security))
        if not 0 < int(self.port) < 65536:
            raise InvalidInput(what=Phrase("smtp.bad_port", value=self.port))
        if self.user and not self.password_file:
            raise InvalidInput(what=Phrase("smtp.no_password"))
        password = read_secret(self.password_file, "smtp_password_file") if self.user else ""
        return SmtpSettings(self.host.strip(), int(self.port), self.security, self.user, self.password_file,
                            self.sender, self.timeout, password)


def smtp_settings(config: AppConfig) -> SmtpSettings:
    """The mail settings of the program's settings (file, then `EJOURNAL_SMTP_…`), unchecked."""
    return SmtpSettings(config.smtp_host, int(config.smtp_port), (config.smtp_security or "starttls").strip().lower(),
                        config.smtp_user, config.smtp_password_file, config.smtp_from)


@dataclass(frozen=True)
class Outcome:
    """What the server did with one message: the addresses it took, and those it refused
    with its reply («550 5.1.1 no such user»); `error` when it took none."""

    accepted: tuple[str, ...]
    refused: dict[str, str]
    error: str = ""

    @property
    def sent(self) -> bool:
        return bool(self.accepted)


_ADDRESS_STATUS = re.compile(r"^[45]\d\d[ -][45]\.1\.\d+")


def address_problem(reply: str) -> bool:
    """Whether a server's reply is about the address itself (RFC 3463 status 5.1.x: no such
    mailbox, bad domain), not about the sender, the server or its policy."""
    return bool(_ADDRESS_STATUS.match(reply.strip()))


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}"


class Transport:
    """One connection for a run: `send` each message, `close` at the end."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp: smtplib.SMTP | None = None
        try:
            if s.security == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                _login(smtp, s.user, s.password)
        except smtplib.SMTPAuthenticationError as exc:
            _close(smtp)
            raise ServerUnreachable("smtp.login", host=s.host, user=s.user, detail=_reply(exc.smtp_code, exc.smtp_error)) from exc
        except ssl.SSLCertVerificationError as exc:  # not a network fault: the sysadmin's trust store
            _close(smtp)
            raise ServerUnreachable("smtp.untrusted", host=s.host, port=s.port,
                                    detail=f"certificate verify failed: {exc.verify_message}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            _close(smtp)
            raise ServerUnreachable(host=s.host, port=s.port, detail=_detail(exc)) from exc
        return smtp

    def send(self, msg: EmailMessage, recipients: list[str]) -> Outcome:
        """Send one message; reconnects once if the connection was lost."""
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = self._connect()
            try:
                return self._send(self._smtp, msg, recipients)
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self._drop()
                if attempt == 2:
                    raise ServerUnreachable(host=self.settings.host, port=self.settings.port,
                                            detail=_detail(exc)) from exc
        raise AssertionError("unreachable")

    def _send(self, smtp: smtplib.SMTP, msg: EmailMessage, recipients: list[str]) -> Outcome:
        try:
            refused = smtp.send_message(msg, self.settings.envelope_from, recipients)
        except smtplib.SMTPRecipientsRefused as exc:
            replies = {addr: _reply(code, text) for addr, (code, text) in exc.recipients.items()}
            return Outcome((), replies, "; ".join(f"{a}: {r}" for a, r in replies.items()))
        except smtplib.SMTPResponseException as exc:  # the sender or the data refused, or another reply
            return Outcome((), {}, _reply(exc.smtp_code, exc.smtp_error))
        except smtplib.SMTPNotSupportedError as exc:  # an address this server cannot take
            return Outcome((), {}, _detail(exc))
        replies = {addr: _reply(code, text) for addr, (code, text) in refused.items()}
        return Outcome(tuple(a for a in recipients if a not in replies), replies)

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            except OSError:
                pass
        self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
        self._drop()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Sign in. smtplib sends the account's name and password as ASCII only; a password in
    Cyrillic (a school's mail account may well have one) goes as UTF-8 by AUTH PLAIN or
    LOGIN, which servers take as the bytes they are (RFC 4616)."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    b64 = lambda data: base64.b64encode(data).decode("ascii")  # noqa: E731
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + b64(b"\0" + user.encode() + b"\0" + password.encode()))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(user.encode()))
        if code == 334:
            code, reply = smtp.docmd(b64(password.encode()))
    else:
        raise smtplib.SMTPAuthenticationError(504, b"no AUTH PLAIN or LOGIN for a password beyond ASCII")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def _close(smtp: smtplib.SMTP | None) -> None:
    """Let go of a connection that failed on the way (STARTTLS, the sign-in)."""
    if smtp is not None:
        try:
            smtp.close()
        except OSError:
            pass


def _detail(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "strerror", None) or exc or type(exc).__name__).split())
