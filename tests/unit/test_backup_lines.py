"""Reading a backup's lines: the fast parser where it can, the standard library for what only
it reads, and a damaged line is a clear "altered" error."""

from __future__ import annotations

import math

import pytest

from ejournal_tui.services.backup.content import _parse
from ejournal_tui.services.backup.errors import BackupAltered


def test_ordinary_lines_are_read_exactly() -> None:
    line = '{"rows":[[1,"Иванова «Аня»",4.35,null,true,"2026-11-20T09:00:00.000000",0.1]]}'.encode()
    assert _parse(line, "b.ejbk", 3) == {"rows": [[1, "Иванова «Аня»", 4.35, None, True,
                                                   "2026-11-20T09:00:00.000000", 0.1]]}


def test_what_only_the_standard_library_writes_is_still_read() -> None:
    row = _parse(b'{"rows":[[Infinity,-Infinity,NaN,"\\ud800"]]}', "b.ejbk", 3)["rows"][0]
    assert row[0] == math.inf and row[1] == -math.inf and math.isnan(row[2]) and row[3] == "\ud800"


@pytest.mark.parametrize("line", [b'{"rows":[[1,', b"\xff\xfe", b"[1, 2]", b""])
def test_a_damaged_line_is_an_altered_backup(line: bytes) -> None:
    with pytest.raises(BackupAltered, match="line 7"):
        _parse(line, "b.ejbk", 7)
