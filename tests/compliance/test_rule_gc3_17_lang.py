"""GC3-17-LANG: questioning in a language the prisoner understands (GCIII Art. 17(6))."""

from __future__ import annotations

import pytest

from compliance.choices import Outcome
from compliance.engine import evaluate_rules
from compliance.registry import Result
from powcases.choices import Affiliation, InterrogationMode
from tests.factories import DetaineeFactory, InterpreterFactory, InterrogationFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db

RULE = "GC3-17-LANG"


def evaluate(detainee) -> list[Result]:
    return evaluate_rules([detainee.pk], [RULE])[RULE]


def korean_speaker(**skills):
    """The founding case: a North Korean soldier who understands only Korean."""
    detainee = DetaineeFactory(nationality="KP", power_depends_on="KP")
    LanguageSkillFactory(detainee=detainee, language="kor", **{"reads": True, "writes": True, **skills})
    return detainee


def test_session_in_a_language_he_understands_is_compliant():
    detainee = korean_speaker()
    InterrogationFactory(detainee=detainee, language="kor")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_interpreter_speaking_session_language_and_his_bridges_an_oral_session():
    detainee = korean_speaker()
    interpreter = InterpreterFactory(languages=["ukr", "kor"])
    session = InterrogationFactory(detainee=detainee, language="ukr", interpreters=[interpreter])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT
    assert result.subject == ("powcases.interrogation", session.pk)
    assert result.evidence["bridging_interpreter_ids"] == [interpreter.pk]


def test_session_in_a_language_he_does_not_understand_without_bridge_is_a_violation():
    detainee = korean_speaker()
    interpreter = InterpreterFactory(languages=["ukr", "rus"])  # no Korean: cannot bridge
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[interpreter])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "Ukrainian (ukr), which he does not understand" in result.message
    assert "Korean (kor)" in result.message
    assert result.evidence["session_language"] == "ukr"
    assert [s["language"] for s in result.evidence["detainee_languages"]] == ["kor"]
    assert result.evidence["interpreters"][0]["languages"] == ["rus", "ukr"]


def test_session_without_any_interpreter_in_a_foreign_language_is_a_violation():
    detainee = korean_speaker()
    InterrogationFactory(detainee=detainee, language="rus")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "no interpreter was recorded" in result.message


def test_bridge_only_through_a_third_state_interpreter_is_a_warning():
    detainee = korean_speaker()
    nis = InterpreterFactory(
        name="NIS interpreter",
        affiliation=Affiliation.THIRD_STATE,
        affiliation_state="KR",
        organisation="National Intelligence Service",
        languages=["ukr", "kor"],
    )
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[nis])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "attached to a third state (KR, National Intelligence Service)" in result.message


def test_bridge_only_through_an_unvetted_interpreter_is_a_warning():
    detainee = korean_speaker()
    unvetted = InterpreterFactory(name="Volunteer", vetted=False, languages=["ukr", "kor"])
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[unvetted])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "Volunteer is not vetted" in result.message


def test_a_third_state_interpreter_alongside_a_vetted_one_of_the_detaining_power_is_still_a_warning():
    detainee = korean_speaker()
    nis = InterpreterFactory(
        name="NIS interpreter", affiliation=Affiliation.THIRD_STATE, affiliation_state="KR", languages=["ukr", "kor"]
    )
    own = InterpreterFactory(languages=["ukr", "kor"])
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[nis, own])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "NIS interpreter is attached to a third state (KR)" in result.message
    assert "reached him in a language he understands" in result.message


def test_founding_case_session_in_korean_with_third_state_interpreters_is_a_warning():
    detainee = korean_speaker()
    nis = InterpreterFactory(
        name="NIS interpreter",
        affiliation=Affiliation.THIRD_STATE,
        affiliation_state="KR",
        organisation="National Intelligence Service",
        languages=["kor", "ukr"],
    )
    InterrogationFactory(detainee=detainee, language="kor", interpreters=[nis])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.WARNING
    assert "attached to a third state (KR, National Intelligence Service)" in result.message


def test_vetted_interpreter_of_the_detaining_power_alone_is_compliant():
    detainee = korean_speaker()
    own = InterpreterFactory(languages=["ukr", "kor"])
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[own])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_written_session_needs_reading_skill():
    detainee = korean_speaker()
    LanguageSkillFactory(
        detainee=detainee, language="rus", understands=True, reads=False, writes=False, is_native=False
    )
    InterrogationFactory(detainee=detainee, language="rus", mode=InterrogationMode.WRITTEN)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "in writing in Russian (rus), which he does not read" in result.message


def test_written_session_in_a_language_he_reads_is_compliant_even_through_no_interpreter():
    detainee = korean_speaker()
    InterrogationFactory(detainee=detainee, language="kor", mode=InterrogationMode.WRITTEN, answers_in_writing=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_written_answers_need_writing_skill():
    detainee = korean_speaker(writes=False)
    InterrogationFactory(detainee=detainee, language="kor", mode=InterrogationMode.WRITTEN, answers_in_writing=True)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "answer in writing in Korean (kor), which he does not write" in result.message


def test_written_session_with_unknown_reading_skill_is_insufficient_data():
    detainee = korean_speaker(reads=None)
    InterrogationFactory(detainee=detainee, language="kor", mode=InterrogationMode.WRITTEN)

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["whether he reads Korean (kor)"]


def test_oral_session_with_written_answers_needs_a_language_he_writes_among_those_used():
    detainee = korean_speaker(writes=False)
    interpreter = InterpreterFactory(languages=["ukr", "kor"])
    InterrogationFactory(detainee=detainee, language="ukr", answers_in_writing=True, interpreters=[interpreter])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.VIOLATION
    assert "writes none of the languages used" in result.message
    assert result.evidence["languages_used"] == ["kor", "ukr"]


def test_oral_session_with_written_answers_in_a_language_the_interpreter_reads_is_compliant():
    detainee = korean_speaker()
    interpreter = InterpreterFactory(languages=["ukr", "kor"])
    InterrogationFactory(detainee=detainee, language="ukr", answers_in_writing=True, interpreters=[interpreter])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.COMPLIANT


def test_unknown_languages_of_the_detainee_are_insufficient_data():
    detainee = DetaineeFactory()
    InterrogationFactory(detainee=detainee, language="ukr")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the languages the detainee understands"]


def test_missing_session_language_is_insufficient_data():
    detainee = korean_speaker()
    InterrogationFactory(detainee=detainee, language="")

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["session language"]


def test_interpreter_with_unrecorded_languages_is_insufficient_data_not_a_violation():
    detainee = korean_speaker()
    unknown = InterpreterFactory(name="Unknown skills", languages=[])
    InterrogationFactory(detainee=detainee, language="ukr", interpreters=[unknown])

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence["missing"] == ["the languages of interpreter Unknown skills"]


def test_detainee_never_questioned_is_not_applicable():
    detainee = korean_speaker()

    [result] = evaluate(detainee)

    assert result.outcome == Outcome.NOT_APPLICABLE


def test_each_session_is_judged_on_its_own():
    detainee = korean_speaker()
    InterrogationFactory(detainee=detainee, language="kor")
    InterrogationFactory(detainee=detainee, language="ukr")

    outcomes = [result.outcome for result in evaluate(detainee)]

    assert outcomes == [Outcome.COMPLIANT, Outcome.VIOLATION]
