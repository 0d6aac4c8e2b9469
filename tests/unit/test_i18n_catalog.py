"""The catalog refuses a key registered twice with other words (issue 9: `adm.hours` was an
error text and a column label, so an hours refusal read «Неверные данные: Часов в неделю»)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import ejournal_tui
from ejournal_tui.i18n import DuplicateKey, register, t


def test_every_module_registers_its_words_without_a_clash() -> None:
    for module in pkgutil.walk_packages(ejournal_tui.__path__, "ejournal_tui."):
        if ".migrations" in module.name or module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)  # raises DuplicateKey on a clash


def test_a_second_meaning_for_a_key_is_refused() -> None:
    register("test.once", ru="один раз", en="once")
    register("test.once", ru="один раз", en="once")  # the same words again: a module imported twice
    with pytest.raises(DuplicateKey):
        register("test.once", ru="другое", en="other")
    assert t("test.once") == "once"
