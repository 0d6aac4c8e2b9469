"""Rules on people's data as schools type it: names with Latin look-alike letters, and a
pupil's birth date that cannot be right.

A name typed on a mixed keyboard («Пaнoв» with Latin a and o) looks the same on paper but is
another string, so an import made a second pupil beside «Панов». Within a word that has
Cyrillic letters, the Latin letters that look like Cyrillic ones are read as those.
"""

from __future__ import annotations

from datetime import date

# Latin letters that look like Cyrillic ones, both cases: names and class letters typed on the
# wrong keyboard layout (Пaнoв, 5A) are the Cyrillic ones a person meant
LOOKALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")

# school age on the year's first day: from an early first-grader to an adult finishing school.
# A range per grade (grade + 6 give or take) would also catch a pupil typed into the wrong
# class, but a pupil kept down or moved between schools falls outside it as often.
PUPIL_AGE_MIN, PUPIL_AGE_MAX = 5, 21

# a last, first or middle name longer than this is a paste gone wrong (the longest double-
# barrelled Russian surnames have about 40 letters)
NAME_PART_MAX = 100


def fix_lookalikes(text: str) -> str:
    """Each word that has a Cyrillic letter, with its Latin look-alikes made Cyrillic."""
    return " ".join(_fix_word(word) for word in text.split(" "))


def _fix_word(word: str) -> str:
    if not any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in word):
        return word  # a Latin name stays as it is
    return word.translate(LOOKALIKES)


def implausible_pupil_birth(birth: date, year_start: date) -> bool:
    """A birth date that makes the pupil younger than school age or older than any pupil when
    the year begins (a 2030 or a 1901 birth date typed by mistake)."""
    age = year_start.year - birth.year - ((year_start.month, year_start.day) < (birth.month, birth.day))
    return not PUPIL_AGE_MIN <= age <= PUPIL_AGE_MAX
