"""What each role may do in the compliance module (see powcases.roles for the mechanism)."""

from powcases.roles import AUDITOR, CASE_OFFICER, EXCHANGE_COORDINATOR, LEGAL_REVIEWER, MEDICAL_OFFICER

COMPLIANCE_ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEGAL_REVIEWER: [
        "view_finding",
        "change_finding",
        "review_finding",
        "view_findingreview",
        "view_waiver",
        "add_waiver",
        "view_compliancerun",
        "add_compliancerun",
        "view_report",
        "add_report",
        "view_reportdownload",
    ],
    CASE_OFFICER: ["view_finding", "view_compliancerun", "view_report", "add_report"],
    MEDICAL_OFFICER: ["view_finding"],
    EXCHANGE_COORDINATOR: ["view_finding"],
    AUDITOR: [
        "view_finding",
        "view_findingreview",
        "view_waiver",
        "view_compliancerun",
        "view_report",
        "view_reportdownload",
    ],
}
