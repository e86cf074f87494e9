"""GC3-19-EVAC: evacuation out of the combat zone as soon as possible after capture (GCIII Arts. 19-20)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind, DetaineeStatus, FacilityKind
from tests.factories import (
    CaptureFactory,
    CustodyEventFactory,
    DetaineeFactory,
    FacilityFactory,
    MedicalAssessmentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-19-EVAC"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def captured(days: float, **fields):
    holding = FacilityFactory(kind=FacilityKind.HOLDING_SITE, out_of_combat_zone=False)
    detainee = DetaineeFactory(current_facility=holding)
    CaptureFactory(detainee=detainee, captured_at=days_ago(days), **fields)
    return detainee


def test_not_evacuated_after_72_hours_is_a_warning():
    detainee = captured(5)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "not recorded as evacuated" in result.message
    assert result.subject == ("powcases.capture", detainee.capture.pk)
    assert result.evidence["period_hours"] == 72


def test_within_72_hours_nothing_is_due_yet():
    [result] = evaluate(captured(1))

    assert result.outcome == Outcome.COMPLIANT
    assert "due by" in result.message


@override_settings(COMPLIANCE_POLICY={"EVACUATION_HOURS": 12})
def test_the_period_is_a_policy_setting():
    [result] = evaluate(captured(1))

    assert result.outcome == Outcome.WARNING


def test_recorded_evacuation_is_compliant():
    [result] = evaluate(captured(5, evacuated_at=days_ago(4)))

    assert result.outcome == Outcome.COMPLIANT


def test_arrival_at_a_camp_out_of_the_combat_zone_counts_as_evacuation():
    detainee = captured(5)
    camp = FacilityFactory(out_of_combat_zone=True)
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.ARRIVAL, to_facility=camp, occurred_at=days_ago(4))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_prisoner_unfit_to_travel_may_be_kept_back():
    detainee = captured(5)
    MedicalAssessmentFactory(detainee=detainee, fit_to_travel=False, assessed_at=days_ago(4))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "unfit to travel (Art. 19(2))" in result.message


def test_prisoner_found_fit_again_must_be_evacuated():
    detainee = captured(10)
    MedicalAssessmentFactory(detainee=detainee, fit_to_travel=False, assessed_at=days_ago(9))
    MedicalAssessmentFactory(detainee=detainee, fit_to_travel=True, assessed_at=days_ago(5))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING


def test_no_capture_record_is_not_applicable():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_released_prisoner_is_not_applicable():
    detainee = captured(5)
    detainee.status = DetaineeStatus.RELEASED
    detainee.save()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
