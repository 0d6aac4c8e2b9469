"""App-wide messages: small dataclasses any screen may post or handle."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class EntrySaved(Message):
    """A queued write reached the database (the status line counts pending writes)."""


@dataclass
class DataChanged(Message):
    """Something this workstation wrote may change what other screens show."""

    what: str = ""
