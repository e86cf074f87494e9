"""Test-wide set-up.

Celery runs tasks in process during tests, as in the embedded default, even when REDIS_URL is set (as `make test`
sets it): a test that needs a real worker (tests/test_celery_redis.py) switches eager mode off for itself.
pytest-django may load the settings before this file runs, so the Celery app is configured directly as well.
"""

import os

import pytest

os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DEBUG", "true")


@pytest.fixture(autouse=True, scope="session")
def celery_eager():
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
