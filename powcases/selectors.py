"""Reads of the case record that the admin (and other views) share: one query each, never one per row."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from .models import Detainee, LanguageSkill, RepatriationWish
from .validators import language_name


def latest_wish_subquery() -> Subquery:
    """The wish of each detainee's most recent repatriation-wish record (for annotation)."""
    latest = RepatriationWish.objects.filter(detainee=OuterRef("pk")).order_by("-recorded_at", "-id")
    return Subquery(latest.values("wish")[:1])


def detainee_list(queryset: QuerySet[Detainee] | None = None) -> QuerySet[Detainee]:
    """Detainees with their facility joined and `latest_wish` annotated."""
    queryset = Detainee.objects.all() if queryset is None else queryset
    return queryset.select_related("current_facility").annotate(latest_wish=latest_wish_subquery())


def languages_in_use() -> list[tuple[str, str]]:
    """(code, 'Name (code)') of every language some detainee has a recorded skill in, sorted by name."""
    codes = LanguageSkill.objects.order_by().values_list("language", flat=True).distinct()
    return sorted(((code, f"{language_name(code)} ({code})") for code in codes), key=lambda pair: pair[1])
