"""Families for parents' e-mail (domain/families.py): siblings by a shared consenting address
are one family; a pupil without a usable address is on paper; an address refused anywhere
is never written to."""

from __future__ import annotations

from ejournal_tui.domain.families import ContactLine, Family, group_families, looks_like_address


def test_siblings_sharing_an_address_are_one_family_with_all_their_addresses() -> None:
    contacts = [ContactLine(1, "Mama@Example.org ", True), ContactLine(2, "mama@example.org", True),
                ContactLine(2, "papa@example.org", True), ContactLine(3, "other@example.org", True)]
    families, paper = group_families([1, 2, 3], contacts)
    assert families == [Family((1, 2), ("mama@example.org", "papa@example.org")), Family((3,), ("other@example.org",))]
    assert paper == []


def test_families_link_through_any_shared_address() -> None:
    contacts = [ContactLine(1, "a@example.org", True), ContactLine(2, "a@example.org", True),
                ContactLine(2, "b@example.org", True), ContactLine(3, "b@example.org", True)]
    families, _ = group_families([3, 2, 1], contacts)
    assert families == [Family((1, 2, 3), ("a@example.org", "b@example.org"))]


def test_no_contact_no_address_no_consent_or_a_typo_is_paper() -> None:
    contacts = [ContactLine(2, "", True), ContactLine(3, "c@example.org", False), ContactLine(4, "ivanova@", True),
                ContactLine(5, "d@example.org", True)]
    families, paper = group_families([1, 2, 3, 4, 5], contacts)
    assert families == [Family((5,), ("d@example.org",))]
    assert paper == [1, 2, 3, 4]


def test_an_address_refused_for_one_child_is_not_written_to_for_another() -> None:
    contacts = [ContactLine(1, "mama@example.org", False), ContactLine(2, "mama@example.org", True),
                ContactLine(2, "papa@example.org", True)]
    families, paper = group_families([1, 2], contacts)
    assert families == [Family((2,), ("papa@example.org",))] and paper == [1]
    # refused on a pupil outside the run (another class) counts as well
    families, paper = group_families([2], [ContactLine(2, "mama@example.org", True)], withheld={"mama@example.org"})
    assert families == [] and paper == [2]


def test_other_pupils_lines_are_left_out() -> None:
    families, paper = group_families([1], [ContactLine(1, "a@example.org", True), ContactLine(9, "a@example.org", True)])
    assert families == [Family((1,), ("a@example.org",))] and paper == []


def test_what_looks_like_an_address() -> None:
    assert looks_like_address("a.b@школа.рф") and looks_like_address("x@example.org")
    for bad in ("", "a@", "@b.ru", "a b@c.ru", "a@b", "a@@b.ru", "a@b.ru,c@d.ru"):
        assert not looks_like_address(bad), bad
