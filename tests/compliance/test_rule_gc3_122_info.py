"""GC3-122-INFO: the Information Bureau or the CTA is told of the capture and of later events (GCIII Arts. 122-123)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from compliance.choices import Outcome, Severity
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind, DatePrecision, DetaineeStatus, NotificationKind, NotificationRecipient
from tests.factories import (
    CaptureFactory,
    CustodyEventFactory,
    DetaineeFactory,
    InformationNotificationFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-122-INFO"
PARTICULARS = {
    "place_of_birth": "Pyongyang",
    "father_first_name": "Chol",
    "mother_maiden_name": "Kim",
    "next_of_kin_name": "Ri Sun-hui",
    "next_of_kin_address": "Pyongyang, Moranbong district",
}


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def captured(days: float, **fields):
    detainee = DetaineeFactory(**{**PARTICULARS, **fields})
    CaptureFactory(detainee=detainee, captured_at=days_ago(days))
    return detainee


def notified(detainee, kind=NotificationKind.CAPTURE, **fields):
    return InformationNotificationFactory(detainee=detainee, kind=kind, **fields)


def test_capture_notified_to_the_cta_within_a_week_is_compliant():
    detainee = captured(40)
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(38))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_capture_not_notified_after_a_week_is_a_violation():
    detainee = captured(10)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.message.startswith(
        "Neither the National Information Bureau nor the ICRC Central Tracing Agency has been notified of his capture"
    )
    assert result.subject == ("powcases.capture", detainee.capture.pk)
    assert result.severity is None  # the rule's own: high
    assert result.evidence["period_days"] == 7


def test_notification_only_to_the_power_of_origin_does_not_count():
    detainee = captured(10)
    notified(detainee, recipient=NotificationRecipient.POWER_OF_ORIGIN, event_at=days_ago(10), sent_at=days_ago(9))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_drafted_but_unsent_notification_is_a_violation():
    detainee = captured(10)
    notified(detainee, event_at=days_ago(10), sent_at=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "drafted but never sent" in result.message


def test_late_notification_is_a_violation():
    detainee = captured(30)
    notified(detainee, event_at=days_ago(30), sent_at=days_ago(5))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "sent only on" in result.message


def test_within_the_period_nothing_is_due_yet():
    detainee = captured(2)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "due by" in result.message


@override_settings(COMPLIANCE_POLICY={"INFO_BUREAU_DAYS": 1})
def test_the_period_is_a_policy_setting():
    detainee = captured(2)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.evidence["period_days"] == 1


def test_each_later_event_needs_its_own_notification():
    detainee = captured(40)
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(39))
    hospital = CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.HOSPITALISATION, occurred_at=days_ago(20))
    transfer = CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.TRANSFER, occurred_at=days_ago(15))
    notified(detainee, kind=NotificationKind.TRANSFER, event_at=days_ago(15), sent_at=days_ago(14))

    capture_result, hospital_result, transfer_result = evaluate(detainee)

    assert capture_result.outcome == Outcome.COMPLIANT
    assert hospital_result.outcome == Outcome.VIOLATION
    assert hospital_result.severity == Severity.MEDIUM
    assert hospital_result.subject == ("powcases.custodyevent", hospital.pk)
    assert "his hospitalisation on" in hospital_result.message
    assert transfer_result.outcome == Outcome.COMPLIANT
    assert transfer_result.subject == ("powcases.custodyevent", transfer.pk)


def test_capture_notification_sent_after_an_early_hospitalisation_covers_it():
    detainee = captured(40)
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(37))
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.HOSPITALISATION, occurred_at=days_ago(39))

    _capture, hospital_result = evaluate(detainee)

    assert hospital_result.outcome == Outcome.COMPLIANT
    assert hospital_result.evidence["notifications"][0]["kind"] == "capture"


def test_arrival_at_a_facility_needs_no_separate_notification():
    detainee = captured(40)
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(39))
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.ARRIVAL, occurred_at=days_ago(38))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_birth_year_only_is_a_warning_asking_for_the_full_date():
    detainee = captured(40, date_of_birth=dt.date(2005, 1, 1), date_of_birth_precision=DatePrecision.YEAR)
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(39))

    capture_result, birth_result = evaluate(detainee)

    assert capture_result.outcome == Outcome.COMPLIANT
    assert birth_result.outcome == Outcome.WARNING
    assert birth_result.message.startswith("Only 2005 is recorded as his date of birth")
    assert "full date of birth" in birth_result.message
    assert birth_result.discriminator == "date_of_birth"


def test_missing_family_particulars_give_one_warning_listing_them():
    detainee = captured(40, father_first_name="", mother_maiden_name="", next_of_kin_address="")
    notified(detainee, event_at=days_ago(40), sent_at=days_ago(39))

    _capture, particulars = evaluate(detainee)

    assert particulars.outcome == Outcome.WARNING
    assert particulars.evidence["missing_particulars"] == [
        "father's first name",
        "mother's maiden name",
        "address of the person to be informed",
    ]


def test_held_detainee_without_a_capture_record_is_insufficient_data():
    detainee = DetaineeFactory(**PARTICULARS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["capture date"]


def test_released_detainee_without_records_is_not_applicable():
    detainee = DetaineeFactory(status=DetaineeStatus.RELEASED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
