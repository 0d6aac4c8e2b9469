"""Files shipped with the program (the demo school's definition, sample imports).

In the wheel they live in `ejournal_tui/_data`; in a source checkout, in the top-level
`data/` folder. This module finds whichever is there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_PACKAGED = Path(__file__).with_name("_data")
_SOURCE = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def data_file(name: str) -> Path:
    path = data_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"ejournal's data file {name!r} is missing from {data_dir()}")
    return path


def load_json(name: str) -> Any:
    return json.loads(data_file(name).read_text(encoding="utf-8"))
