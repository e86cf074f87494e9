"""Start-up refuses bad configuration with a message naming the variable (config/settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environment: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter with only these variables set (plus PATH)."""
    env = {"PATH": os.environ.get("PATH", ""), **environment}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_needs_no_variable():
    result = load_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    ("environment", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "pow.example.org"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "false", "SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        (
            {"DATABASE_URL": "mysql://root@localhost/pow"},
            "DATABASE_URL='mysql://root@localhost/pow' has scheme 'mysql'",
        ),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL='http://127.0.0.1:6379' has scheme 'http'"),
        ({"COMPLIANCE_CAPTURE_CARD_DAYS": "-3"}, "COMPLIANCE_CAPTURE_CARD_DAYS=-3 must be at least 1"),
        ({"COMPLIANCE_CHUNK_SIZE": "lots"}, "COMPLIANCE_CHUNK_SIZE='lots' is not a whole number"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(environment, named):
    result = load_settings(**environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr
