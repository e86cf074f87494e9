"""Personas for permission tests (one per role, plus an outsider and a superuser) and common fixtures."""

from __future__ import annotations

import pytest
from django.test import Client

from powcases import roles
from tests.factories import UserFactory

PERSONAS = {
    "case_officer": roles.CASE_OFFICER,
    "medical_officer": roles.MEDICAL_OFFICER,
    "legal_reviewer": roles.LEGAL_REVIEWER,
    "exchange_coordinator": roles.EXCHANGE_COORDINATOR,
    "auditor": roles.AUDITOR,
}


@pytest.fixture
def case_officer(db):
    return UserFactory(username="officer", role=roles.CASE_OFFICER)


@pytest.fixture
def medical_officer(db):
    return UserFactory(username="medic", role=roles.MEDICAL_OFFICER)


@pytest.fixture
def legal_reviewer(db):
    return UserFactory(username="lawyer", role=roles.LEGAL_REVIEWER)


@pytest.fixture
def exchange_coordinator(db):
    return UserFactory(username="coordinator", role=roles.EXCHANGE_COORDINATOR)


@pytest.fixture
def auditor(db):
    return UserFactory(username="auditor", role=roles.AUDITOR)


@pytest.fixture
def outsider(db):
    """A staff account that holds no role: it can log in and must see nothing."""
    return UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


@pytest.fixture
def persona(request, db):
    """Parametrise with a persona name: `@pytest.mark.parametrize("persona", [...], indirect=True)`."""
    name = request.param
    if name == "outsider":
        return UserFactory(username="outsider")
    return UserFactory(username=name, role=PERSONAS[name])


@pytest.fixture
def client_for():
    """Return a logged-in test client for a user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
