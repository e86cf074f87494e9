"""Idempotency-Key on POST: replay, mismatch, concurrency (one mechanism for every create endpoint)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from integrations.idempotency import request_fingerprint
from integrations.models import IdempotencyKey
from powcases import services
from powcases.models import Detainee, ExchangeProposal
from tests.factories import DetaineeFactory, ExchangeProposalFactory, UserFactory

URL = "/api/v1/detainees/"
BODY = {"family_name": "Ri", "given_names": "Chol", "date_of_birth": "2005"}


def test_repeat_returns_the_first_response_without_creating_anything(root_api):
    first = root_api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = root_api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second["ETag"] == first["ETag"]
    assert Detainee.objects.count() == 1


def test_same_key_with_another_body_is_422(root_api):
    root_api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = root_api.post(URL, {**BODY, "given_names": "Su"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Detainee.objects.count() == 1


def test_a_duplicate_while_the_first_is_in_progress_is_409(root_api, superuser):
    body = json.dumps(BODY).encode()
    IdempotencyKey.objects.create(
        user=superuser,
        key="k-1",
        method="POST",
        path=URL,
        request_hash=request_fingerprint("POST", URL, "application/json", body),
    )
    response = root_api.generic("POST", URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 409
    assert Detainee.objects.count() == 0


def test_a_key_abandoned_by_a_dead_request_is_released(root_api, superuser, settings):
    settings.IDEMPOTENCY_LOCK_SECONDS = 60
    body = json.dumps(BODY).encode()
    IdempotencyKey.objects.create(
        user=superuser,
        key="k-1",
        method="POST",
        path=URL,
        request_hash=request_fingerprint("POST", URL, "application/json", body),
        created_at=timezone.now() - dt.timedelta(minutes=5),
    )
    assert (
        root_api.generic("POST", URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1").status_code
        == 409
    )
    retry = root_api.generic("POST", URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert retry.status_code == 201


def test_keys_belong_to_one_user(root_api, api_for, case_officer):
    root_api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    other = api_for(case_officer).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert other.status_code == 201
    assert other.get("Idempotent-Replayed") is None
    assert Detainee.objects.count() == 2


def test_a_validation_error_is_replayed_too(root_api):
    bad = {"family_name": ""}
    first = root_api.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="k-bad")
    second = root_api.post(URL, bad, format="json", HTTP_IDEMPOTENCY_KEY="k-bad")
    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()


def test_forbidden_is_not_remembered(api_for, auditor):
    """A 403 says nothing about the body: once the role is granted, the same key works."""
    api = api_for(auditor)
    assert api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code == 403
    assert not IdempotencyKey.objects.filter(key="k-2").exists()


def test_every_post_endpoint_uses_the_same_mechanism(root_api):
    """Transitions are POSTs too: a retried transition does not fail with 409 'not allowed from proposed'."""
    proposal = ExchangeProposalFactory(outgoing=[DetaineeFactory()])
    url = f"/api/v1/exchanges/{proposal.pk}/transition/"
    first = root_api.post(url, {"to": "proposed"}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = root_api.post(url, {"to": "proposed"}, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == again.status_code == 200
    assert ExchangeProposal.objects.get(pk=proposal.pk).version == 2


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_malformed_key_is_400(root_api, key):
    response = root_api.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert Detainee.objects.count() == 0


def test_without_credentials_the_key_is_not_used(db, api_for):
    assert api_for(None).post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-3").status_code == 401
    assert not IdempotencyKey.objects.exists()


# serialized_rollback: the flush after this test must not re-run post_migrate (it would recreate the role groups
# with new ids, and the next test that restores serialized data would collide with them).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_create_one_detainee(monkeypatch):
    """Two clients race with the same key: one creates, the other is told 409 (nothing duplicated)."""
    user = UserFactory(username="racer", is_superuser=True)
    token = Token.objects.create(user=user)
    original = services.detainee_create

    def slow_create(**kwargs):
        time.sleep(0.5)  # hold the key while the second request arrives
        return original(**kwargs)

    monkeypatch.setattr(services, "detainee_create", slow_create)
    results: list[int] = []

    def post() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        try:
            results.append(client.post(URL, BODY, format="json", HTTP_IDEMPOTENCY_KEY="race").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 409]
    assert Detainee.objects.count() == 1
