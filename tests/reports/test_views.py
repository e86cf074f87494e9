"""Report views: who may read them, what a reviewer sees, and the formats they download in."""

from __future__ import annotations

import json
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import FindingFactory

READERS = ["legal_reviewer", "auditor", "case_officer"]
NON_READERS = ["medical_officer", "exchange_coordinator", "outsider"]


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def lang_finding(korean_soldier):
    return FindingFactory(
        detainee=korean_soldier,
        evidence={"session_language": "ukr", "detainee_languages": ["kor"], "fit_for_questioning": False},
    )


@pytest.mark.parametrize("persona", READERS, indirect=True)
def test_reporting_roles_read_a_detainee_report(persona, client_for, lang_finding):
    response = client_for(persona).get(reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("persona", NON_READERS, indirect=True)
def test_other_roles_may_not_read_reports(persona, client_for, lang_finding, facility):
    client = client_for(persona)
    for url in (
        reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}),
        reverse("compliance:report-facility", kwargs={"pk": facility.pk}),
        reverse("compliance:report-rule", kwargs={"rule_id": "GC3-17-LANG"}) + "?format=sarif",
        reverse("compliance:report-period") + "?start=2025-01-01&end=2025-12-31",
        reverse("compliance:report-index"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_users_are_sent_to_the_login_page(lang_finding):
    response = Client().get(reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_detainee_report_shows_rule_article_explanation_evidence_and_review(client_for, legal_reviewer, lang_finding):
    from compliance.models import FindingReview

    FindingReview.objects.create(
        finding=lang_finding,
        action="dispute",
        from_state="open",
        to_state="disputed",
        actor=legal_reviewer,
        comment="The interpreter spoke Korean: check the session log.",
    )
    html = (
        client_for(legal_reviewer)
        .get(reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}))
        .content.decode()
    )
    assert "GC3-17-LANG v1" in html
    assert "GCIII Art. 17(6)" in html
    assert "Questioned in a language he does not understand." in html
    assert "session language" in html and "ukr" in html
    assert "The interpreter spoke Korean: check the session log." in html
    assert "리철수" in html
    assert "Kursk region" in html  # his capture, from the dossier


def test_medical_details_never_reach_a_role_without_the_medical_permission(
    client_for, case_officer, auditor, legal_reviewer, lang_finding, tmp_path
):
    url = reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id})
    for user in (case_officer, auditor):
        client = client_for(user)
        html = client.get(url).content.decode()
        assert "Shrapnel wound" not in html and "Fractured jaw" not in html
        assert "your role does not include permission to view medical details" in html
        assert "[withheld: medical detail]" in html  # the fit-for-questioning evidence
        sarif = client.get(url + "?format=sarif").content.decode()
        assert '"fit_for_questioning": false' not in sarif and "withheld: medical detail" in sarif
        pdf_text = _pdf_text(client.get(url + "?format=pdf").content, tmp_path)
        assert "Shrapnel" not in pdf_text and "Slightly wounded" not in pdf_text
    html = client_for(legal_reviewer).get(url).content.decode()
    assert "Shrapnel wound, left forearm" in html


def test_pdf_has_cover_contents_marking_page_numbers_and_embeds_a_korean_font(
    client_for, legal_reviewer, lang_finding, tmp_path
):
    response = client_for(legal_reviewer).get(
        reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}) + "?format=pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="compliance-detainee-')
    content = response.content
    text = _pdf_text(content, tmp_path)
    assert "Contents" in text and "Rules cited" in text
    pages = text.split("\f")[:-1]
    assert all("CONFIDENTIAL" in page for page in pages)
    assert f"Page 1 of {len(pages)}" in text and f"Page {len(pages)} of {len(pages)}" in text
    assert "Generated" in text and "GCIII Art. 17(6)" in text
    # Text extraction finds Hangul even when it prints as empty boxes: check that a Korean font is embedded.
    fonts = subprocess.run(["pdffonts", str(tmp_path / "report.pdf")], capture_output=True, text=True).stdout
    assert "NanumGothic" in fonts


def test_facility_report_csv_and_sarif_hold_the_same_selection(client_for, legal_reviewer, facility, findings_for):
    findings_for(7)
    FindingFactory(state="resolved")  # another facility: not in the selection
    url = reverse("compliance:report-facility", kwargs={"pk": facility.pk})
    client = client_for(legal_reviewer)
    csv_lines = client.get(url + "?format=csv").content.decode("utf-8-sig").strip().splitlines()
    sarif = json.loads(client.get(url + "?format=sarif").content)
    assert len(csv_lines) == 1 + 7
    assert len(sarif["runs"][0]["results"]) == 7
    html = client.get(url + "?state=resolved").content.decode()
    assert "No findings in this selection." in html


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?format=docx", "format"),
        ("?state=closed", "state"),
        ("?start=yesterday", "start"),
        ("?severity=extreme", "severity"),
    ],
)
def test_bad_parameters_give_a_400_naming_the_parameter(client_for, legal_reviewer, lang_finding, query, field):
    response = client_for(legal_reviewer).get(
        reverse("compliance:report-detainee", kwargs={"pk": lang_finding.detainee_id}) + query
    )
    assert response.status_code == 400
    assert f"<code>{field}</code>" in response.content.decode()


def test_period_report_needs_both_dates(client_for, legal_reviewer):
    response = client_for(legal_reviewer).get(reverse("compliance:report-period") + "?start=2025-01-01")
    assert response.status_code == 400
    assert "<code>start</code>" in response.content.decode()


def test_rule_and_period_reports_open_in_the_browser(client_for, auditor, lang_finding):
    client = client_for(auditor)
    html = client.get(reverse("compliance:report-rule", kwargs={"rule_id": "GC3-17-LANG"})).content.decode()
    assert lang_finding.detainee.case_number in html
    day = lang_finding.first_seen_at.date().isoformat()
    html = client.get(reverse("compliance:report-period") + f"?start={day}&end={day}").content.decode()
    assert lang_finding.detainee.case_number in html
    assert "<svg" in html  # the charts are drawn on the server


def test_missing_detainee_is_a_404(client_for, legal_reviewer, db):
    assert (
        client_for(legal_reviewer).get(reverse("compliance:report-detainee", kwargs={"pk": 999999})).status_code == 404
    )


def test_report_index_lists_facilities_and_rules(client_for, legal_reviewer, lang_finding):
    html = client_for(legal_reviewer).get(reverse("compliance:report-index")).content.decode()
    assert "Camp West-7" in html and "GC3-17-LANG" in html


def test_findings_of_medical_rules_keep_their_rule_but_not_their_medical_content(
    client_for, case_officer, legal_reviewer, korean_soldier
):
    FindingFactory(
        detainee=korean_soldier,
        rule_id="GC3-109-DIRECTREPAT",
        article="GCIII Arts. 109(1),(3), 110, 112",
        outcome="warning",
        message="He is recorded as seriously wounded, but no Mixed Medical Commission has examined him.",
        evidence={"health_category": "seriously_wounded", "proposal_reference": "EX-2025-0001"},
    )
    url = reverse("compliance:report-detainee", kwargs={"pk": korean_soldier.pk})
    officer = client_for(case_officer)
    html = officer.get(url).content.decode()
    assert "GC3-109-DIRECTREPAT" in html
    assert "seriously wounded, but" not in html and "EX-2025-0001" not in html
    assert "this finding describes medical details" in html
    csv_text = officer.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "seriously wounded, but" not in csv_text and "seriously_wounded" not in csv_text
    assert "seriously wounded, but" in client_for(legal_reviewer).get(url).content.decode()


def test_the_facility_page_costs_the_same_queries_for_5_or_50_findings(
    client_for, legal_reviewer, facility, findings_for
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(legal_reviewer)
    url = reverse("compliance:report-facility", kwargs={"pk": facility.pk})
    counts = []
    for n in (5, 45):  # 5 findings, then 50
        findings_for(n)
        client.get(url)  # warm the session and permission caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
