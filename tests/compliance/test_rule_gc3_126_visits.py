"""GC3-126-VISITS: Protecting Power and ICRC visits refused only for imperative military necessity (GCIII Art. 126)."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome, Severity
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind, DenialGround, VisitingBody
from tests.factories import CustodyEventFactory, DetaineeFactory, VisitFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-126-VISITS"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def test_visit_refused_for_another_reason_is_a_violation():
    detainee = DetaineeFactory()
    visit = VisitFactory(
        facility=detainee.current_facility,
        granted=False,
        visited_at=None,
        private_interview=None,
        denial_ground=DenialGround.OTHER,
        denial_reason="Interrogations ongoing",
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.subject == ("powcases.visit", visit.pk)
    assert "ICRC visit to his place of detention" in result.message
    assert "reason given: 'Interrogations ongoing'" in result.message
    assert result.evidence["denial_ground"] == "other"


def test_refusal_without_any_ground_is_a_violation():
    detainee = DetaineeFactory()
    VisitFactory(detainee=detainee, facility=None, granted=False, visited_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "visit to him" in result.message


def test_refusal_for_imperative_military_necessity_is_a_temporary_warning():
    detainee = DetaineeFactory()
    VisitFactory(
        facility=detainee.current_facility,
        visiting_body=VisitingBody.PROTECTING_POWER,
        granted=False,
        visited_at=None,
        denial_ground=DenialGround.IMPERATIVE_MILITARY_NECESSITY,
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.severity == Severity.MEDIUM
    assert "Protecting Power visit" in result.message
    assert "exceptional and temporary" in result.message


def test_military_necessity_ends_when_a_later_visit_is_granted():
    detainee = DetaineeFactory()
    VisitFactory(
        facility=detainee.current_facility,
        granted=False,
        requested_at=days_ago(30),
        visited_at=None,
        denial_ground=DenialGround.IMPERATIVE_MILITARY_NECESSITY,
    )
    VisitFactory(facility=detainee.current_facility, requested_at=days_ago(10), visited_at=days_ago(9))

    refused, granted = evaluate(detainee)

    assert refused.outcome == Outcome.COMPLIANT
    assert "the prohibition was temporary" in refused.message
    assert granted.outcome == Outcome.COMPLIANT


def test_refusal_at_his_camp_before_he_arrived_there_is_not_his():
    detainee = DetaineeFactory()
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.ARRIVAL, occurred_at=days_ago(10))
    VisitFactory(facility=detainee.current_facility, granted=False, requested_at=days_ago(30), visited_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_visit_without_private_interview_is_a_warning():
    detainee = DetaineeFactory()
    VisitFactory(detainee=detainee, facility=detainee.current_facility, private_interview=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "without witnesses" in result.message


def test_granted_visit_with_private_interview_is_compliant():
    detainee = DetaineeFactory()
    VisitFactory(facility=detainee.current_facility)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_visit_naming_another_prisoner_of_his_camp_is_not_his():
    detainee = DetaineeFactory()
    other = DetaineeFactory(current_facility=detainee.current_facility)
    VisitFactory(detainee=other, facility=detainee.current_facility, granted=False, visited_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_refused_visit_to_another_camp_is_not_his():
    detainee = DetaineeFactory()
    VisitFactory(granted=False, visited_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_no_visit_data_is_not_applicable():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.NOT_APPLICABLE
    assert result.message == "No visit by the Protecting Power or the ICRC is recorded."
