"""`ejournal demo --size small --no-tui` has families of every kind the digest to parents
tells apart: most with an address at example.org and consent, some with no address, some
with an address and no consent, a few with two addresses, and brothers and sisters in
different classes sharing their parents' address; every address valid by the contacts'
rules, no address shared by families who are not siblings; the same seed gives the same
families; each family's contacts have their change-log event."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select

from ejournal_tui.data import models as m
from ejournal_tui.data.db import make_engine
from ejournal_tui.demo.people import male_surname
from ejournal_tui.domain.contacts import normalize_email, normalize_phone

Row = tuple[int, str, str, str, bool]


def demo(path: Path) -> str:
    url = f"sqlite:///{path}"
    done = subprocess.run([sys.executable, "-m", "ejournal_tui", "--db", url, "demo", "--size", "small", "--no-tui",
                           "--as-of", "2026-11-20"], capture_output=True, text=True, timeout=300,
                          env={"EJOURNAL_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": str(path.parent)})
    assert done.returncode == 0, done.stderr
    return url


@pytest.fixture(scope="module")
def families(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    url = demo(tmp_path_factory.mktemp("demo-families") / "demo.db")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            C, P, Ms, K = m.ParentContact, m.Pupil, m.Membership, m.SchoolClass
            rows = [tuple(r) for r in conn.execute(select(C.pupil_id, C.name, C.email, C.phone, C.consent)
                                                   .order_by(C.pupil_id, C.id))]
            pupils = {r[0]: (r[1], r[2], r[3]) for r in conn.execute(select(P.id, P.last_name, P.parents, P.phone))}
            grades = dict(conn.execute(select(Ms.pupil_id, K.grade).join(K, K.id == Ms.class_id)).all())
            events = conn.execute(select(m.AuditEvent.pupil_id).where(m.AuditEvent.action == "contacts.save")).all()
    finally:
        engine.dispose()
    by_pupil: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_pupil[row[0]].append(row)  # type: ignore[arg-type]
    return {"url": url, "rows": rows, "by_pupil": by_pupil, "pupils": pupils, "grades": grades,
            "events": {e[0] for e in events}}


def _kind(parents: list[Row]) -> str:
    if any(r[4] for r in parents):
        return "two" if sum(1 for r in parents if r[4]) > 1 else "consent"
    return "no_consent" if any(r[2] for r in parents) else "none"


def test_every_kind_of_family_and_most_consent(families: dict) -> None:
    by_pupil, pupils = families["by_pupil"], families["pupils"]
    assert set(by_pupil) == set(pupils)  # every pupil has parents
    kinds = defaultdict(int)
    for parents in by_pupil.values():
        kinds[_kind(parents)] += 1
    assert kinds["none"] >= 3 and kinds["no_consent"] >= 3 and kinds["two"] >= 2, kinds
    assert kinds["consent"] + kinds["two"] > 0.7 * len(by_pupil), kinds


def test_siblings_in_different_classes_share_their_parents_address(families: dict) -> None:
    by_address: dict[str, set[int]] = defaultdict(set)
    for pupil_id, _name, email, _phone, _consent in families["rows"]:
        if email:
            by_address[email].add(pupil_id)
    shared = {a: ids for a, ids in by_address.items() if len(ids) > 1}
    assert len(shared) >= 3, shared
    pupils, grades = families["pupils"], families["grades"]
    for ids in shared.values():
        assert len(ids) == 2
        a, b = sorted(ids)
        assert male_surname(pupils[a][0]) == male_surname(pupils[b][0])  # one family
        assert grades[a] != grades[b]  # in different classes
        assert pupils[a][1] == pupils[b][1]  # the same parents on paper
        assert families["by_pupil"][a] and [r[1:] for r in families["by_pupil"][a]] == [
            r[1:] for r in families["by_pupil"][b]]


def test_every_contact_keeps_the_rules_at_a_reserved_domain(families: dict) -> None:
    for _pid, name, email, phone, consent in families["rows"]:
        assert name
        if email:
            assert normalize_email(email) == email and email.endswith("@example.org")
        assert not consent or email
        assert normalize_phone(phone) == phone


def test_each_familys_contacts_have_their_event_and_the_deep_check_holds(families: dict, tmp_path: Path) -> None:
    assert families["events"] == set(families["by_pupil"])
    done = subprocess.run([sys.executable, "-m", "ejournal_tui", "--db", families["url"], "audit", "verify", "--deep"],
                          capture_output=True, text=True, timeout=300,
                          env={"EJOURNAL_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_same_seed_gives_the_same_families(families: dict, tmp_path: Path) -> None:
    url = demo(tmp_path / "again.db")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            C = m.ParentContact
            again = [tuple(r) for r in conn.execute(select(C.pupil_id, C.name, C.email, C.phone, C.consent)
                                                    .order_by(C.pupil_id, C.id))]
    finally:
        engine.dispose()
    assert again == families["rows"]
