"""/api/v1/media/: multipart upload; the file is downloadable only through an authorised endpoint."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from powcases.models import MediaItem
from tests.factories import DetaineeFactory, MediaItemFactory

from .base import WriteContract

URL = "/api/v1/media/"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class TestMediaEndpoint(WriteContract):
    url = URL
    readers = {"case_officer", "legal_reviewer", "auditor"}
    writers = {"case_officer"}

    def make(self) -> MediaItem:
        return MediaItemFactory(depicted=[DetaineeFactory()])

    def create_payload(self) -> dict:
        return {
            "detainees": [DetaineeFactory().pk],
            "identifiable": True,
            "published_at": "2025-01-12T10:00:00Z",
            "published_by": "Presidential office",
            "publisher_is_state_official": True,
            "channel": "Telegram",
        }

    def update_payload(self) -> dict:
        return {"identifiable": False, "description": "Shown on national television."}


def test_multipart_upload_and_authorised_download(root_api, api_for, exchange_coordinator, case_officer):
    detainee = DetaineeFactory()
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    response = root_api.post(
        URL, {"detainees": [detainee.pk], "file": upload, "identifiable": "true"}, format="multipart"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["detainees"] == [detainee.pk]
    assert data["file"].endswith(f"/api/v1/media/{data['id']}/file/")
    download = api_for(case_officer).get(f"{URL}{data['id']}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff fake jpeg"
    assert api_for(exchange_coordinator).get(f"{URL}{data['id']}/file/").status_code == 403
    assert api_for(None).get(f"{URL}{data['id']}/file/").status_code == 401


def test_item_without_file_has_no_download(root_api):
    item = MediaItemFactory()
    assert root_api.get(f"{URL}{item.pk}/").json()["file"] is None
    assert root_api.get(f"{URL}{item.pk}/file/").status_code == 404


def test_publisher_without_publication_time_is_400(root_api):
    response = root_api.post(URL, {"published_by": "Someone", "channel": "TV"}, format="json")
    assert response.status_code == 400
    assert "published_at" in response.json()
