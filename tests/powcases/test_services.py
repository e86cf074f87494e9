"""Services: case numbers, history with the acting user, custody, exchanges, code normalisation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from powcases import services
from powcases.choices import CustodyEventKind, DetaineeStatus, ExchangeStatus
from powcases.models import ExchangeProposal, Interpreter
from tests.factories import DetaineeFactory, FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_case_numbers_follow_the_format_and_never_repeat():
    first = services.detainee_create(actor=None, family_name="Ri")
    second = services.detainee_create(actor=None, family_name="Kim")

    year = timezone.now().year
    assert re.fullmatch(rf"POW-{year}-\d{{6}}", first.case_number)
    assert first.case_number != second.case_number
    assert int(second.case_number[-6:]) == int(first.case_number[-6:]) + 1


def test_case_number_can_be_taken_in_the_year_of_capture():
    detainee = services.detainee_create(actor=None, family_name="Ri", case_year=2025)

    assert detainee.case_number == "POW-2025-000001"


def test_history_records_the_acting_user(case_officer):
    detainee = services.detainee_create(actor=case_officer, family_name="Ri")
    services.detainee_update(actor=case_officer, detainee=detainee, military_role="rifleman")

    latest = detainee.history.latest()
    assert latest.history_user == case_officer
    assert latest.military_role == "rifleman"
    assert detainee.history.count() == 2


def test_custody_event_moves_the_detainee_to_the_new_facility():
    camp, hospital = FacilityFactory(), FacilityFactory(name="Kyiv hospital", code="kyiv-h")
    detainee = DetaineeFactory(current_facility=camp)

    services.custody_event_record(
        actor=None,
        detainee=detainee,
        kind=CustodyEventKind.HOSPITALISATION,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        from_facility=camp,
        to_facility=hospital,
    )

    detainee.refresh_from_db()
    assert detainee.current_facility == hospital


def test_repatriation_event_ends_custody():
    detainee = DetaineeFactory()

    services.custody_event_record(
        actor=None,
        detainee=detainee,
        kind=CustodyEventKind.REPATRIATION,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        to_power="ru",
    )

    detainee.refresh_from_db()
    assert detainee.status == DetaineeStatus.REPATRIATED
    assert detainee.current_facility is None


def _proposal(**kwargs) -> ExchangeProposal:
    return services.exchange_save(
        actor=None,
        proposal=ExchangeProposal(reference="EX-1", counterparty="RU"),
        outgoing=[DetaineeFactory()],
        **kwargs,
    )


def test_exchange_moves_along_allowed_transitions_and_records_them(exchange_coordinator):
    proposal = _proposal()

    services.exchange_transition(actor=exchange_coordinator, proposal=proposal, to=ExchangeStatus.PROPOSED)
    services.exchange_transition(actor=exchange_coordinator, proposal=proposal, to=ExchangeStatus.AGREED)

    proposal.refresh_from_db()
    assert proposal.status == ExchangeStatus.AGREED
    assert [(t.from_status, t.to_status) for t in proposal.transitions.all()][-2:] == [
        ("draft", "proposed"),
        ("proposed", "agreed"),
    ]
    assert proposal.transitions.last().actor == exchange_coordinator


def test_exchange_transition_not_in_the_table_is_refused_with_the_allowed_ones():
    proposal = _proposal()

    with pytest.raises(services.TransitionNotAllowed) as excinfo:
        services.exchange_transition(actor=None, proposal=proposal, to=ExchangeStatus.COMPLETED)

    assert "Cannot move from 'draft' to 'completed'" in excinfo.value.message_dict["to"][0]
    assert "proposed, cancelled" in excinfo.value.message_dict["to"][0]
    proposal.refresh_from_db()
    assert proposal.status == ExchangeStatus.DRAFT


def test_final_exchange_status_allows_nothing():
    proposal = _proposal()
    services.exchange_transition(actor=None, proposal=proposal, to=ExchangeStatus.CANCELLED)

    with pytest.raises(ValidationError, match="none: it is final"):
        services.exchange_transition(actor=None, proposal=proposal, to=ExchangeStatus.PROPOSED)


def test_interpreter_languages_are_normalised_and_bad_ones_named():
    interpreter = services.interpreter_save(
        actor=None,
        interpreter=Interpreter(name="NIS-1", affiliation="third_state", affiliation_state="kr"),
        languages=["ko-KP", "uk"],
    )

    assert interpreter.affiliation_state == "KR"
    assert sorted(interpreter.languages.values_list("language", flat=True)) == ["kor", "ukr"]
    with pytest.raises(ValidationError) as excinfo:
        services.interpreter_save(actor=None, interpreter=interpreter, languages=["kor", "qqq-x"])
    assert excinfo.value.message_dict["languages"][0].startswith("Item 2:")


def test_detainee_country_codes_are_normalised():
    detainee = services.detainee_create(actor=None, family_name="Kim", nationality="prk", power_depends_on="kp")

    assert (detainee.nationality, detainee.power_depends_on) == ("KP", "KP")


def test_acting_user_is_kept_on_child_records():
    user = UserFactory()
    detainee = DetaineeFactory()

    skill = services.language_skill_set(actor=user, detainee=detainee, language="ko")

    assert skill.history.latest().history_user == user
