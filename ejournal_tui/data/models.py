"""The register's tables (SQLModel). Every row that belongs to a school carries `school_id`
so that one database can hold a whole district and each query is scoped to one school.

Timestamps are timezone-aware UTC. Mutable rows that two workstations may edit carry a
`version` used as SQLAlchemy's version counter (optimistic concurrency).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class School(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str
    city: str = ""
    director: str = ""
    is_demo: bool = False


class AcademicYear(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "start_year"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    start_year: int
    start: date
    end: date
    six_day_week: bool = False


class Period(SQLModel, table=True):
    """A reporting period of a year: Q1–Q4, H1–H2 or Y, with its dates."""

    __table_args__ = (UniqueConstraint("year_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year_id: int = Field(foreign_key="academicyear.id")
    code: str = Field(max_length=4)
    start: date
    end: date


class PeriodClosure(SQLModel, table=True):
    """Whether a period is closed for one class; reopening keeps the row, closed=False."""

    __table_args__ = (UniqueConstraint("period_id", "class_id"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    period_id: int = Field(foreign_key="period.id")
    class_id: int = Field(foreign_key="schoolclass.id")
    closed: bool = True
    changed_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    changed_by: str = ""
    reason: str = ""
    version: int = 1


class Holiday(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year_id: int = Field(foreign_key="academicyear.id")
    start: date
    end: date
    name: str = ""


class Staff(SQLModel, table=True):
    """A staff account. `roles` is a comma-separated list of role names."""

    __table_args__ = (UniqueConstraint("school_id", "login"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    login: str = Field(max_length=64)
    last_name: str
    first_name: str
    patronymic: str = ""
    roles: str = "teacher"
    password_hash: str = ""
    must_change_password: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    disabled: bool = False
    version: int = 1

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    @property
    def role_list(self) -> tuple[str, ...]:
        return tuple(r for r in self.roles.split(",") if r)


class SchoolClass(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("year_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year_id: int = Field(foreign_key="academicyear.id")
    grade: int
    letter: str = Field(max_length=4)
    name: str = Field(max_length=8)
    leader_id: int | None = Field(default=None, foreign_key="staff.id")


class Pupil(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    last_name: str
    first_name: str
    patronymic: str = ""
    birth_date: date | None = None
    gender: str = ""
    personal_file_no: str = ""
    parents: str = ""
    phone: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


class Membership(SQLModel, table=True):
    """A pupil's membership of a class from `start` to `end` (inclusive; None: still in)."""

    __table_args__ = (Index("ix_membership_class_dates", "class_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    class_id: int = Field(foreign_key="schoolclass.id")
    start: date
    end: date | None = None


class Subject(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    name: str
    short_name: str = ""
    order: int = 0


class StudyGroup(SQLModel, table=True):
    """A subgroup of a class for some subjects (languages, IT, labour)."""

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    class_id: int = Field(foreign_key="schoolclass.id", index=True)
    name: str


class GroupMember(SQLModel, table=True):
    __table_args__ = (Index("ix_groupmember_group", "group_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="studygroup.id")
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    start: date
    end: date | None = None


class TeachingLoad(SQLModel, table=True):
    """Teacher × class (or group) × subject × hours a week for a year (тарификация)."""

    __table_args__ = (Index("ix_load_class_subject", "class_id", "subject_id"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year_id: int = Field(foreign_key="academicyear.id")
    teacher_id: int = Field(foreign_key="staff.id", index=True)
    class_id: int = Field(foreign_key="schoolclass.id")
    group_id: int | None = Field(default=None, foreign_key="studygroup.id")
    subject_id: int = Field(foreign_key="subject.id")
    hours_per_week: float = 1.0


class BellTime(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    number: int
    start: str = Field(max_length=5)  # "08:30"
    end: str = Field(max_length=5)


class TimetableSlot(SQLModel, table=True):
    """One weekly lesson of a load: weekday (1 = Monday) and lesson number."""

    __table_args__ = (Index("ix_slot_load", "load_id"), Index("ix_slot_day", "school_id", "weekday"))
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    load_id: int = Field(foreign_key="teachingload.id")
    weekday: int
    number: int
    room: str = ""


class PlanItem(SQLModel, table=True):
    """One topic of the calendar-thematic plan (КТП) of a load, in order."""

    __table_args__ = (Index("ix_plan_load_seq", "load_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    load_id: int = Field(foreign_key="teachingload.id")
    seq: int
    topic: str
    planned_date: date | None = None
    work_kind: str = ""


class Lesson(SQLModel, table=True):
    """A lesson held (or planned): what the register's right-hand page shows."""

    __table_args__ = (
        UniqueConstraint("load_id", "date", "number"),
        Index("ix_lesson_class_date", "class_id", "date"),
        Index("ix_lesson_teacher_date", "teacher_id", "date"),
        Index("ix_lesson_school_date", "school_id", "date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    load_id: int = Field(foreign_key="teachingload.id")
    class_id: int = Field(foreign_key="schoolclass.id")
    group_id: int | None = Field(default=None, foreign_key="studygroup.id")
    subject_id: int = Field(foreign_key="subject.id")
    date: date
    number: int = 1
    topic: str = ""
    plan_item_id: int | None = Field(default=None, foreign_key="planitem.id")
    homework: str = ""
    homework_at: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    work_kind: str = ""  # default kind of work for marks of this lesson (code)
    teacher_id: int = Field(foreign_key="staff.id")  # who held it
    substitute_for_id: int | None = Field(default=None, foreign_key="staff.id")
    late_entry: bool = False
    late_reason: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    version: int = 1


class WorkKind(SQLModel, table=True):
    """Kind of work for marks, with its weight and deadline category (oral / written)."""

    __table_args__ = (UniqueConstraint("school_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    code: str = Field(max_length=16)
    name: str
    weight: float = 1.0
    category: str = "written"
    order: int = 0


class Mark(SQLModel, table=True):
    __table_args__ = (
        Index("ix_mark_lesson", "lesson_id"),
        Index("ix_mark_pupil", "pupil_id", "lesson_id"),
        # one school's marks of a district's database, for the reports over a whole period
        Index("ix_mark_school_lesson", "school_id", "lesson_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    lesson_id: int = Field(foreign_key="lesson.id")
    pupil_id: int = Field(foreign_key="pupil.id")
    value: str = Field(max_length=4)
    work_kind: str = Field(max_length=16)
    weight: float = 1.0
    comment: str = ""
    entered_by: int = Field(foreign_key="staff.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    late_entry: bool = False
    version: int = 1


class AbsenceReason(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    code: str = Field(max_length=4)
    name: str
    category: str  # ill | excused | unexcused | late


class Attendance(SQLModel, table=True):
    """An absence or lateness of a pupil at a lesson; one row per lesson and pupil."""

    __table_args__ = (
        UniqueConstraint("lesson_id", "pupil_id"),
        Index("ix_attendance_pupil", "pupil_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    lesson_id: int = Field(foreign_key="lesson.id")
    pupil_id: int = Field(foreign_key="pupil.id")
    status: str = "absent"  # absent | late
    reason: str | None = Field(default=None, max_length=4)
    note_id: int | None = Field(default=None, foreign_key="absencenote.id")
    entered_by: int = Field(foreign_key="staff.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    version: int = 1


class AbsenceNote(SQLModel, table=True):
    """A sick note or parents' note covering a range of dates."""

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    pupil_id: int = Field(foreign_key="pupil.id", index=True)
    start: date
    end: date
    reason: str = Field(max_length=4)
    comment: str = ""
    created_by: int = Field(foreign_key="staff.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class Remark(SQLModel, table=True):
    """A remark or praise for parents about a pupil at a lesson (2.4)."""

    __table_args__ = (Index("ix_remark_pupil", "pupil_id"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    lesson_id: int = Field(foreign_key="lesson.id")
    pupil_id: int = Field(foreign_key="pupil.id")
    text: str
    praise: bool = False
    entered_by: int = Field(foreign_key="staff.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())


class FinalMark(SQLModel, table=True):
    """Period, year, exam or final mark of a pupil in a subject."""

    __table_args__ = (
        UniqueConstraint("pupil_id", "subject_id", "year_id", "kind", "period_code"),
        Index("ix_final_class", "class_id", "subject_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    year_id: int = Field(foreign_key="academicyear.id")
    class_id: int = Field(foreign_key="schoolclass.id")
    pupil_id: int = Field(foreign_key="pupil.id")
    subject_id: int = Field(foreign_key="subject.id")
    kind: str = Field(max_length=8)  # period | year | exam | final
    period_code: str = Field(default="", max_length=4)
    value: str = Field(max_length=4)
    entered_by: int = Field(foreign_key="staff.id")
    entered_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    version: int = 1


class Setting(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("school_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    key: str = Field(max_length=64)
    value: str  # JSON


class AuditEvent(SQLModel, table=True):
    """Who did what, when, before → after, why; chained by hash per school."""

    __table_args__ = (
        Index("ix_audit_school_seq", "school_id", "seq"),
        Index("ix_audit_actor", "school_id", "actor"),
        Index("ix_audit_class", "class_id"),
        Index("ix_audit_pupil", "pupil_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id")
    seq: int
    at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    actor: str = Field(max_length=64)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=24, default="")
    entity_id: int | None = None
    class_id: int | None = None
    pupil_id: int | None = None
    lesson_date: date | None = None
    before: str = ""  # JSON
    after: str = ""  # JSON
    reason: str = ""
    flagged: bool = False
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class AuditHead(SQLModel, table=True):
    """The last link of a school's audit chain; locked while an event is appended."""

    school_id: int = Field(primary_key=True, foreign_key="school.id")
    seq: int = 0
    hash: str = ""


class BackupRecord(SQLModel, table=True):
    """The log of backup use: each backup, copy, verification and restore."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    action: str = Field(max_length=16)  # create | copy | verify | restore | prune
    path: str = ""
    by: str = ""
    host: str = ""
    sha256: str = ""
    size: int = 0
    ok: bool = True
    period_end: bool = False
    note: str = ""


class PaperCopy(SQLModel, table=True):
    """One printed copy in the secretary's registry of paper copies (реестр бумажных копий ЭЖ,
    001 4.6–4.7, 5.2): what was printed (class, period, kind), its sheets and file, when and by
    whom, and the dates it was signed by the teachers, the class leader, the deputy and the
    director and handed to the archive. `number` runs per school and academic year."""

    __table_args__ = (UniqueConstraint("school_id", "year_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year_id: int = Field(foreign_key="academicyear.id")
    number: int
    class_id: int = Field(foreign_key="schoolclass.id")
    period_code: str = Field(max_length=4)
    kind: str = Field(default="register", max_length=16)  # register | summary
    sheets: int = 0
    draft: bool = False
    file_name: str = Field(default="", max_length=255)
    sha256: str = Field(default="", max_length=64)
    printed_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    printed_by: str = Field(default="", max_length=200)
    teachers_signed: date | None = None
    leader_signed: date | None = None
    deputy_signed: date | None = None
    director_signed: date | None = None
    archived: date | None = None
    note: str = Field(default="", max_length=500)
    version: int = 1


class ParentContact(SQLModel, table=True):
    """A parent or guardian of a pupil: how to reach them, and whether they agreed to receive
    the register's information electronically (152-ФЗ: «согласие на получение сведений в
    электронном виде»). Without consent, or without an address, the family gets paper."""

    __table_args__ = (Index("ix_parentcontact_pupil", "pupil_id"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id")
    name: str = Field(default="", max_length=200)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=32)
    consent: bool = False
    consent_date: date | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
    version: int = 1


class Delivery(SQLModel, table=True):
    """The delivery log: one row per pupil per digest sent, failed or printed — the pupil, the
    address (empty for paper), what it covered (`covered_from` exclusive to `covered_to`
    inclusive, by the time entries were made), the message id, status and error. The next
    digest of a family starts where its last successful one ended."""

    __table_args__ = (Index("ix_delivery_pupil", "pupil_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    pupil_id: int = Field(foreign_key="pupil.id")
    route: str = Field(max_length=8)  # email | paper
    address: str = Field(default="", max_length=1000)  # the addresses it went to, comma-separated
    covered_from: datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    covered_to: datetime = Field(sa_column=_ts())
    finals_only: bool = False
    message_id: str = Field(default="", max_length=255)
    status: str = Field(max_length=8)  # sent | failed | printed
    error: str = Field(default="", max_length=500)
    created_by: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_ts())
