"""Query-parameter filters of the compliance API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from powcases.api.base import DateTimeFilter, RecordFilterSet
from powcases.api.filters import ID

from ..choices import FindingState, Outcome, RunKind, RunStatus, Severity
from ..models import ComplianceRun, Finding


class FindingFilter(RecordFilterSet):
    detainee = ID(field_name="detainee_id", min_value=1, max_value=2**63 - 1)
    rule = django_filters.CharFilter(field_name="rule_id", max_length=40)
    outcome = django_filters.MultipleChoiceFilter(choices=Outcome.choices)
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices)
    state = django_filters.MultipleChoiceFilter(choices=FindingState.choices)

    class Meta:
        model = Finding
        fields = ["detainee", "rule", "outcome", "severity", "state"]


class ComplianceRunFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=RunKind.choices)
    status = django_filters.ChoiceFilter(choices=RunStatus.choices)
    updated_since = DateTimeFilter(
        method="filter_updated_since", label="Created, started or finished at or after this ISO 8601 date-time."
    )

    class Meta:
        model = ComplianceRun
        fields = ["kind", "status", "updated_since"]

    def filter_updated_since(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        # A run has no updated_at: it changes when created, started and finished.
        return queryset.filter(Q(created_at__gte=value) | Q(started_at__gte=value) | Q(finished_at__gte=value))
