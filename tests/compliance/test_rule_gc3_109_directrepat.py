"""GC3-109-DIRECTREPAT: the seriously wounded and sick are examined and repatriated direct (GCIII Arts. 109-112)."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import (
    DetaineeStatus,
    ExchangeStatus,
    HealthCategory,
    MedicalAssessmentKind,
    RepatriationWishChoice,
)
from powcases.models import ExchangeOutgoing
from tests.factories import (
    DetaineeFactory,
    ExchangeProposalFactory,
    MedicalAssessmentFactory,
    RepatriationWishFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-109-DIRECTREPAT"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def seriously_wounded(**fields):
    detainee = DetaineeFactory(**fields)
    assessment = MedicalAssessmentFactory(
        detainee=detainee,
        kind=MedicalAssessmentKind.TREATMENT,
        health_category=HealthCategory.SERIOUSLY_WOUNDED,
        assessed_at=days_ago(20),
    )
    return detainee, assessment


def commission(detainee, eligible: bool):
    return MedicalAssessmentFactory(
        detainee=detainee,
        kind=MedicalAssessmentKind.MIXED_MEDICAL_COMMISSION,
        health_category=HealthCategory.SERIOUSLY_WOUNDED,
        eligible_for_direct_repatriation=eligible,
        fit_to_travel=True,
        assessed_at=days_ago(5),
    )


def test_seriously_wounded_without_any_examination_is_a_warning():
    detainee, assessment = seriously_wounded()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "neither a Mixed Medical Commission has examined him" in result.message
    assert result.subject == ("powcases.medicalassessment", assessment.pk)
    assert result.evidence["health_category"] == "seriously_wounded"


def test_finding_by_the_detaining_powers_doctors_is_enough_examination():
    detainee, _ = seriously_wounded()
    MedicalAssessmentFactory(
        detainee=detainee,
        health_category=HealthCategory.SERIOUSLY_WOUNDED,
        manifestly_seriously_ill=False,
        assessed_at=days_ago(10),
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "not found eligible" in result.message


def test_eligible_prisoner_on_an_exchange_list_is_a_warning():
    detainee, _ = seriously_wounded()
    commission(detainee, eligible=True)
    ExchangeProposalFactory(outgoing=[detainee], status=ExchangeStatus.PROPOSED, reference="EX-2025-0042")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "EX-2025-0042" in result.message
    assert "regardless of number or rank" in result.message
    assert result.subject == ("powcases.exchangeoutgoing", ExchangeOutgoing.objects.get(detainee=detainee).pk)


def test_manifestly_seriously_ill_prisoner_on_a_list_is_a_warning_too():
    detainee = DetaineeFactory()
    MedicalAssessmentFactory(detainee=detainee, manifestly_seriously_ill=True, health_category=HealthCategory.SICK)
    ExchangeProposalFactory(outgoing=[detainee], status=ExchangeStatus.AGREED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING


def test_refusal_to_return_on_a_list_is_left_to_the_art118_rule():
    detainee, _ = seriously_wounded()
    commission(detainee, eligible=True)
    ExchangeProposalFactory(outgoing=[detainee], status=ExchangeStatus.PROPOSED)
    RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
    assert "GC3-118-REPAT" in result.message


def test_eligible_prisoner_not_on_any_list_is_compliant():
    detainee, _ = seriously_wounded()
    commission(detainee, eligible=True)
    ExchangeProposalFactory(outgoing=[detainee], status=ExchangeStatus.CANCELLED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "eligible for direct repatriation" in result.message


def test_commission_finding_him_not_eligible_is_compliant_even_on_a_list():
    detainee, _ = seriously_wounded()
    commission(detainee, eligible=False)
    ExchangeProposalFactory(outgoing=[detainee], status=ExchangeStatus.PROPOSED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_prisoner_in_good_health_is_not_applicable():
    detainee = DetaineeFactory()
    MedicalAssessmentFactory(detainee=detainee, health_category=HealthCategory.GOOD)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_repatriated_prisoner_is_not_applicable():
    detainee, _ = seriously_wounded(status=DetaineeStatus.REPATRIATED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
