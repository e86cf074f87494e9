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
