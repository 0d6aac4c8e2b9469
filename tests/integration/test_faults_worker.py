"""Not tests: the workstation process the fault tests start, kill and race.

    python -m tests.integration.test_faults_worker '{"mode": "add", "url": …, …}'

`add` enters marks one per transaction and prints `ack ID MONOTONIC_NS` after each commit (so a mark
printed was acknowledged to the user); `correct` corrects each given mark from version 1 and
prints `ok ID` or `conflict ID`. With `go` set, it prints `ready` and waits for that file.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any


def _database(spec: dict[str, Any]):  # noqa: ANN202
    from ejournal_tui.data import models as m
    from ejournal_tui.data.db import make_engine
    from ejournal_tui.services.accounts import actor_of
    from ejournal_tui.services.context import Clock, Database

    db = Database(make_engine(spec["url"]), spec["school_id"], Clock(datetime.fromisoformat(spec["now"])))
    with db.uow() as uow:
        actor = actor_of(uow.session.get(m.Staff, spec["staff_id"]))
    return db, actor


def _wait_for_go(spec: dict[str, Any]) -> None:
    if spec.get("go"):
        print("ready", flush=True)
        while not Path(spec["go"]).exists():
            time.sleep(0.005)


def _add(db, actor, spec: dict[str, Any]) -> None:  # noqa: ANN001
    from ejournal_tui.services.marks import add_mark

    pupils = itertools.cycle(spec["pupils"])
    values = itertools.cycle("2345")
    for _ in range(spec.get("count", 10**9)):
        with db.uow() as uow:
            ref = add_mark(uow, actor, spec["lesson_id"], next(pupils), next(values))
        # the system-wide monotonic clock lets the parent tell what was acknowledged when
        print(f"ack {ref.id} {time.monotonic_ns()}", flush=True)


def _correct(db, actor, spec: dict[str, Any]) -> None:  # noqa: ANN001
    from ejournal_tui.domain.errors import Conflict
    from ejournal_tui.services.marks import correct_mark

    for mark_id in spec["marks"]:
        try:
            with db.uow() as uow:
                correct_mark(uow, actor, mark_id, value=spec["value"], expected_version=1)
            print(f"ok {mark_id}", flush=True)
        except Conflict:
            print(f"conflict {mark_id}", flush=True)


def main() -> None:
    spec = json.loads(sys.argv[1])
    db, actor = _database(spec)
    _wait_for_go(spec)
    if spec["mode"] in ("correct", "both"):
        _correct(db, actor, spec)
    if spec["mode"] in ("add", "both"):
        _add(db, actor, spec)
    print("done", flush=True)


if __name__ == "__main__":
    main()
