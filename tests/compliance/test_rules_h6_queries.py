"""The repatriation, information, visit, child, transfer, evacuation, effects and medical-certificate rules are
set-based: evaluating a chunk costs the same number of queries for 3 detainees as for 30."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.engine import evaluate_chunk
from compliance.models import Finding
from compliance.signals import findings_opened
from powcases.choices import (
    Affiliation,
    CustodyEventKind,
    DatePrecision,
    DenialGround,
    DocumentKind,
    ExchangeStatus,
    HealthCategory,
    QuartersKind,
    RepatriationWishChoice,
)
from tests.factories import (
    CaptureFactory,
    CustodyEventFactory,
    DetaineeFactory,
    ExchangeProposalFactory,
    FacilityFactory,
    IdentityDocumentFactory,
    InformationNotificationFactory,
    InterpreterFactory,
    LanguageSkillFactory,
    MedicalAssessmentFactory,
    RepatriationWishFactory,
    RiskAssessmentFactory,
    VisitFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULES = [
    "GC3-118-REPAT",
    "GC3-122-INFO",
    "GC3-126-VISITS",
    "API-77-CHILD",
    "GC3-109-DIRECTREPAT",
    "GC3-12-TRANSFER",
    "GC3-19-EVAC",
    "GC3-18-EFFECTS",
    "GC3-30-MEDICAL",
]


def population(size: int) -> list[int]:
    """`size` detainees whose records touch every table these rules read, with a mix of breaches."""
    camp = FacilityFactory()
    VisitFactory(facility=camp, granted=False, visited_at=None, denial_ground=DenialGround.OTHER)
    proposal = ExchangeProposalFactory(status=ExchangeStatus.PROPOSED)
    interpreter = InterpreterFactory(
        affiliation=Affiliation.THIRD_STATE, affiliation_state="KR", languages=["ukr", "kor"]
    )
    ids = []
    for n in range(size):
        detainee = DetaineeFactory(
            current_facility=camp,
            date_of_birth=dt.date(2008 if n % 2 else 1995, 1, 1),
            date_of_birth_precision=DatePrecision.YEAR,
            quarters=QuartersKind.ADULTS,
        )
        LanguageSkillFactory(detainee=detainee, language="kor")
        CaptureFactory(detainee=detainee, captured_at=days_ago(20))
        InformationNotificationFactory(detainee=detainee, event_at=days_ago(20), sent_at=days_ago(19))
        CustodyEventFactory(
            detainee=detainee, kind=CustodyEventKind.HOSPITALISATION, to_facility=None, occurred_at=days_ago(15)
        )
        CustodyEventFactory(
            detainee=detainee,
            kind=CustodyEventKind.TRANSFER_TO_POWER,
            to_facility=None,
            to_power="PL",
            to_power_party_to_convention=True,
            to_power_willing_and_able=None,
            occurred_at=days_ago(2),
        )
        MedicalAssessmentFactory(
            detainee=detainee,
            health_category=HealthCategory.SERIOUSLY_WOUNDED,
            manifestly_seriously_ill=True,
            certificate_requested=True,
            assessed_at=days_ago(40),
        )
        IdentityDocumentFactory(detainee=detainee, kind=DocumentKind.PASSPORT, seized=True, seized_at=days_ago(5))
        VisitFactory(detainee=detainee, facility=camp, private_interview=False)
        proposal.outgoing_members.create(detainee=detainee)
        wish = RepatriationWishFactory(
            detainee=detainee, wish=RepatriationWishChoice.DOES_NOT_WISH_TO_RETURN, language="ukr"
        )
        wish.interpreters.set([interpreter])
        RiskAssessmentFactory(detainee=detainee, completed_at=None)
        ids.append(detainee.pk)
    return ids


@pytest.fixture
def without_webhook_outbox():
    """Leave out the integrations receiver: it queries the subscriptions once per critical finding it announces
    (integrations.outbox.publish), which is that module's cost, not the rules'. Reported to the coordinator."""
    from integrations.receivers import on_findings_opened

    disconnected = findings_opened.disconnect(dispatch_uid="integrations.findings_opened")
    yield
    if disconnected:
        findings_opened.connect(on_findings_opened, dispatch_uid="integrations.findings_opened")


def test_query_count_does_not_grow_with_the_number_of_detainees(django_assert_num_queries, without_webhook_outbox):
    warm_up, small, large = population(3), population(3), population(30)
    evaluate_chunk(warm_up, RULES)  # fills Django's content-type cache, as in a running sweep

    with CaptureQueriesContext(connection) as small_queries:
        evaluate_chunk(small, RULES)
    with django_assert_num_queries(len(small_queries.captured_queries)):
        evaluate_chunk(large, RULES)

    rules_with_findings = set(Finding.objects.filter(detainee_id__in=large).values_list("rule_id", flat=True))
    assert rules_with_findings == set(RULES) - {"GC3-109-DIRECTREPAT"}  # 109 defers to 118 (he refuses to return)
