"""The backup's content: engine-neutral JSON lines, gzip-compressed, before encryption.

    {"format": "ejournal-backup", "version": 1, "schema_revision": …}   header
    {"table": "school", "columns": ["id", "code", …]}                   one per table, FK order
    {"rows": [[1, "demo", …], …]}                                       batches of rows
    {"manifest": {…}}                                                   the last line

Values are canonical whatever the engine: dates "YYYY-MM-DD", timestamps UTC
"YYYY-MM-DD HH:MM:SS.ffffff", booleans true/false. The manifest holds the row count of each
table and the SHA-256 of every line before it; reading checks both, and that nothing follows
it: no line, no second compressed stream, no byte of the file after the last chunk.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Table

try:  # parses a restore's rows about 4 × faster than the standard library
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - a dependency; the standard library still works
    _fast_loads = json.loads

from ejournal_tui.i18n import Phrase
from ejournal_tui.services.backup.errors import BackupAltered, BackupTruncated

FORMAT = "ejournal-backup"
FORMAT_VERSION = 1
BATCH = 2000  # rows per line
# Level 1: the text compresses about 8 × even so, at a quarter of level 6's time.
GZIP_LEVEL = 1
_TS = "%Y-%m-%d %H:%M:%S.%f"
_PIECE = 1 << 20  # bytes of text inflated at a time


@dataclass
class Manifest:
    """What a backup says about itself (stored as its last line)."""

    created_at: str
    by: str
    host: str
    engine: str
    source: str
    schema_revision: str
    program_version: str
    period_end: bool = False
    schools: list[str] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)
    content_sha256: str = ""
    # each school's change-log head when the snapshot was taken: {"school", "seq", "hash"}
    # (services/audit_anchor.py); a backup made before anchors were recorded has none
    anchors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": FORMAT_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


def canonical_ts(value: Any) -> str | None:
    """A timestamp as UTC text; SQLite hands back what SQLAlchemy stored (naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " ":
            return value  # already canonical: SQLAlchemy's SQLite storage format
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime(_TS)


def _canonical_date(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)


def _canonical_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def converters(table: Table) -> list[tuple[int, Callable[[Any], Any]]]:
    """(column index, to-canonical function) for the columns whose values need it."""
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for i, col in enumerate(table.c):
        if isinstance(col.type, DateTime):
            out.append((i, canonical_ts))
        elif isinstance(col.type, Date):
            out.append((i, _canonical_date))
        elif isinstance(col.type, Boolean):
            out.append((i, _canonical_bool))
    return out


class ContentWriter:
    """Writes the lines to `sink` compressed, hashing and counting as it goes."""

    def __init__(self, sink: Any, header: dict[str, Any]) -> None:
        self._sink = sink
        self._zip = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
        self._sha = hashlib.sha256()
        self.counts: dict[str, int] = {}
        self._table = ""
        self._line({"format": FORMAT, "version": FORMAT_VERSION, **header})

    def _line(self, obj: Any, *, hashed: bool = True) -> None:
        self._text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), hashed=hashed)

    def _text(self, line: str, *, hashed: bool = True) -> None:
        data = line.encode("utf-8") + b"\n"
        if hashed:
            self._sha.update(data)
        self._sink.write(self._zip.compress(data))

    def table(self, name: str, columns: list[str]) -> None:
        self._table = name
        self.counts[name] = 0
        self._line({"table": name, "columns": columns})

    def rows(self, rows: list[Any]) -> None:
        for start in range(0, len(rows), BATCH):
            part = rows[start:start + BATCH]
            self.counts[self._table] += len(part)
            self._line({"rows": part})

    def json_rows(self, rows: list[str]) -> None:
        """Rows each already written as its JSON array (by the database)."""
        for start in range(0, len(rows), BATCH):
            part = rows[start:start + BATCH]
            self.counts[self._table] += len(part)
            self._text('{"rows":[' + ",".join(part) + "]}")

    def finish(self, manifest: Manifest) -> Manifest:
        manifest.tables = dict(self.counts)
        manifest.content_sha256 = self._sha.hexdigest()
        self._line({"manifest": manifest.as_dict()}, hashed=False)
        self._sink.write(self._zip.flush())
        return manifest


@dataclass
class TableBlock:
    name: str
    columns: list[str]


def _lines(chunks: Iterable[bytes], where: str) -> Iterator[bytes]:
    unzip = zlib.decompressobj(31)
    rest = b""
    try:
        for chunk in chunks:
            while chunk:
                # a piece at a time: reading the header alone does not inflate a whole chunk
                rest += unzip.decompress(chunk, _PIECE)
                chunk = unzip.unconsumed_tail
                *whole, rest = rest.split(b"\n")
                yield from whole
        rest += unzip.flush()
    except zlib.error as exc:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.no_decompress")) from exc
    if not unzip.eof:
        raise BackupTruncated(path=where)
    if unzip.unused_data:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.after_end"))
    if rest:
        yield from rest.split(b"\n")


def read_content(chunks: Iterable[bytes], where: str) -> Iterator[dict[str, Any] | TableBlock | list | Manifest]:
    """Yields the header (dict), each TableBlock, each batch of rows (list) and finally the
    Manifest, after checking the hash and the row counts against it and that the file ends
    with it (a reader stops at the manifest: what follows is checked before it is given)."""
    sha, counts, table = hashlib.sha256(), {}, ""
    lines = _lines(chunks, where)
    for number, raw in enumerate(lines, 1):
        obj = _parse(raw, where, number)
        if "manifest" in obj:
            manifest = Manifest.from_dict(obj["manifest"])
            _check(manifest, sha.hexdigest(), counts, where)
            _at_end(lines, where)
            yield manifest
            return
        sha.update(raw + b"\n")
        if number == 1:
            if obj.get("format") != FORMAT:
                raise BackupAltered(path=where, detail=Phrase("backup.detail.no_header"))
            yield obj
        elif "table" in obj:
            table = obj["table"]
            counts[table] = 0
            yield TableBlock(table, list(obj["columns"]))
        elif "rows" in obj and table:
            counts[table] += len(obj["rows"])
            yield obj["rows"]
        else:
            raise BackupAltered(path=where, detail=Phrase("backup.detail.unexpected_line", n=number))
    raise BackupTruncated(path=where)


def _at_end(lines: Iterator[bytes], where: str) -> None:
    """The rest of the content and of the file, which must be empty; reading it to the end
    makes the container check that no byte follows its last chunk."""
    for _extra in lines:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.after_end"))


def _parse(raw: bytes, where: str, number: int) -> dict[str, Any]:
    try:
        obj = _fast_loads(raw)
    except ValueError:
        # what only the standard library reads (Infinity, NaN, a lone surrogate, which
        # json.dumps may have written), or really not JSON
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            raise BackupAltered(path=where, detail=Phrase("backup.detail.not_json", n=number)) from exc
    if not isinstance(obj, dict):
        raise BackupAltered(path=where, detail=Phrase("backup.detail.not_object", n=number))
    return obj


def _check(manifest: Manifest, digest: str, counts: dict[str, int], where: str) -> None:
    if manifest.content_sha256 != digest:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.sha"))
    if manifest.tables != counts:
        raise BackupAltered(path=where, detail=Phrase("backup.detail.counts"))
