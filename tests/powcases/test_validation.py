"""Bad input gives a clear message naming the field: languages, partial dates, session times, birth dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from powcases import services
from powcases.models import Interrogation, LanguageSkill
from powcases.validators import PartialDate, normalize_language
from tests.factories import DetaineeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["ko", "ko-KP", "kor", "KOR", "ko_KP"])
def test_korean_in_any_accepted_form_is_stored_as_kor(code):
    detainee = DetaineeFactory()

    skill = services.language_skill_set(actor=None, detainee=detainee, language=code)

    assert skill.language == "kor"


@pytest.mark.parametrize("code", ["xx", "klingon!", "12", ""])
def test_bad_language_code_is_refused_naming_the_language_field(code):
    detainee = DetaineeFactory()

    with pytest.raises(ValidationError) as excinfo:
        services.language_skill_set(actor=None, detainee=detainee, language=code)

    assert list(excinfo.value.message_dict) == ["language"]
    assert "expected" in excinfo.value.message_dict["language"][0]
    assert not detainee.languages.exists()


def test_language_stored_unnormalised_is_refused_by_the_model_field():
    skill = LanguageSkill(detainee=DetaineeFactory(), language="ko")

    with pytest.raises(ValidationError) as excinfo:
        skill.full_clean()

    assert "'kor'" in excinfo.value.message_dict["language"][0]


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("1999", dt.date(1999, 1, 1), "year"),
        ("1999-05", dt.date(1999, 5, 1), "month"),
        ("1999-05-17", dt.date(1999, 5, 17), "day"),
    ],
)
def test_partial_date_keeps_the_precision_it_was_given(text, date, precision):
    partial = PartialDate.parse(text)

    assert (partial.date, partial.precision) == (date, precision)
    assert partial.isoformat() == text


@pytest.mark.parametrize("text", ["1999-13", "1999-02-30", "99", "May 1999"])
def test_impossible_partial_date_is_refused(text):
    with pytest.raises(ValidationError) as excinfo:
        PartialDate.parse(text)

    assert text in excinfo.value.messages[0]


def test_detainee_with_month_thirteen_birth_date_gets_an_error_on_date_of_birth():
    with pytest.raises(ValidationError) as excinfo:
        services.detainee_create(actor=None, family_name="Ivanov", date_of_birth="1999-13")

    assert list(excinfo.value.message_dict) == ["date_of_birth"]
    assert "not a valid calendar date" in excinfo.value.message_dict["date_of_birth"][0]


def test_birth_date_in_the_future_is_refused_naming_date_of_birth():
    next_year = str(timezone.now().year + 1)

    with pytest.raises(ValidationError) as excinfo:
        services.detainee_create(actor=None, family_name="Ivanov", date_of_birth=next_year)

    assert excinfo.value.message_dict["date_of_birth"] == ["A date of birth cannot be in the future."]


def test_year_only_birth_date_is_stored_with_year_precision():
    detainee = services.detainee_create(actor=None, family_name="Kim", date_of_birth="1999")

    detainee.refresh_from_db()
    assert detainee.date_of_birth == dt.date(1999, 1, 1)
    assert detainee.date_of_birth_precision == "year"
    assert detainee.birth_date_display == "1999"


def test_session_that_ends_before_it_starts_is_refused_naming_ended_at():
    start = timezone.now() - dt.timedelta(days=1)
    session = Interrogation(
        detainee=DetaineeFactory(), started_at=start, ended_at=start - dt.timedelta(hours=1), language="kor"
    )

    with pytest.raises(ValidationError) as excinfo:
        services.interrogation_save(actor=None, interrogation=session)

    assert "ended_at" in excinfo.value.message_dict
    assert "before started at" in excinfo.value.message_dict["ended_at"][0]
    assert not Interrogation.objects.exists()


def test_normalize_language_names_what_was_expected():
    with pytest.raises(ValidationError) as excinfo:
        normalize_language("zz")

    assert "ISO 639" in excinfo.value.messages[0]
