"""Small helpers the rule modules share (no database access here either)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pycountry
from django.conf import settings


def policy(name: str) -> int:
    """A policy period from settings.COMPLIANCE_POLICY (the treaty does not fix it; LAW.md 'policy' rows)."""
    return int(settings.COMPLIANCE_POLICY[name])


def iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def language_evidence(skills: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A detainee's language skills as evidence (what the rule looked at)."""
    return [
        {k: skill[k] for k in ("language", "understands", "speaks", "reads", "writes", "established_by")}
        for skill in skills
    ]


@functools.lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """'kor' -> 'Korean (kor)'; unknown codes are shown as they are."""
    language = pycountry.languages.get(alpha_3=code) if code else None
    return f"{language.name} ({code})" if language else (code or "an unrecorded language")


def language_list(codes: Any) -> str:
    names = [language_name(c) for c in sorted(codes)]
    return ", ".join(names) if names else "none recorded"
