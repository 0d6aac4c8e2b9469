"""What every screen works with once someone has signed in: the school's database, the
signed-in person, and the workstation's settings. The app keeps one as `app.session`."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_tui.config import AppConfig
from ejournal_tui.services.context import Actor, Database


@dataclass
class TuiSession:
    db: Database
    actor: Actor
    config: AppConfig
