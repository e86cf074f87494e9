"""A sweep through a real Celery worker on Redis: the chunks leave this process and come back as findings.

Needs the real services (CI always has PostgreSQL and Redis at REDIS_URL). It does not skip: without Redis it
fails, saying where it looked. The worker is a subprocess on the test database (pytest-django's test_<name>),
so the test runs with committed transactions (`transaction=True`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from compliance.choices import Outcome, RunStatus
from compliance.models import ComplianceRun, Finding
from compliance.services import compliance_run_start
from config.celery import app
from tests.factories import DetaineeFactory, InterrogationFactory, LanguageSkillFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
WAIT_SECONDS = 30


def worker_database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_<name>), for the worker."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.fail(f"This test needs PostgreSQL (a worker process cannot share a {connection.vendor} test database).")
    auth = quote(db["USER"] or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is unreachable at REDIS_URL={url!r}: {exc}. CI provides it; start redis-server locally.")
    return url


@pytest.fixture
def celery_worker(redis_url, tmp_path):
    """A solo Celery worker on its own queue (nothing else on this Redis database can reach it), stopped by pid."""
    queue = f"test-sweep-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    with log.open("w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
             f"--pidfile={tmp_path / 'worker.pid'}"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue", "broker_url")}
    app.conf.update(task_always_eager=False, task_default_queue=queue, broker_url=redis_url)
    try:
        yield worker, log
    finally:
        app.conf.update(saved)
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        redis.Redis.from_url(redis_url).delete(queue)


def test_a_sweep_runs_its_chunks_through_a_worker_and_writes_the_findings(celery_worker):
    worker, log = celery_worker
    detainees = []
    for _ in range(3):
        # The founding case: he understands only Korean and was questioned in Ukrainian with no interpreter.
        detainee = DetaineeFactory(nationality="KP")
        LanguageSkillFactory(detainee=detainee, language="kor")
        InterrogationFactory(detainee=detainee, language="ukr")
        detainees.append(detainee)

    run = compliance_run_start(actor=None, rule_ids=["GC3-17-LANG"], chunk_size=2)

    deadline = time.monotonic() + WAIT_SECONDS
    while run.status == RunStatus.RUNNING and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.25)
        run = ComplianceRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.SUCCEEDED, (
        f"Run is {run.status} after {WAIT_SECONDS} s ({run.chunks_done}/{run.chunks_total} chunks; worker "
        f"{'exited ' + str(worker.returncode) if worker.poll() is not None else 'running'}). Worker log:\n"
        f"{log.read_text()[-3000:]}"
    )
    assert (run.chunks_done, run.chunks_total, run.processed) == (2, 2, 3)
    assert run.findings_opened == 3
    assert set(
        Finding.objects.filter(rule_id="GC3-17-LANG", outcome=Outcome.VIOLATION).values_list("detainee_id", flat=True)
    ) == {d.pk for d in detainees}
    # The chunks were evaluated by the worker, which recorded their query counts.
    assert all(q > 0 for q in run.chunks.values_list("queries", flat=True))
