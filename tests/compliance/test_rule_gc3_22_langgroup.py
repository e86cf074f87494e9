"""GC3-22-LANGGROUP: not isolated from every prisoner who shares his language (GCIII Art. 22(3))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DetaineeStatus, FacilityKind
from tests.factories import DetaineeFactory, FacilityFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db

RULE = "GC3-22-LANGGROUP"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def prisoner(facility, *languages: str, **fields):
    detainee = DetaineeFactory(current_facility=facility, **fields)
    for code in languages:
        LanguageSkillFactory(detainee=detainee, language=code)
    return detainee


def test_only_korean_speaker_in_a_camp_of_russian_speakers_is_a_warning():
    camp = FacilityFactory(name="Camp West")
    korean = prisoner(camp, "kor")
    prisoner(camp, "rus")
    prisoner(camp, "rus", "ukr")

    [result] = evaluate(korean)

    assert result.outcome == Outcome.WARNING
    assert result.subject == ("powcases.facility", camp.pk)
    assert "only prisoner held at Camp West who understands Korean (kor)" in result.message
    assert result.evidence["held_speakers_in_facility"] == {"kor": 1}


def test_fellow_speakers_who_are_no_longer_held_do_not_count():
    camp = FacilityFactory()
    korean = prisoner(camp, "kor")
    prisoner(camp, "kor", status=DetaineeStatus.REPATRIATED)

    [result] = evaluate(korean)

    assert result.outcome == Outcome.WARNING


def test_two_korean_speakers_in_one_camp_are_compliant():
    camp = FacilityFactory()
    first = prisoner(camp, "kor")
    prisoner(camp, "kor")

    [result] = evaluate(first)

    assert result.outcome == Outcome.COMPLIANT
    assert result.evidence["held_speakers_in_facility"] == {"kor": 2}


def test_a_second_language_shared_with_others_is_enough():
    camp = FacilityFactory()
    nepali = prisoner(camp, "nep", "eng")
    prisoner(camp, "eng")

    [result] = evaluate(nepali)

    assert result.outcome == Outcome.COMPLIANT


def test_no_recorded_language_is_insufficient_data():
    [result] = evaluate(prisoner(FacilityFactory()))

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the languages the detainee understands"]


def test_prisoner_not_held_is_not_applicable():
    [result] = evaluate(prisoner(FacilityFactory(), "kor", status=DetaineeStatus.REPATRIATED))

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_prisoner_without_a_facility_is_not_applicable():
    [result] = evaluate(prisoner(None, "kor"))

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_patient_alone_in_a_hospital_is_not_applicable():
    [result] = evaluate(prisoner(FacilityFactory(kind=FacilityKind.HOSPITAL), "kor"))

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_a_sweep_and_an_incremental_evaluation_agree_on_who_is_isolated(django_capture_on_commit_callbacks):
    """A sweep counts each camp once per run; one detainee's re-evaluation only probes for "two or more"."""
    from compliance.engine import evaluate_chunk
    from compliance.models import Finding
    from compliance.services import compliance_run_start

    camp = FacilityFactory()
    korean = prisoner(camp, "kor")
    russians = [prisoner(camp, "rus") for _ in range(4)]
    other_camp = FacilityFactory()
    elsewhere = prisoner(other_camp, "kor")  # a Korean speaker elsewhere does not keep him company

    with django_capture_on_commit_callbacks(execute=True):
        compliance_run_start(actor=None, kind="full", rule_ids=[RULE])
    swept = set(Finding.objects.filter(rule_id=RULE).values_list("detainee_id", flat=True))
    Finding.objects.all().delete()
    for detainee in [korean, *russians]:
        evaluate_chunk([detainee.pk], rule_ids=[RULE])
    incremental = set(Finding.objects.filter(rule_id=RULE).values_list("detainee_id", flat=True))

    assert swept == {korean.pk, elsewhere.pk}
    assert incremental == {korean.pk}
