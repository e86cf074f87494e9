"""Interpreters, interrogations, capture cards, repatriation wishes and medical assessments."""

from __future__ import annotations

import pytest

from powcases.models import MedicalAssessment
from tests.factories import (
    CaptureCardFactory,
    DetaineeFactory,
    InterpreterFactory,
    InterrogationFactory,
    MedicalAssessmentFactory,
    RepatriationWishFactory,
    days_ago,
)

from .base import WriteContract


class TestInterpreterEndpoint(WriteContract):
    url = "/api/v1/interpreters/"
    readers = {"case_officer", "legal_reviewer", "exchange_coordinator", "auditor"}
    writers = {"case_officer"}

    def make(self):
        return InterpreterFactory()

    def create_payload(self) -> dict:
        return {"name": "Kim Yong", "languages": ["ko", "uk-UA"], "affiliation": "third_state", "vetted": True}

    def update_payload(self) -> dict:
        return {"languages": ["kor"], "vetted": False}

    def check_created(self, data: dict) -> None:
        assert data["languages"] == ["kor", "ukr"]


class TestInterrogationEndpoint(WriteContract):
    url = "/api/v1/interrogations/"
    readers = {"case_officer", "legal_reviewer", "auditor"}
    writers = {"case_officer"}

    def make(self):
        return InterrogationFactory(interpreters=[InterpreterFactory()])

    def create_payload(self) -> dict:
        interpreter = InterpreterFactory(languages=["kor", "ukr"])
        return {
            "detainee": DetaineeFactory().pk,
            "started_at": "2025-01-10T09:00:00Z",
            "ended_at": "2025-01-10T11:00:00Z",
            "language": "uk",
            "mode": "oral",
            "interpreters": [interpreter.pk],
        }

    def update_payload(self) -> dict:
        return {"mode": "written", "interpreters": []}

    def check_created(self, data: dict) -> None:
        assert data["language"] == "ukr"
        assert len(data["interpreters"]) == 1


class TestCaptureCardEndpoint(WriteContract):
    url = "/api/v1/capture-cards/"
    readers = {"case_officer", "legal_reviewer", "auditor"}
    writers = {"case_officer"}

    def make(self):
        return CaptureCardFactory()

    def create_payload(self) -> dict:
        return {"detainee": DetaineeFactory().pk, "offered_at": "2025-01-10T09:00:00Z", "declined": False}

    def update_payload(self) -> dict:
        return {"sent_to_cta_at": days_ago(1).isoformat().replace("+00:00", "Z")}


class TestRepatriationWishEndpoint(WriteContract):
    url = "/api/v1/repatriation-wishes/"
    readers = {"case_officer", "legal_reviewer", "exchange_coordinator", "auditor"}
    writers = {"case_officer"}

    def make(self):
        return RepatriationWishFactory()

    def create_payload(self) -> dict:
        return {
            "detainee": DetaineeFactory().pk,
            "wish": "does_not_wish_to_return",
            "recorded_at": "2025-01-12T09:00:00Z",
            "language": "ko",
            "interpreters": [InterpreterFactory().pk],
        }

    def update_payload(self) -> dict:
        return {"wish": "undecided"}

    def check_created(self, data: dict) -> None:
        assert data["language"] == "kor"


class TestMedicalAssessmentEndpoint(WriteContract):
    url = "/api/v1/medical-assessments/"
    readers = {"medical_officer", "legal_reviewer"}
    writers = {"medical_officer"}

    def make(self):
        return MedicalAssessmentFactory()

    def create_payload(self) -> dict:
        return {
            "detainee": DetaineeFactory().pk,
            "assessed_at": "2025-01-10T08:00:00Z",
            "fit_for_questioning": False,
            "can_speak": True,
            "seriously_wounded": True,
            "weight_kg": "61.5",
        }

    def update_payload(self) -> dict:
        return {"fit_for_questioning": True}

    def check_created(self, data: dict) -> None:
        assert data["seriously_wounded"] is True
        assert data["health_category"] == "seriously_wounded"


def test_seriously_wounded_false_clears_the_category(root_api):
    assessment = MedicalAssessmentFactory(health_category="seriously_wounded")
    response = root_api.patch(f"/api/v1/medical-assessments/{assessment.pk}/", {"seriously_wounded": False})
    assert response.json()["seriously_wounded"] is None
    assert MedicalAssessment.objects.get(pk=assessment.pk).health_category == ""


@pytest.mark.parametrize("weight", ["5", "1e400", "99999999999999999999", "abc"])
def test_implausible_weight_is_400(root_api, weight):
    payload = {"detainee": DetaineeFactory().pk, "assessed_at": "2025-01-10T08:00:00Z", "weight_kg": weight}
    response = root_api.post("/api/v1/medical-assessments/", payload, format="json")
    assert response.status_code == 400
    assert "weight_kg" in response.json()


@pytest.mark.parametrize("detainee", [999_999_999, 2**70, "abc", None])
def test_unknown_or_malformed_detainee_id_is_400(root_api, detainee):
    payload = {"detainee": detainee, "started_at": "2025-01-10T09:00:00Z", "language": "uk"}
    response = root_api.post("/api/v1/interrogations/", payload, format="json")
    assert response.status_code == 400
    assert "detainee" in response.json()


def test_unknown_interpreter_id_is_named(root_api):
    payload = {
        "detainee": DetaineeFactory().pk,
        "started_at": "2025-01-10T09:00:00Z",
        "language": "uk",
        "interpreters": [424242],
    }
    response = root_api.post("/api/v1/interrogations/", payload, format="json")
    assert response.status_code == 400
    assert "424242" in response.json()["interpreters"][0]


def test_session_ending_before_it_starts_is_400_on_ended_at(root_api):
    payload = {
        "detainee": DetaineeFactory().pk,
        "started_at": "2025-01-10T09:00:00Z",
        "ended_at": "2025-01-10T08:00:00Z",
        "language": "uk",
    }
    response = root_api.post("/api/v1/interrogations/", payload, format="json")
    assert response.status_code == 400
    assert "ended_at" in response.json()


def test_interrogations_filter_by_detainee(root_api):
    mine = InterrogationFactory()
    InterrogationFactory()
    response = root_api.get("/api/v1/interrogations/", {"detainee": mine.detainee_id})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert root_api.get("/api/v1/interrogations/", {"detainee": "x"}).status_code == 400
