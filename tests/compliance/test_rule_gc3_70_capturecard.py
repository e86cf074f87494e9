"""GC3-70-CAPTURECARD: a capture card on capture, arrival at a camp, hospitalisation or transfer (GCIII Art. 70)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind, DetaineeStatus, FacilityKind
from tests.factories import (
    CaptureCardFactory,
    CaptureFactory,
    CustodyEventFactory,
    DetaineeFactory,
    FacilityFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-70-CAPTURECARD"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def captured(days: float):
    detainee = DetaineeFactory()
    CaptureFactory(detainee=detainee, captured_at=days_ago(days))
    return detainee


def test_card_offered_and_sent_within_a_week_of_capture_is_compliant():
    detainee = captured(40)
    CaptureCardFactory(detainee=detainee, offered_at=days_ago(38), completed_at=days_ago(38))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_no_card_a_week_after_capture_is_a_violation():
    detainee = captured(10)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.message.startswith("No capture card was offered within 7 days of his capture on")
    assert result.subject == ("powcases.capture", detainee.capture.pk)


def test_no_card_yet_within_the_week_is_not_a_finding():
    detainee = captured(3)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "due by" in result.message


@override_settings(COMPLIANCE_POLICY={"CAPTURE_CARD_DAYS": 2})
def test_the_period_is_a_policy_setting():
    detainee = captured(3)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.evidence["period_days"] == 2


def test_the_week_runs_from_arrival_at_a_camp_even_a_transit_camp():
    detainee = captured(12)
    transit = FacilityFactory(kind=FacilityKind.TRANSIT_CAMP)
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.ARRIVAL, to_facility=transit, occurred_at=days_ago(5))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT  # due 7 days after the arrival, 2 days from now


def test_card_offered_late_is_a_violation():
    detainee = captured(40)
    CaptureCardFactory(detainee=detainee, offered_at=days_ago(20), sent_to_family_at=None, sent_to_cta_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "later than 7 days after his capture" in result.message


def test_declined_card_is_compliant():
    detainee = captured(40)
    CaptureCardFactory(
        detainee=detainee,
        offered_at=days_ago(39),
        declined=True,
        declined_at=days_ago(39),
        sent_to_family_at=None,
        sent_to_cta_at=None,
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "declined" in result.message


def test_card_written_but_not_forwarded_is_a_warning():
    detainee = captured(40)
    CaptureCardFactory(
        detainee=detainee,
        offered_at=days_ago(39),
        completed_at=days_ago(39),
        sent_to_family_at=days_ago(38),
        sent_to_cta_at=None,
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "not been forwarded to the Central Tracing Agency" in result.message


def test_hospitalisation_is_a_new_occasion():
    detainee = captured(40)
    CaptureCardFactory(detainee=detainee, offered_at=days_ago(39))
    hospital = FacilityFactory(kind=FacilityKind.HOSPITAL)
    event = CustodyEventFactory(
        detainee=detainee, kind=CustodyEventKind.HOSPITALISATION, to_facility=hospital, occurred_at=days_ago(20)
    )

    capture_result, hospital_result = evaluate(detainee)

    assert capture_result.outcome == Outcome.COMPLIANT
    assert hospital_result.outcome == Outcome.VIOLATION
    assert hospital_result.subject == ("powcases.custodyevent", event.pk)
    assert "transfer to hospital" in hospital_result.message


def test_transfer_to_another_camp_with_a_card_is_compliant():
    detainee = captured(40)
    CaptureCardFactory(detainee=detainee, offered_at=days_ago(39))
    CustodyEventFactory(
        detainee=detainee, kind=CustodyEventKind.TRANSFER, to_facility=FacilityFactory(), occurred_at=days_ago(20)
    )
    CaptureCardFactory(
        detainee=detainee, offered_at=days_ago(19), sent_to_family_at=days_ago(18), sent_to_cta_at=days_ago(18)
    )

    outcomes = [result.outcome for result in evaluate(detainee)]

    assert outcomes == [Outcome.COMPLIANT, Outcome.COMPLIANT]


def test_card_recorded_without_any_date_is_insufficient_data():
    detainee = captured(40)
    CaptureCardFactory(detainee=detainee, offered_at=None, sent_to_family_at=None, sent_to_cta_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the date the capture card was offered, written or sent"]


def test_held_detainee_without_capture_or_arrival_is_insufficient_data():
    detainee = DetaineeFactory()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["capture date", "arrival at a camp"]


def test_released_detainee_without_custody_record_is_not_applicable():
    detainee = DetaineeFactory(status=DetaineeStatus.RELEASED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
