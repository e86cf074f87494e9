"""The rules of Arts. 5, 17 (identity, fitness, conduct), 22, 31 and 41 stay set-based: the query count of a chunk
does not grow with the number of detainees in it."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.engine import evaluate_chunk
from compliance.models import Finding
from compliance.signals import findings_opened, findings_resolved
from powcases.choices import DetaineeStatus, PostedTextKind, TribunalOutcome
from powcases.models import Facility, IdentityDocument, Interrogation, MedicalAssessment
from tests.factories import (
    CaptureFactory,
    DetaineeFactory,
    FacilityFactory,
    FacilityPostedTextFactory,
    IdentityDocumentFactory,
    InterrogationFactory,
    LanguageSkillFactory,
    MedicalAssessmentFactory,
    days_ago,
)

pytestmark = pytest.mark.django_db

RULES = [
    "GC3-5-DOUBT",
    "GC3-17-UNABLE",
    "GC3-17-IDCARD",
    "GC3-17-QUESTIONING",
    "GC3-22-LANGGROUP",
    "GC3-31-MONTHLY",
    "GC3-41-POSTED",
]


@pytest.fixture
def engine_only():
    """Disconnect the receivers of the engine's signals so only the engine's own queries are counted."""
    saved = findings_opened.receivers, findings_resolved.receivers
    findings_opened.receivers, findings_resolved.receivers = [], []
    findings_opened.sender_receivers_cache.clear()
    findings_resolved.sender_receivers_cache.clear()
    yield
    findings_opened.receivers, findings_resolved.receivers = saved
    findings_opened.sender_receivers_cache.clear()
    findings_resolved.sender_receivers_cache.clear()


def _population(size: int) -> list[int]:
    """Detainees that each give a finding under every one of these rules, each alone in his own camp."""
    ids = []
    for _ in range(size):
        camp = FacilityFactory()
        FacilityPostedTextFactory(facility=camp, kind=PostedTextKind.CONVENTION, language="ukr")
        detainee = DetaineeFactory(
            current_facility=camp,
            status=DetaineeStatus.STATUS_IN_DOUBT,
            status_doubt_since=days_ago(60),
            tribunal_outcome=TribunalOutcome.PENDING,
        )
        LanguageSkillFactory(detainee=detainee, language="kor")
        CaptureFactory(detainee=detainee, captured_at=days_ago(80), wounded_at_capture=True)
        MedicalAssessmentFactory(detainee=detainee, assessed_at=days_ago(50), fit_for_questioning=False)
        IdentityDocumentFactory(detainee=detainee, in_another_persons_name=True)
        InterrogationFactory(detainee=detainee, started_at=days_ago(40), language="kor", coercion_alleged=True)
        ids.append(detainee.pk)
    return ids


def test_these_rules_run_the_same_number_of_queries_for_3_and_for_30_detainees(django_assert_num_queries, engine_only):
    small, large = _population(3), _population(30)
    ContentType.objects.get_for_models(Facility, IdentityDocument, Interrogation, MedicalAssessment)  # warm cache

    with CaptureQueriesContext(connection) as small_queries:
        evaluate_chunk(small, rule_ids=RULES)
    assert {f.rule_id for f in Finding.objects.filter(detainee_id__in=small)} == set(RULES)

    # savepoint; SET LOCAL statement_timeout; lock the detainees; existing findings; tables: detainees, capture,
    # custody events, medical assessments, documents, interrogations + interpreter links, languages, facilities,
    # posted texts, facility language population; writes: insert findings and their history; release savepoint.
    with django_assert_num_queries(len(small_queries)):
        evaluate_chunk(large, rule_ids=RULES)
    assert Finding.objects.filter(detainee_id__in=large).count() == 30 * len(
        {(f.rule_id, f.fingerprint) for f in Finding.objects.filter(detainee_id=small[0])}
    )
