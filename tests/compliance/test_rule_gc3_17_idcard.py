"""GC3-17-IDCARD: the identity card stays with the prisoner; identity doubts (GCIII Art. 17(3), Art. 18(2))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import DetaineeStatus, DocumentKind
from tests.factories import DetaineeFactory, IdentityDocumentFactory, days_ago

pytestmark = pytest.mark.django_db

RULE = "GC3-17-IDCARD"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def seized(**fields):
    return {"seized": True, "seized_at": days_ago(10), "seizure_ordered_by": "Capt. Dzyuba", **fields}


def test_his_own_identity_card_taken_away_is_a_violation():
    detainee = DetaineeFactory()
    card = IdentityDocumentFactory(detainee=detainee, kind=DocumentKind.IDENTITY_CARD_ART17, **seized())

    card_result, without_result = evaluate(detainee)

    assert card_result.outcome == Outcome.VIOLATION
    assert card_result.subject == ("powcases.identitydocument", card.pk)
    assert "may in no case be taken away" in card_result.message
    assert "on the order of Capt. Dzyuba" in card_result.message
    assert card_result.evidence["seized"] is True
    assert card_result.evidence["returned_at"] is None
    # and, his only document gone, he holds none (Art. 18(2))
    assert without_result.outcome == Outcome.WARNING
    assert without_result.discriminator == "without-document"


def test_military_id_returned_after_inspection_is_compliant():
    detainee = DetaineeFactory()
    IdentityDocumentFactory(detainee=detainee, **seized(returned_at=days_ago(9)))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_card_in_another_persons_name_is_an_identity_doubt_warning_not_a_status_question():
    """The founding case: a Russian military ID in another man's name, suspected false, seized against a receipt."""
    detainee = DetaineeFactory(nationality="KP")
    IdentityDocumentFactory(
        detainee=detainee,
        name_on_document="Ондар Айдын Борисович",
        in_another_persons_name=True,
        suspected_false=True,
        **seized(seizure_receipt_number="R-0091"),
    )

    results = evaluate(detainee)

    assert [r.outcome for r in results] == [Outcome.WARNING, Outcome.WARNING]
    card_result = results[0]
    assert "in another person's name ('Ондар Айдын Борисович')" in card_result.message
    assert "is suspected to be false" in card_result.message
    assert "not a question of his prisoner-of-war status" in card_result.message
    assert "if this card proves to be that card, it must be given back" in card_result.message
    assert card_result.evidence["seizure_receipt_number"] == "R-0091"
    assert "so he now holds none" in results[1].message


def test_held_prisoner_without_any_identity_document_is_a_warning_to_supply_one():
    detainee = DetaineeFactory()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "No identity document is recorded for him" in result.message
    assert "Art. 18(2)" in result.message
    assert "shall supply such documents" in result.message


def test_own_identity_card_kept_by_him_is_compliant():
    detainee = DetaineeFactory()
    IdentityDocumentFactory(detainee=detainee)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_seized_passport_is_not_an_art17_identity_card():
    detainee = DetaineeFactory()
    IdentityDocumentFactory(detainee=detainee)
    IdentityDocumentFactory(detainee=detainee, kind=DocumentKind.PASSPORT, **seized())

    results = evaluate(detainee)

    assert [r.outcome for r in results] == [Outcome.COMPLIANT, Outcome.COMPLIANT]


def test_identity_card_without_the_name_written_on_it_is_insufficient_data():
    detainee = DetaineeFactory()
    IdentityDocumentFactory(detainee=detainee, name_on_document="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the name written on the document"]


def test_released_person_without_documents_is_not_applicable():
    [result] = evaluate(DetaineeFactory(status=DetaineeStatus.RELEASED))

    assert result.outcome == Outcome.NOT_APPLICABLE
