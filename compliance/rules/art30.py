"""GCIII Article 30(4): medical certificates.

Art. 30(4): "The detaining authorities shall, upon request, issue to every prisoner who has undergone treatment, an
official certificate indicating the nature of his illness or injury, and the duration and kind of treatment received.
A duplicate of this certificate shall be forwarded to the Central Prisoners of War Agency."
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from powcases.models import MedicalAssessment

from ..choices import Severity
from ..context import ChunkContext
from ..registry import Result, register, subject_of
from ._common import iso, policy


@register(
    id="GC3-30-MEDICAL",
    version=1,
    title="Medical certificate on request",
    article="GCIII Art. 30(4)",
    paragraphs=("30(4)",),
    description=(
        "A medical certificate requested by a prisoner who was treated and not issued within the policy period "
        "(30 days by default) is a warning."
    ),
    rationale=(
        "Art. 30(4): on request, the detaining authorities issue every treated prisoner an official certificate of "
        "the nature of his illness or injury and of the duration and kind of treatment, with a duplicate to the "
        "Central Agency."
    ),
    remediation="Issue the certificate (nature of illness or injury, duration and kind of treatment) and send the "
    "duplicate to the ICRC Central Tracing Agency.",
    severity=Severity.MEDIUM,
    tags=("medical", "certificate", "art30"),
    references=(
        "GCIII Art. 30(1)-(5), text checked in the ICRC 2020 Commentary page (Article 30: Medical attention).",
        "The period is policy (settings.COMPLIANCE_POLICY['MEDICAL_CERTIFICATE_DAYS'], default 30 days); the treaty "
        "sets none. The request date is taken as the date of the assessment it was made at.",
    ),
    time_based=True,
)
def medical_certificate(ctx: ChunkContext) -> Iterator[Result]:
    days = policy("MEDICAL_CERTIFICATE_DAYS")
    period = dt.timedelta(days=days)
    assessments = ctx.medical_assessments
    for detainee_id in ctx.detainee_ids:
        requested = [row for row in assessments[detainee_id] if row["certificate_requested"]]
        if not requested:
            yield Result.not_applicable(detainee_id, "No medical certificate requested.")
            continue
        for row in requested:
            due = row["assessed_at"] + period
            evidence = {
                "assessed_at": iso(row["assessed_at"]),
                "kind": row["kind"],
                "certificate_issued_at": iso(row["certificate_issued_at"]),
                "due_at": iso(due),
                "period_days": days,
            }
            common = {"evidence": evidence, "subject": subject_of(MedicalAssessment, row["id"])}
            if row["certificate_issued_at"] is not None:
                yield Result.compliant(detainee_id, "The certificate he asked for was issued.", **common)
            elif ctx.now <= due:
                yield Result.compliant(detainee_id, f"Certificate due by {due:%Y-%m-%d}.", **common)
            else:
                yield Result.warning(
                    detainee_id,
                    f"He asked for a medical certificate after the assessment of {row['assessed_at']:%Y-%m-%d}, and "
                    f"none has been issued {days} days later. Art. 30(4) entitles him to one, with a "
                    "duplicate to the Central Agency.",
                    **common,
                )
