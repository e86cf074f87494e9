"""Writes of the compliance module: runs and their chunks, incremental re-evaluation, legal review, waivers.

Every function is keyword-only, typed and atomic; admin, API, commands and tasks call these and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from powcases.choices import HELD_STATUSES
from powcases.models import Detainee

from .choices import REVIEW_TRANSITIONS, FindingState, ReviewAction, RunKind, RunStatus
from .engine import ChunkOutcome, evaluate_chunk
from .models import ComplianceRun, ComplianceRunChunk, Finding, FindingReview, Waiver
from .registry import UnknownRule, registry

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "compliance.review_finding"


class QueryCounter:
    """Counts the queries run through a connection (`connection.execute_wrapper`), for the chunk's record."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


# --- Runs -------------------------------------------------------------------------------------------------


def _validate_rule_ids(rule_ids: Iterable[str] | None) -> list[str]:
    ids = [str(r).strip() for r in rule_ids or () if str(r).strip()]
    try:
        return [registry.get(rule_id).id for rule_id in dict.fromkeys(ids)]
    except UnknownRule as exc:
        raise ValidationError({"rule_ids": [str(exc)]}) from None


def run_detainee_ids(kind: str) -> Any:
    """The detainees a run covers: everyone for a full sweep, the held for the periodic sweep of time-based rules."""
    queryset = Detainee.objects.order_by("pk")
    if kind == RunKind.PERIODIC:
        queryset = queryset.filter(status__in=HELD_STATUSES)
    return queryset.values_list("pk", flat=True)


def _split(ids: Sequence[int], size: int) -> Iterable[tuple[int, int, int]]:
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield part[0], part[-1], len(part)


@transaction.atomic
def compliance_run_start(
    *,
    actor: Any = None,
    kind: str = RunKind.FULL,
    rule_ids: Iterable[str] | None = None,
    chunk_size: int | None = None,
    enqueue: bool = True,
) -> ComplianceRun:
    """Create a run, split its detainees into id-range chunks, and enqueue one task per chunk on commit.

    With the embedded default (Celery eager) the chunks run inline once the transaction commits, so the
    run is finished when this returns. `enqueue=False` leaves the chunks for the caller (the management
    command runs them itself to draw its progress bar).
    """
    if kind not in RunKind.values:
        raise ValidationError({"kind": [f"Expected one of {', '.join(RunKind.values)}, got {kind!r}."]})
    rules = _validate_rule_ids(rule_ids)
    if kind == RunKind.PERIODIC and not rules:
        rules = [rule.id for rule in registry.select(time_based=True)]
    size = chunk_size or settings.COMPLIANCE_CHUNK_SIZE
    if size < 1:
        raise ValidationError({"chunk_size": ["Expected a whole number of detainees, 1 or more."]})

    ids = list(run_detainee_ids(kind))
    now = timezone.now()
    run = ComplianceRun.objects.create(
        kind=kind,
        status=RunStatus.RUNNING,
        requested_by=actor if getattr(actor, "pk", None) else None,
        rule_ids=rules,
        total=len(ids),
        created_at=now,
        started_at=now,
    )
    chunks = ComplianceRunChunk.objects.bulk_create(
        ComplianceRunChunk(run=run, index=index, first_id=first, last_id=last, size=count)
        for index, (first, last, count) in enumerate(_split(ids, size))
    )
    run.chunks_total = len(chunks)
    run.save(update_fields=["chunks_total"])
    if not chunks:
        _run_finish_if_done(run.pk)
        run.refresh_from_db()
        return run
    if enqueue:
        from .tasks import run_chunk

        chunk_ids = [chunk.pk for chunk in chunks]
        transaction.on_commit(lambda: [run_chunk.delay(chunk_id) for chunk_id in chunk_ids])
    return run


def chunk_detainee_ids(chunk: ComplianceRunChunk) -> list[int]:
    """The detainees of a chunk as they are now (one query on the id range)."""
    queryset = Detainee.objects.filter(pk__gte=chunk.first_id, pk__lte=chunk.last_id)
    if chunk.run.kind == RunKind.PERIODIC:
        queryset = queryset.filter(status__in=HELD_STATUSES)
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def compliance_run_chunk(*, chunk_id: int) -> ChunkOutcome | None:
    """Evaluate one chunk of a run, once: a done chunk (or one of a failed run) returns None at once.

    The chunk row is locked for the evaluation, so a redelivered task waits for the first and then sees it done.
    A failure marks the run failed (with the error) and is re-raised for the task's retry policy.
    """
    try:
        with transaction.atomic():
            chunk = ComplianceRunChunk.objects.select_for_update().select_related("run").get(pk=chunk_id)
            if chunk.done_at is not None or chunk.run.status == RunStatus.FAILED:
                return None
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                outcome = evaluate_chunk(chunk_detainee_ids(chunk), rule_ids=chunk.run.rule_ids or None, run=chunk.run)
            chunk.done_at = timezone.now()
            chunk.findings_opened, chunk.findings_resolved = outcome.opened, outcome.resolved
            chunk.queries = counter.count
            chunk.save(update_fields=["done_at", "findings_opened", "findings_resolved", "queries"])
            # F() expressions: concurrent workers finishing chunks of the same run never lose an increment.
            ComplianceRun.objects.filter(pk=chunk.run_id).update(
                processed=F("processed") + chunk.size,
                chunks_done=F("chunks_done") + 1,
                findings_opened=F("findings_opened") + outcome.opened,
                findings_resolved=F("findings_resolved") + outcome.resolved,
            )
            _run_finish_if_done(chunk.run_id)
            return outcome
    except OperationalError:
        raise  # transient: the task retries, and marks the run failed when its retries are used up
    except Exception as exc:
        logger.exception("Compliance chunk %s failed", chunk_id)
        compliance_run_fail(chunk_id=chunk_id, error=exc)
        raise


def compliance_run_fail(*, chunk_id: int, error: BaseException) -> None:
    """Mark the run of a chunk failed, with the error (the chunk stays not done, so it can be re-run)."""
    run_id = ComplianceRunChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()
    if run_id is not None:
        ComplianceRun.objects.filter(pk=run_id).exclude(status=RunStatus.SUCCEEDED).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), error=f"Chunk {chunk_id}: {error!r}"[:4000]
        )


def _run_finish_if_done(run_id: int) -> None:
    ComplianceRun.objects.filter(pk=run_id, status=RunStatus.RUNNING, chunks_done__gte=F("chunks_total")).update(
        status=RunStatus.SUCCEEDED, finished_at=timezone.now()
    )


def compliance_periodic_sweep(*, now: dt.datetime | None = None) -> ComplianceRun:
    """The hourly sweep: reopen findings whose waiver expired, then re-run the time-based rules for the held."""
    waivers_expire(now=now)
    return compliance_run_start(kind=RunKind.PERIODIC)


def evaluate_detainees(detainee_ids: Iterable[int], *, rule_ids: Iterable[str] | None = None) -> ChunkOutcome:
    """Incremental re-evaluation after a change to these detainees' records (not recorded as a run: too frequent).

    Large sets are cut into chunks of settings.COMPLIANCE_CHUNK_SIZE so memory stays bounded.
    """
    ids = sorted({int(i) for i in detainee_ids})
    size = settings.COMPLIANCE_CHUNK_SIZE
    opened = resolved = refreshed = 0
    for start in range(0, len(ids), size):
        outcome = evaluate_chunk(ids[start : start + size], rule_ids=rule_ids)
        opened, resolved, refreshed = (
            opened + outcome.opened,
            resolved + outcome.resolved,
            refreshed + outcome.refreshed,
        )
    return ChunkOutcome(opened, resolved, refreshed)


# --- Review -----------------------------------------------------------------------------------------------


def _require_reviewer(actor: Any) -> None:
    if actor is None or not actor.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("Only legal reviewers may review findings (permission compliance.review_finding).")


def _lock(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().get(pk=finding.pk)


def _move(finding: Finding, *, actor: Any, action: str, to_state: str, comment: str, now: dt.datetime) -> Finding:
    from_state = finding.state
    finding.state = to_state
    if to_state == FindingState.RESOLVED:
        finding.resolved_at, finding.auto_resolved = now, False
    elif from_state == FindingState.RESOLVED:
        finding.resolved_at, finding.auto_resolved = None, False
    if from_state == FindingState.WAIVED and action != ReviewAction.WAIVER_EXPIRED:
        # Leaving the waived state ends the waiver early; it stays on record.
        finding.waivers.filter(revoked_at__isnull=True, expired_processed_at__isnull=True).update(revoked_at=now)
    if actor is not None and getattr(actor, "is_authenticated", False):
        finding._history_user = actor
    finding._change_reason = f"review: {action}"
    finding.save(update_fields=["state", "resolved_at", "auto_resolved", "updated_at"])
    FindingReview.objects.create(
        finding=finding, action=action, from_state=from_state, to_state=to_state, actor=actor, at=now, comment=comment
    )
    return finding


@transaction.atomic
def finding_review(*, actor: Any, finding: Finding, action: str, comment: str = "") -> Finding:
    """Acknowledge, dispute, resolve or reopen a finding along REVIEW_TRANSITIONS (waive: use finding_waive)."""
    _require_reviewer(actor)
    if action == ReviewAction.WAIVE:
        raise ValidationError({"action": ["A waiver needs a justification and an expiry date: use the waive action."]})
    if action not in REVIEW_TRANSITIONS:
        allowed = ", ".join(a for a in REVIEW_TRANSITIONS if a != ReviewAction.WAIVE)
        raise ValidationError({"action": [f"Unknown review action {action!r}; expected one of {allowed}."]})
    finding = _lock(finding)
    from_states, to_state = REVIEW_TRANSITIONS[action]
    if finding.state not in from_states:
        raise ValidationError(
            {
                "action": [
                    f"A finding that is {finding.get_state_display().lower()} cannot be given the action "
                    f"'{ReviewAction(action).label.lower()}'."
                ]
            }
        )
    if action in (ReviewAction.DISPUTE, ReviewAction.RESOLVE, ReviewAction.REOPEN) and not comment.strip():
        raise ValidationError({"comment": ["Say why (the comment is kept in the finding's history)."]})
    return _move(finding, actor=actor, action=action, to_state=to_state, comment=comment.strip(), now=timezone.now())


@transaction.atomic
def finding_waive(*, actor: Any, finding: Finding, justification: str, expires_at: dt.datetime) -> Waiver:
    """Waive a finding until `expires_at`, with a justification; the waiver records who granted it."""
    _require_reviewer(actor)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if not (justification or "").strip():
        errors["justification"] = ["Give the justification for the waiver."]
    if not isinstance(expires_at, dt.datetime):
        errors["expires_at"] = ["Give the date and time the waiver expires."]
    elif timezone.is_naive(expires_at):
        errors["expires_at"] = ["Give the expiry with a time zone."]
    elif expires_at <= now:
        errors["expires_at"] = ["The expiry must be in the future."]
    if errors:
        raise ValidationError(errors)
    finding = _lock(finding)
    from_states, to_state = REVIEW_TRANSITIONS[ReviewAction.WAIVE]
    if finding.state not in from_states:
        raise ValidationError(
            {"action": [f"A finding that is {finding.get_state_display().lower()} cannot be waived."]}
        )
    waiver = Waiver(
        finding=finding, justification=justification.strip(), granted_by=actor, granted_at=now, expires_at=expires_at
    )
    waiver._history_user = actor
    waiver.save()
    _move(
        finding,
        actor=actor,
        action=ReviewAction.WAIVE,
        to_state=to_state,
        comment=f"Waived until {expires_at:%Y-%m-%d %H:%M %Z}: {justification.strip()}",
        now=now,
    )
    return waiver


@transaction.atomic
def waivers_expire(*, now: dt.datetime | None = None) -> int:
    """Reopen the findings whose waiver has expired (FindingReview waiver_expired). Returns how many were reopened.

    Rows already being processed by another worker are skipped, never waited for.
    """
    now = now or timezone.now()
    due = list(
        Waiver.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(expires_at__lte=now, expired_processed_at__isnull=True, revoked_at__isnull=True)
        .select_related("finding")
        .order_by("pk")
    )
    reopened = 0
    for waiver in due:
        finding = _lock(waiver.finding)
        if finding.state == FindingState.WAIVED:
            _move(
                finding,
                actor=None,
                action=ReviewAction.WAIVER_EXPIRED,
                to_state=FindingState.OPEN,
                comment=f"Waiver granted on {waiver.granted_at:%Y-%m-%d} expired on {waiver.expires_at:%Y-%m-%d}.",
                now=now,
            )
            reopened += 1
        waiver.expired_processed_at = now
        waiver.save(update_fields=["expired_processed_at"])
    return reopened
