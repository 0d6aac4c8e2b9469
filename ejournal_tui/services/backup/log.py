"""The log of backup use (журнал учёта резервных копий): each backup, copy, verification,
restore and removal, with who did it, from which host, the file and its SHA-256."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from ejournal_tui.data import models as m

_LOG = m.BackupRecord.__table__


def host_name() -> str:
    try:
        return socket.gethostname()
    except OSError:
        return ""


@dataclass(frozen=True)
class LogRow:
    id: int
    at: datetime  # aware UTC
    action: str
    path: str
    by: str
    host: str
    sha256: str
    size: int
    ok: bool
    period_end: bool
    note: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "at": self.at.isoformat(), "action": self.action, "path": self.path,
            "by": self.by, "host": self.host, "sha256": self.sha256, "size": self.size, "ok": self.ok,
            "period_end": self.period_end, "note": self.note,
        }


def write(engine: Engine, at: datetime, action: str, by: str, *, path: str = "", sha256: str = "",
          size: int = 0, ok: bool = True, period_end: bool = False, note: str = "") -> None:
    with engine.begin() as conn:
        conn.execute(insert(_LOG).values(
            at=at, action=action, path=path, by=by, host=host_name(), sha256=sha256, size=size, ok=ok,
            period_end=period_end, note=note[:1000],
        ))


def read(engine: Engine, limit: int = 200) -> list[LogRow]:
    """The newest `limit` entries, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(_LOG).order_by(_LOG.c.id.desc()).limit(limit)).mappings().all()
    return [_row(r) for r in rows]


def _row(r: Any) -> LogRow:
    at = r["at"] if r["at"].tzinfo else r["at"].replace(tzinfo=UTC)
    return LogRow(r["id"], at, r["action"], r["path"], r["by"], r["host"], r["sha256"], r["size"],
                  bool(r["ok"]), bool(r["period_end"]), r["note"])
