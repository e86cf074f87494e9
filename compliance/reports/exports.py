"""The same selection as a report, exported as CSV (for spreadsheets) and SARIF 2.1.0 (for other tools).

SARIF mapping (OASIS SARIF 2.1.0): each rule is a `reportingDescriptor` in `tool.driver.rules`; each finding
is a `result` (outcome violation -> level "error", warning -> "warning", insufficient data -> "note"); the
detainee and the record concerned are `logicalLocations`; the finding's stable fingerprint goes into
`partialFingerprints`; an active waiver is an external, accepted `suppression` with its justification. Past
waivers (expired or revoked) stay in the result's properties, since a waiver never deletes a finding.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

from compliance.choices import Outcome

from .selectors import FindingRow, ReportData

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "POW case management — GCIII compliance"
LEVELS = {Outcome.VIOLATION: "error", Outcome.WARNING: "warning", Outcome.INSUFFICIENT_DATA: "note"}

CSV_COLUMNS = [
    "finding_id",
    "fingerprint",
    "rule_id",
    "rule_version",
    "article",
    "rule_title",
    "outcome",
    "severity",
    "state",
    "detainee_case_number",
    "detainee_name",
    "facility",
    "subject",
    "message",
    "evidence",
    "first_seen_at",
    "last_seen_at",
    "resolved_at",
    "waiver_active",
    "waiver_justification",
    "waiver_granted_by",
    "waiver_granted_at",
    "waiver_expires_at",
    "last_review_action",
    "last_review_by",
    "last_review_at",
    "last_review_comment",
]
# Cells a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_row(row: FindingRow) -> list[str]:
    f = row.finding
    waiver = row.active_waiver or (row.waivers[0] if row.waivers else None)
    review = row.reviews[-1] if row.reviews else None
    values = [
        f.pk,
        f.fingerprint,
        f.rule_id,
        f.rule_version,
        f.article,
        row.rule.title,
        f.outcome,
        f.severity,
        f.state,
        f.detainee.case_number,
        f.detainee.display_name,
        f.facility.name if f.facility_id else "",
        row.subject_label,
        row.message,
        json.dumps(row.evidence, ensure_ascii=False, sort_keys=True, default=str),
        _iso(f.first_seen_at),
        _iso(f.last_seen_at),
        _iso(f.resolved_at),
        "yes" if row.active_waiver else "no",
        waiver.justification if waiver else "",
        waiver.granted_by.get_username() if waiver else "",
        _iso(waiver.granted_at) if waiver else "",
        _iso(waiver.expires_at) if waiver else "",
        review.action if review else "",
        review.actor.get_username() if review and review.actor else "",
        _iso(review.at) if review else "",
        review.comment if review else "",
    ]
    return [_cell(v) for v in values]


def to_csv(data: ReportData) -> bytes:
    """One line per finding, UTF-8 with a byte-order mark so spreadsheet programs read Hangul correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data.rows:
        writer.writerow(_csv_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _rule_name(title: str, rule_id: str) -> str:
    """SARIF's `name`: a short identifier-like name (PascalCase of the title)."""
    words = re.findall(r"[A-Za-z0-9]+", title if title and title != rule_id else rule_id)
    return "".join(w[:1].upper() + w[1:] for w in words) or rule_id


def _descriptor(rule: Any) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _rule_name(rule.title, rule.id),
        "shortDescription": {"text": rule.title or rule.id},
        "fullDescription": {"text": " ".join(p for p in (rule.description, rule.rationale) if p) or rule.title},
        "properties": {
            "severity": rule.severity,
            "article": rule.article,
            "ruleVersion": rule.version,
            "inRegistry": rule.known,
        },
    }
    if rule.remediation:
        descriptor["help"] = {"text": rule.remediation}
    if rule.help_uri:
        descriptor["helpUri"] = rule.help_uri
    return descriptor


def _locations(row: FindingRow) -> list[dict[str, Any]]:
    f = row.finding
    detainee_fqn = f"detainee:{f.detainee.case_number}"
    logical = [{"name": f.detainee.case_number, "fullyQualifiedName": detainee_fqn, "kind": "object"}]
    if f.subject_type_id and f.subject_id:
        model = f.subject_type.model
        logical.append(
            {
                "name": f"{model}#{f.subject_id}",
                "fullyQualifiedName": f"{detainee_fqn}/{model}:{f.subject_id}",
                "kind": "member",
                "parentIndex": 0,
            }
        )
    return [{"logicalLocations": logical}]


def _suppressions(row: FindingRow) -> list[dict[str, Any]]:
    waiver = row.active_waiver
    if waiver is None:
        return []
    return [
        {
            "kind": "external",
            "status": "accepted",
            "justification": waiver.justification,
            "properties": {
                "grantedBy": waiver.granted_by.get_username(),
                "grantedAt": _iso(waiver.granted_at),
                "expiresAt": _iso(waiver.expires_at),
            },
        }
    ]


def _result(row: FindingRow, rule_index: int) -> dict[str, Any]:
    f = row.finding
    return {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.outcome, "none"),
        "message": {"text": row.message},
        "locations": _locations(row),
        "partialFingerprints": {"findingFingerprint/v1": f.fingerprint},
        "suppressions": _suppressions(row),
        "properties": {
            "findingId": f.pk,
            "outcome": f.outcome,
            "severity": f.severity,
            "state": f.state,
            "ruleVersion": f.rule_version,
            "article": f.article,
            "evidence": row.evidence,
            "facility": f.facility.name if f.facility_id else None,
            "firstSeenAt": _iso(f.first_seen_at),
            "lastSeenAt": _iso(f.last_seen_at),
            "resolvedAt": _iso(f.resolved_at) or None,
            "reviews": [
                {
                    "action": r.action,
                    "from": r.from_state,
                    "to": r.to_state,
                    "at": _iso(r.at),
                    "by": r.actor.get_username() if r.actor else None,
                    "comment": r.comment,
                }
                for r in row.reviews
            ],
            "waivers": [
                {
                    "justification": w.justification,
                    "grantedBy": w.granted_by.get_username(),
                    "grantedAt": _iso(w.granted_at),
                    "expiresAt": _iso(w.expires_at),
                    "revokedAt": _iso(w.revoked_at) or None,
                    "active": w.is_active,
                }
                for w in row.waivers
            ],
        },
    }


def to_sarif_dict(data: ReportData) -> dict[str, Any]:
    rules = data.rules
    index = {rule.id: i for i, rule in enumerate(rules)}
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": "https://ihl-databases.icrc.org/en/ihl-treaties/gciii-1949",
                        "rules": [_descriptor(rule) for rule in rules],
                    }
                },
                "automationDetails": {
                    "id": f"compliance-report/{data.selection.scope}/{data.generated_at:%Y%m%dT%H%M%SZ}"
                },
                "invocations": [{"executionSuccessful": True, "endTimeUtc": dt.datetime.now(dt.UTC).isoformat()}],
                "results": [_result(row, index[row.finding.rule_id]) for row in data.rows],
                "properties": {
                    "title": data.title,
                    "scope": data.selection.to_parameters(),
                    "generatedBy": data.generated_by,
                    "medicalDetailsIncluded": data.medical_allowed,
                },
            }
        ],
    }


def to_sarif(data: ReportData) -> bytes:
    return json.dumps(to_sarif_dict(data), ensure_ascii=False, indent=2, default=str).encode("utf-8")
