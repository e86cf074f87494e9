"""Fixtures of the report tests: private storage in a temporary directory, and a small case file."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    CaptureFactory,
    DetaineeFactory,
    FacilityFactory,
    FindingFactory,
    LanguageSkillFactory,
    MedicalAssessmentFactory,
)


@pytest.fixture(autouse=True)
def eager_celery():
    """Run report builds in process (pytest-django loads the settings before the root conftest's eager default)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def facility(db):
    return FacilityFactory(name="Camp West-7", code="camp-west-7")


@pytest.fixture
def korean_soldier(facility):
    """One of the article's soldiers: reads and speaks only Korean, name also in Hangul, birth year only."""
    detainee = DetaineeFactory(
        family_name="Ri",
        given_names="Chol-su",
        family_name_original="리",
        given_names_original="철수",
        original_script="Hang",
        rank="Private",
        service_number="KPA-2004-117",
        date_of_birth=dt.date(2004, 1, 1),
        date_of_birth_precision="year",
        nationality="KP",
        power_depends_on="KP",
        armed_force="Korean People's Army",
        current_facility=facility,
    )
    LanguageSkillFactory(detainee=detainee, language="kor", reads=True, writes=True, is_native=True)
    CaptureFactory(detainee=detainee, captured_at=timezone.now() - dt.timedelta(days=40), place="Kursk region")
    MedicalAssessmentFactory(
        detainee=detainee,
        health_category="slightly_wounded",
        conditions="Shrapnel wound, left forearm",
        injuries="Fractured jaw",
    )
    return detainee


@pytest.fixture
def findings_for(facility):
    """Create n findings in the facility, spread over detainees and rules."""

    def make(n: int, **kwargs):
        rules = ["GC3-17-LANG", "GC3-70-CAPTURECARD", "GC3-122-INFO"]
        detainees = [DetaineeFactory(current_facility=facility) for _ in range(max(1, n // 5))]
        return [
            FindingFactory(
                detainee=detainees[i % len(detainees)],
                rule_id=rules[i % len(rules)],
                **kwargs,
            )
            for i in range(n)
        ]

    return make
