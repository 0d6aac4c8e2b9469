"""Rules on people's data as schools type it: names with Latin look-alike letters, and a
pupil's birth date that cannot be right.

A name typed on a mixed keyboard («Пaнoв» with Latin a and o) looks the same on paper but is
another string, so an import made a second pupil beside «Панов». Within a word that has
Cyrillic letters, the Latin letters that look like Cyrillic ones are read as those.
"""

from __future__ import annotations

from datetime import date

_LOOKALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")

# school age, with room for early and late starters and adults finishing school
PUPIL_AGE_MIN, PUPIL_AGE_MAX = 5, 21


def fix_lookalikes(text: str) -> str:
    """Each word that has a Cyrillic letter, with its Latin look-alikes made Cyrillic."""
    return " ".join(_fix_word(word) for word in text.split(" "))


def _fix_word(word: str) -> str:
    if not any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in word):
        return word  # a Latin name stays as it is
    return word.translate(_LOOKALIKES)


def implausible_pupil_birth(birth: date, year_start: date) -> bool:
    """A pupil born so that they would be under 5 or over 21 when the school year begins."""
    age = year_start.year - birth.year - ((year_start.month, year_start.day) < (birth.month, birth.day))
    return not PUPIL_AGE_MIN <= age <= PUPIL_AGE_MAX
