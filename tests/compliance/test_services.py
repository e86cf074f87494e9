"""Compliance services: runs, incremental evaluation, legal review and waivers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from compliance import services
from compliance.choices import FindingState, ReviewAction, RunKind, RunStatus
from compliance.engine import evaluate_chunk
from compliance.models import ComplianceRun, Finding, FindingReview, Waiver
from powcases.choices import DetaineeStatus
from tests.factories import (
    CaptureFactory,
    DetaineeFactory,
    FindingFactory,
    InterrogationFactory,
    LanguageSkillFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run Celery tasks in process, as the embedded default does, even when the test run has a broker configured
    (the root conftest's CELERY_TASK_ALWAYS_EAGER default comes after pytest-django has loaded the settings)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def questioned_in_a_language_he_does_not_understand(**detainee_fields):
    detainee = DetaineeFactory(**detainee_fields)
    LanguageSkillFactory(detainee=detainee, language="kor")
    InterrogationFactory(detainee=detainee, language="ukr")
    return detainee


# --- Runs ---------------------------------------------------------------------------------------------------


def test_full_run_evaluates_every_detainee_in_chunks_and_records_its_counts(django_capture_on_commit_callbacks):
    detainees = [questioned_in_a_language_he_does_not_understand() for _ in range(5)]

    with django_capture_on_commit_callbacks(execute=True):
        run = services.compliance_run_start(actor=None, rule_ids=["GC3-17-LANG"], chunk_size=2)

    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert (run.total, run.processed, run.chunks_total, run.chunks_done) == (5, 5, 3, 3)
    assert run.findings_opened == 5
    assert run.finished_at is not None and run.duration_seconds >= 0
    assert run.progress_percent == 100
    assert [(c.first_id, c.last_id, c.size) for c in run.chunks.all()] == [
        (detainees[0].pk, detainees[1].pk, 2),
        (detainees[2].pk, detainees[3].pk, 2),
        (detainees[4].pk,) * 2 + (1,),
    ]
    assert all(chunk.queries > 0 for chunk in run.chunks.all())


def test_run_with_an_unknown_rule_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as excinfo:
        services.compliance_run_start(actor=None, rule_ids=["GC3-999-NOPE"])

    assert "rule_ids" in excinfo.value.message_dict
    assert not ComplianceRun.objects.exists()


def test_run_over_no_detainees_succeeds_at_once():
    run = services.compliance_run_start(actor=None)

    assert (run.status, run.total, run.chunks_total) == (RunStatus.SUCCEEDED, 0, 0)


def test_periodic_run_covers_time_based_rules_for_held_detainees_only(django_capture_on_commit_callbacks):
    held = DetaineeFactory()
    CaptureFactory(detainee=held)  # 40 days ago, no capture card
    released = DetaineeFactory(status=DetaineeStatus.RELEASED)
    CaptureFactory(detainee=released)

    with django_capture_on_commit_callbacks(execute=True):
        run = services.compliance_periodic_sweep()

    run.refresh_from_db()
    assert run.kind == RunKind.PERIODIC
    assert "GC3-70-CAPTURECARD" in run.rule_ids and "GC3-17-LANG" not in run.rule_ids
    assert run.total == 1
    assert list(Finding.objects.filter(rule_id="GC3-70-CAPTURECARD").values_list("detainee_id", flat=True)) == [held.pk]
    assert not Finding.objects.filter(detainee=released).exists()
    assert set(Finding.objects.values_list("rule_id", flat=True)) <= set(run.rule_ids)


def test_incremental_evaluation_opens_and_counts():
    detainee = questioned_in_a_language_he_does_not_understand()

    outcome = services.evaluate_detainees([detainee.pk, detainee.pk], rule_ids=["GC3-17-LANG"])

    assert outcome.opened == 1
    assert Finding.objects.get().detainee == detainee


# --- Review -------------------------------------------------------------------------------------------------


def test_legal_reviewer_acknowledges_a_finding_and_the_action_is_kept(legal_reviewer):
    finding = FindingFactory()

    services.finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.ACKNOWLEDGE, comment="Seen.")

    finding.refresh_from_db()
    assert finding.state == FindingState.ACKNOWLEDGED
    review = finding.reviews.get()
    assert (review.action, review.from_state, review.to_state, review.actor, review.comment) == (
        ReviewAction.ACKNOWLEDGE,
        FindingState.OPEN,
        FindingState.ACKNOWLEDGED,
        legal_reviewer,
        "Seen.",
    )
    assert finding.history.first().history_user == legal_reviewer


@pytest.mark.parametrize("persona", ["case_officer", "auditor", "outsider"], indirect=True)
def test_only_legal_reviewers_may_review(persona):
    finding = FindingFactory()

    with pytest.raises(PermissionDenied):
        services.finding_review(actor=persona, finding=finding, action=ReviewAction.ACKNOWLEDGE)

    assert FindingReview.objects.count() == 0


def test_a_transition_the_table_does_not_allow_is_refused_naming_the_action(legal_reviewer):
    finding = FindingFactory(state=FindingState.RESOLVED)

    with pytest.raises(ValidationError) as excinfo:
        services.finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.ACKNOWLEDGE)

    assert "cannot be given the action 'acknowledge'" in excinfo.value.message_dict["action"][0]


def test_an_unknown_action_is_refused_naming_the_action(legal_reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.finding_review(actor=legal_reviewer, finding=FindingFactory(), action="burn")

    assert "Unknown review action 'burn'" in excinfo.value.message_dict["action"][0]


def test_dispute_needs_a_comment(legal_reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.finding_review(actor=legal_reviewer, finding=FindingFactory(), action=ReviewAction.DISPUTE)

    assert "comment" in excinfo.value.message_dict


def test_resolve_then_reopen_by_a_reviewer(legal_reviewer):
    finding = FindingFactory()

    services.finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.RESOLVE, comment="Re-done.")
    finding.refresh_from_db()
    assert (finding.state, finding.auto_resolved) == (FindingState.RESOLVED, False)
    assert finding.resolved_at is not None

    services.finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.REOPEN, comment="Not so.")
    finding.refresh_from_db()
    assert (finding.state, finding.resolved_at) == (FindingState.OPEN, None)


# --- Waivers ------------------------------------------------------------------------------------------------


def test_waiver_records_who_why_and_until_when(legal_reviewer):
    finding = FindingFactory()
    expires = timezone.now() + dt.timedelta(days=30)

    waiver = services.finding_waive(
        actor=legal_reviewer, finding=finding, justification="ICRC informed; session repeated.", expires_at=expires
    )

    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED
    assert (waiver.granted_by, waiver.expires_at, waiver.justification) == (
        legal_reviewer,
        expires,
        "ICRC informed; session repeated.",
    )
    assert finding.reviews.get().action == ReviewAction.WAIVE


@pytest.mark.parametrize(
    ("justification", "expires_in", "field"),
    [("", dt.timedelta(days=1), "justification"), ("Because.", -dt.timedelta(minutes=1), "expires_at")],
)
def test_waiver_needs_a_justification_and_a_future_expiry(legal_reviewer, justification, expires_in, field):
    finding = FindingFactory()

    with pytest.raises(ValidationError) as excinfo:
        services.finding_waive(
            actor=legal_reviewer, finding=finding, justification=justification, expires_at=timezone.now() + expires_in
        )

    assert field in excinfo.value.message_dict
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert not Waiver.objects.exists()


def test_waiver_through_the_review_action_is_refused(legal_reviewer):
    with pytest.raises(ValidationError) as excinfo:
        services.finding_review(actor=legal_reviewer, finding=FindingFactory(), action=ReviewAction.WAIVE)

    assert "justification" in excinfo.value.message_dict["action"][0]


def test_expired_waiver_reopens_the_finding(legal_reviewer):
    finding = FindingFactory()
    waiver = services.finding_waive(
        actor=legal_reviewer,
        finding=finding,
        justification="Pending repeat session.",
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )

    assert services.waivers_expire(now=timezone.now()) == 0
    reopened = services.waivers_expire(now=timezone.now() + dt.timedelta(hours=2))

    assert reopened == 1
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert finding.reviews.last().action == ReviewAction.WAIVER_EXPIRED
    waiver.refresh_from_db()
    assert waiver.expired_processed_at is not None and waiver.revoked_at is None
    assert services.waivers_expire(now=timezone.now() + dt.timedelta(hours=3)) == 0  # processed once


def test_waived_finding_whose_waiver_expired_stays_open_on_re_evaluation(legal_reviewer):
    detainee = questioned_in_a_language_he_does_not_understand()
    evaluate_chunk([detainee.pk], rule_ids=["GC3-17-LANG"])
    finding = Finding.objects.get()
    services.finding_waive(
        actor=legal_reviewer, finding=finding, justification="x", expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    evaluate_chunk([detainee.pk], rule_ids=["GC3-17-LANG"])
    finding.refresh_from_db()
    assert finding.state == FindingState.WAIVED

    services.waivers_expire(now=timezone.now() + dt.timedelta(hours=2))
    evaluate_chunk([detainee.pk], rule_ids=["GC3-17-LANG"])

    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


def test_reopening_a_waived_finding_ends_its_waiver_early(legal_reviewer):
    finding = FindingFactory()
    waiver = services.finding_waive(
        actor=legal_reviewer, finding=finding, justification="x", expires_at=timezone.now() + dt.timedelta(days=9)
    )

    services.finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.REOPEN, comment="Too early.")

    waiver.refresh_from_db()
    assert waiver.revoked_at is not None
