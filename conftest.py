"""Test-wide set-up that must happen before Django loads its settings."""

import os

# Tests run Celery tasks in process unless a test starts a real worker itself (tests/test_services_celery.py).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DEBUG", "true")
