"""GC3-41-POSTED: the Convention and camp regulations posted in the prisoner's language (GCIII Art. 41(1), (2))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DetaineeStatus, FacilityKind, PostedTextKind
from tests.factories import DetaineeFactory, FacilityFactory, FacilityPostedTextFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db

RULE = "GC3-41-POSTED"
CONVENTION, REGULATIONS = PostedTextKind.CONVENTION, PostedTextKind.REGULATIONS


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def camp_with(*texts: tuple[str, str], **fields):
    camp = FacilityFactory(**fields)
    for kind, language in texts:
        FacilityPostedTextFactory(facility=camp, kind=kind, language=language)
    return camp


def korean_in(facility, **fields):
    detainee = DetaineeFactory(current_facility=facility, nationality="KP", **fields)
    LanguageSkillFactory(detainee=detainee, language="kor")
    return detainee


def test_convention_posted_in_no_language_he_understands_is_a_violation():
    camp = camp_with((CONVENTION, "ukr"), (CONVENTION, "rus"), (REGULATIONS, "kor"), name="Camp West")

    convention, regulations = evaluate(korean_in(camp))

    assert convention.outcome == Outcome.VIOLATION
    assert convention.subject == ("powcases.facility", camp.pk)
    assert convention.discriminator == "convention"
    assert "not posted at Camp West in any language he understands (Korean (kor))" in convention.message
    assert "Russian (rus), Ukrainian (ukr)" in convention.message
    assert {t["language"] for t in convention.evidence["posted_texts"]} == {"ukr", "rus", "kor"}
    assert regulations.outcome == Outcome.COMPLIANT


def test_convention_removed_from_display_no_longer_counts():
    camp = camp_with((REGULATIONS, "kor"))
    FacilityPostedTextFactory(
        facility=camp, kind=CONVENTION, language="kor", removed_on=timezone.now().date() - dt.timedelta(days=1)
    )

    convention, _ = evaluate(korean_in(camp))

    assert convention.outcome == Outcome.VIOLATION


def test_regulations_only_in_languages_he_does_not_understand_is_a_warning():
    camp = camp_with((CONVENTION, "kor"), (REGULATIONS, "ukr"))

    convention, regulations = evaluate(korean_in(camp))

    assert convention.outcome == Outcome.COMPLIANT
    assert regulations.outcome == Outcome.WARNING
    assert regulations.discriminator == "regulations"
    assert "none of which he understands" in regulations.message


def test_both_texts_in_his_language_are_compliant():
    camp = camp_with((CONVENTION, "kor"), (REGULATIONS, "kor"))

    results = evaluate(korean_in(camp))

    assert [r.outcome for r in results] == [Outcome.COMPLIANT, Outcome.COMPLIANT]


def test_facility_without_any_posted_text_recorded_is_insufficient_data():
    [result] = evaluate(korean_in(camp_with()))

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the texts posted at the facility (Art. 41)"]


def test_facility_with_no_regulations_recorded_is_insufficient_data_for_them():
    convention, regulations = evaluate(korean_in(camp_with((CONVENTION, "kor"))))

    assert convention.outcome == Outcome.COMPLIANT
    assert regulations.outcome == Outcome.INSUFFICIENT_DATA


def test_prisoner_without_recorded_languages_is_insufficient_data():
    camp = camp_with((CONVENTION, "kor"))
    detainee = DetaineeFactory(current_facility=camp)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the languages the detainee understands"]


def test_prisoner_no_longer_held_is_not_applicable():
    camp = camp_with((CONVENTION, "ukr"))

    [result] = evaluate(korean_in(camp, status=DetaineeStatus.REPATRIATED))

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_hospital_is_not_a_camp_and_not_applicable():
    hospital = camp_with((CONVENTION, "ukr"), kind=FacilityKind.HOSPITAL)

    [result] = evaluate(korean_in(hospital))

    assert result.outcome == Outcome.NOT_APPLICABLE
