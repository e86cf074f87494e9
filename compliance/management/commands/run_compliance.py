"""`manage.py run_compliance [--rule ID ...] [--chunk-size N]`: a full sweep, recorded as a ComplianceRun."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance.choices import RunKind, RunStatus
from compliance.models import ComplianceRun
from compliance.services import compliance_run_chunk, compliance_run_start

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Evaluate the compliance rules for every detainee (a full sweep), with a progress bar and a summary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rule",
            action="append",
            dest="rules",
            metavar="ID",
            default=[],
            help="Evaluate only this rule (repeatable). Default: every active rule.",
        )
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=None,
            metavar="N",
            help=f"Detainees per chunk (default settings.COMPLIANCE_CHUNK_SIZE, {settings.COMPLIANCE_CHUNK_SIZE}).",
        )
        parser.add_argument(
            "--periodic",
            action="store_true",
            help="Only the time-based rules, for held detainees (what the hourly sweep does).",
        )
        parser.add_argument(
            "--workers",
            action="store_true",
            help="Hand the chunks to Celery workers and follow their progress (needs a broker).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chunk_size = options["chunk_size"]
        if chunk_size is not None and chunk_size < 1:
            raise CommandError("--chunk-size: expected a whole number of detainees, 1 or more.")
        use_workers = options["workers"]
        if use_workers and settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("--workers needs a Celery broker (set REDIS_URL); without one, run without --workers.")
        try:
            run = compliance_run_start(
                actor=None,
                kind=RunKind.PERIODIC if options["periodic"] else RunKind.FULL,
                rule_ids=options["rules"],
                chunk_size=chunk_size,
                enqueue=use_workers,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(
                    f"--{k.replace('_ids', '').replace('_', '-')}: {' '.join(v)}" for k, v in exc.message_dict.items()
                )
            ) from None

        rules = ", ".join(run.rule_ids) if run.rule_ids else "every active rule"
        self.stdout.write(f"Run #{run.pk}: {run.total:,} detainees in {run.chunks_total} chunks ({rules}).")
        started = time.monotonic()
        if use_workers:
            while run.status == RunStatus.RUNNING:
                self._progress(run, started)
                time.sleep(0.5)
                run.refresh_from_db()
        else:
            for chunk_id in run.chunks.order_by("index").values_list("pk", flat=True):
                try:
                    compliance_run_chunk(chunk_id=chunk_id)
                except Exception as exc:
                    run.refresh_from_db()
                    self._progress(run, started, final=True)
                    raise CommandError(f"Run #{run.pk} failed: {exc!r}") from exc
                run.refresh_from_db()
                self._progress(run, started)
        run.refresh_from_db()
        self._progress(run, started, final=True)
        self._summary(run)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"Run #{run.pk} {run.get_status_display().lower()}: {run.error}")

    def _progress(self, run: ComplianceRun, started: float, *, final: bool = False) -> None:
        elapsed = max(time.monotonic() - started, 1e-6)
        percent = run.progress_percent
        filled = BAR_WIDTH * percent // 100
        line = (
            f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {run.processed:,}/{run.total:,} {percent:3d}% "
            f"{run.processed / elapsed:,.0f} detainees/s"
        )
        # A live bar on a terminal; one line per update when piped (logs stay readable).
        if sys.stdout.isatty() and not final:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
        elif final or not sys.stdout.isatty():
            self.stdout.write(f"\r{line}" if sys.stdout.isatty() else line)

    def _summary(self, run: ComplianceRun) -> None:
        duration = run.duration_seconds or 0.0
        style = self.style.SUCCESS if run.status == RunStatus.SUCCEEDED else self.style.ERROR
        self.stdout.write(
            style(
                f"Run #{run.pk} {run.get_status_display().lower()}: {run.findings_opened:,} findings opened, "
                f"{run.findings_resolved:,} resolved, {run.processed:,} detainees in {duration:.1f} s."
            )
        )
