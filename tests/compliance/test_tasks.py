"""Celery tasks: thin, idempotent, state in the database; the beat schedule; the run_compliance command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from compliance import services, tasks
from compliance.choices import FindingState, RunKind, RunStatus
from compliance.models import ComplianceRun, ComplianceRunChunk, Finding
from tests.factories import DetaineeFactory, FindingFactory, InterrogationFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run Celery tasks in process, as the embedded default does (the test run may have a broker configured)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def questioned_in_a_language_he_does_not_understand():
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="kor")
    InterrogationFactory(detainee=detainee, language="ukr")
    return detainee


def test_evaluate_detainees_task_opens_findings_and_is_idempotent():
    detainee = questioned_in_a_language_he_does_not_understand()

    tasks.evaluate_detainees.delay([detainee.pk])
    tasks.evaluate_detainees.delay([detainee.pk])

    assert Finding.objects.filter(rule_id="GC3-17-LANG", detainee=detainee).count() == 1


def test_run_chunk_returns_early_when_the_chunk_is_done():
    questioned_in_a_language_he_does_not_understand()
    run = services.compliance_run_start(actor=None, rule_ids=["GC3-17-LANG"], enqueue=False)
    chunk = run.chunks.get()

    tasks.run_chunk.delay(chunk.pk)
    chunk.refresh_from_db()
    done_at = chunk.done_at
    tasks.run_chunk.delay(chunk.pk)  # a redelivered message

    chunk.refresh_from_db()
    run.refresh_from_db()
    assert chunk.done_at == done_at
    assert (run.status, run.chunks_done, run.processed, run.findings_opened) == (RunStatus.SUCCEEDED, 1, 1, 1)


def test_a_failing_chunk_marks_the_run_failed_with_the_error(monkeypatch):
    questioned_in_a_language_he_does_not_understand()
    run = services.compliance_run_start(actor=None, enqueue=False)

    def broken(*args, **kwargs):
        raise RuntimeError("rule crashed")

    monkeypatch.setattr(services, "evaluate_chunk", broken)
    with pytest.raises(RuntimeError):
        tasks.run_chunk.delay(run.chunks.get().pk)

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "rule crashed" in run.error
    assert ComplianceRunChunk.objects.get().done_at is None  # can be re-run


def test_periodic_sweep_reopens_expired_waivers_and_runs_time_based_rules(legal_reviewer):
    finding = FindingFactory()
    waiver = services.finding_waive(
        actor=legal_reviewer, finding=finding, justification="x", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    type(waiver).objects.filter(pk=waiver.pk).update(
        granted_at=timezone.now() - dt.timedelta(days=2), expires_at=timezone.now() - dt.timedelta(days=1)
    )

    tasks.periodic_sweep.delay()

    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert ComplianceRun.objects.get().kind == RunKind.PERIODIC


def test_periodic_sweep_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["compliance-periodic-sweep"]

    assert entry["task"] == "compliance.tasks.periodic_sweep"
    assert entry["schedule"] <= 3600


def test_run_compliance_command_shows_progress_and_a_summary():
    for _ in range(3):
        questioned_in_a_language_he_does_not_understand()
    out = StringIO()

    call_command("run_compliance", "--rule", "GC3-17-LANG", "--chunk-size", "2", stdout=out)

    text = out.getvalue()
    run = ComplianceRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert f"Run #{run.pk}: 3 detainees in 2 chunks (GC3-17-LANG)." in text
    assert "2/3  66%" in text and "3/3 100%" in text
    assert "3 findings opened, 0 resolved, 3 detainees in" in text


def test_run_compliance_command_names_a_bad_rule():
    with pytest.raises(CommandError, match="--rule: No compliance rule with id 'NOPE'"):
        call_command("run_compliance", "--rule", "NOPE", stdout=StringIO())


def test_run_compliance_command_refuses_a_chunk_size_below_one():
    with pytest.raises(CommandError, match="--chunk-size"):
        call_command("run_compliance", "--chunk-size", "0", stdout=StringIO())
