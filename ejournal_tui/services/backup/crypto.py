"""The encrypted container of a backup: AES-256-GCM in authenticated chunks.

Layout: a 52-byte header (magic, format version, scrypt parameters, salt, nonce prefix and a
key check), then frames of `flag (1) | length (4) | ciphertext+tag`. Each chunk's nonce is the
prefix, the chunk's number and its flag, and the header is its associated data: a chunk that
is altered, moved, dropped or marked last out of place fails its tag, and a file cut short
lacks the last-flagged frame. The key check tells a wrong passphrase apart from a damaged
file without weakening the key (it costs the same scrypt run as the key itself).
"""

from __future__ import annotations

import hashlib
import os
import struct
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ejournal_tui.i18n import Phrase
from ejournal_tui.services.backup.errors import (
    BackupAltered,
    BackupTruncated,
    NotABackup,
    Unreadable,
    WrongPassphrase,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

MAGIC = b"EJBACKUP"
VERSION = 1
KDF_SCRYPT = 1
# scrypt N = 2**16, r = 8 (64 MiB, about 0.15 s): slow enough to make guessing the
# director's code from a stolen disk costly, quick enough for a nightly job.
LOG2N, R, P = 16, 8, 1
CHUNK = 1 << 20
_HEAD = struct.Struct(">8sBBBBB16s7s16s")
_FRAME = struct.Struct(">BI")
_MAX_LOG2N, _MAX_R, _MAX_P = 20, 16, 4
_MAX_WAITING = 64  # chunks held while the key is derived, at most (64 MiB)


def _normalize(passphrase: str) -> bytes:
    # The same Cyrillic text typed on two keyboards may differ in composition.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _derive(passphrase: str, salt: bytes, log2n: int, r: int, p: int) -> tuple[bytes, bytes]:
    dk = hashlib.scrypt(_normalize(passphrase), salt=salt, n=1 << log2n, r=r, p=p,
                        maxmem=256 * r * (1 << log2n) + (1 << 20), dklen=64)
    check = hashlib.sha256(b"ejournal-backup-check" + dk[32:]).digest()[:16]
    return dk[:32], check


def _derive_later(passphrase: str, salt: bytes, log2n: int, r: int, p: int) -> Future[tuple[bytes, bytes]]:
    """Start `_derive` in a thread of its own: scrypt releases the GIL, so the caller's own
    work (producing content, reading the migration scripts, preparing the target) overlaps it."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ejournal-kdf")
    try:
        return pool.submit(_derive, passphrase, salt, log2n, r, p)
    finally:
        pool.shutdown(wait=False)  # the derivation still runs; its thread ends with it


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: plaintext in, the encrypted container out to `raw`.

    The key is derived in a thread of its own (scrypt releases the GIL) while the caller
    already produces plaintext, which waits here, in memory, until the key is ready: the slow
    derivation costs the backup's wall time nothing as long as there is work to overlap it."""

    def __init__(self, raw: BinaryIO, passphrase: str) -> None:
        salt, self._prefix = os.urandom(16), os.urandom(7)
        self._key = _derive_later(passphrase, salt, LOG2N, R, P)
        self._salt, self._aead, self._header = salt, None, b""
        self._raw, self._buf, self._index = raw, bytearray(), 0
        self._waiting: list[bytes] = []

    def _ready(self) -> bool:
        if self._aead is None and self._key.done():
            self._start()
        return self._aead is not None

    def _start(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key, check = self._key.result()
        self._header = _HEAD.pack(MAGIC, VERSION, KDF_SCRYPT, LOG2N, R, P, self._salt, self._prefix, check)
        self._aead = AESGCM(key)
        self._raw.write(self._header)

    def write(self, data: bytes) -> int:
        self._buf += data
        while len(self._buf) >= CHUNK:
            self._seal(bytes(self._buf[:CHUNK]), last=False)
            del self._buf[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks are sealed whole (the stream API of tarfile/zlib calls it)."""

    def close(self) -> None:
        """Seal the remaining plaintext as the last chunk (an empty one if need be)."""
        if self._aead is None:
            self._start()
        for plain in self._waiting:
            self._emit(plain, last=False)
        self._waiting.clear()
        self._emit(bytes(self._buf), last=True)
        self._buf.clear()

    def abort(self) -> None:
        """Give up (the caller failed): wait for the key derivation so no thread outlives us."""
        from concurrent.futures import wait

        wait([self._key])

    def _seal(self, plain: bytes, *, last: bool) -> None:
        if not self._ready():
            if len(self._waiting) < _MAX_WAITING:
                self._waiting.append(plain)
                return
            self._start()
        for early in self._waiting:
            self._emit(early, last=False)
        self._waiting.clear()
        self._emit(plain, last=last)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(_nonce(self._prefix, self._index, last), plain, self._header)  # type: ignore[union-attr]
        self._raw.write(_FRAME.pack(1 if last else 0, len(sealed)))
        self._raw.write(sealed)
        self._index += 1


def check_file(path: str | Path) -> None:
    """Raise `Unreadable` or `NotABackup` before anyone is asked for a passphrase."""
    try:
        with Path(path).open("rb") as fh:
            head = fh.read(len(MAGIC))
    except OSError as exc:
        raise Unreadable(path=str(path), detail=exc.strerror or str(exc)) from exc
    if head != MAGIC:
        raise NotABackup(path=str(path))


class BackupReader:
    """Opens a backup file and starts deriving its key; `unlock()` waits for the key and
    checks the passphrase, `chunks()` (which unlocks first) yields the plaintext. Between the
    two the caller may do work of its own that overlaps the key derivation."""

    def __init__(self, path: str | Path, passphrase: str) -> None:
        self.path = Path(path)
        try:
            with self.path.open("rb") as fh:
                header = fh.read(_HEAD.size)
        except OSError as exc:
            raise Unreadable(path=str(self.path), detail=exc.strerror or str(exc)) from exc
        if not header.startswith(MAGIC):
            raise NotABackup(path=str(self.path))
        if len(header) < _HEAD.size:
            raise BackupTruncated(path=str(self.path))
        magic, version, kdf, log2n, r, p, salt, self._prefix, check = _HEAD.unpack(header)
        if version != VERSION or kdf != KDF_SCRYPT or not (
            10 <= log2n <= _MAX_LOG2N and 1 <= r <= _MAX_R and 1 <= p <= _MAX_P
        ):
            raise BackupAltered(path=str(self.path), detail=Phrase("backup.detail.format"))
        self._header, self._check, self._key = header, check, b""
        self._pending = _derive_later(passphrase, salt, log2n, r, p)

    def unlock(self) -> None:
        """Wait for the key; raises `WrongPassphrase` when it does not open the file."""
        if self._key:
            return
        key, expected = self._pending.result()
        if expected != self._check:
            raise WrongPassphrase(path=str(self.path))
        self._key = key

    def chunks(self) -> Iterator[bytes]:
        """The plaintext chunk by chunk; raises `WrongPassphrase`, `BackupTruncated` or
        `BackupAltered`."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.unlock()
        aead, where = AESGCM(self._key), str(self.path)
        with self.path.open("rb") as fh:
            fh.seek(_HEAD.size)
            index = 0
            while True:
                flag, sealed = self._frame(fh, where)
                try:
                    plain = aead.decrypt(_nonce(self._prefix, index, flag == 1), sealed, self._header)
                except InvalidTag as exc:
                    raise BackupAltered(path=where, detail=Phrase("backup.detail.chunk", n=index + 1)) from exc
                yield plain
                index += 1
                if flag == 1:
                    break
            if fh.read(1):
                raise BackupAltered(path=where, detail=Phrase("backup.detail.after_end"))

    def check(self) -> None:
        """Read the whole file through, discarding the plaintext: every chunk's tag, the last
        chunk flagged as last, nothing after it. Raises as `chunks()` does."""
        for _plain in self.chunks():
            pass

    @staticmethod
    def _frame(fh: BinaryIO, where: str) -> tuple[int, bytes]:
        head = fh.read(_FRAME.size)
        if len(head) < _FRAME.size:
            raise BackupTruncated(path=where)
        flag, length = _FRAME.unpack(head)
        if flag > 1 or length > CHUNK + 16:
            raise BackupAltered(path=where, detail=Phrase("backup.detail.chunk_header"))
        sealed = fh.read(length)
        if len(sealed) < length:
            raise BackupTruncated(path=where)
        return flag, sealed
