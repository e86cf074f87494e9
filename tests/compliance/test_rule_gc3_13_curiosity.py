"""GC3-13-CURIOSITY: protection against public curiosity, applied to published images (GCIII Art. 13(2))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from tests.factories import DetaineeFactory, MediaItemFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-13-CURIOSITY"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def published(detainee, **fields):
    defaults = {
        "published_at": days_ago(3),
        "published_by": "President's office",
        "channel": "X (Twitter)",
        "publisher_is_state_official": True,
        "identifiable": True,
    }
    return MediaItemFactory(depicted=[detainee], **{**defaults, **fields})


def test_identifiable_image_published_by_a_state_official_is_a_violation():
    detainee = DetaineeFactory()
    item = published(detainee, publication_justification="Proof that North Korea takes part in the war")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert result.subject == ("powcases.mediaitem", item.pk)
    assert "by President's office, a state official" in result.message
    assert result.evidence["publication_justification"] == "Proof that North Korea takes part in the war"
    assert "does not make an identifiable image permissible" in result.message


def test_identifiable_image_published_by_others_calls_for_a_takedown():
    detainee = DetaineeFactory()
    published(detainee, published_by="A blogger", publisher_is_state_official=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "Request a takedown" in result.message


def test_image_published_by_others_and_withdrawn_is_compliant():
    detainee = DetaineeFactory()
    published(detainee, publisher_is_state_official=False, takedown_requested_at=days_ago(2), withdrawn_at=days_ago(1))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_unidentifiable_published_image_is_compliant():
    detainee = DetaineeFactory()
    published(detainee, identifiable=False)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_published_image_of_unknown_identifiability_is_insufficient_data():
    detainee = DetaineeFactory()
    published(detainee, identifiable=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["whether the published item identifies him"]


def test_identifiable_image_by_a_publisher_of_unknown_standing_is_insufficient_data():
    detainee = DetaineeFactory()
    published(detainee, publisher_is_state_official=None)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["whether the publisher is a state official"]


def test_unpublished_image_is_not_applicable():
    detainee = DetaineeFactory()
    MediaItemFactory(depicted=[detainee], identifiable=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_detainee_in_no_image_is_not_applicable():
    [result] = evaluate(DetaineeFactory())

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_one_image_of_two_men_gives_each_his_own_result():
    first, second = DetaineeFactory(), DetaineeFactory()
    MediaItemFactory(
        depicted=[first, second], published_at=days_ago(3), publisher_is_state_official=True, identifiable=True
    )

    results = evaluate_rules([first.pk, second.pk], [RULE])[RULE]

    assert sorted(r.detainee_id for r in results if r.outcome == Outcome.VIOLATION) == sorted([first.pk, second.pk])
