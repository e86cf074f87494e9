"""GCIII Article 13: humane treatment; protection against insults and public curiosity.

Art. 13(2): "Likewise, prisoners of war must at all times be protected, particularly against acts of violence or
intimidation and against insults and public curiosity."
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from powcases.models import MediaItem

from ..choices import Severity
from ..context import ChunkContext, Row
from ..registry import Result, register, subject_of
from ._common import iso


def _media_evidence(item: Row) -> dict[str, Any]:
    return {
        "media_item": item["id"],
        "kind": item["kind"],
        "identifiable": item["identifiable"],
        "published_at": iso(item["published_at"]),
        "published_by": item["published_by"],
        "publisher_is_state_official": item["publisher_is_state_official"],
        "channel": item["channel"],
        "url": item["url"],
        "publication_justification": item["publication_justification"],
        "takedown_requested_at": iso(item["takedown_requested_at"]),
        "withdrawn_at": iso(item["withdrawn_at"]),
    }


def judge_media_item(detainee_id: int, item: Row) -> Result:
    """Decide one media item depicting the detainee."""
    subject = subject_of(MediaItem, item["id"])
    evidence = _media_evidence(item)
    if item["published_at"] is None:
        return Result.not_applicable(detainee_id, "Not published.", evidence=evidence, subject=subject)
    where = f" on {item['channel']}" if item["channel"] else ""
    who = item["published_by"] or "an unrecorded publisher"
    justification = (
        f" The claimed justification ('{item['publication_justification']}') does not make an identifiable image "
        "permissible; the person should have been made unidentifiable."
        if item["publication_justification"]
        else ""
    )
    if item["identifiable"] is None:
        return Result.insufficient(
            detainee_id,
            f"A {item['kind']} showing him was published{where} by {who}; whether he can be recognised "
            "in it is not recorded.",
            missing=["whether the published item identifies him"],
            evidence=evidence,
            subject=subject,
        )
    if item["identifiable"] is False:
        return Result.compliant(
            detainee_id, "Published, but he cannot be recognised.", evidence=evidence, subject=subject
        )
    if item["publisher_is_state_official"] is True:
        withdrawn = " It has since been withdrawn." if item["withdrawn_at"] else ""
        return Result.violation(
            detainee_id,
            f"An identifiable {item['kind']} of him was published{where} by {who}, a state official: this exposes him "
            f"to public curiosity, which the detaining power must prevent.{justification}{withdrawn}",
            evidence=evidence,
            subject=subject,
        )
    if item["publisher_is_state_official"] is None:
        return Result.insufficient(
            detainee_id,
            f"An identifiable {item['kind']} of him was published{where} by {who}; whether the publisher "
            "acts for the state is not recorded.",
            missing=["whether the publisher is a state official"],
            evidence=evidence,
            subject=subject,
        )
    if item["withdrawn_at"] is not None:
        return Result.compliant(
            detainee_id, "Published by others and since withdrawn.", evidence=evidence, subject=subject
        )
    requested = (
        f" A takedown was requested on {item['takedown_requested_at']:%Y-%m-%d}; the item is still online."
        if item["takedown_requested_at"]
        else " Request a takedown."
    )
    return Result.warning(
        detainee_id,
        f"An identifiable {item['kind']} of him was published{where} by {who} (not a state official).{requested}"
        f"{justification}",
        evidence=evidence,
        subject=subject,
    )


@register(
    id="GC3-13-CURIOSITY",
    version=1,
    title="Protection against public curiosity (published images)",
    article="GCIII Art. 13(2)",
    paragraphs=("13(2)",),
    description=(
        "A published photograph, video or recording in which the prisoner can be recognised exposes him to public "
        "curiosity. Publication by a state organ or official is a violation; publication by others calls for a "
        "takedown request (warning); unknown identifiability or publisher is insufficient data."
    ),
    rationale=(
        "Art. 13(2): prisoners of war 'must at all times be protected ... against insults and public curiosity'. The "
        "duty rests on the detaining power (2020 Commentary, para. 1563), which is responsible for what its officials "
        "publish and must act against publication by others."
    ),
    remediation=(
        "Withdraw the item or have it withdrawn (takedown request to the platform); where publication serves a real "
        "public interest, blur faces and remove names and other identifying details."
    ),
    severity=Severity.CRITICAL,
    tags=("public curiosity", "media", "art13"),
    references=(
        "GCIII Art. 13(2), text checked in a stored copy of the Convention (worldpress.org and other copies of "
        "Art. 13): 'protected ... against insults and public curiosity'.",
        "Images and the state-official / others distinction: ../shared/LAW.md GC3-13-CURIOSITY design (ICRC law and "
        "policy blog; 2020 Commentary para. 1563 not read directly).",
    ),
)
def public_curiosity(ctx: ChunkContext) -> Iterator[Result]:
    media = ctx.media_items
    for detainee_id in ctx.detainee_ids:
        items = media.get(detainee_id)
        if not items:
            yield Result.not_applicable(detainee_id, "No media item shows him.")
            continue
        for item in items:
            yield judge_media_item(detainee_id, item)
