"""Stored reports: built by the Celery task with a content hash, downloaded through a permission check, logged."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Finding, Report, ReportDownload
from compliance.reports.services import report_build
from compliance.reports.tasks import build_report


def _request_build(client, url: str, fmt: str, django_capture_on_commit_callbacks) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": fmt})
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("compliance:report-status", kwargs={"pk": report.pk})
    return report


def test_a_requested_report_is_built_by_the_task_and_stored_with_its_hash(
    client_for, legal_reviewer, facility, findings_for, django_capture_on_commit_callbacks
):
    findings_for(6)
    client = client_for(legal_reviewer)
    url = reverse("compliance:report-facility", kwargs={"pk": facility.pk})
    report = _request_build(client, url, "sarif", django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == "succeeded" and report.progress == 100
    assert report.finding_count == 6
    content = report.file.read()
    assert report.content_hash == hashlib.sha256(content).hexdigest()
    assert report.size_bytes == len(content)
    assert report.requested_by == legal_reviewer
    status = client.get(reverse("compliance:report-status", kwargs={"pk": report.pk})).content.decode()
    assert report.content_hash in status
    progress = client.get(reverse("compliance:report-progress", kwargs={"pk": report.pk})).json()
    assert progress["status"] == "succeeded" and progress["progress"] == 100


def test_every_download_is_logged_with_user_time_and_address(
    client_for, legal_reviewer, auditor, facility, findings_for, django_capture_on_commit_callbacks
):
    findings_for(3)
    report = _request_build(
        client_for(legal_reviewer),
        reverse("compliance:report-facility", kwargs={"pk": facility.pk}),
        "csv",
        django_capture_on_commit_callbacks,
    )
    # The legal reviewer's report includes medical details; give the auditor one without them.
    Report.objects.filter(pk=report.pk).update(parameters={**report.parameters, "medical_included": False})
    url = reverse("compliance:report-download", kwargs={"pk": report.pk})
    before = timezone.now()
    response = client_for(auditor).get(url, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == response["X-Content-SHA256"]
    client_for(legal_reviewer).get(url, REMOTE_ADDR="10.9.9.9")
    downloads = list(ReportDownload.objects.order_by("at"))
    assert [(d.user, d.ip_address) for d in downloads] == [(auditor, "10.1.2.3"), (legal_reviewer, "10.9.9.9")]
    assert downloads[0].at >= before


@pytest.mark.parametrize("persona", ["medical_officer", "exchange_coordinator", "outsider"], indirect=True)
def test_roles_without_report_access_cannot_download(persona, client_for, legal_reviewer, db):
    report = Report.objects.create(
        scope="rule",
        format="csv",
        parameters={"scope": "rule", "rule_id": "GC3-17-LANG", "medical_included": False},
        requested_by=legal_reviewer,
    )
    report_build(report_id=report.pk)
    response = client_for(persona).get(reverse("compliance:report-download", kwargs={"pk": report.pk}))
    assert response.status_code == 403
    assert not ReportDownload.objects.exists()


def test_a_stored_report_with_medical_details_is_refused_to_roles_without_them(
    client_for, legal_reviewer, case_officer, korean_soldier
):
    report = Report.objects.create(
        scope="detainee",
        format="html",
        parameters={"scope": "detainee", "detainee_id": korean_soldier.pk},
        requested_by=legal_reviewer,
    )
    report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.parameters["medical_included"] is True
    assert b"Shrapnel wound" in report.file.read()
    for name in ("report-download", "report-status"):
        response = client_for(case_officer).get(reverse(f"compliance:{name}", kwargs={"pk": report.pk}))
        assert response.status_code == 403
    assert not ReportDownload.objects.exists()


def test_building_twice_keeps_the_first_file(legal_reviewer, facility, findings_for):
    findings_for(2)
    report = Report.objects.create(
        scope="facility",
        format="csv",
        parameters={"scope": "facility", "facility_id": facility.pk},
        requested_by=legal_reviewer,
    )
    build_report.delay(report.pk)
    report.refresh_from_db()
    first = (report.file.name, report.content_hash)
    build_report.delay(report.pk)
    report.refresh_from_db()
    assert (report.file.name, report.content_hash) == first


def test_a_report_whose_scope_vanished_fails_with_a_message(legal_reviewer, db):
    report = Report.objects.create(
        scope="facility",
        format="pdf",
        parameters={"scope": "facility", "facility_id": 987654},
        requested_by=legal_reviewer,
    )
    with pytest.raises(ValueError):
        report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed"
    assert "facility_id" in report.error


def test_a_large_selection_is_offered_as_a_background_build(
    client_for, legal_reviewer, auditor, facility, findings_for, settings
):
    settings.COMPLIANCE_REPORT_DIRECT_LIMIT = 3
    findings_for(5)
    url = reverse("compliance:report-facility", kwargs={"pk": facility.pk})
    html = client_for(legal_reviewer).get(url + "?format=pdf").content.decode()
    assert "The selection holds 5 findings" in html and "Build in the background" in html
    # An auditor reads reports but does not build them.
    assert "Build in the background" not in client_for(auditor).get(url).content.decode()
    assert client_for(auditor).post(url, {"format": "pdf"}).status_code == 403


def test_a_thousand_finding_facility_report_builds_in_the_task(legal_reviewer, facility):
    """The issue's yardstick: a 1,000-finding facility report, as a PDF, built by the task.

    Its time is measured by bench/report_build.py."""
    from powcases.models import Detainee

    detainees = Detainee.objects.bulk_create(
        Detainee(case_number=f"T-{i:05d}", family_name=f"Family{i}", given_names="Given", current_facility=facility)
        for i in range(200)
    )
    now = timezone.now()
    Finding.objects.bulk_create(
        Finding(
            fingerprint=f"t{i:063d}",
            rule_id=("GC3-17-LANG", "GC3-70-CAPTURECARD")[i % 2],
            article="GCIII Art. 17(6)",
            detainee=detainees[i % 200],
            facility=facility,
            outcome="violation",
            severity="high",
            message="Questioned in a language he does not understand.",
            evidence={"session_language": "ukr"},
            first_seen_at=now - dt.timedelta(days=i % 90),
            last_seen_at=now,
        )
        for i in range(1000)
    )
    report = Report.objects.create(
        scope="facility",
        format="pdf",
        parameters={"scope": "facility", "facility_id": facility.pk},
        requested_by=legal_reviewer,
    )
    build_report.delay(report.pk)
    report.refresh_from_db()
    assert report.status == "succeeded", report.error
    assert report.finding_count == 1000
    info = subprocess.run(["pdfinfo", report.file.path], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages > 100
    assert report.content_hash == hashlib.sha256(report.file.read()).hexdigest()


def test_a_stored_html_report_carries_its_own_stylesheet(legal_reviewer, facility, findings_for):
    findings_for(2)
    report = Report.objects.create(
        scope="facility",
        format="html",
        parameters={"scope": "facility", "facility_id": facility.pk},
        requested_by=legal_reviewer,
    )
    report_build(report_id=report.pk)
    report.refresh_from_db()
    html = report.file.read().decode()
    assert "<style>" in html and "article.finding" in html
    assert "/static/compliance/report.css" not in html and "Build and store" not in html
