"""The rule engine: evaluate active rules over a chunk of detainees and reconcile the stored findings.

`evaluate_chunk` is set-based: it loads the chunk's records through `ChunkContext` (one query per table),
runs the rules in memory, then reconciles with the stored findings in a fixed number of queries (bulk
insert, bulk update, one UPDATE for findings that are merely seen again). Findings are never deleted.

A finding's identity is its fingerprint: sha256(rule id | detainee | subject label | subject id |
discriminator). It leaves out the rule version and the outcome, so a re-evaluation (even by a new version
of the rule) updates the same finding instead of opening another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from powcases.models import Detainee

from .choices import FindingState, ReviewAction
from .context import ChunkContext
from .models import ComplianceRun, Finding, FindingReview
from .registry import Result, Rule, Subject, registry
from .signals import findings_opened, findings_resolved

logger = logging.getLogger(__name__)

# Fields a re-evaluation may change on an existing finding (its identity never changes).
CONTENT_FIELDS = ("rule_version", "article", "outcome", "severity", "message", "evidence", "facility_id")
BULK_BATCH_SIZE = 1000
# From this many new findings on, PostgreSQL inserts go through COPY (see _insert_findings).
COPY_MIN_ROWS = 500
OPENED_REASON = "compliance engine: opened"


class ChunkOutcome(NamedTuple):
    """What one evaluation changed: findings opened (new or reopened), resolved, and seen again."""

    opened: int
    resolved: int
    refreshed: int


def fingerprint(rule_id: str, detainee_id: int, subject: Subject | None = None, discriminator: str = "") -> str:
    """The stable identity of a finding (hex sha256); see the module docstring for what it leaves out."""
    label, pk = subject if subject else ("", "")
    raw = f"{rule_id}|{detainee_id}|{label}|{pk}|{discriminator}"
    return hashlib.sha256(raw.encode()).hexdigest()


class _EvidenceEncoder(DjangoJSONEncoder):
    """Dates, decimals and UUIDs as Django encodes them; sets as sorted lists (rules like sets of languages)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return super().default(o)


def jsonable(evidence: dict[str, Any]) -> dict[str, Any]:
    """Evidence exactly as the JSON column will give it back (so 'changed?' compares like with like)."""
    return json.loads(json.dumps(evidence, cls=_EvidenceEncoder))


def _set_statement_timeout() -> None:
    """Bound every sweep query on PostgreSQL (a bad plan must fail the chunk, not hang a worker; see NOTES.md)."""
    if connection.vendor == "postgresql":
        timeout_ms = int(settings.COMPLIANCE_STATEMENT_TIMEOUT_MS)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {timeout_ms}")


def evaluate_rules(
    detainee_ids: Iterable[int],
    rule_ids: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    *,
    context: ChunkContext | None = None,
    include_non_findings: bool = True,
) -> dict[str, list[Result]]:
    """Run rules over detainees WITHOUT writing anything; {rule id: [results]} (for tests, previews, explanations).

    `rule_ids` may name silenced rules here on purpose (a reviewer may want to see what a silenced rule says).
    """
    ctx = context or ChunkContext(detainee_ids, now)
    rules = [registry.get(r) for r in rule_ids] if rule_ids else registry.active()
    results: dict[str, list[Result]] = {}
    for rule in rules:
        results[rule.id] = [result for result in _run_rule(rule, ctx) if include_non_findings or result.is_finding]
    return results


def _run_rule(rule: Rule, ctx: ChunkContext) -> list[Result]:
    results = []
    for result in rule.evaluate(ctx):
        if result.detainee_id not in ctx._id_set:
            # A rule must only speak about the chunk's detainees; anything else would resolve wrongly elsewhere.
            raise ValueError(f"Rule {rule.id} returned a result for detainee {result.detainee_id} outside the chunk.")
        results.append(result)
    return results


def _content_type_ids(subjects: Iterable[str]) -> dict[str, int]:
    """Map 'app_label.model' to ContentType ids: at most one query (none once Django's cache holds them)."""
    models = {label: apps.get_model(label) for label in set(subjects)}
    by_model = ContentType.objects.get_for_models(*models.values(), for_concrete_models=False)
    return {label: by_model[model].pk for label, model in models.items()}


def evaluate_chunk(
    detainee_ids: Iterable[int],
    rule_ids: Iterable[str] | None = None,
    now: dt.datetime | None = None,
    run: ComplianceRun | None = None,
) -> ChunkOutcome:
    """Evaluate the active rules (or `rule_ids`) for these detainees and reconcile their stored findings.

    - a new finding is inserted (state open, first and last seen now);
    - an existing one is updated (last seen, outcome, severity, message, evidence, rule version, facility);
      one that was resolved automatically and whose condition is back is reopened (FindingReview auto_reopen);
      a waived one stays waived (waivers_expire reopens it when the waiver runs out);
    - a stored, unresolved finding of an evaluated rule and detainee that the rules no longer return is
      resolved automatically (resolved_at, auto_resolved, FindingReview auto_resolve).

    Idempotent: running the same chunk twice opens nothing the second time. The chunk's detainee rows are
    locked (in id order, so workers cannot deadlock) for the whole evaluation, so two workers on overlapping
    chunks serialise instead of inserting the same finding twice (the fingerprint is unique in any case).
    `findings_opened` / `findings_resolved` are sent inside the transaction, so an outbox row a receiver
    writes commits (or rolls back) with the findings.
    """
    now = now or timezone.now()
    rules = registry.select(rule_ids)
    ids = sorted({int(i) for i in detainee_ids})
    if not ids or not rules:
        return ChunkOutcome(0, 0, 0)

    with transaction.atomic():
        _set_statement_timeout()
        locked = list(
            Detainee.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True)
        )
        ctx = ChunkContext(locked, now, run_id=run.pk if run is not None else None)

        found: dict[str, tuple[Rule, Result]] = {}
        for rule in rules:
            for result in _run_rule(rule, ctx):
                if not result.is_finding:
                    continue
                key = fingerprint(rule.id, result.detainee_id, result.subject, result.discriminator)
                # Two results on one subject without a discriminator: keep the first (rules should not do this).
                found.setdefault(key, (rule, result))

        content_types = _content_type_ids(result.subject[0] for _, result in found.values() if result.subject)
        existing = {
            finding.fingerprint: finding
            for finding in Finding.objects.filter(detainee_id__in=locked, rule_id__in=[r.id for r in rules])
        }

        to_create: list[Finding] = []
        to_update: list[Finding] = []  # content or state changed: saved with history
        seen_only: list[int] = []  # nothing changed but last_seen_at: one UPDATE, no history row
        reviews: list[FindingReview] = []
        opened_ids: list[int] = []
        reopened: list[Finding] = []

        for key, (rule, result) in found.items():
            content = {
                "rule_version": rule.version,
                "article": rule.article[:100],
                "outcome": str(result.outcome),
                "severity": str(result.severity or rule.severity),
                "message": result.message,
                "evidence": jsonable(result.evidence),
                "facility_id": ctx.facility_of(result.detainee_id),
            }
            finding = existing.get(key)
            if finding is None:
                to_create.append(
                    Finding(
                        fingerprint=key,
                        rule_id=rule.id,
                        detainee_id=result.detainee_id,
                        subject_type_id=content_types[result.subject[0]] if result.subject else None,
                        subject_id=result.subject[1] if result.subject else None,
                        state=FindingState.OPEN,
                        first_seen_at=now,
                        last_seen_at=now,
                        **content,
                    )
                )
                continue
            changed = any(getattr(finding, name) != value for name, value in content.items())
            for name, value in content.items():
                setattr(finding, name, value)
            finding.last_seen_at = now
            if finding.state == FindingState.RESOLVED and finding.auto_resolved:
                finding.state, finding.resolved_at, finding.auto_resolved = FindingState.OPEN, None, False
                reviews.append(
                    _review(finding, ReviewAction.AUTO_REOPEN, FindingState.RESOLVED, FindingState.OPEN, now)
                )
                reopened.append(finding)
                changed = True
            if changed:
                to_update.append(finding)
            else:
                seen_only.append(finding.pk)

        resolved: list[Finding] = []
        for key, finding in existing.items():
            if key in found or finding.state == FindingState.RESOLVED:
                continue
            reviews.append(_review(finding, ReviewAction.AUTO_RESOLVE, finding.state, FindingState.RESOLVED, now))
            finding.state, finding.resolved_at, finding.auto_resolved = FindingState.RESOLVED, now, True
            resolved.append(finding)

        if to_create:
            opened_ids.extend(_insert_findings(to_create, now))
        if to_update or resolved:
            fields = [*CONTENT_FIELDS, "last_seen_at", "state", "resolved_at", "auto_resolved", "updated_at"]
            for finding in (*to_update, *resolved):
                finding.updated_at = now
            bulk_update_with_history(
                [*to_update, *resolved],
                Finding,
                fields=fields,
                batch_size=BULK_BATCH_SIZE,
                default_change_reason="compliance engine",
                default_date=now,
            )
        if seen_only:
            _touch_last_seen(seen_only, now)
        if reviews:
            FindingReview.objects.bulk_create(reviews, batch_size=BULK_BATCH_SIZE)

        opened_ids.extend(f.pk for f in reopened)
        if opened_ids:
            findings_opened.send(sender=Finding, finding_ids=opened_ids, run=run)
        if resolved:
            findings_resolved.send(sender=Finding, finding_ids=[f.pk for f in resolved], run=run)

    return ChunkOutcome(
        opened=len(opened_ids), resolved=len(resolved), refreshed=len(to_update) - len(reopened) + len(seen_only)
    )


def _insert_findings(findings: list[Finding], now: dt.datetime) -> list[int]:
    """Insert new findings and their first history rows; return their ids.

    On PostgreSQL, large batches go through COPY (a first sweep opens hundreds of thousands of findings, and
    Django's bulk_create spends most of its time preparing values in Python); the rows are the same as
    bulk_create_with_history writes. The detainee lock taken by evaluate_chunk rules out a concurrent insert of
    the same fingerprint, and the unique constraint would reject one anyway.
    """
    for finding in findings:
        finding.updated_at = now
    if connection.vendor != "postgresql" or len(findings) < COPY_MIN_ROWS:
        created = bulk_create_with_history(
            findings, Finding, batch_size=BULK_BATCH_SIZE, default_change_reason=OPENED_REASON, default_date=now
        )
        return [finding.pk for finding in created]

    from psycopg.types.json import Jsonb

    def copy_rows(model: type[models.Model], attnames: list[str], rows: Iterable[list[Any]]) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in attnames)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    fields = [f.attname for f in Finding._meta.concrete_fields if not f.primary_key]

    def values(finding: Finding) -> list[Any]:
        return [Jsonb(finding.evidence) if name == "evidence" else getattr(finding, name) for name in fields]

    copy_rows(Finding, fields, (values(finding) for finding in findings))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT fingerprint, id FROM {Finding._meta.db_table} WHERE fingerprint = ANY(%s)",  # noqa: S608
            [[finding.fingerprint for finding in findings]],
        )
        ids = dict(cursor.fetchall())
    for finding in findings:
        finding.pk = ids[finding.fingerprint]
    history = Finding.history.model
    history_fields = ["id", *fields, "history_date", "history_change_reason", "history_type", "history_user_id"]
    copy_rows(
        history,
        history_fields,
        ([finding.pk, *values(finding), now, OPENED_REASON, "+", None] for finding in findings),
    )
    return [finding.pk for finding in findings]


def _touch_last_seen(finding_ids: list[int], now: dt.datetime) -> None:
    """Set last_seen_at on findings seen again unchanged (the bulk of a re-sweep): one statement, no history row."""
    if connection.vendor == "postgresql":
        # One array parameter instead of thousands of IN placeholders: far less to build, send and plan.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Finding._meta.db_table} SET last_seen_at = %s WHERE id = ANY(%s)",  # noqa: S608 - table name
                [now, finding_ids],
            )
    else:
        Finding.objects.filter(pk__in=finding_ids).update(last_seen_at=now)


def _review(finding: Finding, action: str, from_state: str, to_state: str, at: dt.datetime) -> FindingReview:
    return FindingReview(finding=finding, action=action, from_state=from_state, to_state=to_state, at=at, actor=None)
