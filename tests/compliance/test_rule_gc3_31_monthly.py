"""GC3-31-MONTHLY: a medical inspection at least once a month, with weight (GCIII Art. 31)."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind, DetaineeStatus, MedicalAssessmentKind
from tests.factories import (
    CaptureFactory,
    CustodyEventFactory,
    DetaineeFactory,
    MedicalAssessmentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-31-MONTHLY"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def captured(days: float, **fields):
    detainee = DetaineeFactory(**fields)
    CaptureFactory(detainee=detainee, captured_at=days_ago(days))
    return detainee


def test_no_inspection_after_the_first_month_is_a_violation():
    detainee = captured(40)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "No medical inspection since he was taken" in result.message
    assert "(40 days)" in result.message
    assert result.evidence["period_days"] == 31
    assert result.evidence["last_inspection_at"] is None


def test_last_inspection_older_than_a_month_is_a_violation():
    detainee = captured(100)
    inspection = MedicalAssessmentFactory(detainee=detainee, assessed_at=days_ago(45))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.subject == ("powcases.medicalassessment", inspection.pk)
    assert "since his last inspection" in result.message


def test_treatment_is_not_a_monthly_inspection():
    detainee = captured(100)
    MedicalAssessmentFactory(detainee=detainee, assessed_at=days_ago(5), kind=MedicalAssessmentKind.TREATMENT)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_inspection_without_weight_is_a_warning():
    detainee = captured(40)
    MedicalAssessmentFactory(detainee=detainee, assessed_at=days_ago(10), weight_kg=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "did not record his weight" in result.message
    assert result.evidence["last_inspection_weight_kg"] is None


def test_recent_inspection_with_weight_is_compliant():
    detainee = captured(40)
    MedicalAssessmentFactory(detainee=detainee, assessed_at=days_ago(10), weight_kg=61)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert result.evidence["last_inspection_weight_kg"] == "61.0"


def test_arrival_counts_when_the_capture_is_not_recorded():
    detainee = DetaineeFactory()
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.ARRIVAL, occurred_at=days_ago(50))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_no_capture_arrival_or_inspection_is_insufficient_data():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["capture date or arrival in custody"]


def test_first_month_before_any_inspection_is_not_applicable():
    [result] = evaluate(captured(10))

    assert result.outcome == Outcome.NOT_APPLICABLE
    assert "first monthly inspection is due by" in result.message


def test_repatriated_prisoner_is_not_applicable():
    [result] = evaluate(captured(100, status=DetaineeStatus.REPATRIATED))

    assert result.outcome == Outcome.NOT_APPLICABLE
