"""Report selections: what a selection covers, and that reading it costs the same queries for 5 or 50 findings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from compliance.reports.selectors import (
    WITHHELD,
    Selection,
    SelectionError,
    build_report_data,
    findings_queryset,
    redact_evidence,
)
from tests.factories import (
    DetaineeFactory,
    FindingFactory,
    InterpreterFactory,
    InterrogationFactory,
    RepatriationWishFactory,
    UserFactory,
)


def _with_reviews_and_waivers(findings, reviewer):
    from compliance.models import FindingReview, Waiver

    for finding in findings:
        FindingReview.objects.create(
            finding=finding, action="acknowledge", from_state="open", to_state="acknowledged", actor=reviewer
        )
        Waiver.objects.create(
            finding=finding,
            justification="Interpreter booked",
            granted_by=reviewer,
            expires_at=timezone.now() + dt.timedelta(days=10),
        )


@pytest.mark.parametrize("n", [5, 50])
def test_facility_report_reads_a_fixed_number_of_queries(
    n, facility, findings_for, legal_reviewer, django_assert_num_queries
):
    _with_reviews_and_waivers(findings_for(n), legal_reviewer)
    legal_reviewer.has_perm("powcases.view_medical_details")  # load the permission cache outside the count
    selection = Selection(scope="facility", facility_id=facility.pk)
    # 1 facility (scope object), 1 findings with detainee/facility/subject type joined,
    # 1 reviews with their actors, 1 waivers with who granted them.
    with django_assert_num_queries(4):
        data = build_report_data(selection, user=legal_reviewer)
    assert data.finding_count == n
    assert all(row.waivers and row.reviews for row in data.rows)


@pytest.mark.parametrize("n", [5, 50])
def test_detainee_report_with_his_whole_file_reads_a_fixed_number_of_queries(
    n, korean_soldier, legal_reviewer, django_assert_num_queries
):
    findings = [FindingFactory(detainee=korean_soldier) for _ in range(n)]
    _with_reviews_and_waivers(findings, legal_reviewer)
    InterrogationFactory(detainee=korean_soldier, interpreters=[InterpreterFactory(languages=["kor", "ukr"])])
    RepatriationWishFactory(detainee=korean_soldier, language="kor")
    legal_reviewer.has_perm("powcases.view_medical_details")
    selection = Selection(scope="detainee", detainee_id=korean_soldier.pk)
    # 4 as for a facility (detainee instead of facility), then the dossier: 1 detainee with facility and capture,
    # 16 prefetches (aliases, documents, languages, capture cards, notifications, visits, risk assessments,
    # custody events, interrogations + their interpreters + the interpreters' languages, wishes + their
    # interpreters, exchanges, media, medical assessments) = 4 + 1 + 16.
    with django_assert_num_queries(21):
        data = build_report_data(selection, user=legal_reviewer)
    assert data.finding_count == n
    assert data.dossier.medical_assessments


def test_period_covers_findings_seen_at_any_time_during_it(db):
    now = timezone.now()
    before = FindingFactory(first_seen_at=now - dt.timedelta(days=100), last_seen_at=now - dt.timedelta(days=90))
    spanning = FindingFactory(first_seen_at=now - dt.timedelta(days=100), last_seen_at=now)
    inside = FindingFactory(first_seen_at=now - dt.timedelta(days=20), last_seen_at=now - dt.timedelta(days=15))
    after = FindingFactory(first_seen_at=now - dt.timedelta(days=2), last_seen_at=now)
    selection = Selection(
        scope="period", start=(now - dt.timedelta(days=30)).date(), end=(now - dt.timedelta(days=10)).date()
    )
    assert set(findings_queryset(selection)) == {spanning, inside}
    assert before not in findings_queryset(selection) and after not in findings_queryset(selection)


def test_filters_narrow_the_selection_by_state_severity_and_rule(db):
    detainee = DetaineeFactory()
    wanted = FindingFactory(detainee=detainee, state="open", severity="critical", rule_id="GC3-13-CURIOSITY")
    FindingFactory(detainee=detainee, state="resolved", severity="critical", rule_id="GC3-13-CURIOSITY")
    FindingFactory(detainee=detainee, state="open", severity="low", rule_id="GC3-13-CURIOSITY")
    FindingFactory(detainee=detainee, state="open", severity="critical", rule_id="GC3-17-LANG")
    selection = Selection(
        scope="detainee",
        detainee_id=detainee.pk,
        states=("open",),
        severities=("critical",),
        rule_id="GC3-13-CURIOSITY",
    )
    assert list(findings_queryset(selection)) == [wanted]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scope": "detainee"}, "detainee_id"),
        ({"scope": "facility"}, "facility_id"),
        ({"scope": "rule"}, "rule_id"),
        ({"scope": "period", "start": dt.date(2025, 1, 1)}, "start"),
        ({"scope": "period", "start": dt.date(2025, 2, 1), "end": dt.date(2025, 1, 1)}, "end"),
        ({"scope": "rule", "rule_id": "X", "states": ("closed",)}, "state"),
        ({"scope": "galaxy"}, "scope"),
    ],
)
def test_a_bad_selection_names_the_parameter_at_fault(kwargs, field):
    with pytest.raises(SelectionError) as error:
        Selection(**kwargs)
    assert error.value.field == field


def test_medical_evidence_is_withheld_without_the_medical_permission():
    evidence = {"session_language": "ukr", "fit_for_questioning": False, "nested": {"injuries": "jaw"}}
    redacted = redact_evidence(evidence, medical_allowed=False)
    assert redacted == {"session_language": "ukr", "fit_for_questioning": WITHHELD, "nested": {"injuries": WITHHELD}}
    assert redact_evidence(evidence, medical_allowed=True) == evidence


def test_selection_round_trips_through_report_parameters():
    selection = Selection(scope="period", start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), severities=("high",))
    assert Selection.from_parameters(selection.to_parameters()) == selection


def test_an_unknown_rule_still_reports_with_the_findings_own_article(db):
    finding = FindingFactory(rule_id="GC3-999-RETIRED", article="GCIII Art. 999(1)")
    data = build_report_data(Selection(scope="rule", rule_id="GC3-999-RETIRED"), user=UserFactory())
    assert data.rows[0].finding == finding
    assert data.rules[0].article == "GCIII Art. 999(1)" and not data.rules[0].known
