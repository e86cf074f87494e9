"""A reusable contract test for every API endpoint (NetBox style).

A test module subclasses `ReadContract` or `WriteContract`, names the URL, which personas may read and write, how to
make a record and what to send; it inherits the same tests every endpoint must pass: 401 without a token,
403 for roles without the right, list paging and `updated_since`, flat query counts, create, read, update.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

PERSONAS = ["case_officer", "medical_officer", "legal_reviewer", "exchange_coordinator", "auditor", "outsider"]


class ReadContract:
    """Subclass and fill in `url`, `readers` and `make`: the tests every readable endpoint must pass."""

    url: ClassVar[str]
    readers: ClassVar[set[str]]

    def make(self) -> Any:
        """Create one record (with a factory) and return it."""
        raise NotImplementedError

    def detail(self, pk: int) -> str:
        return f"{self.url}{pk}/"

    # --- authentication and permissions ----------------------------------------------------------------

    def test_without_credentials_is_401(self, db, api_for):
        response = api_for(None).get(self.url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"

    @pytest.mark.parametrize("persona", PERSONAS, indirect=True)
    def test_list_only_for_readers(self, persona, api_for):
        response = api_for(persona).get(self.url)
        assert response.status_code == (200 if persona.username in self.readers else 403), response.content

    # --- reading ---------------------------------------------------------------------------------------

    def test_list_is_paginated(self, root_api):
        self.make()
        data = root_api.get(self.url).json()
        assert set(data) == {"count", "next", "previous", "results"}
        assert data["count"] >= 1

    def test_detail_has_etag_and_unknown_id_is_404(self, root_api):
        record = self.make()
        response = root_api.get(self.detail(record.pk))
        assert response.status_code == 200
        assert response["ETag"]
        assert root_api.get(self.detail(999_999_999)).status_code == 404
        assert root_api.get(f"{self.url}not-a-number/").status_code == 404

    def test_updated_since_returns_only_recent_changes(self, root_api):
        record = self.make()
        type(record).objects.filter(pk=record.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
        since = (timezone.now() - dt.timedelta(days=1)).isoformat()
        ids = [row["id"] for row in root_api.get(self.url, {"updated_since": since}).json()["results"]]
        assert record.pk not in ids
        old = (timezone.now() - dt.timedelta(days=5)).isoformat()
        assert record.pk in [row["id"] for row in root_api.get(self.url, {"updated_since": old}).json()["results"]]

    def test_bad_updated_since_is_400_naming_it(self, root_api):
        response = root_api.get(self.url, {"updated_since": "yesterday"})
        assert response.status_code == 400
        assert "updated_since" in response.json()

    @pytest.mark.parametrize("odd", ["0100-12-14T03:26:39-19:22", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59Z"])
    def test_updated_since_at_the_edges_of_time_is_not_an_error(self, root_api, odd):
        """Offsets Python accepts but PostgreSQL refuses, and dates next to the limits (found by Schemathesis)."""
        response = root_api.get(self.url, {"updated_since": odd})
        assert response.status_code in {200, 400}
        assert root_api.get(self.url).status_code == 200  # and the connection is still usable

    def test_list_query_count_does_not_grow_with_rows(self, root_api, django_assert_num_queries):
        for _ in range(2):
            self.make()
        with CaptureQueriesContext(connection) as few:
            assert root_api.get(self.url).status_code == 200
        for _ in range(4):
            self.make()
        with django_assert_num_queries(len(few.captured_queries)):
            assert len(root_api.get(self.url).json()["results"]) >= 6


class WriteContract(ReadContract):
    """A readable endpoint that also creates and updates: fill in `writers` and the payloads."""

    writers: ClassVar[set[str]]

    def create_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def update_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def check_created(self, data: dict[str, Any]) -> None:
        """What the response to a create must show (beyond the status)."""

    @pytest.mark.parametrize("persona", PERSONAS, indirect=True)
    def test_create_only_for_writers(self, persona, api_for):
        response = api_for(persona).post(self.url, self.create_payload(), format="json")
        expected = 201 if persona.username in self.writers else 403
        assert response.status_code == expected, response.content

    def test_create_then_read_back(self, root_api):
        response = root_api.post(self.url, self.create_payload(), format="json")
        assert response.status_code == 201, response.content
        created = response.json()
        assert root_api.get(self.detail(created["id"])).json() == created
        self.check_created(created)

    def test_update_with_patch(self, root_api):
        record = self.make()
        payload = self.update_payload()
        response = root_api.patch(self.detail(record.pk), payload, format="json")
        assert response.status_code == 200, response.content
        for name, value in payload.items():
            assert response.json()[name] == value, name

    def test_malformed_json_is_400(self, root_api):
        response = root_api.generic("POST", self.url, '{"family_name": ', content_type="application/json")
        assert response.status_code == 400
