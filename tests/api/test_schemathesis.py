"""Schemathesis over every operation of /api/schema/: no server error, no response that contradicts the schema.

Runs in process against the Django WSGI application with a superuser's token (so 403 never hides a bug),
with a small, derandomized number of examples per operation so the suite stays fast on two cores.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from powcases.api.throttling import TokenRateThrottle
from tests.factories import (
    DetaineeFactory,
    ExchangeProposalFactory,
    FindingFactory,
    InterpreterFactory,
    InterrogationFactory,
    MediaItemFactory,
    MedicalAssessmentFactory,
    RepatriationWishFactory,
    UserFactory,
)

# The coverage phase (every boundary value of every parameter) is thorough but slow: CI runs examples and
# bounded fuzzing; set SCHEMATHESIS_COVERAGE=1 for the full boundary sweep.
_config = schemathesis.Config.from_dict(
    {"phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}}}
)
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=_config)


@pytest.fixture
def _keep_test_connection():
    """Django's test client keeps the test's database connection across requests; a bare WSGI client does not
    (request_finished closes it), so detach that receiver while the generated requests run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, monkeypatch, _keep_test_connection) -> str:
    """A superuser's token, a few records for the generated ids to hit, and no throttling."""
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "1000000/minute"})
    user = UserFactory(username="schemathesis", is_superuser=True)
    detainee = DetaineeFactory()
    InterrogationFactory(detainee=detainee, interpreters=[InterpreterFactory()])
    MedicalAssessmentFactory(detainee=detainee)
    MediaItemFactory(depicted=[detainee])
    RepatriationWishFactory(detainee=detainee)
    ExchangeProposalFactory(outgoing=[detainee])
    FindingFactory(detainee=detainee)
    return Token.objects.create(user=user).key


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token):
    # Each call in a savepoint, as each request runs in autocommit in production: a refused write must not
    # poison the test's transaction for the calls that follow.
    with transaction.atomic():
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
