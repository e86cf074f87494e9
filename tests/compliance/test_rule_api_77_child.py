"""API-77-CHILD: children get special protection and quarters apart from adults (AP I Art. 77(2)-(4))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from compliance.choices import Outcome, Severity
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DatePrecision, DetaineeStatus, QuartersKind
from tests.factories import CaptureFactory, DetaineeFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "API-77-CHILD"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def years_ago(years: int) -> dt.date:
    today = timezone.now().date()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def born(date_of_birth, precision=DatePrecision.DAY, *, captured_days_ago: float = 30, **fields):
    detainee = DetaineeFactory(date_of_birth=date_of_birth, date_of_birth_precision=precision, **fields)
    CaptureFactory(detainee=detainee, captured_at=days_ago(captured_days_ago))
    return detainee


def test_child_held_with_adults_is_a_violation():
    detainee = born(years_ago(16) - dt.timedelta(days=60), quarters=QuartersKind.ADULTS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "16 years old at capture" in result.message
    assert "quarters with adults" in result.message
    assert result.evidence["age_at_capture"] == [16, 16]
    assert result.subject == ("powcases.detainee", detainee.pk)


def test_child_in_separate_quarters_is_flagged_for_special_protection():
    detainee = born(years_ago(16) - dt.timedelta(days=60), quarters=QuartersKind.MINORS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.severity == Severity.HIGH
    assert "special protection" in result.message


def test_birth_year_straddling_eighteen_is_a_warning_to_verify_his_age():
    capture_year = (timezone.now() - dt.timedelta(days=40)).year
    detainee = born(
        dt.date(capture_year - 18, 1, 1), DatePrecision.YEAR, captured_days_ago=40, quarters=QuartersKind.MINORS
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.severity == Severity.MEDIUM
    assert result.evidence["age_at_capture"] == [17, 18]
    assert "verify his age" in result.message


def test_possible_child_held_with_adults_is_a_high_warning_not_a_violation():
    capture_year = (timezone.now() - dt.timedelta(days=40)).year
    detainee = born(
        dt.date(capture_year - 18, 1, 1), DatePrecision.YEAR, captured_days_ago=40, quarters=QuartersKind.ADULTS
    )

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert result.severity == Severity.HIGH
    assert "unless he is shown to be an adult" in result.message


def test_child_under_fifteen_reports_recruitment_by_his_own_side():
    detainee = born(years_ago(14) - dt.timedelta(days=60), quarters=QuartersKind.MINORS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "under 15 at capture" in result.message
    assert "by the Power on which he depends, not by the detaining power" in result.message


def test_the_articles_rifleman_born_2005_and_captured_in_january_2025_is_an_adult():
    detainee = DetaineeFactory(date_of_birth=dt.date(2005, 1, 1), date_of_birth_precision=DatePrecision.YEAR)
    CaptureFactory(detainee=detainee, captured_at=dt.datetime(2025, 1, 9, tzinfo=dt.UTC))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert result.evidence["age_at_capture"] == [19, 20]


def test_adult_is_compliant():
    [result] = evaluate(born(dt.date(1995, 3, 14)))

    assert result.outcome == Outcome.COMPLIANT


def test_no_date_of_birth_is_insufficient_data():
    detainee = born(None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["date of birth or birth year"]


@override_settings(COMPLIANCE_AP1_APPLIES=False)
def test_not_applicable_when_additional_protocol_i_does_not_bind_the_parties():
    detainee = born(years_ago(16), quarters=QuartersKind.ADULTS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_released_detainee_is_not_applicable():
    detainee = born(years_ago(16), status=DetaineeStatus.RELEASED)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
