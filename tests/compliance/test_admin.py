"""The findings admin as legal reviewers, case officers, auditors and outsiders use it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from compliance.choices import FindingState, ReviewAction
from compliance.models import Finding, FindingReview, Waiver
from compliance.services import finding_review, finding_waive
from tests.factories import FacilityFactory, FindingFactory, InterrogationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:compliance_finding_changelist")


def change_url(finding: Finding) -> str:
    return reverse("admin:compliance_finding_change", args=[finding.pk])


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def tomorrow_plus(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# --- Who sees what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "list_status", "sees_review_panel"),
    [
        ("legal_reviewer", 200, True),
        ("case_officer", 200, False),
        ("auditor", 200, False),
        ("outsider", 403, False),
    ],
    indirect=["persona"],
)
def test_findings_are_visible_by_role_and_only_reviewers_get_the_review_panel(
    persona, list_status, sees_review_panel, client_for
):
    finding = FindingFactory()
    client = client_for(persona)

    assert client.get(CHANGELIST).status_code == list_status
    page = client.get(change_url(finding))

    if list_status == 403:
        assert page.status_code == 403
        return
    assert page.status_code == 200
    assert ('id="review"' in page.content.decode()) is sees_review_panel
    assert ("Acknowledge selected findings" in client.get(CHANGELIST).content.decode()) is sees_review_panel


@pytest.mark.parametrize("persona", ["case_officer", "auditor", "outsider"], indirect=True)
def test_only_reviewers_may_review_or_waive(persona, client_for):
    finding = FindingFactory()
    client = client_for(persona)

    acknowledge = client.post(change_url(finding), {"review_action": "acknowledge"})
    waive = client.post(
        change_url(finding), {"_waive": "1", "justification": "Measures taken", "expires_on": tomorrow_plus()}
    )

    assert acknowledge.status_code == 403
    assert waive.status_code == 403
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert not FindingReview.objects.exists()
    assert not Waiver.objects.exists()


def test_findings_are_never_added_edited_or_deleted_from_the_admin(superuser, client_for):
    finding = FindingFactory()
    client = client_for(superuser)

    assert client.get(reverse("admin:compliance_finding_add")).status_code == 403
    assert (
        client.post(reverse("admin:compliance_finding_delete", args=[finding.pk]), {"post": "yes"}).status_code == 403
    )
    # A hand-made edit of the message is not possible: the page has no form fields to post.
    client.post(change_url(finding), {"message": "edited by hand", "state": "resolved"})
    finding.refresh_from_db()
    assert finding.message != "edited by hand"
    assert finding.state == FindingState.OPEN
    assert "delete_selected" not in client.get(CHANGELIST).content.decode()


def test_history_of_review_actions_is_visible_to_the_auditor(legal_reviewer, auditor, client_for):
    finding = FindingFactory()
    finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.ACKNOWLEDGE)

    history = client_for(auditor).get(reverse("admin:compliance_finding_history", args=[finding.pk]))
    page = client_for(auditor).get(change_url(finding)).content.decode()

    assert history.status_code == 200
    assert "review: acknowledge" in history.content.decode()
    assert "Review history" in page
    assert "Open → Acknowledged" in page


# --- The finding page ------------------------------------------------------------------------------------


def test_finding_page_shows_evidence_as_a_table_links_and_the_rules_text(legal_reviewer, client_for):
    interrogation = InterrogationFactory(language="ukr")
    finding = FindingFactory(
        detainee=interrogation.detainee,
        subject_type=ContentType.objects.get_for_model(interrogation),
        subject_id=interrogation.pk,
        evidence={
            "session_language": "ukr",
            "answers_in_writing": False,
            "detainee_languages": [{"language": "kor", "understands": True, "reads": True}],
            "interpreters": [],
        },
    )

    page = client_for(legal_reviewer).get(change_url(finding)).content.decode()

    assert '<table class="evidence">' in page
    assert "<th>Session language</th><td>ukr</td>" in page
    assert "<th>Answers in writing</th><td>No</td>" in page
    # A list of records becomes rows under one header (PostgreSQL's jsonb keeps keys in its own order).
    assert '<table class="evidence evidence-rows"><thead><tr><th>' in page
    assert all(f"<th>{label}</th>" in page for label in ("Language", "Understands", "Reads"))
    assert '"session_language"' not in page  # no raw JSON
    assert reverse("admin:powcases_interrogation_change", args=[interrogation.pk]) in page
    assert reverse("admin:powcases_detainee_change", args=[finding.detainee_id]) in page
    assert "Questioning in a language the prisoner understands" in page  # the rule's title
    assert "What it checks" in page and "Why (the law)" in page and "What to do" in page
    assert "17(6)" in page
    assert reverse("compliance:report-detainee", kwargs={"pk": finding.detainee_id}) in page


def test_medical_evidence_is_withheld_from_a_case_officer(case_officer, legal_reviewer, client_for):
    finding = FindingFactory(evidence={"fit_for_questioning": False, "session_language": "rus"})

    officer_page = client_for(case_officer).get(change_url(finding)).content.decode()
    reviewer_page = client_for(legal_reviewer).get(change_url(finding)).content.decode()

    assert "withheld: medical detail" in officer_page
    assert "<th>Fit for questioning</th><td>No</td>" in reviewer_page


# --- Review actions --------------------------------------------------------------------------------------


def test_reviewer_acknowledges_a_finding_and_sees_it_said(legal_reviewer, client_for):
    finding = FindingFactory()

    response = client_for(legal_reviewer).post(
        change_url(finding), {"review_action": "acknowledge", "comment": "Seen; the unit is told."}, follow=True
    )

    finding.refresh_from_db()
    assert finding.state == FindingState.ACKNOWLEDGED
    [review] = FindingReview.objects.filter(finding=finding)
    assert (review.actor, review.comment) == (legal_reviewer, "Seen; the unit is told.")
    assert "Acknowledge: the finding is now acknowledged." in texts(response)
    assert "Seen; the unit is told." in response.content.decode()  # in the review history on the page


@pytest.mark.parametrize("action", ["dispute", "resolve"])
def test_dispute_or_resolve_without_a_comment_names_the_comment_and_writes_nothing(action, legal_reviewer, client_for):
    finding = FindingFactory()

    response = client_for(legal_reviewer).post(change_url(finding), {"review_action": action, "comment": "  "})

    assert response.status_code == 200
    assert any(message.startswith("Comment: Say why") for message in texts(response))
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert not FindingReview.objects.exists()


def test_reopen_with_a_comment_reopens_a_resolved_finding(legal_reviewer, client_for):
    finding = FindingFactory()
    finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.RESOLVE, comment="Interpreter found")

    client_for(legal_reviewer).post(change_url(finding), {"review_action": "reopen", "comment": "Not in fact vetted"})

    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert finding.resolved_at is None


def test_a_forbidden_transition_is_refused_with_a_message_not_a_500(legal_reviewer, client_for):
    finding = FindingFactory()
    finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.RESOLVE, comment="Done")

    response = client_for(legal_reviewer).post(change_url(finding), {"review_action": "acknowledge"})

    assert response.status_code == 200
    assert "Action: A finding that is resolved cannot be given the action 'acknowledge'." in texts(response)
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED
    assert FindingReview.objects.filter(finding=finding).count() == 1


def test_the_panel_offers_only_the_actions_the_state_allows(legal_reviewer, client_for):
    finding = FindingFactory()
    finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.RESOLVE, comment="Done")

    page = client_for(legal_reviewer).get(change_url(finding)).content.decode()

    assert 'value="reopen"' in page
    assert 'value="acknowledge"' not in page
    assert 'name="_waive"' not in page  # a resolved finding cannot be waived


# --- Waivers ---------------------------------------------------------------------------------------------


def test_legal_reviewer_waives_with_justification_and_expiry(legal_reviewer, client_for):
    finding = FindingFactory()
    until = timezone.localdate() + dt.timedelta(days=30)

    response = client_for(legal_reviewer).post(
        change_url(finding),
        {"_waive": "1", "justification": "Interpreter vetted by the ICRC delegate", "expires_on": until.isoformat()},
        follow=True,
    )

    finding.refresh_from_db()
    [waiver] = Waiver.objects.filter(finding=finding)
    assert finding.state == FindingState.WAIVED
    assert waiver.granted_by == legal_reviewer
    assert timezone.localtime(waiver.expires_at).date() == until
    assert f"Finding waived until {until:%Y-%m-%d}. It opens again after that day." in texts(response)
    assert "Interpreter vetted by the ICRC delegate" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "expected_message"),
    [
        ({"justification": "", "expires_on": tomorrow_plus()}, "Justification: Give the justification for the waiver."),
        (
            {"justification": "   ", "expires_on": tomorrow_plus()},
            "Justification: Give the justification for the waiver.",
        ),
        ({"justification": "Measures taken", "expires_on": ""}, "Waived until: Give the date the waiver expires"),
        (
            {"justification": "Measures taken", "expires_on": "31/12/2030"},
            "Waived until: Expected a date as YYYY-MM-DD.",
        ),
        (
            {"justification": "Measures taken", "expires_on": "2020-01-01"},
            "Waived until: The expiry must be in the future",
        ),
        (
            {"justification": "Measures taken", "expires_on": tomorrow_plus(0)},
            "Waived until: The expiry must be in the",
        ),
    ],
)
def test_a_bad_waiver_names_the_field_and_writes_nothing(data, expected_message, legal_reviewer, client_for):
    finding = FindingFactory()

    response = client_for(legal_reviewer).post(change_url(finding), {"_waive": "1", **data})

    assert response.status_code == 200
    assert any(message.startswith(expected_message) for message in texts(response)), texts(response)
    assert 'class="errorlist' in response.content.decode()  # the error also stands next to the field
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    assert not Waiver.objects.exists()
    assert not FindingReview.objects.exists()


def test_waiver_list_shows_active_and_expired_waivers(legal_reviewer, client_for):
    active = finding_waive(
        actor=legal_reviewer,
        finding=FindingFactory(),
        justification="Tribunal pending",
        expires_at=timezone.now() + dt.timedelta(days=10),
    )
    expired = finding_waive(
        actor=legal_reviewer,
        finding=FindingFactory(),
        justification="Short grace period",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    Waiver.objects.filter(pk=expired.pk).update(
        granted_at=timezone.now() - dt.timedelta(days=5), expires_at=timezone.now() - dt.timedelta(days=1)
    )

    page = client_for(legal_reviewer).get(reverse("admin:compliance_waiver_changelist")).content.decode()
    only_active = client_for(legal_reviewer).get(reverse("admin:compliance_waiver_changelist") + "?status=active")

    assert "Tribunal pending" in page and "Short grace period" in page
    assert "cbadge-waiver-active" in page and "cbadge-waiver-expired" in page
    assert "Tribunal pending" in only_active.content.decode()
    assert "Short grace period" not in only_active.content.decode()
    assert client_for(legal_reviewer).get(reverse("admin:compliance_waiver_add")).status_code == 403
    assert active.finding.state == FindingState.WAIVED


def test_case_officer_sees_no_waiver_list(case_officer, client_for):
    assert client_for(case_officer).get(reverse("admin:compliance_waiver_changelist")).status_code == 403


# --- Bulk actions ----------------------------------------------------------------------------------------


def test_bulk_acknowledge_goes_through_the_state_machine_and_reports_refusals(legal_reviewer, client_for):
    open_ones = FindingFactory.create_batch(2)
    resolved = FindingFactory()
    finding_review(actor=legal_reviewer, finding=resolved, action=ReviewAction.RESOLVE, comment="Done")

    response = client_for(legal_reviewer).post(
        CHANGELIST,
        {"action": "acknowledge_selected", "_selected_action": [f.pk for f in [*open_ones, resolved]]},
        follow=True,
    )

    states = dict(Finding.objects.values_list("pk", "state"))
    assert [states[f.pk] for f in open_ones] == [FindingState.ACKNOWLEDGED] * 2
    assert states[resolved.pk] == FindingState.RESOLVED
    messages = texts(response)
    assert "Acknowledged 2 findings." in messages
    assert any(m.startswith("1 could not be acknowledged: GC3-17-LANG for") for m in messages)


def test_bulk_resolve_asks_for_a_comment_first(legal_reviewer, client_for):
    findings = FindingFactory.create_batch(2)
    client = client_for(legal_reviewer)
    selected = [f.pk for f in findings]

    confirm = client.post(CHANGELIST, {"action": "resolve_selected", "_selected_action": selected})
    empty = client.post(CHANGELIST, {"action": "resolve_selected", "_selected_action": selected, "apply": "1"})
    assert Finding.objects.filter(state=FindingState.OPEN).count() == 2
    done = client.post(
        CHANGELIST,
        {"action": "resolve_selected", "_selected_action": selected, "apply": "1", "comment": "Cards sent"},
        follow=True,
    )

    assert "Resolve 2 findings" in confirm.content.decode()
    assert "Say why" in empty.content.decode()
    assert "Resolved 2 findings." in texts(done)
    assert set(Finding.objects.values_list("state", flat=True)) == {FindingState.RESOLVED}
    assert set(FindingReview.objects.values_list("comment", flat=True)) == {"Cards sent"}


def test_auditor_cannot_run_bulk_actions(auditor, client_for):
    finding = FindingFactory()

    client_for(auditor).post(CHANGELIST, {"action": "acknowledge_selected", "_selected_action": [finding.pk]})

    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN


# --- The list: filters, report links, query count ---------------------------------------------------------


def test_list_filters_by_rule_severity_state_facility_and_search(legal_reviewer, client_for):
    camp = FacilityFactory(name="Lviv camp")
    lang = FindingFactory(rule_id="GC3-17-LANG", severity="high")
    card = FindingFactory(rule_id="GC3-70-CAPTURECARD", article="GCIII Art. 70", severity="medium")
    card.detainee.family_name = "Kwangmyong"
    card.detainee.save()
    Finding.objects.filter(pk=card.pk).update(facility=camp)
    client = client_for(legal_reviewer)

    def shown(query: str) -> set[int]:
        response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {f.pk for f in response.context["cl"].result_list}

    assert shown("?rule=GC3-70-CAPTURECARD") == {card.pk}
    assert shown("?severity__exact=high") == {lang.pk}
    assert shown("?state__exact=open") == {lang.pk, card.pk}
    assert shown("?outcome__exact=violation") == {lang.pk, card.pk}
    assert shown("?outcome__exact=warning") == set()
    assert shown(f"?facility__id__exact={camp.pk}") == {card.pk}
    assert shown("?q=kwangmyong") == {card.pk}
    assert shown(f"?q={lang.detainee.case_number}") == {lang.pk}
    page = client.get(CHANGELIST).content.decode()
    assert "GC3-17-LANG · Questioning in a language the prisoner understands" in page  # rule filter with titles


def test_seen_between_filter_and_a_bad_date(legal_reviewer, client_for):
    old = FindingFactory(
        first_seen_at=timezone.now() - dt.timedelta(days=90), last_seen_at=timezone.now() - dt.timedelta(days=60)
    )
    recent = FindingFactory()
    client = client_for(legal_reviewer)
    last_week = (timezone.localdate() - dt.timedelta(days=7)).isoformat()

    recent_only = client.get(CHANGELIST + f"?seen_from={last_week}")
    bad = client.get(CHANGELIST + "?seen_from=yesterday")

    assert {f.pk for f in recent_only.context["cl"].result_list} == {recent.pk}
    assert bad.status_code == 200
    assert "Expected a date as YYYY-MM-DD." in bad.content.decode()
    assert {f.pk for f in bad.context["cl"].result_list} == {old.pk, recent.pk}


def test_report_links_carry_the_list_filters(legal_reviewer, client_for):
    FindingFactory()
    camp = FacilityFactory()
    client = client_for(legal_reviewer)

    by_rule = client.get(CHANGELIST + "?rule=GC3-17-LANG&severity__exact=high&state__exact=open").context[
        "report_links"
    ]
    by_facility = client.get(CHANGELIST + f"?facility__id__exact={camp.pk}").context["report_links"]
    by_period = client.get(CHANGELIST + "?seen_from=2026-01-01&seen_to=2026-03-31").context["report_links"]

    rule_report = reverse("compliance:report-rule", kwargs={"rule_id": "GC3-17-LANG"})
    assert [label for label, _ in by_rule] == ["Report", "PDF", "CSV", "SARIF"]
    assert by_rule[0][1] == f"{rule_report}?state=open&severity=high"
    assert by_rule[3][1] == f"{rule_report}?state=open&severity=high&format=sarif"
    assert by_facility[1][1] == reverse("compliance:report-facility", kwargs={"pk": camp.pk}) + "?format=pdf"
    assert by_period[0][1] == reverse("compliance:report-period") + "?start=2026-01-01&end=2026-03-31"
    # The link works for the reviewer (the report view checks its own permission).
    assert client.get(by_rule[0][1]).status_code == 200


def test_findings_list_runs_the_same_queries_for_5_or_25_findings(
    legal_reviewer, client_for, django_assert_num_queries
):
    client = client_for(legal_reviewer)
    client.get(CHANGELIST)  # warm up: content types and permission caches are per process
    for count in (5, 25):
        Finding.objects.all().delete()
        FindingFactory.create_batch(count)
        # 1-2 session and user, 3-4 the user's direct and group permissions, 5 the period start for the report
        # links, 6 the facility filter (facilities that have findings), 7-8 counts (filtered, all),
        # 9 the page of findings joined with their detainee and facility.
        with django_assert_num_queries(9):
            response = client.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == count


def test_finding_page_needs_a_fixed_number_of_queries_whatever_its_history(
    legal_reviewer, client_for, django_assert_max_num_queries
):
    finding = FindingFactory()
    for _ in range(5):
        finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.ACKNOWLEDGE)
        finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.DISPUTE, comment="No")
    client = client_for(legal_reviewer)
    client.get(change_url(finding))

    with django_assert_max_num_queries(20):
        assert client.get(change_url(finding)).status_code == 200


def test_reviewer_permission_alone_is_what_opens_the_actions(client_for):
    """A user given only view_finding + review_finding (no role) can review: the permission is the key."""
    user = UserFactory(username="adhoc")
    user.user_permissions.add(
        Permission.objects.get(codename="view_finding"), Permission.objects.get(codename="review_finding")
    )
    finding = FindingFactory()

    client_for(user).post(change_url(finding), {"review_action": "acknowledge"})

    finding.refresh_from_db()
    assert finding.state == FindingState.ACKNOWLEDGED


def test_one_detainees_findings_have_a_stable_list_url(legal_reviewer, client_for):
    """Other pages (the detainee's) can link to his findings with ?detainee__id__exact=<id>."""
    mine, other = FindingFactory(), FindingFactory()

    response = client_for(legal_reviewer).get(CHANGELIST + f"?detainee__id__exact={mine.detainee_id}")

    assert {f.pk for f in response.context["cl"].result_list} == {mine.pk}
    assert other.pk != mine.pk


def test_show_counts_works_with_every_filter(legal_reviewer, client_for):
    FindingFactory(rule_id="GC3-70-CAPTURECARD")
    FindingFactory()
    client = client_for(legal_reviewer)

    response = client.get(CHANGELIST + "?_facets=True&seen_from=2020-01-01")
    waivers = client.get(reverse("admin:compliance_waiver_changelist") + "?_facets=True")

    assert response.status_code == 200
    assert (
        "GC3-70-CAPTURECARD · Capture card to the family and the Central Tracing Agency (1)"
        in response.content.decode()
    )
    assert waivers.status_code == 200


def test_auditor_reads_the_review_log_of_every_finding(legal_reviewer, auditor, case_officer, client_for):
    finding = FindingFactory()
    finding_review(actor=legal_reviewer, finding=finding, action=ReviewAction.DISPUTE, comment="Interpreter was vetted")
    log = reverse("admin:compliance_findingreview_changelist")

    page = client_for(auditor).get(log).content.decode()

    assert "Interpreter was vetted" in page
    assert "Open → Disputed" in page
    assert client_for(case_officer).get(log).status_code == 403
