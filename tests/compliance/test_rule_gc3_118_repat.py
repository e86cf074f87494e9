"""GC3-118-REPAT: a prisoner on an active exchange list needs a known wish and, if he refuses, a risk assessment."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import Affiliation, ExchangeStatus, RepatriationWishChoice, RiskAssessmentOutcome
from powcases.models import ExchangeOutgoing
from tests.factories import (
    DetaineeFactory,
    ExchangeProposalFactory,
    InterpreterFactory,
    LanguageSkillFactory,
    RepatriationWishFactory,
    RiskAssessmentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULE = "GC3-118-REPAT"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def listed(status: str = ExchangeStatus.PROPOSED, **proposal):
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="kor")
    ExchangeProposalFactory(outgoing=[detainee], status=status, **proposal)
    return detainee


def refuses(detainee, **fields):
    defaults = {"wish": RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN, "language": "kor", "recorded_by": "ICRC"}
    return RepatriationWishFactory(detainee=detainee, **{**defaults, **fields})


def test_refusing_prisoner_on_the_list_without_a_risk_assessment_is_a_violation():
    detainee = listed(reference="EX-2025-0007")
    refuses(detainee, recorded_at=days_ago(3))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "EX-2025-0007 (proposed)" in result.message
    assert "does not wish to return" in result.message
    assert "no risk assessment has been completed" in result.message
    membership = ExchangeOutgoing.objects.get(detainee=detainee)
    assert result.subject == ("powcases.exchangeoutgoing", membership.pk)
    assert result.evidence["wish"]["wish"] == "does_not_wish_to_return"
    assert result.evidence["wish"]["recorded_by"] == "ICRC"
    assert result.evidence["wish"]["language"] == "kor"
    assert result.evidence["risk_assessment"] is None


def test_an_assessment_still_in_progress_does_not_count():
    detainee = listed()
    refuses(detainee)
    RiskAssessmentFactory(detainee=detainee, completed_at=None, outcome=RiskAssessmentOutcome.IN_PROGRESS)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_repatriating_despite_a_real_risk_is_a_violation():
    detainee = listed()
    refuses(detainee)
    RiskAssessmentFactory(detainee=detainee, outcome=RiskAssessmentOutcome.REAL_RISK)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "found a real risk" in result.message
    assert result.evidence["risk_assessment"]["outcome"] == "real_risk"


def test_latest_wish_decides():
    detainee = listed()
    RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.WISHES_TO_RETURN, recorded_at=days_ago(30))
    refuses(detainee, recorded_at=days_ago(2))

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION


def test_refusal_weighed_in_a_completed_assessment_finding_no_real_risk_is_compliant():
    detainee = listed()
    refuses(detainee)
    RiskAssessmentFactory(detainee=detainee, outcome=RiskAssessmentOutcome.NO_REAL_RISK)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert "found no real risk" in result.message


def test_exchange_proposed_while_his_wish_is_unknown_is_a_warning():
    detainee = listed()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "no wish about repatriation has been recorded" in result.message
    assert result.evidence["wish"] is None


def test_undecided_wish_is_a_warning():
    detainee = listed()
    RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.UNDECIDED, language="kor")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "undecided" in result.message


def test_wish_to_return_recorded_in_his_language_is_compliant():
    detainee = listed()
    RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.WISHES_TO_RETURN, language="kor")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_wish_recorded_only_through_a_third_state_interpreter_is_a_warning():
    detainee = listed()
    wish = RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.WISHES_TO_RETURN, language="ukr")
    interpreter = InterpreterFactory(
        name="Kim", affiliation=Affiliation.THIRD_STATE, affiliation_state="KR", languages=["ukr", "kor"]
    )
    wish.interpreters.set([interpreter])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "interpreter attached to a third state (Kim (KR))" in result.message
    assert result.evidence["wish"]["interpreters"][0]["affiliation"] == "third_state"


def test_wish_recorded_in_a_language_he_does_not_understand_is_a_warning():
    detainee = listed()
    RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.WISHES_TO_RETURN, language="ukr")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "which he is not known to understand" in result.message


def test_wish_bridged_by_a_detaining_power_interpreter_is_compliant():
    detainee = listed()
    wish = RepatriationWishFactory(detainee=detainee, wish=RepatriationWishChoice.WISHES_TO_RETURN, language="ukr")
    wish.interpreters.set([InterpreterFactory(languages=["ukr", "kor"])])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


@pytest.mark.parametrize("status", [ExchangeStatus.COMPLETED, ExchangeStatus.CANCELLED, ExchangeStatus.REJECTED])
def test_list_of_a_closed_proposal_is_not_applicable(status):
    detainee = listed(status=status)
    refuses(detainee)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_detainee_on_no_list_is_not_applicable():
    detainee = DetaineeFactory()
    refuses(detainee)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE
