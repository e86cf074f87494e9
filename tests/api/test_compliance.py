"""/api/v1/findings/, /api/v1/rules/ and /api/v1/compliance-runs/."""

from __future__ import annotations

import pytest

from compliance.models import ComplianceRun, Finding
from compliance.registry import registry
from tests.factories import DetaineeFactory, FindingFactory, LanguageSkillFactory, days_ago

from .base import ReadContract

PERSONAS = ["case_officer", "medical_officer", "legal_reviewer", "exchange_coordinator", "auditor", "outsider"]


class TestFindingEndpoint(ReadContract):
    url = "/api/v1/findings/"
    readers = {"case_officer", "medical_officer", "legal_reviewer", "exchange_coordinator", "auditor"}

    def make(self) -> Finding:
        return FindingFactory()


class TestComplianceRunEndpoint(ReadContract):
    url = "/api/v1/compliance-runs/"
    readers = {"case_officer", "legal_reviewer", "auditor"}

    def make(self) -> ComplianceRun:
        return ComplianceRun.objects.create(kind="full", status="succeeded", total=3, processed=3)

    def test_updated_since_returns_only_recent_changes(self, root_api):
        import datetime as dt

        from django.utils import timezone

        old = self.make()
        ComplianceRun.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
        recent = self.make()
        since = (timezone.now() - dt.timedelta(days=1)).isoformat()
        ids = [row["id"] for row in root_api.get(self.url, {"updated_since": since}).json()["results"]]
        assert ids == [recent.pk]


def test_finding_fields_are_the_contract(root_api):
    finding = FindingFactory()
    data = root_api.get(f"/api/v1/findings/{finding.pk}/").json()
    assert {
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
    } <= set(data)
    assert data["rule"] == "GC3-17-LANG"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rule": "GC3-17-LANG"}, {"lang"}),
        ({"severity": "critical"}, {"critical"}),
        ({"state": "resolved"}, {"resolved"}),
        ({"outcome": "warning"}, {"warning"}),
    ],
)
def test_findings_filter(root_api, params, expected):
    made = {
        "lang": FindingFactory(rule_id="GC3-17-LANG"),
        "critical": FindingFactory(rule_id="GC3-13-CURIOSITY", severity="critical"),
        "resolved": FindingFactory(rule_id="GC3-70-CAPTURECARD", state="resolved"),
        "warning": FindingFactory(rule_id="GC3-122-BUREAU", outcome="warning"),
    }
    ids = {row["id"] for row in root_api.get("/api/v1/findings/", params).json()["results"]}
    assert ids == {made[name].pk for name in expected}


def test_findings_filter_by_detainee_and_bad_values(root_api):
    finding = FindingFactory()
    FindingFactory()
    ids = [row["id"] for row in root_api.get("/api/v1/findings/", {"detainee": finding.detainee_id}).json()["results"]]
    assert ids == [finding.pk]
    assert root_api.get("/api/v1/findings/", {"severity": "apocalyptic"}).status_code == 400
    assert root_api.get("/api/v1/findings/", {"detainee": "1e999"}).status_code == 400


def test_findings_are_read_only(root_api):
    finding = FindingFactory()
    assert root_api.patch(f"/api/v1/findings/{finding.pk}/", {"state": "resolved"}).status_code == 405
    assert root_api.post("/api/v1/findings/", {}).status_code == 405


def test_interrogation_in_a_language_he_does_not_understand_shows_a_finding(
    root_api, django_capture_on_commit_callbacks
):
    """The README story: a Korean speaker questioned in Ukrainian without a bridging interpreter."""
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="kor")
    with django_capture_on_commit_callbacks(execute=True):  # re-evaluation runs once the write commits
        response = root_api.post(
            "/api/v1/interrogations/",
            {"detainee": detainee.pk, "started_at": days_ago(2).isoformat(), "language": "uk", "mode": "oral"},
            format="json",
        )
    assert response.status_code == 201
    findings = root_api.get("/api/v1/findings/", {"detainee": detainee.pk, "rule": "GC3-17-LANG"}).json()
    assert findings["count"] == 1
    assert findings["results"][0]["article"].startswith("GCIII Art. 17")


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_rules_for_every_authenticated_user(persona, api_for):
    assert api_for(persona).get("/api/v1/rules/").status_code == 200


def test_rules_list_and_detail(root_api, api_for):
    assert api_for(None).get("/api/v1/rules/").status_code == 401
    data = root_api.get("/api/v1/rules/", {"page_size": 500}).json()
    assert data["count"] == len(registry.all())
    rule = root_api.get("/api/v1/rules/GC3-17-LANG/").json()
    assert {"id", "version", "title", "article", "severity", "description"} <= set(rule)
    assert rule["article"].startswith("GCIII Art. 17")
    assert root_api.get("/api/v1/rules/NO-SUCH-RULE/").status_code == 404


def test_post_compliance_run_answers_202_with_its_id(api_for, legal_reviewer):
    DetaineeFactory.create_batch(2)
    api = api_for(legal_reviewer)
    response = api.post("/api/v1/compliance-runs/")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    shown = api.get(f"/api/v1/compliance-runs/{run_id}/").json()
    assert {"status", "processed", "total", "findings_opened", "findings_resolved"} <= set(shown)
    assert shown["total"] == 2


@pytest.mark.parametrize("persona", ["case_officer", "auditor", "exchange_coordinator"], indirect=True)
def test_only_legal_reviewers_start_runs(persona, api_for):
    assert api_for(persona).post("/api/v1/compliance-runs/").status_code == 403
