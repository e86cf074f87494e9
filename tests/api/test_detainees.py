"""/api/v1/detainees/: identity, capture, languages and the latest repatriation wish."""

from __future__ import annotations

import datetime as dt

import pytest

from powcases.models import Capture, Detainee
from tests.factories import CaptureFactory, DetaineeFactory, LanguageSkillFactory, RepatriationWishFactory, days_ago

from .base import WriteContract

URL = "/api/v1/detainees/"


class TestDetaineeEndpoint(WriteContract):
    url = URL
    readers = {"case_officer", "medical_officer", "legal_reviewer", "exchange_coordinator", "auditor"}
    writers = {"case_officer"}

    def make(self) -> Detainee:
        detainee = DetaineeFactory()
        CaptureFactory(detainee=detainee)
        LanguageSkillFactory(detainee=detainee, language="kor")
        RepatriationWishFactory(detainee=detainee)
        return detainee

    def create_payload(self) -> dict:
        return {
            "family_name": "Ri",
            "given_names": "Chol",
            "rank": "Private",
            "date_of_birth": "2005-03",
            "nationality": "KP",
            "captured_at": "2025-01-09T06:30:00Z",
            "capture_place": "Kursk region",
            "languages": [{"language": "ko-KP", "understands": True, "speaks": True, "reads": True, "writes": True}],
        }

    def update_payload(self) -> dict:
        return {"rank": "Corporal", "capture_place": "Sudzha"}

    def check_created(self, data: dict) -> None:
        assert data["case_number"].startswith("POW-")
        assert data["date_of_birth"] == "2005-03"
        assert data["languages"][0]["language"] == "kor"
        assert data["captured_at"] == "2025-01-09T06:30:00Z"
        assert data["capture_place"] == "Kursk region"
        assert data["repatriation_wish"] is None


@pytest.mark.parametrize("given", ["1999", "1999-05", "1999-05-17"])
def test_date_of_birth_keeps_the_precision_given(root_api, given):
    response = root_api.post(URL, {"family_name": "Kim", "date_of_birth": given}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["date_of_birth"] == given


@pytest.mark.parametrize("code", ["ko", "ko-KP", "kor", "KOR"])
def test_language_accepts_iso_639_1_639_3_and_bcp47(root_api, code):
    response = root_api.post(URL, {"family_name": "Kim", "languages": [{"language": code}]}, format="json")
    assert response.status_code == 201, response.content
    assert [row["language"] for row in response.json()["languages"]] == ["kor"]


def test_unknown_language_names_the_field(root_api):
    response = root_api.post(URL, {"family_name": "Kim", "languages": [{"language": "xx-invalid"}]}, format="json")
    assert response.status_code == 400
    assert "languages" in response.json()
    assert Detainee.objects.count() == 0  # nothing half-written


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("date_of_birth", "17/05/1999"),
        ("date_of_birth", "1999-02-30"),
        ("date_of_birth", 1999),
        ("nationality", "Korea"),
        ("captured_at", "tomorrow"),
        ("captured_at", "9999-12-31T23:59:59+14:00"),
        ("family_name", "Kim\x00"),
        ("family_name", ["Kim"]),
        ("status", "hero"),
    ],
)
def test_bad_values_are_400_naming_the_field(root_api, field, value):
    payload = {"family_name": "Kim", field: value}
    response = root_api.post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Detainee.objects.count() == 0


def test_capture_in_the_future_names_captured_at_and_writes_nothing(root_api):
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat()
    response = root_api.post(URL, {"family_name": "Kim", "captured_at": future}, format="json")
    assert response.status_code == 400
    assert "captured_at" in response.json()
    assert not Detainee.objects.exists()


def test_patch_creates_then_updates_the_capture(root_api):
    detainee = DetaineeFactory()
    url = f"{URL}{detainee.pk}/"
    assert root_api.patch(url, {"captured_at": "2025-01-09T06:30:00Z"}, format="json").status_code == 200
    root_api.patch(url, {"capture_place": "Sudzha"}, format="json")
    capture = Capture.objects.get(detainee=detainee)
    assert (capture.captured_at, capture.place) == (dt.datetime(2025, 1, 9, 6, 30, tzinfo=dt.UTC), "Sudzha")


def test_patch_languages_replaces_the_list(root_api):
    detainee = DetaineeFactory()
    LanguageSkillFactory(detainee=detainee, language="rus")
    response = root_api.patch(f"{URL}{detainee.pk}/", {"languages": [{"language": "ko"}]}, format="json")
    assert [row["language"] for row in response.json()["languages"]] == ["kor"]


def test_repatriation_wish_is_the_latest_recorded(root_api):
    detainee = DetaineeFactory()
    RepatriationWishFactory(detainee=detainee, wish="wishes_to_return", recorded_at=days_ago(10))
    RepatriationWishFactory(detainee=detainee, wish="does_not_wish_to_return", recorded_at=days_ago(2))
    data = root_api.get(f"{URL}{detainee.pk}/").json()
    assert data["repatriation_wish"] == "does_not_wish_to_return"


def test_repatriation_wish_and_case_number_are_read_only(root_api):
    detainee = DetaineeFactory()
    response = root_api.patch(
        f"{URL}{detainee.pk}/", {"repatriation_wish": "undecided", "case_number": "X-1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["case_number"] == detainee.case_number
    assert response.json()["repatriation_wish"] is None


def test_filters_by_status_nationality_and_language(root_api):
    korean = DetaineeFactory(nationality="KP")
    LanguageSkillFactory(detainee=korean, language="kor")
    DetaineeFactory(nationality="RU")
    ids = [row["id"] for row in root_api.get(URL, {"nationality": "KP", "language": "ko"}).json()["results"]]
    assert ids == [korean.pk]
    assert root_api.get(URL, {"status": "nonsense"}).status_code == 400
    assert "language" in root_api.get(URL, {"language": "klingon!"}).json()


def test_query_parameter_with_nul_is_400(root_api):
    response = root_api.get(URL, {"family_name": "Ki\x00m"})
    assert response.status_code == 400


def test_exchange_coordinator_sees_no_medical_details_on_a_detainee(api_for, exchange_coordinator):
    detainee = DetaineeFactory()
    data = api_for(exchange_coordinator).get(f"{URL}{detainee.pk}/").json()
    assert not {"medical_assessments", "health_category", "weight_kg", "conditions"} & set(data)


def test_stale_if_match_on_a_detainee_is_412(root_api):
    detainee = DetaineeFactory()
    url = f"{URL}{detainee.pk}/"
    etag = root_api.get(url)["ETag"]
    fresh = root_api.patch(url, {"rank": "Corporal"}, format="json", HTTP_IF_MATCH=etag)
    assert fresh.status_code == 200
    assert fresh["ETag"] != etag
    assert root_api.patch(url, {"rank": "Sergeant"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    assert Detainee.objects.get(pk=detainee.pk).rank == "Corporal"


def test_detainee_list_queries(root_api, django_assert_num_queries):
    for _ in range(5):
        TestDetaineeEndpoint().make()
    # 1 token and its user, 2 count, 3 detainees joined with capture and the latest wish (subquery),
    # 4 their languages (prefetch).
    with django_assert_num_queries(4):
        assert root_api.get(URL).json()["count"] == 5
