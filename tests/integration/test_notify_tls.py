"""`notify_parents` over real TLS on loopback: aiosmtpd with STARTTLS (required) and with
implicit TLS (the SSL port), certificates made here with `cryptography` by a throwaway CA.

The program verifies the server's certificate against the system's trust store
(`ssl.create_default_context()`); a school with its own CA names it in `SSL_CERT_FILE`.
OpenSSL reads that variable each time a default context loads its certificates (not once per
process), so `monkeypatch.setenv` reaches the program in this process; `trust` checks it did.
Note that the variable *replaces* the system's CA file (the CA directory, `SSL_CERT_DIR` or
/etc/ssl/certs, is still searched), and a file that does not exist is silently ignored.

What is checked is what a sysadmin and the parents would see: the messages arrive to the
addresses the delivery log names, the mail went encrypted and the sign-in only after TLS; a
certificate the system does not trust, or a server that does not offer STARTTLS, stops the
run before anything is sent or logged as sent, with one line naming the server and why,
and the password never leaves the program."""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from ipaddress import ip_address
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ejournal_tui.services.notify import notify_parents
from ejournal_tui.services.notify.smtp import SmtpSettings
from tests.integration import test_notify_service as base
from tests.integration.test_notify_service import REFUSED, deliveries
from tests.mailserver import MailServer, _Handler, told

informed = base.informed  # the school with parents' contacts and a day of entries (a fixture)

CA_NAME = "ejournal test CA"
CA_SUBJECT = ((("commonName", CA_NAME),),)  # as `SSLContext.get_ca_certs` names it
PASSWORD = "Пароль-почты-1"
# the families with a consenting address the server takes (test_notify_service's CONTACTS)
FAMILIES = {"ivanovs@example.org, papa.ilyin@example.org", "borisova@example.org", "klimova@example.org",
            base.LEBEDEVA}


# --- certificates ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Authority:
    name: x509.Name
    key: ec.EllipticCurvePrivateKey
    cert: x509.Certificate
    file: Path  # the CA certificate, PEM: what SSL_CERT_FILE names


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _authority(folder: Path, common_name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    file = folder / f"{common_name.replace(' ', '-')}.pem"
    file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(_name(common_name), key, cert, file)


def _server_cert(folder: Path, ca: Authority, stem: str, names: tuple[str, ...] = ("localhost", "127.0.0.1"),
                 valid: tuple[timedelta, timedelta] = (timedelta(days=-1), timedelta(days=30))) -> Path:
    """The server's certificate and key in one PEM file (what `load_cert_chain` takes), for
    `names` in its SubjectAlternativeName (IP addresses as such), valid from/to now + `valid`."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    alt = [x509.IPAddress(ip_address(n)) if n[0].isdigit() else x509.DNSName(n) for n in names]
    cert = (x509.CertificateBuilder().subject_name(_name(names[0])).issuer_name(ca.name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now + valid[0]).not_valid_after(now + valid[1])
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    path = folder / f"{stem}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return path


@dataclass(frozen=True)
class Pki:
    ca: Authority  # the school's own CA, trusted by `trust`
    other_ca: Authority  # a CA nobody here trusts
    good: Path  # by the school's CA, for localhost and 127.0.0.1
    foreign: Path  # the same names, by the other CA
    wrong_name: Path  # by the school's CA, for another host only
    expired: Path  # by the school's CA, expired yesterday


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    ca, other = _authority(folder, CA_NAME), _authority(folder, "somebody else CA")
    return Pki(ca, other, _server_cert(folder, ca, "good"), _server_cert(folder, other, "foreign"),
               _server_cert(folder, ca, "wrong-name", names=("mail.school1.example.org",)),
               _server_cert(folder, ca, "expired", valid=(timedelta(days=-30), timedelta(days=-1))))


def trust(monkeypatch: pytest.MonkeyPatch, ca: Authority) -> None:
    """Trust the school's CA the way a sysadmin does, and check that the program's own
    `ssl.create_default_context()` now holds it (so a failure below is not the test's)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(ca.file))
    held = [c["subject"] for c in ssl.create_default_context().get_ca_certs()]
    assert CA_SUBJECT in held, f"SSL_CERT_FILE not used: {held}"


def distrust(monkeypatch: pytest.MonkeyPatch) -> None:
    """The system's trust store only: whatever the environment had added is taken away."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    held = [c["subject"] for c in ssl.create_default_context().get_ca_certs()]
    assert CA_SUBJECT not in held


# --- servers --------------------------------------------------------------------------------

@dataclass
class _TlsHandler(_Handler):
    """tests.mailserver's handler, noting at each MAIL whether the connection was encrypted."""

    tls: list[str | None] = field(default_factory=list)  # per MAIL: "TLSv1.3", or None in clear

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: ANN001, ANN201
        ssl_object = server.transport.get_extra_info("ssl_object")
        self.tls.append(ssl_object.version() if ssl_object is not None else None)
        return await super().handle_MAIL(server, session, envelope, address, mail_options)


@dataclass
class _Account:
    """aiosmtpd's check of a sign-in, noting each attempt: (mechanism, over TLS, password)."""

    login: str
    password: str
    attempts: list[tuple[str, bool, str]] = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, data) -> AuthResult:  # noqa: ANN001
        password = data.password.decode("utf-8", "replace") if isinstance(data, LoginPassword) else ""
        tls = server.transport.get_extra_info("ssl_object") is not None
        self.attempts.append((mechanism, tls, password))
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (self.login.encode(),
                                                                                 self.password.encode())
        return AuthResult(success=ok, handled=False)


def tls_server(mode: str, cert: Path | None = None, account: _Account | None = None,
               auth_in_clear: bool = False) -> MailServer:
    """tests.mailserver's server (its received messages, `refuse`, `down`), its controller
    replaced: `mode` starttls (STARTTLS offered and required before MAIL and AUTH), ssl (TLS
    from the first byte) or none; `auth_in_clear` offers AUTH without TLS (a careless or
    hostile server inviting the password in clear text)."""
    srv = MailServer()
    srv.controller.loop.close()  # the plain controller it made, never started
    srv.handler = _TlsHandler()
    kw: dict[str, object] = {}
    if account is not None:
        # aiosmtpd counts only STARTTLS as TLS for AUTH: on the SSL port it must be told
        kw = {"authenticator": account, "auth_require_tls": mode == "starttls" and not auth_in_clear}
    if mode != "none":
        assert cert is not None
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert)
        kw |= {"tls_context": ctx, "require_starttls": True} if mode == "starttls" else {"ssl_context": ctx}
    srv.controller = Controller(srv.handler, hostname="127.0.0.1", port=srv.port, **kw)  # type: ignore[arg-type]
    srv.refuse(*REFUSED)
    return srv


def settings(srv: MailServer, security: str, host: str = "127.0.0.1", password_file: Path | None = None) -> SmtpSettings:
    user = {"user": "journal", "password_file": str(password_file)} if password_file else {}
    return replace(srv.settings(), host=host, security=security, **user)


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "smtp.password"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def run(school, smtp: SmtpSettings):  # noqa: ANN001, ANN201
    return notify_parents(school.db, school.actors["admin"], smtp)


def assert_delivered(school, srv: MailServer, report) -> None:  # noqa: ANN001
    """Every family's message arrived, to the addresses the delivery log names as sent, with
    the Message-ID it logged, and reads as a digest; all of it over TLS."""
    assert report.sent == 4 and report.failed == 1 and not report.stopped
    sent = {r.message_id: r.address for r in deliveries(school) if r.status == "sent"}
    arrived = {str(r.message["Message-ID"]): ", ".join(r.recipients) for r in srv.received}
    assert arrived == sent and set(arrived.values()) == FAMILIES
    for r in srv.received:
        assert r.subject.startswith("Электронный журнал: ") and told(r.text).pupils
    handler: _TlsHandler = srv.handler  # type: ignore[assignment]
    assert len(handler.tls) == 5 and all(v and v.startswith("TLSv1.") for v in handler.tls), handler.tls


# --- 1, 2: a trusted certificate ------------------------------------------------------------

def test_starttls_with_the_schools_ca_sends_everything_encrypted_and_signs_in_after_tls(
        informed, pki: Pki, password_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    trust(monkeypatch, pki.ca)
    account = _Account("journal", PASSWORD)
    with tls_server("starttls", pki.good, account) as srv:
        # by name, as a school's settings name their server: the certificate's DNS name is checked
        report = run(informed, settings(srv, "starttls", host="localhost", password_file=password_file))
        assert_delivered(informed, srv, report)
        assert [(mech, tls) for mech, tls, _ in account.attempts] == [("PLAIN", True)]
        # the server takes no mail in clear text: whatever arrived came after STARTTLS
        with smtplib.SMTP("127.0.0.1", srv.port, timeout=10) as plain, pytest.raises(smtplib.SMTPSenderRefused) as refused:
            plain.sendmail("journal@school1.example.org", ["borisova@example.org"], b"Subject: x\r\n\r\nx\r\n")
        assert refused.value.smtp_code == 530 and b"STARTTLS" in refused.value.smtp_error
        assert len(srv.received) == 4


def test_implicit_tls_with_the_schools_ca_sends_everything(informed, pki: Pki, password_file: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    trust(monkeypatch, pki.ca)
    account = _Account("journal", PASSWORD)
    with tls_server("ssl", pki.good, account) as srv:
        # by address: the certificate's IP address is checked
        report = run(informed, settings(srv, "ssl", password_file=password_file))
        assert_delivered(informed, srv, report)
        assert [(mech, tls) for mech, tls, _ in account.attempts] == [("PLAIN", True)]


# --- 3: a certificate the system does not trust ---------------------------------------------

PROBLEMS = {  # which certificate, whether the school's CA is trusted, what the sysadmin reads
    "CA not trusted": ("good", False, "unable to get local issuer certificate"),
    "another CA": ("foreign", True, "unable to get local issuer certificate"),
    "another host's": ("wrong_name", True, "IP address mismatch"),
    "expired": ("expired", True, "certificate has expired"),
}


@pytest.mark.parametrize("security", ["starttls", "ssl"])
@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_a_certificate_not_trusted_stops_the_run_before_anything_is_sent(
        informed, pki: Pki, password_file: Path, monkeypatch: pytest.MonkeyPatch, security: str,  # noqa: ANN001
        problem: str) -> None:
    cert, trusted, why = PROBLEMS[problem]
    if trusted:
        trust(monkeypatch, pki.ca)
    else:
        distrust(monkeypatch)
    account = _Account("journal", PASSWORD)
    with tls_server(security, getattr(pki, cert), account) as srv:
        report = run(informed, settings(srv, security, password_file=password_file))  # no exception: a report
        assert report.sent == 0 and report.failed == 0 and srv.received == []
        assert {r.status for r in deliveries(informed)} == {"printed"}  # the paper list still printed
        stopped = report.stopped
        assert f"127.0.0.1:{srv.port}" in stopped and "certificate verify failed" in stopped and why in stopped
        assert "does not trust" in stopped and "cannot be reached" not in stopped and "_ssl.c" not in stopped
        assert "\n" not in stopped and "Traceback" not in stopped and PASSWORD not in stopped
        assert account.attempts == []  # the password never left the program
        # one try for the run, not one per family (STARTTLS: the EHLO before it; SSL: not even that)
        assert srv.handler.connections == (1 if security == "starttls" else 0)


# --- 4: STARTTLS asked for, not offered -------------------------------------------------------

def test_starttls_not_offered_stops_the_run_and_the_password_never_goes_in_clear(
        informed, password_file: Path, caplog: pytest.LogCaptureFixture) -> None:  # noqa: ANN001
    account = _Account("journal", PASSWORD)
    caplog.set_level("INFO", logger="mail.log")
    # the server offers AUTH PLAIN and LOGIN in clear text, and no STARTTLS (as one stripped of it would)
    with tls_server("none", account=account, auth_in_clear=True) as srv:
        report = run(informed, settings(srv, "starttls", password_file=password_file))
        assert report.sent == 0 and srv.received == [] and {r.status for r in deliveries(informed)} == {"printed"}
        assert f"127.0.0.1:{srv.port}" in report.stopped and "STARTTLS" in report.stopped
        assert "\n" not in report.stopped and PASSWORD not in report.stopped
        assert account.attempts == [] and srv.handler.tls == []
    # what the server read from the program, command by command: a greeting, nothing more
    commands = [r.args[1].split()[0].decode().upper() for r in caplog.records
                if r.name == "mail.log" and r.msg == "%r >> %r" and r.args[1].strip()]
    assert commands and set(commands) <= {"EHLO", "QUIT"}, commands
