"""The rules a year's calendar keeps (DOMAIN.md, "The school's year: set-up and rollover").

- The year lies inside its academic year, 1 September to 31 August; Y spans the year.
- Quarters Q1–Q4 go in order, do not overlap and lie inside the year.
- The half-years of grades 10–11 agree with the quarters: H1 runs from the first day of Q1
  to the last of Q2, H2 from the first day of Q3 to the last of Q4. There is no setting to
  set them apart, so agreeing is the rule; `propose_period_change` moves a half-year's
  boundary (and the year's, where they met) with the quarter that defines it.
- Holidays lie inside the year and off the quarters' days, except a one-day public holiday
  (23 February, 8 March, 1 and 9 May in the default calendar).

Pure: dates in, problems out (translated phrases naming the periods and dates). A service
refuses a change that adds a problem; see `added_problems`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from ejournal_tui.domain.calendar import HALVES, QUARTERS, YEAR
from ejournal_tui.i18n import Phrase, register_many

register_many({
    "calr.backwards": ("{code} ({start} – {end}): последний день должен быть позже первого",
                       "{code} ({start} – {end}): the last day must come after the first"),
    "calr.year_backwards": ("учебный год ({start} – {end}): последний день должен быть позже первого",
                            "the academic year ({start} – {end}): the last day must come after the first"),
    "calr.year_frame": ("учебный год {name} ({start} – {end}) должен лежать между {first} и {last}",
                        "the academic year {name} ({start} – {end}) must lie between {first} and {last}"),
    "calr.y_span": ("Y ({start} – {end}) должен совпадать с учебным годом ({ys} – {ye})",
                    "Y ({start} – {end}) must span the academic year ({ys} – {ye})"),
    "calr.outside": ("{code} ({start} – {end}) выходит за учебный год ({ys} – {ye})",
                     "{code} ({start} – {end}) lies outside the academic year ({ys} – {ye})"),
    "calr.order": ("{later} ({ls} – {le}) начинается раньше {earlier} ({es} – {ee}): четверти идут по порядку",
                   "{later} ({ls} – {le}) starts before {earlier} ({es} – {ee}): the quarters go in order"),
    "calr.overlap": ("{a} ({a_start} – {a_end}) пересекается с {b} ({b_start} – {b_end})",
                     "{a} ({a_start} – {a_end}) overlaps {b} ({b_start} – {b_end})"),
    "calr.half": ("{code} ({start} – {end}) не совпадает с четвертями: должно быть {want_start} – {want_end} "
                  "(с первого дня {first} по последний день {last})",
                  "{code} ({start} – {end}) disagrees with the quarters: it must be {want_start} – {want_end} "
                  "(from the first day of {first} to the last day of {last})"),
    "calr.hol_backwards": ("каникулы «{name}» ({start} – {end}): последний день раньше первого",
                           "the holiday '{name}' ({start} – {end}) ends before it starts"),
    "calr.hol_outside": ("каникулы «{name}» ({start} – {end}) выходят за учебный год ({ys} – {ye})",
                         "the holiday '{name}' ({start} – {end}) lies outside the academic year ({ys} – {ye})"),
    "calr.hol_quarter": ("каникулы «{name}» ({start} – {end}) приходятся на дни {code} ({qs} – {qe}): "
                         "внутри четверти может быть только однодневный праздник",
                         "the holiday '{name}' ({start} – {end}) falls on days of {code} ({qs} – {qe}): "
                         "only a one-day public holiday may lie inside a quarter"),
})

Span = tuple[date, date]
HolidayRow = tuple[date, date, str]

# 23 February or 8 March may fall on a school day of a quarter; a longer break may not
MAX_HOLIDAY_DAYS_IN_QUARTER = 1

# each half-year is made of two quarters: its first day is the first's, its last the second's
HALF_QUARTERS = {"H1": ("Q1", "Q2"), "H2": ("Q3", "Q4")}
# (quarter, 0 = first day / 1 = last day) -> the half-year that shares that boundary
_HALF_BOUNDARY = {("Q1", 0): "H1", ("Q2", 1): "H1", ("Q3", 0): "H2", ("Q4", 1): "H2"}
_YEAR_BOUNDARY = {("Q1", 0), ("Q4", 1)}


def academic_frame(start_year: int) -> Span:
    """The days an academic year may use: 1 September to 31 August (as `academic_year_of`)."""
    return date(start_year, 9, 1), date(start_year + 1, 8, 31)


def calendar_problems(year: Span, periods: Mapping[str, Span], holidays: Sequence[HolidayRow], *,
                      start_year: int | None = None) -> list[Phrase]:
    """Everything wrong with a year's calendar, [] when it keeps every rule.

    `year` is the academic year's first and last day, `periods` maps Q1…Y to their spans;
    with `start_year` the year itself must lie inside 1 September … 31 August."""
    problems = _year_problems(year, start_year)
    sound = {code: span for code, span in periods.items() if span[1] > span[0]}
    problems += [_span_phrase("calr.backwards", code, periods[code]) for code in _ordered(periods) if code not in sound]
    if YEAR in sound and sound[YEAR] != year:
        problems.append(Phrase("calr.y_span", start=sound[YEAR][0], end=sound[YEAR][1], ys=year[0], ye=year[1]))
    problems += _quarter_problems(year, sound)
    problems += _half_problems(sound)
    for row in holidays:
        problems += _holiday_problems(year, sound, row)
    return problems


def added_problems(before: list[Phrase], after: list[Phrase]) -> list[Phrase]:
    """The problems a change brings: a calendar stored before these rules may already break
    one, and that must not block a change that leaves it as it was."""
    return [problem for problem in after if problem not in before]


def propose_period_change(year: Span, periods: Mapping[str, Span], code: str,
                          span: Span) -> tuple[Span, dict[str, Span]]:
    """The year's bounds and periods after `code` is given `span`.

    A quarter's edge that a half-year shares moves the half-year with it (so they keep
    agreeing); Q1's first or Q4's last day moves Y, and the year with it, when they were
    the same day before. Setting Y moves the year. A half-year is set as asked: the rules
    then refuse it unless it agrees with the quarters."""
    old = periods.get(code)
    new = dict(periods)
    new[code] = span
    for edge in (0, 1):
        half = _HALF_BOUNDARY.get((code, edge))
        if half in new:
            new[half] = _moved(new[half], edge, span[edge])
        if (code, edge) in _YEAR_BOUNDARY and YEAR in new and old is not None and new[YEAR][edge] == old[edge]:
            new[YEAR] = _moved(new[YEAR], edge, span[edge])
    moved_year = YEAR in new and new[YEAR] != periods.get(YEAR)
    return (new[YEAR] if moved_year else year), new


def _moved(span: Span, edge: int, day: date) -> Span:
    return (day, span[1]) if edge == 0 else (span[0], day)


def _ordered(periods: Mapping[str, Span]) -> list[str]:
    known = [code for code in QUARTERS + HALVES + (YEAR,) if code in periods]
    return known + sorted(code for code in periods if code not in known)


def _span_phrase(key: str, code: str, span: Span) -> Phrase:
    return Phrase(key, code=code, start=span[0], end=span[1])


def _year_problems(year: Span, start_year: int | None) -> list[Phrase]:
    if year[1] <= year[0]:
        return [Phrase("calr.year_backwards", start=year[0], end=year[1])]
    if start_year is None:
        return []
    first, last = academic_frame(start_year)
    if first <= year[0] and year[1] <= last:
        return []
    return [Phrase("calr.year_frame", name=f"{start_year}/{start_year + 1}", start=year[0], end=year[1],
                   first=first, last=last)]


def _overlap(a: Span, b: Span) -> bool:
    return max(a[0], b[0]) <= min(a[1], b[1])


def _quarter_problems(year: Span, sound: Mapping[str, Span]) -> list[Phrase]:
    """Outside the year, out of order (a quarter starting before the one it follows), and
    overlapping (any two quarters sharing a day)."""
    present = [(code, sound[code]) for code in QUARTERS if code in sound]
    problems = [Phrase("calr.outside", code=code, start=s[0], end=s[1], ys=year[0], ye=year[1])
                for code, s in present if s[0] < year[0] or s[1] > year[1]]
    for i, (a, sa) in enumerate(present):
        for j, (b, sb) in enumerate(present[i + 1:], i + 1):
            if j == i + 1 and sb[0] < sa[0]:
                problems.append(Phrase("calr.order", later=b, ls=sb[0], le=sb[1], earlier=a, es=sa[0], ee=sa[1]))
            elif _overlap(sa, sb):
                problems.append(Phrase("calr.overlap", a=a, a_start=sa[0], a_end=sa[1], b=b, b_start=sb[0],
                                       b_end=sb[1]))
    return problems


def _half_problems(sound: Mapping[str, Span]) -> list[Phrase]:
    problems = []
    for half, (first, last) in HALF_QUARTERS.items():
        if half not in sound or first not in sound or last not in sound:
            continue
        want = (sound[first][0], sound[last][1])
        if sound[half] != want:
            problems.append(Phrase("calr.half", code=half, start=sound[half][0], end=sound[half][1],
                                   want_start=want[0], want_end=want[1], first=first, last=last))
    return problems


def _holiday_problems(year: Span, sound: Mapping[str, Span], row: HolidayRow) -> list[Phrase]:
    start, end, name = row
    if end < start:
        return [Phrase("calr.hol_backwards", name=name, start=start, end=end)]
    if start < year[0] or end > year[1]:
        return [Phrase("calr.hol_outside", name=name, start=start, end=end, ys=year[0], ye=year[1])]
    if (end - start).days + 1 <= MAX_HOLIDAY_DAYS_IN_QUARTER:
        return []
    return [Phrase("calr.hol_quarter", name=name, start=start, end=end, code=code, qs=sound[code][0],
                   qe=sound[code][1])
            for code in QUARTERS if code in sound and _overlap(sound[code], (start, end))]
