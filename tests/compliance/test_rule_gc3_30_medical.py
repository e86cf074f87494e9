"""GC3-30-MEDICAL: a treated prisoner gets the medical certificate he asks for (GCIII Art. 30(4))."""

from __future__ import annotations

import pytest
from django.test import override_settings

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import MedicalAssessmentKind
from tests.factories import DetaineeFactory, MedicalAssessmentFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-30-MEDICAL"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def treated(days: float, **fields):
    detainee = DetaineeFactory()
    assessment = MedicalAssessmentFactory(
        detainee=detainee,
        kind=MedicalAssessmentKind.TREATMENT,
        assessed_at=days_ago(days),
        certificate_requested=True,
        **fields,
    )
    return detainee, assessment


def test_certificate_not_issued_after_30_days_is_a_warning():
    detainee, assessment = treated(45)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "none has been issued 30 days later" in result.message
    assert result.subject == ("powcases.medicalassessment", assessment.pk)


def test_certificate_not_yet_due_is_compliant():
    detainee, _ = treated(10)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "due by" in result.message


def test_issued_certificate_is_compliant():
    detainee, _ = treated(45, certificate_issued_at=days_ago(40))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_no_certificate_requested_is_not_applicable():
    detainee = DetaineeFactory()
    MedicalAssessmentFactory(detainee=detainee)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


@override_settings(COMPLIANCE_POLICY={"MEDICAL_CERTIFICATE_DAYS": 5})
def test_the_period_is_a_policy_setting():
    detainee, _ = treated(10)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.evidence["period_days"] == 5
