"""GC3-5-DOUBT: protection while prisoner-of-war status is in doubt (GCIII Art. 5(2))."""

from __future__ import annotations

import pytest
from django.test import override_settings

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DetaineeStatus, TribunalOutcome
from tests.factories import DetaineeFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-5-DOUBT"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def in_doubt(days: float | None, **fields):
    """A fighter of a private military company whose status was doubted `days` ago (None: date not recorded)."""
    defaults = {
        "status": DetaineeStatus.STATUS_IN_DOUBT,
        "status_doubt_since": days_ago(days) if days is not None else None,
        "tribunal_outcome": TribunalOutcome.PENDING,
    }
    return DetaineeFactory(**{**defaults, **fields})


def test_civilian_internee_whose_doubt_no_tribunal_decided_is_a_violation():
    detainee = in_doubt(10, status=DetaineeStatus.CIVILIAN_INTERNEE)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "treated as a civilian internee although no competent tribunal has decided" in result.message
    assert result.evidence["status"] == "civilian_internee"
    assert result.evidence["tribunal_outcome"] == "pending"


def test_civilian_internee_against_a_tribunal_finding_of_pow_status_is_a_violation():
    detainee = DetaineeFactory(
        status=DetaineeStatus.CIVILIAN_INTERNEE,
        tribunal_outcome=TribunalOutcome.PRISONER_OF_WAR,
        tribunal_decided_at=days_ago(5),
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "found him to be a prisoner of war" in result.message


def test_doubt_undecided_beyond_the_policy_period_is_a_warning():
    detainee = in_doubt(45)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "in doubt since" in result.message
    assert "(45 days)" in result.message
    assert "keeps the full protection" in result.message
    assert result.evidence["policy_days"] == 30
    assert result.evidence["days_in_doubt"] == 45


@override_settings(COMPLIANCE_POLICY={"DOUBT_TRIBUNAL_DAYS": 60})
def test_the_period_is_policy_from_settings():
    [result] = evaluate(in_doubt(45))

    assert result.outcome == Outcome.COMPLIANT


def test_doubt_within_the_policy_period_is_compliant():
    [result] = evaluate(in_doubt(10))

    assert result.outcome == Outcome.COMPLIANT


def test_doubt_decided_by_a_tribunal_is_compliant():
    detainee = in_doubt(90, tribunal_outcome=TribunalOutcome.NOT_PRISONER_OF_WAR, tribunal_decided_at=days_ago(20))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "A competent tribunal decided his status" in result.message


def test_doubt_without_a_start_date_is_insufficient_data():
    [result] = evaluate(in_doubt(None))

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["since when his status is in doubt"]


def test_prisoner_of_war_never_in_doubt_is_not_applicable():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_released_person_is_not_applicable():
    [result] = evaluate(in_doubt(90, status=DetaineeStatus.RELEASED))

    assert result.outcome == Outcome.NOT_APPLICABLE
