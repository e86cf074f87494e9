"""GC3-17-QUESTIONING: no coercion, no sanction for refusing to answer (GCIII Art. 17(1), (2), (4))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from tests.factories import DetaineeFactory, InterrogationFactory

pytestmark = pytest.mark.django_db

RULE = "GC3-17-QUESTIONING"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def questioned(**fields):
    detainee = DetaineeFactory()
    session = InterrogationFactory(detainee=detainee, **fields)
    return detainee, session


def test_sanction_after_declining_to_answer_beyond_identity_is_a_violation():
    detainee, session = questioned(
        declined_beyond_identity=True, sanction_after_refusal=True, complaints="Food withheld after he refused."
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.subject == ("powcases.interrogation", session.pk)
    assert "no unpleasant or disadvantageous treatment of any kind" in result.message
    assert "Food withheld after he refused." in result.message
    assert result.evidence["sanction_after_refusal"] is True
    assert result.evidence["declined_beyond_identity"] is True


def test_sanction_after_refusing_only_the_identity_items_is_a_warning():
    detainee, _ = questioned(refused_identity_items=True, sanction_after_refusal=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "only a restriction of the privileges of his rank" in result.message


def test_alleged_coercion_is_a_warning_to_investigate_not_a_proven_breach():
    detainee, _ = questioned(coercion_alleged=True, complaints="Says he was kept awake for two nights.")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "not yet a proven breach and must be investigated" in result.message
    assert "kept awake for two nights" in result.message


def test_alleged_coercion_with_a_sanction_after_refusal_is_a_violation():
    detainee, _ = questioned(
        coercion_alleged=True,
        declined_beyond_identity=True,
        sanction_after_refusal=True,
        complaints="Beaten after refusing to name his unit.",
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_refusing_the_identity_items_is_not_a_breach_by_the_detaining_power():
    detainee, _ = questioned(refused_identity_items=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "not a breach by the detaining power" in result.message


def test_declining_beyond_identity_without_sanction_is_compliant():
    detainee, _ = questioned(declined_beyond_identity=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_unclassified_complaint_is_insufficient_data():
    detainee, _ = questioned(complaints="Complained about the session.")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert "whether the complaint alleges coercion" in result.evidence["missing"]


def test_prisoner_never_questioned_is_not_applicable():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.NOT_APPLICABLE
