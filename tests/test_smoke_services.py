"""Services are reachable in CI: the database in use and Redis answer (CI must fail, not skip, otherwise)."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_answers_a_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.skipif(not os.environ.get("CI_REQUIRE_SERVICES"), reason="only where CI_REQUIRE_SERVICES is set")
def test_ci_runs_on_postgresql():
    assert connection.vendor == "postgresql"
