"""GC3-12-TRANSFER: transfer only to a party found willing and able to apply the Convention (GCIII Art. 12(2))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import CustodyEventKind
from tests.factories import CustodyEventFactory, DetaineeFactory

pytestmark = pytest.mark.django_db

RULE = "GC3-12-TRANSFER"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def transferred(**fields):
    detainee = DetaineeFactory()
    defaults = {
        "kind": CustodyEventKind.TRANSFER_TO_POWER,
        "to_facility": None,
        "to_power": "PL",
        "to_power_party_to_convention": True,
        "to_power_willing_and_able": True,
    }
    event = CustodyEventFactory(detainee=detainee, **{**defaults, **fields})
    return detainee, event


def test_transfer_to_a_power_not_party_to_the_convention_is_a_violation():
    detainee, event = transferred(to_power_party_to_convention=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.message.startswith("His transfer to PL on")
    assert "not party to the Third Geneva Convention" in result.message
    assert result.subject == ("powcases.custodyevent", event.pk)


def test_transfer_to_a_power_not_found_willing_and_able_is_a_violation():
    detainee, _ = transferred(to_power_willing_and_able=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "Art. 12(3)" in result.message


def test_transfer_without_a_willingness_assessment_is_insufficient_data():
    detainee, _ = transferred(to_power_willing_and_able=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == [
        "whether the receiving Power was found willing and able to apply the Convention"
    ]


def test_transfer_to_a_willing_and_able_party_is_compliant():
    detainee, _ = transferred()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_transfers_between_own_camps_are_not_applicable():
    detainee = DetaineeFactory()
    CustodyEventFactory(detainee=detainee, kind=CustodyEventKind.TRANSFER)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
