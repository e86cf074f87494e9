"""Fixtures of the API tests: token clients per persona, and a clean throttle cache per test."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run tasks in process, as the embedded default does (pytest-django loads settings before the root
    conftest's CELERY_TASK_ALWAYS_EAGER default, so the Celery app would otherwise send them to Redis)."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Personas are created in nearly every test; the production hasher would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """Throttle counters live in the cache (Redis in CI): each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_for():
    """Return an API client that authenticates as `user` with a DRF token, as an integrator would."""

    def make(user) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def root_api(api_for, superuser):
    return api_for(superuser)
