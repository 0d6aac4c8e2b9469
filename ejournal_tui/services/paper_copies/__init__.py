"""The secretary's registry of paper copies (реестр бумажных копий ЭЖ): enter a printed
register or summary sheet, record its signatures and its handing to the archive, list the
year's copies and print the registry for signing. The CLI (`ejournal archive …`) and any
screen call these."""

from __future__ import annotations

from ejournal_tui.services.paper_copies.copies import (
    SIGNERS,
    CopyRow,
    list_copies,
    parse_day,
    parse_number,
    register_copy,
    sign,
)
from ejournal_tui.services.paper_copies.registry import RegistryFile, print_registry

__all__ = ["SIGNERS", "CopyRow", "RegistryFile", "list_copies", "parse_day", "parse_number", "print_registry",
           "register_copy", "sign"]
