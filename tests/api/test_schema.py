"""The OpenAPI schema, the offline Swagger UI, throttling and the shape of errors."""

from __future__ import annotations

import re

import pytest

from powcases.api.throttling import TokenRateThrottle

CONTRACT = {
    "Detainee": {
        "id",
        "case_number",
        "family_name",
        "given_names",
        "rank",
        "service_number",
        "date_of_birth",
        "nationality",
        "captured_at",
        "capture_place",
        "status",
        "repatriation_wish",
        "languages",
    },
    "Interpreter": {"id", "name", "languages", "affiliation", "vetted"},
    "Interrogation": {"id", "detainee", "started_at", "ended_at", "language", "mode", "interpreters"},
    "MedicalAssessment": {
        "id",
        "detainee",
        "assessed_at",
        "fit_for_questioning",
        "can_speak",
        "seriously_wounded",
        "weight_kg",
    },
    "MediaItem": {
        "id",
        "detainees",
        "file",
        "identifiable",
        "published_at",
        "published_by",
        "publisher_is_state_official",
        "channel",
    },
    "CaptureCard": {"id", "detainee", "offered_at", "sent_to_family_at", "sent_to_cta_at", "declined"},
    "RepatriationWish": {"id", "detainee", "wish", "recorded_at", "language", "interpreters"},
    "Exchange": {"id", "reference", "counterparty", "mediator", "status", "outgoing", "incoming", "history"},
    "Finding": {
        "id",
        "rule",
        "rule_version",
        "article",
        "outcome",
        "severity",
        "state",
        "detainee",
        "message",
        "evidence",
        "first_seen_at",
        "last_seen_at",
    },
    "Rule": {"id", "version", "title", "article", "severity", "description"},
    "ComplianceRun": {"id", "status", "processed", "total", "findings_opened", "findings_resolved"},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_with_every_contract_field(schema):
    assert schema["openapi"].startswith("3.")
    components = schema["components"]["schemas"]
    for name, fields in CONTRACT.items():
        assert fields <= set(components[name]["properties"]), name


def test_every_operation_documents_its_errors(schema):
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429"} <= codes, (method, path)
            if method in {"post", "put", "patch"}:
                assert {"409", "412"} <= codes, (method, path)
            if method == "post":
                assert "422" in codes
                assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
            if method in {"put", "patch"} or path.endswith("/transition/"):
                assert "If-Match" in [p["name"] for p in operation["parameters"]]


def test_every_list_filters_on_updated_since(schema):
    lists = [
        path
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/") and "{" not in path and "get" in item and not path.endswith("/rules/")
    ]
    assert len(lists) >= 10
    for path in lists:
        names = [p["name"] for p in schema["paths"][path]["get"]["parameters"]]
        assert "updated_since" in names, path


def test_swagger_ui_works_offline(client):
    html = client.get("/api/docs/").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "the page loads its scripts"
    assert all(url.startswith("/static/") for url in urls), urls
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_throttled_per_token_with_429(api_for, case_officer, auditor, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    officer = api_for(case_officer)
    statuses = [officer.get("/api/v1/detainees/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(officer.get("/api/v1/detainees/")["Retry-After"]) > 0
    assert api_for(auditor).get("/api/v1/detainees/").status_code == 200  # another token, its own budget


def test_forbidden_is_403_and_unauthenticated_is_401(api_for, outsider):
    assert api_for(outsider).get("/api/v1/detainees/").status_code == 403
    bad_token = api_for(None)
    bad_token.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad_token.get("/api/v1/detainees/").status_code == 401


def test_session_authentication_works_for_the_browsable_api(client_for, case_officer):
    response = client_for(case_officer).get("/api/v1/detainees/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
