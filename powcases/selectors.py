"""Reads of the case record that the admin (and other views) share: one query each, never one per row."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat, Replace

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


def detainees_by_whole_name(compact: str) -> QuerySet[Detainee]:
    """Ids of detainees whose whole name, with spaces removed, contains `compact` (a search term without spaces).

    Names are stored as family and given names; a Korean name is written without a space ('리철웅') and a
    romanised one in either order ('Ri Chol-ung', 'Chol-ung Ri'), so each form is compared as one string.
    """
    whole_names = {
        "_original": Concat("family_name_original", "given_names_original"),
        "_original_reversed": Concat("given_names_original", "family_name_original"),
        "_romanised": Concat("family_name", "given_names"),
        "_romanised_reversed": Concat("given_names", "family_name"),
    }
    stripped = {name: Replace(expression, Value(" "), Value("")) for name, expression in whole_names.items()}
    condition = Q()
    for name in stripped:
        condition |= Q(**{f"{name}__icontains": compact})
    return Detainee.objects.annotate(**stripped).filter(condition).values("pk")
