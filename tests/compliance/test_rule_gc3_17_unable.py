"""GC3-17-UNABLE: questioning a prisoner whose condition prevents him from answering (GCIII Art. 17(5), 17(4))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import HealthCategory, InterrogationMode, MedicalAssessmentKind
from tests.factories import CaptureFactory, DetaineeFactory, InterrogationFactory, MedicalAssessmentFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-17-UNABLE"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def assessed(detainee, days: float, **fields):
    defaults = {"kind": MedicalAssessmentKind.FITNESS_FOR_QUESTIONING, "assessed_at": days_ago(days)}
    return MedicalAssessmentFactory(detainee=detainee, **{**defaults, **fields})


def test_questioning_after_he_was_found_unfit_is_a_violation():
    detainee = DetaineeFactory()
    assessment = assessed(detainee, 12, fit_for_questioning=False)
    session = InterrogationFactory(detainee=detainee, started_at=days_ago(10))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.subject == ("powcases.interrogation", session.pk)
    assert "found him unfit for questioning" in result.message
    assert result.evidence["fitness_assessment"]["id"] == assessment.pk
    assert result.evidence["fitness_assessment"]["fit_for_questioning"] is False


def test_oral_answers_demanded_of_a_man_who_cannot_speak_is_a_violation():
    detainee = DetaineeFactory()
    assessed(detainee, 12, fit_for_questioning=True, can_speak=False)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10), mode=InterrogationMode.ORAL)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "expected to answer aloud although" in result.message
    assert "cannot speak" in result.message


def test_written_answers_demanded_of_a_man_who_cannot_write_is_a_violation():
    detainee = DetaineeFactory()
    assessed(detainee, 12, can_write=False)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10), answers_in_writing=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "cannot write" in result.message


def test_jaw_injured_sniper_assessed_fit_who_answered_in_writing_is_compliant():
    """The founding case: jaw injury, cannot speak, can write, assessed fit; questions read out, answers written."""
    detainee = DetaineeFactory(nationality="KP")
    CaptureFactory(detainee=detainee, captured_at=days_ago(14), wounded_at_capture=True)
    assessed(
        detainee,
        12,
        fit_for_questioning=True,
        can_speak=False,
        can_write=True,
        health_category=HealthCategory.SERIOUSLY_WOUNDED,
    )
    InterrogationFactory(
        detainee=detainee,
        started_at=days_ago(10),
        language="kor",
        mode=InterrogationMode.WRITTEN,
        answers_in_writing=True,
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_an_assessment_after_the_session_does_not_count_for_it():
    detainee = DetaineeFactory()
    CaptureFactory(detainee=detainee, wounded_at_capture=True)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10))
    assessed(detainee, 5, fit_for_questioning=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA


def test_a_later_assessment_silent_on_fitness_does_not_cancel_an_unfit_finding():
    detainee = DetaineeFactory()
    assessed(detainee, 20, fit_for_questioning=False)
    assessed(detainee, 15, kind=MedicalAssessmentKind.MONTHLY_INSPECTION, fit_for_questioning=None)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_wounded_at_capture_without_a_fitness_assessment_is_insufficient_data():
    detainee = DetaineeFactory()
    CaptureFactory(detainee=detainee, wounded_at_capture=True)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert "wounded at capture" in result.message
    assert result.evidence["missing"] == ["a fitness-for-questioning assessment before the session"]


def test_seriously_wounded_without_a_fitness_assessment_is_insufficient_data():
    detainee = DetaineeFactory()
    assessed(
        detainee,
        12,
        kind=MedicalAssessmentKind.TREATMENT,
        fit_for_questioning=None,
        can_speak=None,
        can_write=None,
        health_category=HealthCategory.SERIOUSLY_WOUNDED,
    )
    InterrogationFactory(detainee=detainee, started_at=days_ago(10))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert "recorded as seriously wounded" in result.message


def test_unhurt_prisoner_without_medical_data_is_compliant():
    detainee = DetaineeFactory()
    CaptureFactory(detainee=detainee, wounded_at_capture=False)
    InterrogationFactory(detainee=detainee, started_at=days_ago(10))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "No sign of injury" in result.message


def test_prisoner_never_questioned_is_not_applicable():
    detainee = DetaineeFactory()
    assessed(detainee, 12, fit_for_questioning=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
