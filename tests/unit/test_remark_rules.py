"""The rules of a remark or thanks to parents: its text, and what saving the cell editor's
field does to the cell's remark."""

from __future__ import annotations

import pytest

from ejournal_tui.domain.errors import InvalidInput
from ejournal_tui.domain.remarks import MAX_LENGTH, RemarkChange, change_of, clean_text


def test_text_is_trimmed_to_one_line() -> None:
    assert clean_text("  Забыл\n тетрадь  ") == "Забыл тетрадь"


@pytest.mark.parametrize("text", ["", " ", "\n\t"])
def test_empty_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="no text"):
        clean_text(text)


def test_text_up_to_the_limit_is_kept_and_longer_refused_with_the_limit_named() -> None:
    assert clean_text("я" * MAX_LENGTH) == "я" * MAX_LENGTH
    with pytest.raises(InvalidInput, match=f"at most {MAX_LENGTH} characters, {MAX_LENGTH + 1} given"):
        clean_text("я" * (MAX_LENGTH + 1))


@pytest.mark.parametrize(("current", "text", "praise", "change"), [
    (None, "", False, None),  # nothing typed, nothing there
    (None, "  ", True, None),  # the kind alone chosen over an empty field
    (None, "Шумел", False, RemarkChange.ADD),
    (("Шумел", False), "Шумел", False, None),
    (("Шумел", False), " Шумел ", False, None),  # the same, as stored
    (("Шумел", False), "Шумел", True, RemarkChange.EDIT),  # now a word of thanks
    (("Шумел", False), "Болтал", False, RemarkChange.EDIT),
    (("Шумел", False), "", False, RemarkChange.REMOVE),  # cleared
    (("Шумел", True), "  ", True, RemarkChange.REMOVE),
])
def test_what_saving_the_field_does(current: tuple[str, bool] | None, text: str, praise: bool,
                                    change: RemarkChange | None) -> None:
    assert change_of(current, text, praise) is change
