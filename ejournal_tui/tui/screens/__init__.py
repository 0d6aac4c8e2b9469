"""The TUI's screens, by key: module, class, and the translation key of their title.

The app opens a screen by key (command palette, F-keys, the Today screen's links); a
screen's module is imported only when it is first opened, so start-up stays fast.
"""

from __future__ import annotations

from importlib import import_module

from ejournal_tui.i18n import register_many

# the palette lists screens by these titles before their modules are imported
register_many({"screen.print": ("Печать", "Print")})
register_many({"screen.paper_registry": ("Реестр бумажных копий", "Registry of paper copies")})
register_many({"screen.parents": ("Родители учеников", "Pupils' parents")})

SCREENS: dict[str, tuple[str, str, str]] = {
    "today": ("ejournal_tui.tui.screens.today", "TodayScreen", "screen.today"),
    "register": ("ejournal_tui.tui.screens.register", "RegisterScreen", "screen.register"),
    "homework": ("ejournal_tui.tui.screens.homework", "HomeworkScreen", "screen.homework"),
    "absences": ("ejournal_tui.tui.screens.absences", "AbsencesScreen", "screen.absences"),
    "closure": ("ejournal_tui.tui.screens.closure", "ClosureScreen", "screen.closure"),
    "admin": ("ejournal_tui.tui.screens.admin", "AdminScreen", "screen.admin"),
    "changelog": ("ejournal_tui.tui.screens.changelog", "ChangeLogScreen", "screen.changelog"),
    "control": ("ejournal_tui.tui.screens.control", "ControlScreen", "screen.control"),
    "print": ("ejournal_tui.tui.screens.printing", "PrintScreen", "screen.print"),
    "substitutions": ("ejournal_tui.tui.screens.substitutions", "SubstitutionsScreen", "screen.substitutions"),
    "paper_registry": ("ejournal_tui.tui.screens.paper_registry", "PaperRegistryScreen", "screen.paper_registry"),
    "parents": ("ejournal_tui.tui.screens.parents", "ParentsScreen", "screen.parents"),
}


def screen_class(key: str) -> type:
    module, name, _title = SCREENS[key]
    return getattr(import_module(module), name)


def available() -> list[str]:
    """Keys of screens whose module is present in this build."""
    from importlib.util import find_spec

    return [key for key, (module, _, _) in SCREENS.items() if find_spec(module) is not None]
