"""CSV and SARIF 2.1.0 exports: other tools read what a reviewer reads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from django.utils import timezone

from compliance.models import Waiver
from compliance.reports import exports
from compliance.reports.selectors import Selection, build_report_data
from tests.factories import FindingFactory


def _data(detainee, user):
    return build_report_data(Selection(scope="detainee", detainee_id=detainee.pk), user=user)


def _waive(finding, user, *, days: int, revoked: bool = False) -> Waiver:
    now = timezone.now()
    return Waiver.objects.create(
        finding=finding,
        justification="Session repeated with a Korean interpreter of the ICRC.",
        granted_by=user,
        granted_at=now - dt.timedelta(days=40),
        expires_at=now + dt.timedelta(days=days),
        revoked_at=now if revoked else None,
    )


def test_csv_has_one_row_per_finding_with_rule_article_evidence_and_waiver(korean_soldier, legal_reviewer):
    waived = FindingFactory(detainee=korean_soldier, state="waived")
    _waive(waived, legal_reviewer, days=10)
    FindingFactory(detainee=korean_soldier, rule_id="GC3-70-CAPTURECARD", article="GCIII Art. 70", outcome="warning")
    content = exports.to_csv(_data(korean_soldier, legal_reviewer))
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 2
    by_rule = {row["rule_id"]: row for row in rows}
    assert by_rule["GC3-17-LANG"]["article"] == "GCIII Art. 17(6)"
    assert by_rule["GC3-17-LANG"]["waiver_active"] == "yes"
    assert by_rule["GC3-17-LANG"]["waiver_granted_by"] == "lawyer"
    assert json.loads(by_rule["GC3-17-LANG"]["evidence"]) == {"detainee_languages": ["kor"], "session_language": "ukr"}
    assert by_rule["GC3-70-CAPTURECARD"]["outcome"] == "warning"
    assert by_rule["GC3-70-CAPTURECARD"]["detainee_name"].startswith("RI Chol-su (리철수)")


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised(korean_soldier, legal_reviewer):
    FindingFactory(detainee=korean_soldier, message='=HYPERLINK("http://evil.example","x")')
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(_data(korean_soldier, legal_reviewer)).decode("utf-8-sig"))))
    assert rows[0]["message"].startswith("'=HYPERLINK")


def test_sarif_follows_the_2_1_0_structure(korean_soldier, legal_reviewer):
    active = FindingFactory(detainee=korean_soldier, state="waived", outcome="violation")
    _waive(active, legal_reviewer, days=10)
    expired = FindingFactory(
        detainee=korean_soldier, outcome="warning", rule_id="GC3-70-CAPTURECARD", article="GCIII Art. 70"
    )
    _waive(expired, legal_reviewer, days=-1)
    revoked = FindingFactory(detainee=korean_soldier, outcome="insufficient_data", rule_id="GC3-122-INFO")
    _waive(revoked, legal_reviewer, days=10, revoked=True)

    sarif = json.loads(exports.to_sarif(_data(korean_soldier, legal_reviewer)))

    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].endswith("sarif-2.1.0.json")
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert sorted(rule_ids) == ["GC3-122-INFO", "GC3-17-LANG", "GC3-70-CAPTURECARD"]
    assert len(set(rule_ids)) == len(rule_ids)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert set(rule["properties"]) >= {"severity", "article"}
        assert " " not in rule["name"]
    results = {r["properties"]["findingId"]: r for r in run["results"]}
    assert len(results) == 3
    for result in results.values():
        # Every result points at a rule of the driver, by id and by index.
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        assert result["level"] in {"error", "warning", "note"}
        assert "kind" not in result or result["kind"] == "fail"
        logical = result["locations"][0]["logicalLocations"][0]
        assert logical["name"] == korean_soldier.case_number
        assert logical["fullyQualifiedName"] == f"detainee:{korean_soldier.case_number}"
        assert result["partialFingerprints"]["findingFingerprint/v1"]
        assert isinstance(result["suppressions"], list)
        assert "evidence" in result["properties"] and "state" in result["properties"]

    assert results[active.pk]["level"] == "error"
    assert results[active.pk]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Session repeated with a Korean interpreter of the ICRC.",
            "properties": results[active.pk]["suppressions"][0]["properties"],
        }
    ]
    assert results[active.pk]["suppressions"][0]["properties"]["grantedBy"] == "lawyer"
    # An expired or revoked waiver suppresses nothing, but stays on record in the properties.
    assert results[expired.pk]["level"] == "warning" and results[expired.pk]["suppressions"] == []
    assert results[revoked.pk]["level"] == "note" and results[revoked.pk]["suppressions"] == []
    assert results[revoked.pk]["properties"]["waivers"][0]["revokedAt"]


def test_sarif_names_the_record_a_finding_is_about(korean_soldier, legal_reviewer):
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import InterrogationFactory

    session = InterrogationFactory(detainee=korean_soldier, language="ukr")
    FindingFactory(
        detainee=korean_soldier, subject_type=ContentType.objects.get_for_model(session), subject_id=session.pk
    )
    result = json.loads(exports.to_sarif(_data(korean_soldier, legal_reviewer)))["runs"][0]["results"][0]
    subject = result["locations"][0]["logicalLocations"][1]
    assert subject["name"] == f"interrogation#{session.pk}"
    assert subject["parentIndex"] == 0
