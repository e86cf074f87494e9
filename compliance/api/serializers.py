"""Serializers of the compliance API: findings, rules and compliance runs (field names are the contract)."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import FindingState, Outcome, RunKind, RunStatus, Severity
from ..models import ComplianceRun, Finding


class FindingSerializer(serializers.ModelSerializer):
    """What one rule found about one detainee (read-only: findings are reviewed in the application)."""

    rule = serializers.CharField(source="rule_id", read_only=True, help_text="Rule id, e.g. 'GC3-17-LANG'.")
    outcome = serializers.ChoiceField(choices=Outcome.choices, read_only=True)
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    state = serializers.ChoiceField(choices=FindingState.choices, read_only=True)
    evidence = serializers.JSONField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "rule",
            "rule_version",
            "article",
            "outcome",
            "severity",
            "state",
            "detainee",
            "message",
            "evidence",
            "first_seen_at",
            "last_seen_at",
            "resolved_at",
            "updated_at",
        ]
        read_only_fields = fields


class RuleSerializer(serializers.Serializer):
    """A registered compliance rule and the article of the Convention it checks."""

    id = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    article = serializers.CharField(read_only=True)
    severity = serializers.ChoiceField(choices=Severity.choices, read_only=True)
    description = serializers.CharField(read_only=True)
    time_based = serializers.BooleanField(read_only=True)
    silenced = serializers.BooleanField(source="is_silenced", read_only=True)


class ComplianceRunSerializer(serializers.ModelSerializer):
    """A compliance sweep and its progress."""

    kind = serializers.ChoiceField(choices=RunKind.choices, read_only=True)
    status = serializers.ChoiceField(choices=RunStatus.choices, read_only=True)

    class Meta:
        model = ComplianceRun
        fields = [
            "id",
            "kind",
            "status",
            "processed",
            "total",
            "findings_opened",
            "findings_resolved",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        read_only_fields = fields
