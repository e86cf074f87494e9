"""The rule registry: metadata of every rule, lookup, silencing (like Django's system checks)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from compliance.choices import Outcome, Severity
from compliance.registry import Result, Rule, UnknownRule, registry


def test_the_first_rules_are_registered_when_django_starts():
    assert {"GC3-13-CURIOSITY", "GC3-17-LANG", "GC3-70-CAPTURECARD"} <= set(registry.ids())


@pytest.mark.parametrize("rule", registry.all(), ids=lambda rule: rule.id)
def test_every_rule_carries_the_metadata_a_legal_reviewer_needs(rule: Rule):
    assert re.fullmatch(r"(GC3|API)-\d+-[A-Z]+", rule.id)
    assert rule.version >= 1
    assert rule.article.startswith(("GCIII Art", "AP I Art"))
    assert rule.paragraphs
    assert rule.title and rule.description and rule.rationale and rule.remediation
    assert rule.severity in Severity.values
    assert rule.references, "say which treaty text was checked"
    assert len(rule.article) <= 100  # Finding.article


def test_get_names_the_unknown_rule_and_the_known_ones():
    with pytest.raises(UnknownRule) as excinfo:
        registry.get("GC3-999-NOPE")

    assert isinstance(excinfo.value, KeyError)
    assert "No compliance rule with id 'GC3-999-NOPE'" in str(excinfo.value)
    assert "GC3-17-LANG" in str(excinfo.value)


@override_settings(COMPLIANCE_SILENCED_RULES=["GC3-17-LANG"])
def test_silenced_rules_are_registered_but_not_active():
    assert "GC3-17-LANG" in registry
    assert "GC3-17-LANG" not in [rule.id for rule in registry.active()]
    assert registry.get("GC3-17-LANG").is_silenced


def test_select_restricts_to_time_based_rules():
    ids = [rule.id for rule in registry.select(time_based=True)]

    assert "GC3-70-CAPTURECARD" in ids
    assert "GC3-17-LANG" not in ids


def test_registering_a_rule_returns_it_and_the_same_id_twice_is_refused():
    def evaluate(ctx):
        yield from ()

    metadata = {
        "id": "GC3-0-TEST",
        "version": 1,
        "title": "t",
        "article": "GCIII Art. 0",
        "description": "d",
        "rationale": "r",
        "remediation": "m",
        "severity": Severity.LOW,
    }
    try:
        rule = registry.register(**metadata)(evaluate)
        assert isinstance(rule, Rule)
        assert registry.get("GC3-0-TEST") is rule

        def other(ctx):
            yield from ()

        with pytest.raises(ValueError, match="already registered"):
            registry.register(**metadata)(other)
    finally:
        registry.unregister("GC3-0-TEST")


def test_rule_ids_must_be_upper_case():
    with pytest.raises(ValueError, match="upper case"):
        registry.register(
            id="gc3-0-lower",
            version=1,
            title="t",
            article="a",
            description="d",
            rationale="r",
            remediation="m",
            severity=Severity.LOW,
        )


def test_insufficient_result_says_which_data_is_missing():
    result = Result.insufficient(1, "Cannot decide.", missing=["session language"], evidence={"mode": "oral"})

    assert result.outcome == Outcome.INSUFFICIENT_DATA
    assert result.evidence == {"mode": "oral", "missing": ["session language"]}
    assert result.is_finding
    assert not Result.compliant(1).is_finding
    assert not Result.not_applicable(1).is_finding
