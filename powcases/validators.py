"""Parsing and validation of the codes and partial dates the case record stores.

Languages are stored as ISO 639-3 codes, countries as ISO 3166-1 alpha-2, scripts as ISO 15924; all
tables come from pycountry, never from a hand-written list. Each function raises a ValidationError
whose message says what was expected, so forms and the API can attach it to the field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError

from .choices import DatePrecision

_BCP47_PRIMARY = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


@lru_cache(maxsize=2048)
def normalize_language(value: str) -> str:
    """Return the ISO 639-3 code for an ISO 639-1 code, ISO 639-3 code or BCP 47 tag.

    `ko`, `ko-KP`, `KOR` and `kor` all give `kor`. Macrolanguage codes (e.g. `ara`, `zho`) are kept as
    they are: they are valid ISO 639-3 codes, and narrowing them would invent a fact.
    """
    raw = (value or "").strip()
    if not raw or not _BCP47_PRIMARY.match(raw):
        raise ValidationError(
            f"{value!r} is not a language code: expected ISO 639-1 (e.g. 'ko'), ISO 639-3 (e.g. 'kor') "
            "or a BCP 47 tag (e.g. 'ko-KP').",
            code="invalid_language",
        )
    primary = re.split(r"[-_]", raw)[0].lower()
    if len(primary) == 2:
        language = pycountry.languages.get(alpha_2=primary)
    else:
        language = pycountry.languages.get(alpha_3=primary)
        if language is None:
            # ISO 639-2/B bibliographic codes (e.g. 'ger', 'fre') map to their ISO 639-3 terms.
            language = next(
                (lang for lang in pycountry.languages if getattr(lang, "bibliographic", None) == primary), None
            )
    if language is None:
        raise ValidationError(
            f"{value!r} is not a known language: expected an ISO 639-1 or ISO 639-3 code (e.g. 'ko' or 'kor').",
            code="unknown_language",
        )
    return language.alpha_3


def validate_language(value: str) -> None:
    """Model-field validator: the stored value must already be a normalised ISO 639-3 code."""
    if normalize_language(value) != value:
        raise ValidationError(
            f"{value!r} must be stored as its ISO 639-3 code ({normalize_language(value)!r}).", code="not_normalised"
        )


@lru_cache(maxsize=1024)
def language_name(code: str) -> str:
    """English name of an ISO 639-3 language ('kor' -> 'Korean'); the code itself if unknown."""
    language = pycountry.languages.get(alpha_3=code) if code else None
    return language.name if language else code


@lru_cache(maxsize=1)
def language_choices() -> list[tuple[str, str]]:
    """(code, name) pairs of living individual languages and macrolanguages, sorted by name."""
    pairs = [
        (lang.alpha_3, f"{lang.name} ({lang.alpha_3})")
        for lang in pycountry.languages
        if getattr(lang, "type", "L") == "L" and getattr(lang, "scope", "I") in {"I", "M"}
    ]
    return sorted(pairs, key=lambda pair: pair[1])


@lru_cache(maxsize=512)
def normalize_country(value: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for an alpha-2 or alpha-3 code ('kp', 'PRK' -> 'KP')."""
    raw = (value or "").strip().upper()
    country = None
    if len(raw) == 2:
        country = pycountry.countries.get(alpha_2=raw)
    elif len(raw) == 3:
        country = pycountry.countries.get(alpha_3=raw)
    if country is None:
        raise ValidationError(
            f"{value!r} is not a country code: expected ISO 3166-1 alpha-2 (e.g. 'KP', 'UA').", code="invalid_country"
        )
    return country.alpha_2


def validate_country(value: str) -> None:
    """Model-field validator for ISO 3166-1 alpha-2 codes."""
    if normalize_country(value) != value:
        raise ValidationError(f"{value!r} must be an upper-case ISO 3166-1 alpha-2 code.", code="invalid_country")


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(((c.alpha_2, f"{c.name} ({c.alpha_2})") for c in pycountry.countries), key=lambda pair: pair[1])


@lru_cache(maxsize=256)
def validate_script(value: str) -> None:
    """Model-field validator for ISO 15924 script codes ('Hang', 'Kore', 'Cyrl', 'Latn')."""
    if not value:
        return
    if pycountry.scripts.get(alpha_4=value) is None or value != value.capitalize():
        raise ValidationError(
            f"{value!r} is not an ISO 15924 script code: expected e.g. 'Hang', 'Kore', 'Cyrl' or 'Latn'.",
            code="invalid_script",
        )


@lru_cache(maxsize=1)
def script_choices() -> list[tuple[str, str]]:
    return sorted(((s.alpha_4, f"{s.name} ({s.alpha_4})") for s in pycountry.scripts), key=lambda pair: pair[1])


@dataclass(frozen=True)
class PartialDate:
    """A date of which only the year, or the year and month, may be known.

    Stored as the first day it could be (`date`) plus its precision, so it sorts and filters like a
    date while never claiming more than was recorded.
    """

    date: dt.date
    precision: str

    _PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Parse "1999", "1999-05" or "1999-05-17"."""
        match = cls._PATTERN.match((value or "").strip())
        if not match:
            raise ValidationError(
                f"{value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD "
                "(e.g. '1999', '1999-05', '1999-05-17').",
                code="invalid_partial_date",
            )
        year, month, day = match["year"], match["month"], match["day"]
        try:
            date = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(f"{value!r} is not a valid calendar date.", code="invalid_partial_date") from None
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return cls(date=date, precision=str(precision))

    @property
    def latest(self) -> dt.date:
        """The last day the date could be."""
        if self.precision == DatePrecision.YEAR:
            return dt.date(self.date.year, 12, 31)
        if self.precision == DatePrecision.MONTH:
            next_month = dt.date(self.date.year + self.date.month // 12, self.date.month % 12 + 1, 1)
            return next_month - dt.timedelta(days=1)
        return self.date

    def isoformat(self) -> str:
        """Render with exactly the precision recorded ("1999", "1999-05" or "1999-05-17")."""
        if self.precision == DatePrecision.YEAR:
            return f"{self.date.year:04d}"
        if self.precision == DatePrecision.MONTH:
            return f"{self.date.year:04d}-{self.date.month:02d}"
        return self.date.isoformat()

    def __str__(self) -> str:
        return self.isoformat()

    def age_range_on(self, on: dt.date) -> tuple[int, int]:
        """Youngest and oldest age the person can be on `on` (equal when the full date is known)."""

        def age(born: dt.date) -> int:
            return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

        return age(self.latest), age(self.date)


def truncate_to_precision(value: dt.date, precision: str) -> dt.date:
    """The first day of the period a partial date stands for."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value
