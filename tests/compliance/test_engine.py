"""The engine: findings opened, refreshed, resolved and reopened; set-based query counts; idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance.choices import FindingState, Outcome, ReviewAction
from compliance.engine import evaluate_chunk, fingerprint
from compliance.models import Finding, FindingReview
from compliance.registry import registry
from compliance.signals import findings_opened, findings_resolved
from powcases import services as case_services
from powcases.choices import Affiliation
from powcases.models import Capture, Interrogation, MediaItem
from tests.factories import (
    CaptureCardFactory,
    CaptureFactory,
    DetaineeFactory,
    InterpreterFactory,
    InterrogationFactory,
    LanguageSkillFactory,
    MediaItemFactory,
    UserFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

LANG = "GC3-17-LANG"


def korean_questioned_in_ukrainian():
    """The founding case: he understands only Korean and was questioned in Ukrainian with no interpreter."""
    detainee = DetaineeFactory(nationality="KP", power_depends_on="KP")
    LanguageSkillFactory(detainee=detainee, language="kor")
    session = InterrogationFactory(detainee=detainee, language="ukr")
    return detainee, session


def test_fingerprint_is_stable_and_names_rule_detainee_and_subject():
    a = fingerprint(LANG, 7, ("powcases.interrogation", 12))

    assert a == fingerprint(LANG, 7, ("powcases.interrogation", 12))
    assert len(a) == 64
    assert a != fingerprint(LANG, 7, ("powcases.interrogation", 13))
    assert a != fingerprint(LANG, 8, ("powcases.interrogation", 12))
    assert a != fingerprint("GC3-13-CURIOSITY", 7, ("powcases.interrogation", 12))
    assert a != fingerprint(LANG, 7, ("powcases.interrogation", 12), "capture")


def test_first_evaluation_opens_a_finding_with_its_evidence():
    detainee, session = korean_questioned_in_ukrainian()

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert outcome.opened == 1
    finding = Finding.objects.get()
    assert (finding.rule_id, finding.rule_version, finding.article) == (
        LANG,
        registry.get(LANG).version,
        "GCIII Art. 17(6)",
    )
    assert finding.outcome == Outcome.VIOLATION
    assert finding.severity == "high"
    assert finding.state == FindingState.OPEN
    assert finding.subject == session
    assert finding.facility_id == detainee.current_facility_id
    assert finding.evidence["session_language"] == "ukr"
    assert finding.fingerprint == fingerprint(LANG, detainee.pk, ("powcases.interrogation", session.pk))
    assert finding.first_seen_at == finding.last_seen_at
    assert finding.history.count() == 1


def test_re_running_the_same_chunk_opens_nothing_and_only_refreshes_last_seen():
    detainee, _ = korean_questioned_in_ukrainian()
    first = timezone.now() - dt.timedelta(hours=1)
    evaluate_chunk([detainee.pk], rule_ids=[LANG], now=first)

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert (outcome.opened, outcome.resolved, outcome.refreshed) == (0, 0, 1)
    finding = Finding.objects.get()
    assert finding.first_seen_at == first
    assert finding.last_seen_at > first
    assert finding.history.count() == 1  # seeing it again is not a change worth a history row


def test_finding_is_resolved_automatically_when_the_condition_clears_and_never_deleted():
    detainee, session = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    session.interpreters.set([InterpreterFactory(languages=["ukr", "kor"])])

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert outcome.resolved == 1
    finding = Finding.objects.get()
    assert finding.state == FindingState.RESOLVED
    assert finding.auto_resolved is True
    assert finding.resolved_at is not None
    review = FindingReview.objects.get(finding=finding)
    assert (review.action, review.from_state, review.to_state, review.actor) == (
        ReviewAction.AUTO_RESOLVE,
        FindingState.OPEN,
        FindingState.RESOLVED,
        None,
    )


def test_auto_resolved_finding_is_reopened_when_the_condition_returns():
    detainee, session = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    session.interpreters.set([InterpreterFactory(languages=["ukr", "kor"])])
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    session.interpreters.clear()

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert outcome.opened == 1
    finding = Finding.objects.get()  # the same finding, not a second one
    assert finding.state == FindingState.OPEN
    assert (finding.resolved_at, finding.auto_resolved) == (None, False)
    assert list(finding.reviews.values_list("action", flat=True)) == [
        ReviewAction.AUTO_RESOLVE,
        ReviewAction.AUTO_REOPEN,
    ]


def test_new_outcome_updates_the_same_finding_and_keeps_history():
    detainee, session = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    nis = InterpreterFactory(affiliation=Affiliation.THIRD_STATE, affiliation_state="KR", languages=["ukr", "kor"])
    session.interpreters.set([nis])

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert (outcome.opened, outcome.resolved, outcome.refreshed) == (0, 0, 1)
    finding = Finding.objects.get()
    assert finding.outcome == Outcome.WARNING
    assert finding.state == FindingState.OPEN
    assert list(finding.history.order_by("history_date").values_list("outcome", flat=True)) == ["violation", "warning"]


def test_waived_finding_stays_waived_while_the_condition_persists():
    detainee, _ = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    Finding.objects.update(state=FindingState.WAIVED)

    evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert Finding.objects.get().state == FindingState.WAIVED


def test_manually_resolved_finding_is_not_reopened_by_the_engine():
    detainee, _ = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])
    Finding.objects.update(state=FindingState.RESOLVED, resolved_at=timezone.now(), auto_resolved=False)

    outcome = evaluate_chunk([detainee.pk], rule_ids=[LANG])

    assert outcome.opened == 0
    assert Finding.objects.get().state == FindingState.RESOLVED


def test_only_the_evaluated_rules_findings_are_resolved():
    detainee, _ = korean_questioned_in_ukrainian()
    evaluate_chunk([detainee.pk], rule_ids=[LANG])

    evaluate_chunk([detainee.pk], rule_ids=["GC3-13-CURIOSITY"])

    assert Finding.objects.get().state == FindingState.OPEN


@override_settings(COMPLIANCE_SILENCED_RULES=[LANG])
def test_silenced_rule_opens_no_finding():
    detainee, _ = korean_questioned_in_ukrainian()

    evaluate_chunk([detainee.pk])

    assert not Finding.objects.filter(rule_id=LANG).exists()


def test_signals_carry_the_ids_of_opened_and_resolved_findings():
    detainee, session = korean_questioned_in_ukrainian()
    received: dict[str, list[int]] = {}

    def on_opened(sender, finding_ids, **kwargs):
        received["opened"] = finding_ids

    def on_resolved(sender, finding_ids, **kwargs):
        received["resolved"] = finding_ids

    findings_opened.connect(on_opened)
    findings_resolved.connect(on_resolved)
    try:
        evaluate_chunk([detainee.pk], rule_ids=[LANG])
        session.interpreters.set([InterpreterFactory(languages=["ukr", "kor"])])
        evaluate_chunk([detainee.pk], rule_ids=[LANG])
    finally:
        findings_opened.disconnect(on_opened)
        findings_resolved.disconnect(on_resolved)

    finding = Finding.objects.get()
    assert received == {"opened": [finding.pk], "resolved": [finding.pk]}


def _population(count: int) -> list[int]:
    """Detainees with a record for every rule: a language breach, a published photo, a capture without card."""
    interpreter = InterpreterFactory(languages=["ukr", "rus"])
    ids = []
    for _ in range(count):
        detainee, session = korean_questioned_in_ukrainian()
        session.interpreters.set([interpreter])
        CaptureFactory(detainee=detainee, captured_at=days_ago(30))
        CaptureCardFactory(detainee=detainee, offered_at=days_ago(29))
        MediaItemFactory(depicted=[detainee], published_at=days_ago(2), publisher_is_state_official=True)
        ids.append(detainee.pk)
    return ids


@pytest.fixture
def engine_only():
    """Disconnect the receivers of the engine's signals: these tests count the engine's own queries (receivers,
    e.g. the webhook outbox, must keep their own query counts constant and test them)."""
    saved = findings_opened.receivers, findings_resolved.receivers
    findings_opened.receivers, findings_resolved.receivers = [], []
    findings_opened.sender_receivers_cache.clear()
    findings_resolved.sender_receivers_cache.clear()
    yield
    findings_opened.receivers, findings_resolved.receivers = saved
    findings_opened.sender_receivers_cache.clear()
    findings_resolved.sender_receivers_cache.clear()


def test_evaluate_chunk_runs_the_same_number_of_queries_for_3_and_for_30_detainees(
    django_assert_num_queries, engine_only
):
    small, large = _population(3), _population(30)
    ContentType.objects.get_for_models(Interrogation, MediaItem, Capture)  # warm the cache as a worker's would be
    with CaptureQueriesContext(connection) as small_queries:
        evaluate_chunk(small)
    small_findings = Finding.objects.filter(detainee_id__in=small).count()
    assert small_findings >= 6  # at least the language, curiosity and capture-card findings of each

    # Every active rule (including those added later) must keep this: savepoint, statement timeout, the lock on
    # the detainees, one query per table the rules read, the existing findings, then the bulk writes.
    with django_assert_num_queries(len(small_queries)):
        evaluate_chunk(large)
    assert Finding.objects.filter(detainee_id__in=large).count() == 10 * small_findings


def test_re_evaluation_of_an_unchanged_chunk_is_a_constant_small_number_of_queries(
    django_assert_num_queries, engine_only
):
    ids = _population(5)
    evaluate_chunk(ids)
    with CaptureQueriesContext(connection) as queries:
        evaluate_chunk(ids[:2])
    more = ids + _population(10)
    evaluate_chunk(more)

    with django_assert_num_queries(len(queries)):
        evaluate_chunk(more)


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in process, as the embedded default does (the test run may have a broker configured)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def test_finding_is_visible_as_soon_as_a_write_through_the_case_services_returns(
    django_capture_on_commit_callbacks, eager_tasks
):
    officer = UserFactory()
    detainee = DetaineeFactory(nationality="KP")
    LanguageSkillFactory(detainee=detainee, language="kor")

    with django_capture_on_commit_callbacks(execute=True):
        session = case_services.interrogation_save(
            actor=officer, interrogation=Interrogation(detainee=detainee, started_at=days_ago(1), language="uk")
        )

    finding = Finding.objects.get(rule_id=LANG)
    assert finding.subject == session
    assert finding.outcome == Outcome.VIOLATION

    with django_capture_on_commit_callbacks(execute=True):
        case_services.interrogation_save(
            actor=officer, interrogation=session, interpreters=[InterpreterFactory(languages=["ukr", "kor"])]
        )

    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED


def test_large_batches_are_inserted_by_copy_with_the_same_rows_and_history(monkeypatch):
    """PostgreSQL (the suite's database) inserts big batches with COPY; the rows must match bulk_create's."""
    from compliance import engine

    bulk_ids, copy_ids = _population(2), _population(2)
    evaluate_chunk(bulk_ids)
    monkeypatch.setattr(engine, "COPY_MIN_ROWS", 1)

    outcome = evaluate_chunk(copy_ids)

    copied = Finding.objects.filter(detainee_id__in=copy_ids).order_by("rule_id", "detainee_id", "subject_id")
    bulk = Finding.objects.filter(detainee_id__in=bulk_ids).order_by("rule_id", "detainee_id", "subject_id")
    assert outcome.opened == len(copied) == len(bulk) >= 6
    assert [(f.rule_id, f.outcome) for f in bulk] == [(f.rule_id, f.outcome) for f in copied]
    fields = ("rule_id", "rule_version", "outcome", "severity", "state", "message", "evidence", "subject_id")
    for finding in copied:
        assert finding.updated_at == finding.first_seen_at == finding.last_seen_at
        [history] = finding.history.all()
        assert (history.history_type, history.history_change_reason) == ("+", "compliance engine: opened")
        assert [getattr(history, f) for f in fields] == [getattr(finding, f) for f in fields]
