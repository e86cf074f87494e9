"""The roles (Django groups) and what each may do in the case record.

Groups are created by a migration; `sync_role_permissions` grants the permissions declared here and
runs again after every `migrate`, so a model added later is covered without another data migration.
Other apps declare their own grants in the same form (`compliance.roles`) and call the same function.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

CASE_OFFICER = "Case officer"
MEDICAL_OFFICER = "Medical officer"
LEGAL_REVIEWER = "Legal reviewer"
EXCHANGE_COORDINATOR = "Exchange coordinator"
AUDITOR = "Auditor"
ROLES = (CASE_OFFICER, MEDICAL_OFFICER, LEGAL_REVIEWER, EXCHANGE_COORDINATOR, AUDITOR)

# Models whose rows are the case file's details (deleted with care, by case officers only).
_CHILD_RECORDS = (
    "detaineealias",
    "languageskill",
    "identitydocument",
    "custodyevent",
    "capturecard",
    "informationnotification",
    "visit",
    "repatriationwish",
    "riskassessment",
    "interpreterlanguage",
    "facilitypostedtext",
    "mediaitem",
    "capture",
    "interrogation",
)
_NON_MEDICAL = (
    "facility",
    "detainee",
    "interpreter",
    "exchangeproposal",
    "exchangeoutgoing",
    "exchangeincoming",
    *_CHILD_RECORDS,
)
_EXCHANGE = ("exchangeproposal", "exchangeoutgoing", "exchangeincoming")


def _perms(actions: Sequence[str], models: Sequence[str]) -> list[str]:
    return [f"{action}_{model}" for action in actions for model in models]


# Role -> permission codenames in the `powcases` app.
POWCASES_ROLE_PERMISSIONS: dict[str, list[str]] = {
    CASE_OFFICER: [
        *_perms(("view", "add", "change"), _NON_MEDICAL),
        *_perms(("delete",), _CHILD_RECORDS),
        "view_exchangetransition",
    ],
    MEDICAL_OFFICER: [
        "view_detainee",
        "view_facility",
        "view_languageskill",
        "view_capture",
        "view_custodyevent",
        *_perms(("view", "add", "change"), ("medicalassessment",)),
        "view_medical_details",
    ],
    LEGAL_REVIEWER: [
        *_perms(("view",), (*_NON_MEDICAL, "medicalassessment", "exchangetransition")),
        "view_medical_details",
    ],
    EXCHANGE_COORDINATOR: [
        *_perms(
            ("view",),
            (
                "detainee",
                "facility",
                "languageskill",
                "capture",
                "repatriationwish",
                "riskassessment",
                "interpreter",
                "exchangetransition",
            ),
        ),
        *_perms(("view", "add", "change"), _EXCHANGE),
        *_perms(("delete",), ("exchangeoutgoing", "exchangeincoming")),
    ],
    AUDITOR: _perms(("view",), (*_NON_MEDICAL, "exchangetransition")),
}


def sync_role_permissions(apps, app_label: str, role_permissions: Mapping[str, Sequence[str]]) -> None:
    """Create the role groups if needed and grant them the declared permissions of one app.

    Works with the historical app registry of a migration (`apps`) and with the live one.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for role, codenames in role_permissions.items():
        group = Group.objects.get(name=role)
        wanted = Permission.objects.filter(content_type__app_label=app_label, codename__in=list(codenames))
        group.permissions.add(*wanted)
