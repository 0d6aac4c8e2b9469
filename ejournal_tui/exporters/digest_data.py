"""Plain data of a parents' digest (services/notify builds it, `digest_mail` renders it): what
is new for each pupil of a family since their last digest, with the period so far. Dates are
lesson days; `start` and `end` of the digest are local times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DigestMark:
    subject: str
    day: date  # the lesson's day
    value: str
    kind: str  # the kind of work's name: «Контрольная работа»
    comment: str = ""  # the teacher's comment for parents
    corrected: bool = False  # changed after an earlier digest told it
    was: str = ""  # the value the earlier digest told


@dataclass(frozen=True)
class DigestAbsence:
    subject: str
    day: date
    number: int  # lesson number
    late: bool  # a lateness, not an absence
    reason: str = ""  # the reason's name («по болезни»); "" while not given
    corrected: bool = False  # the reason was given after an earlier digest told the absence


@dataclass(frozen=True)
class DigestRemark:
    subject: str
    day: date
    text: str
    praise: bool


@dataclass(frozen=True)
class DigestHomework:
    subject: str
    day: date  # the lesson the homework was set at
    text: str


@dataclass(frozen=True)
class DigestForecast:
    """A subject's period so far: the average, and the mark it rounds to (or the period mark
    once it is given), as the register and the report cards count them."""

    subject: str
    marks: int
    minimum: int
    average: float | None
    forecast: str
    given: str = ""


@dataclass(frozen=True)
class DigestFinal:
    subject: str
    period: str  # «II четверть», «учебный год», «экзамен»
    value: str
    corrected: bool = False


@dataclass(frozen=True)
class PupilDigest:
    name: str  # full name
    short_name: str  # «Иванов Пётр» for the subject line
    class_name: str
    marks: tuple[DigestMark, ...] = ()
    absences: tuple[DigestAbsence, ...] = ()
    remarks: tuple[DigestRemark, ...] = ()
    homework: tuple[DigestHomework, ...] = ()
    finals: tuple[DigestFinal, ...] = ()
    forecasts: tuple[DigestForecast, ...] = ()
    period: str = ""  # the period the forecasts are for: «II четверть»
    since: datetime | None = None  # local time this pupil's news start after


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime: str = "application/pdf"


@dataclass(frozen=True)
class FamilyDigest:
    """One message: the school, the sender, the family's addresses and its pupils."""

    school: str
    sender: str  # "Школа № 1 <journal@school1.example.org>"
    recipients: tuple[str, ...]
    pupils: tuple[PupilDigest, ...]
    start: datetime  # local: the earliest start of the pupils' news
    end: datetime  # local: when the run began
    message_id: str
    finals_only: bool = False
    attachments: tuple[Attachment, ...] = ()
