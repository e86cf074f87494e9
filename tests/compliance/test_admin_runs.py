"""Compliance runs, stored reports and their downloads in the admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from compliance.choices import RunKind, RunStatus
from compliance.models import ComplianceRun, ComplianceRunChunk, Finding, Report, ReportDownload
from tests.factories import DetaineeFactory, MediaItemFactory, days_ago

pytestmark = pytest.mark.django_db

RUNS = reverse("admin:compliance_compliancerun_changelist")
RUN_FULL_SWEEP = reverse("admin:compliance_compliancerun_run_full_sweep")


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def published_photo_of(detainee) -> None:
    MediaItemFactory(
        depicted=[detainee],
        published_at=days_ago(3),
        published_by="President's office",
        channel="X (Twitter)",
        publisher_is_state_official=True,
        identifiable=True,
    )


@pytest.fixture
def eager_tasks():
    """Run Celery tasks inline, as the embedded default does (the test settings may name a broker)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def commits_at_once(monkeypatch):
    """on_commit callbacks run at once, as they do in production when the sweep's transaction commits inside
    the request (the test's own transaction would otherwise hold them until the test ends)."""
    monkeypatch.setattr("django.db.transaction.on_commit", lambda func, using=None, robust=False: func())


def test_run_full_sweep_button_runs_the_sweep_and_reports_its_counts(
    legal_reviewer, client_for, eager_tasks, commits_at_once
):
    published_photo_of(DetaineeFactory())
    DetaineeFactory()
    client = client_for(legal_reviewer)

    assert "Run full sweep" in client.get(RUNS).content.decode()
    response = client.post(RUN_FULL_SWEEP, follow=True)

    run = ComplianceRun.objects.get()
    assert (run.kind, run.status, run.requested_by) == (RunKind.FULL, RunStatus.SUCCEEDED, legal_reviewer)
    assert run.total == run.processed == 2
    assert Finding.objects.filter(rule_id="GC3-13-CURIOSITY").count() == 1
    [message] = texts(response)
    assert message.startswith(f"Full sweep #{run.pk} finished: 2 detainees, {run.findings_opened} findings opened, 0")
    page = response.content.decode()
    assert 'class="cprogress"' in page and "2 / 2 · 100%" in page
    assert 'http-equiv="refresh"' not in page  # nothing left to wait for


def test_with_a_worker_the_button_says_the_sweep_started_and_the_list_refreshes(legal_reviewer, client_for):
    """Here the chunks wait for the commit (held by the test's transaction), as they wait for a worker."""
    DetaineeFactory.create_batch(3)

    response = client_for(legal_reviewer).post(RUN_FULL_SWEEP, follow=True)

    run = ComplianceRun.objects.get()
    assert run.status == RunStatus.RUNNING
    assert texts(response) == [f"Full sweep #{run.pk} started on 3 detainees; its progress shows below."]
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "0 / 3 · 0%" in page


def test_the_sweep_button_needs_post_and_the_permission(case_officer, auditor, client_for):
    DetaineeFactory()

    assert client_for(case_officer).get(RUNS).status_code == 200
    assert "Run full sweep" not in client_for(case_officer).get(RUNS).content.decode()
    assert client_for(case_officer).post(RUN_FULL_SWEEP).status_code == 403
    assert client_for(auditor).post(RUN_FULL_SWEEP).status_code == 403
    assert not ComplianceRun.objects.exists()


def test_the_sweep_button_refuses_get(legal_reviewer, client_for):
    assert client_for(legal_reviewer).get(RUN_FULL_SWEEP).status_code == 405
    assert not ComplianceRun.objects.exists()


def test_outsider_sees_no_runs(outsider, client_for):
    assert client_for(outsider).get(RUNS).status_code == 403
    assert client_for(outsider).post(RUN_FULL_SWEEP).status_code == 403


def test_a_running_sweep_refreshes_the_page_and_shows_its_progress(legal_reviewer, client_for):
    run = ComplianceRun.objects.create(
        kind=RunKind.FULL, status=RunStatus.RUNNING, total=400, processed=100, started_at=timezone.now()
    )
    ComplianceRunChunk.objects.create(run=run, index=0, first_id=1, last_id=100, size=100, done_at=timezone.now())
    client = client_for(legal_reviewer)

    listing = client.get(RUNS).content.decode()
    detail = client.get(reverse("admin:compliance_compliancerun_change", args=[run.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="3">' in listing
    assert "100 / 400 · 25%" in listing
    assert 'style="width: 25%"' in listing
    assert '<meta http-equiv="refresh" content="3">' in detail
    assert 'id="chunks-group"' in detail  # the chunk rows, for anyone who may see the run
    assert re.search(r'<td class="field-last_id">\s*<p>100</p>', detail)


def test_runs_list_queries_do_not_grow_with_runs(legal_reviewer, client_for, django_assert_num_queries):
    client = client_for(legal_reviewer)
    client.get(RUNS)
    for count in (3, 15):
        ComplianceRun.objects.all().delete()
        for _ in range(count):
            ComplianceRun.objects.create(kind=RunKind.FULL, status=RunStatus.SUCCEEDED, requested_by=legal_reviewer)
        # 1-2 session and user, 3-4 group and user permissions, 5 'is a run in progress', 6-7 counts (filtered,
        # all), 8 the page of runs joined with who requested them.
        with django_assert_num_queries(8):
            client.get(RUNS)


def test_runs_are_not_edited_or_deleted_by_hand(superuser, client_for):
    run = ComplianceRun.objects.create(kind=RunKind.FULL, status=RunStatus.SUCCEEDED)
    client = client_for(superuser)

    assert client.get(reverse("admin:compliance_compliancerun_add")).status_code == 403
    assert (
        client.post(reverse("admin:compliance_compliancerun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    )


def test_report_list_links_to_the_permission_checked_download(legal_reviewer, auditor, client_for):
    report = Report.objects.create(
        scope="rule",
        format="csv",
        parameters={"scope": "rule", "rule_id": "GC3-17-LANG", "medical_included": False},
        title="GC3-17-LANG findings",
        status=RunStatus.SUCCEEDED,
        requested_by=legal_reviewer,
    )
    report.file.save("gc3-17-lang.csv", ContentFile(b"rule_id\nGC3-17-LANG\n"))
    pending = Report.objects.create(scope="period", format="pdf", title="Last month", status=RunStatus.PENDING)
    client = client_for(auditor)

    page = client.get(reverse("admin:compliance_report_changelist")).content.decode()
    download = reverse("compliance:report-download", kwargs={"pk": report.pk})
    assert f'<a href="{download}">Download CSV</a>' in page
    assert reverse("compliance:report-status", kwargs={"pk": pending.pk}) in page
    assert "/media/" not in page  # the file itself is never linked directly

    assert client.get(download).status_code == 200
    downloads = client.get(reverse("admin:compliance_reportdownload_changelist")).content.decode()
    assert ReportDownload.objects.filter(report=report, user=auditor).exists()
    assert "GC3-17-LANG findings" in downloads


def test_case_officer_sees_reports_but_not_who_downloaded_them(case_officer, client_for):
    client = client_for(case_officer)

    assert client.get(reverse("admin:compliance_report_changelist")).status_code == 200
    assert client.get(reverse("admin:compliance_reportdownload_changelist")).status_code == 403


def test_report_list_points_to_where_reports_are_built(legal_reviewer, client_for):
    page = client_for(legal_reviewer).get(reverse("admin:compliance_report_changelist")).content.decode()

    assert f'href="{reverse("compliance:report-index")}"' in page
