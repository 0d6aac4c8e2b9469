"""A pupil's details and study groups on both databases: the details are changed with their
before → after in the change log; a pupil moved to another class joins the groups chosen
(one a split) from the move day, and the groups can be changed afterwards; every refusal
leaves the data as it was."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from ejournal_tui.data import models as m
from ejournal_tui.domain.errors import InvalidInput, NotAllowed
from ejournal_tui.services import admin
from tests.conftest import count_rows

MOVE_DAY = date(2026, 11, 16)


def _pupil(engine, pupil_id: int) -> m.Pupil:  # noqa: ANN001
    with Session(engine) as s:
        return s.get(m.Pupil, pupil_id)


def _groups(engine, pupil_id: int) -> list[tuple[str, date, date | None]]:  # noqa: ANN001
    G, SG = m.GroupMember, m.StudyGroup
    with Session(engine) as s:
        rows = s.exec(select(SG.name, G.start, G.end).join(SG, SG.id == G.group_id)
                      .where(G.pupil_id == pupil_id).order_by(G.start, SG.name))
        return [tuple(r) for r in rows]


def _second_english_group(school, engine) -> int:  # noqa: ANN001
    """5А's English taught in two groups: group 2 gets a load of its own."""
    with Session(engine) as s:
        group = m.StudyGroup(school_id=school.school_id, class_id=school.classes["5А"], name="Англ. гр. 2")
        s.add(group)
        s.flush()
        eng = s.get(m.TeachingLoad, school.loads["eng5"])
        s.add(m.TeachingLoad(school_id=school.school_id, year_id=eng.year_id, teacher_id=eng.teacher_id,
                             class_id=eng.class_id, group_id=group.id, subject_id=eng.subject_id, hours_per_week=1))
        s.commit()
        return group.id


def _group_id(engine, name: str) -> int:  # noqa: ANN001
    with Session(engine) as s:
        return s.exec(select(m.StudyGroup.id).where(m.StudyGroup.name == name)).one()


def test_edit_pupil_details_logged_before_and_after(school, engine) -> None:
    volkov = school.pupils["Волков"]
    with school.uow() as uow:
        card = admin.edit_pupil(uow, school.actors["deputy"], volkov, birth_date=date(2014, 3, 8),
                                personal_file_no="В-17", parents="Волкова Вера (мать)", phone="+7 900 000-00-01",
                                patronymic="Петрович")
    pupil = _pupil(engine, volkov)
    assert (pupil.birth_date, pupil.personal_file_no, pupil.parents, pupil.phone, pupil.patronymic) == (
        date(2014, 3, 8), "В-17", "Волкова Вера (мать)", "+7 900 000-00-01", "Петрович")
    assert card.personal_file_no == "В-17" and pupil.first_name == "Виктор"  # what is not given stays
    with Session(engine) as s:
        event = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "pupil.edit")).one()
    before, after = json.loads(event.before), json.loads(event.after)
    assert before["birth_date"] == "2015-05-05" and after["birth_date"] == "2014-03-08"
    assert before["personal_file_no"] == "" and after["personal_file_no"] == "В-17"
    assert event.pupil_id == volkov


@pytest.mark.parametrize(("changes", "words"), [
    ({"birth_date": date(2026, 12, 1)}, "birth date"),
    ({"birth_date": date(1989, 12, 31)}, "1990"),
    ({"parents": "x" * 201}, "200"),
    ({"phone": "9" * 201}, "200"),
    ({"last_name": "  "}, "last name"),
])
def test_edit_pupil_refusals_change_nothing(school, engine, changes, words) -> None:  # noqa: ANN001
    events = count_rows(engine, m.AuditEvent)
    with school.uow() as uow, pytest.raises(InvalidInput, match=words):
        admin.edit_pupil(uow, school.actors["deputy"], school.pupils["Волков"], personal_file_no="1", **changes)
    pupil = _pupil(engine, school.pupils["Волков"])
    assert (pupil.birth_date, pupil.personal_file_no, pupil.parents, pupil.last_name) == (
        date(2015, 5, 5), "", "", "Волков")
    assert count_rows(engine, m.AuditEvent) == events


def test_a_teacher_cannot_edit_a_pupil(school, engine) -> None:
    with school.uow() as uow, pytest.raises(NotAllowed):
        admin.edit_pupil(uow, school.actors["ivanova"], school.pupils["Волков"], phone="1")
    assert _pupil(engine, school.pupils["Волков"]).phone == ""


def test_moved_pupil_joins_the_chosen_groups(school, engine) -> None:
    second = _second_english_group(school, engine)
    ilyin = school.pupils["Ильин"]
    with school.uow() as uow:
        splits = admin.class_splits(uow, school.actors["deputy"], school.classes["5А"])
    assert [(s.subjects, [g.name for g in s.groups]) for s in splits] == [
        ("Иностранный язык (английский)", ["Англ. гр. 1", "Англ. гр. 2"])]
    with school.uow() as uow:
        admin.move_pupil(uow, school.actors["deputy"], ilyin, school.classes["5А"], MOVE_DAY, group_ids=[second])
    assert _groups(engine, ilyin) == [("Англ. гр. 2", MOVE_DAY, None)]


def test_move_refuses_groups_of_another_class_or_two_of_a_split(school, engine) -> None:
    second = _second_english_group(school, engine)
    first = _group_id(engine, "Англ. гр. 1")
    ilyin, volkov = school.pupils["Ильин"], school.pupils["Волков"]
    with school.uow() as uow, pytest.raises(InvalidInput, match="choose one"):
        admin.move_pupil(uow, school.actors["deputy"], ilyin, school.classes["5А"], MOVE_DAY,
                         group_ids=[first, second])
    with school.uow() as uow, pytest.raises(InvalidInput, match="not of class 10А"):
        admin.move_pupil(uow, school.actors["deputy"], volkov, school.classes["10А"], MOVE_DAY, group_ids=[first])
    assert _groups(engine, ilyin) == []
    with Session(engine) as s:
        ends = s.exec(select(m.Membership.end).where(m.Membership.pupil_id.in_([ilyin, volkov]))).all()
    assert ends == [None, None]  # neither move happened


def test_groups_changed_afterwards(school, engine) -> None:
    second = _second_english_group(school, engine)
    volkov = school.pupils["Волков"]
    with school.uow() as uow:
        admin.set_pupil_groups(uow, school.actors["deputy"], volkov, [second], MOVE_DAY)
    assert _groups(engine, volkov) == [("Англ. гр. 1", date(2026, 9, 1), date(2026, 11, 15)),
                                       ("Англ. гр. 2", MOVE_DAY, None)]
    with school.uow() as uow:
        assert admin.pupil_group_ids(uow, volkov, school.classes["5А"], MOVE_DAY) == {second}
    with Session(engine) as s:
        event = s.exec(select(m.AuditEvent).where(m.AuditEvent.action == "pupil.groups")).one()
    assert json.loads(event.after)["groups"] == [second]
