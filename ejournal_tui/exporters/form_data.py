"""What the summary sheet and the parents' progress reports carry beyond their plain data in
`exporters.data`: who signs the summary and whether its class gets marks at all, and the
forecast of a subject's period mark on a progress report. Built by services/exports; the
exporters also accept the plain `SummaryDoc` / `CardSubject` and read the defaults."""

from __future__ import annotations

from dataclasses import dataclass

from ejournal_tui.exporters.data import CardSubject, SummaryDoc


@dataclass(frozen=True)
class SummarySheet(SummaryDoc):
    """The year's summary sheet of a class, ready to be signed (001 3.8: signed by the
    director, stamped, bound with the class's title page)."""

    graded: bool = True  # False: a grade without marks (безотметочное обучение)
    deputy: str = ""  # full names for the signature lines; "" leaves the name to be written
    director: str = ""


def summary_sheet(doc: SummaryDoc) -> SummarySheet:
    """`doc` as a `SummarySheet` (a plain `SummaryDoc` gets the defaults)."""
    if isinstance(doc, SummarySheet):
        return doc
    return SummarySheet(doc.head, doc.subjects, doc.rows)


@dataclass(frozen=True)
class ForecastSubject(CardSubject):
    """A subject on a progress report with the period so far (DOMAIN.md, "Informing pupils
    and parents": the forecast of the period mark is recommended)."""

    period: str = ""  # the period the forecast is for: "II четверть"
    forecast: str = ""  # the mark the period's marks so far round to (as the register suggests it)
    period_marks: int = 0  # marks of the period so far
    minimum: int = 0  # marks the period needs to certify (DOMAIN.md, "Period closure")
    period_average: float | None = None  # the weighted average of the period's marks so far
