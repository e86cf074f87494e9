"""Time the stored build of a 1,000-finding facility report (PDF, CSV and SARIF) through the Celery task.

Usage (any migrated database; everything it creates is rolled back, the files are deleted):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4 .venv/bin/python bench/report_build.py [--findings 1000]

Prints the number of findings, the seconds each format took in `compliance.reports.tasks.build_report` (wall
clock and CPU of this process: on a busy machine the CPU figure is the one to compare), the pages of the PDF
and its size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from compliance.models import Finding, FindingReview, Report, Waiver  # noqa: E402
from compliance.reports.tasks import build_report  # noqa: E402
from powcases.models import Detainee, Facility  # noqa: E402
from powcases.roles import LEGAL_REVIEWER  # noqa: E402

RULES = [
    (
        "GC3-17-LANG",
        "GCIII Art. 17(6)",
        "Questioned in Ukrainian; he understands only Korean and no interpreter bridged it.",
    ),
    ("GC3-70-CAPTURECARD", "GCIII Art. 70", "No capture card offered within 7 days of arrival at the camp."),
    ("GC3-122-INFO", "GCIII Art. 122(4)", "Capture not notified to the Central Tracing Agency within 7 days."),
    ("GC3-13-CURIOSITY", "GCIII Art. 13(2)", "An identifiable photograph was published by a state official."),
    ("GC3-31-MONTHLY", "GCIII Art. 31", "No medical inspection in the last month."),
]
SEVERITIES = ["critical", "high", "medium", "low"]
OUTCOMES = ["violation", "warning", "insufficient_data"]


class Rollback(Exception):
    pass


def seed(n: int) -> tuple[Facility, object]:
    now = timezone.now()
    user, _ = get_user_model().objects.get_or_create(username="bench-reviewer", defaults={"is_staff": True})
    group = Group.objects.filter(name=LEGAL_REVIEWER).first()
    if group:
        user.groups.add(group)
    facility = Facility.objects.create(name="Bench camp (1,000 findings)", code="bench-camp-1000")
    detainees = [
        Detainee(
            case_number=f"BENCH-{i:06d}",
            family_name=f"Bench{i}",
            given_names="Test",
            current_facility=facility,
            service_number=f"SN-{i:06d}",
        )
        for i in range(max(1, n // 5))
    ]
    Detainee.objects.bulk_create(detainees)
    findings = []
    for i in range(n):
        rule_id, article, message = RULES[i % len(RULES)]
        seen = now - dt.timedelta(days=(i * 7) % 180)
        findings.append(
            Finding(
                fingerprint=f"bench-{i:058d}",
                rule_id=rule_id,
                rule_version=1,
                article=article,
                detainee=detainees[i % len(detainees)],
                facility=facility,
                outcome=OUTCOMES[i % 3],
                severity=SEVERITIES[i % 4],
                state="open",
                message=message,
                evidence={"session_language": "ukr", "detainee_languages": ["kor"], "interrogation_id": i},
                first_seen_at=seen,
                last_seen_at=now,
            )
        )
    Finding.objects.bulk_create(findings)
    reviews = [
        FindingReview(
            finding=f,
            action="acknowledge",
            from_state="open",
            to_state="acknowledged",
            actor=user,
            comment="Seen by the legal service.",
        )
        for f in findings[::4]
    ]
    FindingReview.objects.bulk_create(reviews)
    waivers = [
        Waiver(
            finding=f,
            justification="Interpreter on the way; session repeated.",
            granted_by=user,
            expires_at=now + dt.timedelta(days=30),
        )
        for f in findings[::10]
    ]
    Waiver.objects.bulk_create(waivers)
    return facility, user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings", type=int, default=1000)
    parser.add_argument("--formats", default="pdf,csv,sarif")
    args = parser.parse_args()
    files: list[str] = []
    try:
        with transaction.atomic():
            facility, user = seed(args.findings)
            for fmt in args.formats.split(","):
                report = Report.objects.create(
                    scope="facility",
                    format=fmt,
                    parameters={"scope": "facility", "facility_id": facility.pk},
                    requested_by=user,
                )
                started, cpu_started = time.perf_counter(), time.process_time()
                build_report.apply(args=[report.pk]).get()
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
                report.refresh_from_db()
                files.append(report.file.path)
                extra = ""
                if fmt == "pdf":
                    info = subprocess.run(["pdfinfo", report.file.path], capture_output=True, text=True, check=False)
                    pages = next((ln.split()[-1] for ln in info.stdout.splitlines() if ln.startswith("Pages:")), "?")
                    extra = f", {pages} pages"
                print(
                    f"{fmt:>5}: {report.finding_count} findings built in {elapsed:6.1f} s by the task "
                    f"({cpu:.1f} s CPU) "
                    f"({report.status}, {report.size_bytes / 1024:,.0f} KiB{extra}, sha256 {report.content_hash[:12]}…)"
                )
            raise Rollback
    except Rollback:
        pass
    finally:
        for path in files:
            Path(path).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
