"""Query-parameter filters of the case record API (django-filter). Every list also takes `updated_since`."""

from __future__ import annotations

import django_filters
from django import forms

from ..choices import (
    Affiliation,
    DetaineeStatus,
    ExchangeStatus,
    HealthCategory,
    InterrogationMode,
    RepatriationWishChoice,
)
from ..models import (
    CaptureCard,
    Detainee,
    ExchangeProposal,
    Interpreter,
    Interrogation,
    MediaItem,
    MedicalAssessment,
    RepatriationWish,
)
from ..validators import normalize_language
from .base import DateTimeFilter, RecordFilterSet


class LanguageFormField(forms.CharField):
    """A language code in any accepted form ('ko', 'ko-KP', 'kor'), cleaned to ISO 639-3."""

    def clean(self, value: str | None) -> str | None:
        value = super().clean(value)
        return normalize_language(value) if value else value


class LanguageFilter(django_filters.CharFilter):
    field_class = LanguageFormField


class ID(django_filters.Filter):
    """A record id: a whole number in the database's range; anything else is a 400 naming the parameter."""

    field_class = forms.IntegerField


class DetaineeFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=DetaineeStatus.choices)
    nationality = django_filters.CharFilter(lookup_expr="iexact", max_length=2)
    case_number = django_filters.CharFilter(max_length=32)
    service_number = django_filters.CharFilter(max_length=64)
    family_name = django_filters.CharFilter(lookup_expr="icontains", max_length=200)
    language = LanguageFilter(field_name="languages__language", max_length=35, distinct=True)

    class Meta:
        model = Detainee
        fields = ["status", "nationality", "case_number", "service_number", "family_name", "language"]


class InterpreterFilter(RecordFilterSet):
    affiliation = django_filters.ChoiceFilter(choices=Affiliation.choices)
    vetted = django_filters.BooleanFilter()
    language = LanguageFilter(field_name="languages__language", max_length=35, distinct=True)

    class Meta:
        model = Interpreter
        fields = ["affiliation", "vetted", "language"]


class InterrogationFilter(RecordFilterSet):
    detainee = ID(field_name="detainee_id", min_value=1, max_value=2**63 - 1)
    mode = django_filters.ChoiceFilter(choices=InterrogationMode.choices)
    language = LanguageFilter(max_length=35)
    started_after = DateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = DateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = Interrogation
        fields = ["detainee", "mode", "language", "started_after", "started_before"]


class MedicalAssessmentFilter(RecordFilterSet):
    detainee = ID(field_name="detainee_id", min_value=1, max_value=2**63 - 1)
    health_category = django_filters.ChoiceFilter(choices=HealthCategory.choices)
    fit_for_questioning = django_filters.BooleanFilter()

    class Meta:
        model = MedicalAssessment
        fields = ["detainee", "health_category", "fit_for_questioning"]


class MediaItemFilter(RecordFilterSet):
    detainee = ID(field_name="depicted", min_value=1, max_value=2**63 - 1, distinct=True)
    identifiable = django_filters.BooleanFilter()
    published = django_filters.BooleanFilter(field_name="published_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = MediaItem
        fields = ["detainee", "identifiable", "published"]


class CaptureCardFilter(RecordFilterSet):
    detainee = ID(field_name="detainee_id", min_value=1, max_value=2**63 - 1)
    declined = django_filters.BooleanFilter()

    class Meta:
        model = CaptureCard
        fields = ["detainee", "declined"]


class RepatriationWishFilter(RecordFilterSet):
    detainee = ID(field_name="detainee_id", min_value=1, max_value=2**63 - 1)
    wish = django_filters.ChoiceFilter(choices=RepatriationWishChoice.choices)

    class Meta:
        model = RepatriationWish
        fields = ["detainee", "wish"]


class ExchangeFilter(RecordFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ExchangeStatus.choices)
    counterparty = django_filters.CharFilter(lookup_expr="iexact", max_length=2)
    reference = django_filters.CharFilter(max_length=64)
    detainee = ID(field_name="outgoing_members__detainee_id", min_value=1, max_value=2**63 - 1, distinct=True)

    class Meta:
        model = ExchangeProposal
        fields = ["status", "counterparty", "reference", "detainee"]
