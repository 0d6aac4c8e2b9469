"""Rule settings changed through the service as the administration screen does: a value out
of range is refused in words and nothing is stored (issue 9)."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.services import admin


@pytest.mark.parametrize("raw", ["0", "-5", "abc"])
def test_a_bad_idle_lock_is_refused_and_nothing_changes(school, raw: str) -> None:
    with school.uow() as uow, pytest.raises(InvalidInput) as err:
        admin.set_setting(uow, school.actors["deputy"], "idle_lock_minutes", raw)
    assert "idle" in str(err.value).lower()
    with school.uow() as uow:
        assert uow.settings.idle_lock_minutes == 5


def test_a_good_value_is_stored_and_listed_with_its_label(school) -> None:
    with school.uow() as uow:
        info = admin.set_setting(uow, school.actors["deputy"], "idle_lock_minutes", "10")
    assert info.value == "10" and info.changed and info.label == "Idle lock, minutes"
