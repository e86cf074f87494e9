"""/api/v1/exchanges/: members, the state machine, ETag and If-Match."""

from __future__ import annotations

import pytest

from powcases.models import ExchangeProposal
from tests.factories import DetaineeFactory, ExchangeIncomingFactory, ExchangeProposalFactory

from .base import WriteContract

URL = "/api/v1/exchanges/"


class TestExchangeEndpoint(WriteContract):
    url = URL
    readers = {"case_officer", "legal_reviewer", "exchange_coordinator", "auditor"}
    writers = {"case_officer", "exchange_coordinator"}

    def make(self) -> ExchangeProposal:
        proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
        ExchangeIncomingFactory(proposal=proposal)
        return proposal

    def create_payload(self) -> dict:
        return {
            "reference": f"EX-{ExchangeProposal.objects.count() + 100}",
            "counterparty": "RUS",
            "mediator": "United Arab Emirates",
            "outgoing": [DetaineeFactory().pk],
            "incoming": [
                {
                    "family_name": "Shevchenko",
                    "given_names": "Taras",
                    "service_number": "UA-1",
                    "date_of_birth": "1990-04",
                }
            ],
        }

    def update_payload(self) -> dict:
        return {"mediator": "Qatar"}

    def check_created(self, data: dict) -> None:
        assert data["status"] == "draft"
        assert data["counterparty"] == "RU"
        assert data["incoming"][0]["date_of_birth"] == "1990-04"
        assert data["history"][0]["actor"] == "root"


def _transition(api, proposal, to, **headers):
    return api.post(f"{URL}{proposal.pk}/transition/", {"to": to}, format="json", **headers)


def test_full_path_to_completed_records_history(root_api):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    for target in ("proposed", "agreed", "in_progress", "completed"):
        response = _transition(root_api, proposal, target)
        assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "completed"
    assert [(h["from_status"], h["to_status"]) for h in data["history"]] == [
        ("draft", "proposed"),
        ("proposed", "agreed"),
        ("agreed", "in_progress"),
        ("in_progress", "completed"),
    ]


def test_forbidden_transition_is_409_naming_allowed_targets(root_api):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    response = _transition(root_api, proposal, "completed")
    assert response.status_code == 409
    assert response.json()["allowed"] == ["proposed", "cancelled"]
    assert "proposed, cancelled" in response.json()["to"][0]


def test_final_status_allows_nothing(root_api):
    proposal = ExchangeProposalFactory(status="cancelled")
    response = _transition(root_api, proposal, "proposed")
    assert response.status_code == 409
    assert response.json()["allowed"] == []


def test_unknown_target_is_400(root_api):
    proposal = ExchangeProposalFactory()
    assert _transition(root_api, proposal, "teleported").status_code == 400


def test_status_is_read_only_on_patch(root_api):
    proposal = ExchangeProposalFactory()
    response = root_api.patch(f"{URL}{proposal.pk}/", {"status": "completed"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


def test_etag_follows_the_version(root_api):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    first = root_api.get(f"{URL}{proposal.pk}/")
    assert first["ETag"] == f'"{proposal.pk}-v1"'
    moved = _transition(root_api, proposal, "proposed", HTTP_IF_MATCH=first["ETag"])
    assert moved.status_code == 200
    assert moved["ETag"] == f'"{proposal.pk}-v2"'


def test_stale_if_match_is_412_on_patch_and_transition(root_api):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    etag = root_api.get(f"{URL}{proposal.pk}/")["ETag"]
    assert (
        root_api.patch(f"{URL}{proposal.pk}/", {"mediator": "Qatar"}, format="json", HTTP_IF_MATCH=etag).status_code
        == 200
    )
    stale_patch = root_api.patch(f"{URL}{proposal.pk}/", {"mediator": "Turkey"}, format="json", HTTP_IF_MATCH=etag)
    assert stale_patch.status_code == 412
    assert _transition(root_api, proposal, "proposed", HTTP_IF_MATCH=etag).status_code == 412
    proposal.refresh_from_db()
    assert (proposal.mediator, proposal.status) == ("Qatar", "draft")


def test_if_match_of_another_record_is_412(root_api):
    proposal = ExchangeProposalFactory()
    response = root_api.patch(f"{URL}{proposal.pk}/", {"mediator": "Qatar"}, format="json", HTTP_IF_MATCH='"0-v1"')
    assert response.status_code == 412


def test_members_are_locked_once_agreed(root_api):
    proposal = ExchangeProposalFactory(status="agreed")
    response = root_api.patch(f"{URL}{proposal.pk}/", {"outgoing": [DetaineeFactory().pk]}, format="json")
    assert response.status_code == 400
    assert "outgoing" in response.json()


def test_duplicate_reference_is_400_naming_it(root_api):
    ExchangeProposalFactory(reference="EX-1")
    response = root_api.post(URL, {"reference": "EX-1", "counterparty": "RU"}, format="json")
    assert response.status_code == 400
    assert "reference" in response.json()


@pytest.mark.parametrize("persona", ["auditor", "legal_reviewer", "medical_officer"], indirect=True)
def test_roles_without_change_right_cannot_transition(persona, api_for):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    assert _transition(api_for(persona), proposal, "proposed").status_code == 403


def test_exchange_coordinator_can_transition(api_for, exchange_coordinator):
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    response = _transition(api_for(exchange_coordinator), proposal, "proposed")
    assert response.status_code == 200
    assert response.json()["history"][-1]["actor"] == "coordinator"


def test_a_race_on_the_unique_reference_is_409(root_api, monkeypatch):
    """Two integrators create the same reference at once: the loser's insert hits the constraint -> 409."""
    from django.db import IntegrityError

    from powcases import services

    def lost_the_race(**kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "powcases_exchangeproposal_reference_key"')

    monkeypatch.setattr(services, "exchange_save", lost_the_race)
    response = root_api.post(URL, {"reference": "EX-9", "counterparty": "RU"}, format="json")
    assert response.status_code == 409
    assert "already exists" in response.json()["detail"]
