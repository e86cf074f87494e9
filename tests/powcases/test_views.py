"""Media files are reachable only through the permission-checked download view."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import MediaItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = MediaItemFactory()
    item.file.save("photo.png", ContentFile(b"\x89PNG fake"), save=True)
    return item


def download_url(item) -> str:
    return reverse("powcases:media-download", args=[item.pk])


def test_case_officer_downloads_the_file_privately(client_for, case_officer, photo):
    response = client_for(case_officer).get(download_url(photo))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["medical_officer", "exchange_coordinator", "outsider"], indirect=True)
def test_users_without_view_mediaitem_are_refused(client_for, persona, photo):
    assert client_for(persona).get(download_url(photo)).status_code == 403


def test_anonymous_user_is_redirected_to_login(client, photo):
    response = client.get(download_url(photo))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_media_has_no_public_url(settings):
    assert settings.MEDIA_URL is None
