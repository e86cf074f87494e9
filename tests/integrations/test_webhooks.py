"""Webhooks: outbox rows written with the change, signed deliveries, retries with backoff, replay, admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket

import pytest
from django.db import transaction
from django.utils import timezone

from compliance.signals import findings_opened
from integrations import outbox
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from integrations.tasks import deliveries_replay, delivery_send
from powcases import services
from powcases.models import ExchangeProposal
from tests.factories import DetaineeFactory, FindingFactory

ALL_EVENTS = ["exchange.created", "exchange.status_changed", "exchange.members_changed", "finding.critical_opened"]


@pytest.fixture
def subscription(db, receiver):
    return WebhookSubscription.objects.create(name="Coordination centre", url=receiver.url, events=ALL_EVENTS)


def _create_exchange(actor=None, reference="EX-1", outgoing=None):
    return services.exchange_save(
        actor=actor, proposal=ExchangeProposal(reference=reference, counterparty="RU"), outgoing=outgoing
    )


def test_delivery_is_signed_with_hmac_sha256_of_the_body(subscription, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _create_exchange()
    [request] = receiver.requests
    expected = hmac.new(subscription.secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Signature"] == f"sha256={expected}"
    assert request.headers["X-Event"] == "exchange.created"
    delivery = WebhookDelivery.objects.get()
    assert request.headers["X-Delivery-Id"] == str(delivery.pk)
    body = json.loads(request.body)
    assert body["event"] == "exchange.created"
    assert body["data"]["reference"] == proposal.reference
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts.get().status_code == 200


def test_outbox_row_rolls_back_with_the_change(subscription):
    with pytest.raises(RuntimeError), transaction.atomic():
        _create_exchange()
        assert WebhookDelivery.objects.count() == 1  # written in the same transaction
        raise RuntimeError("the change fails after the exchange was saved")
    assert not WebhookDelivery.objects.exists()
    assert not ExchangeProposal.objects.exists()


def test_status_and_member_changes_are_announced(subscription, receiver, django_capture_on_commit_callbacks):
    detainee = DetaineeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _create_exchange(outgoing=[detainee])
        services.exchange_save(actor=None, proposal=proposal, outgoing=[])
        services.exchange_save(actor=None, proposal=proposal, outgoing=[detainee])
        services.exchange_transition(actor=None, proposal=proposal, to="proposed")
    # (an exchange can also open critical findings, e.g. on its outgoing detainees: not what this test is about)
    events = [r.headers["X-Event"] for r in receiver.requests if r.headers["X-Event"].startswith("exchange.")]
    assert events == [
        "exchange.created",
        "exchange.members_changed",
        "exchange.members_changed",
        "exchange.status_changed",
    ]
    last = next(json.loads(r.body)["data"] for r in reversed(receiver.requests) if r.headers["X-Event"] == events[-1])
    assert (last["from_status"], last["to_status"], last["outgoing"]) == ("draft", "proposed", [detainee.pk])


def test_subscriptions_get_only_their_events(db, receiver, django_capture_on_commit_callbacks):
    WebhookSubscription.objects.create(name="status only", url=receiver.url, events=["exchange.status_changed"])
    WebhookSubscription.objects.create(name="inactive", url=receiver.url, events=ALL_EVENTS, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _create_exchange()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_only_critical_findings_are_announced(subscription, receiver, django_capture_on_commit_callbacks):
    critical = FindingFactory(severity="critical", rule_id="GC3-13-CURIOSITY")
    high = FindingFactory(severity="high")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        findings_opened.send(sender=None, finding_ids=[critical.pk, high.pk], run=None)
    [request] = receiver.requests
    assert request.headers["X-Event"] == "finding.critical_opened"
    assert json.loads(request.body)["data"]["id"] == critical.pk


def test_failed_attempt_is_recorded_and_retried_with_backoff(
    subscription, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver.statuses = [503]
    with django_capture_on_commit_callbacks(execute=True):
        _create_exchange()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempt_count == 1
    assert 25 <= (delivery.next_attempt_at - timezone.now()).total_seconds() <= 31
    attempt = delivery.attempts.get()
    assert (attempt.status_code, attempt.error) == (503, "HTTP 503")

    assert deliveries_replay() == 0  # not due yet: nothing is sent early
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliveries_replay() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert [a.status_code for a in delivery.attempts.all()] == [503, 200]
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body  # same bytes, same signature


def test_backoff_is_exponential_and_capped(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(30) == dt.timedelta(hours=6)


def test_receiver_down_then_gives_up_after_max_attempts(db, settings, django_capture_on_commit_callbacks):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    WebhookSubscription.objects.create(name="down", url=f"http://127.0.0.1:{port}/", events=ALL_EVENTS)
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        _create_exchange()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts.get().status_code is None
    assert "Connection" in delivery.attempts.get().error or "refused" in delivery.attempts.get().error
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == (DeliveryStatus.FAILED, 2)


def test_outbox_is_replayed_when_the_broker_was_down(
    subscription, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(delivery_send, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _create_exchange()  # the change commits even though nothing could be queued
    assert ExchangeProposal.objects.filter(pk=proposal.pk).exists()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempt_count, receiver.requests) == (DeliveryStatus.PENDING, 0, [])
    monkeypatch.undo()
    assert deliveries_replay() == 1  # the beat task, once Redis is back
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1


def test_sending_twice_delivers_once(subscription, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _create_exchange()
    delivery = WebhookDelivery.objects.get()
    delivery_send(delivery.pk)  # e.g. a redelivered Celery message
    assert len(receiver.requests) == 1


def test_admin_shows_attempts_and_redelivers(
    subscription, receiver, client_for, superuser, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    with django_capture_on_commit_callbacks(execute=True):
        _create_exchange()
    delivery = WebhookDelivery.objects.get()
    admin = client_for(superuser)
    page = admin.get(f"/admin/integrations/webhookdelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert b"try again" in page.content  # the receiver's answer to attempt 1
    assert admin.get("/admin/integrations/webhookdelivery/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/integrations/webhookdelivery/",
            {"action": "redeliver", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.attempts.count() == 2


def test_webhook_subscription_api(db, api_client_for_root, receiver):
    api = api_client_for_root
    created = api.post(
        "/api/v1/webhooks/", {"name": "tracker", "url": receiver.url, "events": ["exchange.created"]}, format="json"
    )
    assert created.status_code == 201, created.content
    assert len(created.json()["secret"]) >= 32  # shown once, on creation
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert listed[0]["secret"] is None
    bad = api.post(
        "/api/v1/webhooks/", {"name": "x", "url": receiver.url, "events": ["exchange.deleted"]}, format="json"
    )
    assert bad.status_code == 400
    assert "events" in bad.json()


def test_webhook_subscriptions_need_the_integrations_permissions(db, case_officer):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=case_officer).key}")
    assert client.get("/api/v1/webhooks/").status_code == 403


@pytest.fixture
def api_client_for_root(superuser):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=superuser).key}")
    return client
