"""Links to reports for the admin pages (detainee, facility, findings list)."""

from __future__ import annotations

from compliance.models import Finding
from compliance.reports.links import report_links_for, report_links_html
from powcases.models import Detainee
from tests.factories import FindingFactory


def test_detainee_links_reach_his_report_and_cards(client_for, legal_reviewer, korean_soldier):
    links = dict(report_links_for(korean_soldier))
    assert set(links) == {
        "Compliance report",
        "PDF",
        "Capture card (Annex IV B)",
        "Identity card (Art. 17(3))",
        "Notice of rights (Art. 17)",
    }
    client = client_for(legal_reviewer)
    assert all(client.get(url).status_code == 200 for url in links.values() if "format=pdf" not in url)


def test_facility_finding_and_findings_list_links(korean_soldier):
    finding = FindingFactory(detainee=korean_soldier)
    assert dict(report_links_for(korean_soldier.current_facility))["SARIF"].endswith("?format=sarif")
    finding_links = dict(report_links_for(finding))
    assert finding_links["Detainee report"].endswith(f"#finding-{finding.pk}")
    assert finding_links["All GC3-17-LANG findings"] == "/compliance/reports/rule/GC3-17-LANG/"
    assert report_links_for(Finding) == [("Reports", "/compliance/reports/")]
    assert report_links_for(Detainee()) == []
    assert 'href="/compliance/reports/detainee/' in report_links_html(korean_soldier)


def test_the_detainee_and_facility_admin_pages_link_to_their_reports(
    client_for, legal_reviewer, medical_officer, korean_soldier
):
    from django.urls import reverse

    report = reverse("compliance:report-detainee", kwargs={"pk": korean_soldier.pk})
    page = client_for(legal_reviewer).get(reverse("admin:powcases_detainee_change", args=[korean_soldier.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{report}"' in html
    assert reverse("compliance:card-capture", kwargs={"pk": korean_soldier.pk}) in html
    facility_page = client_for(legal_reviewer).get(
        reverse("admin:powcases_facility_change", args=[korean_soldier.current_facility_id])
    )
    assert reverse("compliance:report-facility", kwargs={"pk": korean_soldier.current_facility_id}) in (
        facility_page.content.decode()
    )
    # A medical officer sees the detainee but may not read reports: no report link for him.
    medic_page = client_for(medical_officer).get(reverse("admin:powcases_detainee_change", args=[korean_soldier.pk]))
    assert medic_page.status_code == 200 and f'href="{report}"' not in medic_page.content.decode()
