"""Benchmark of the compliance sweep on PostgreSQL: set-based full sweep vs. a naive per-detainee ORM loop.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/compliance_sweep.py \\
        [--sizes 10000,100000] [--workers 2] [--reuse]

For each size N it uses the database `<name of DATABASE_URL><N as 10k/100k>` (bench10k, bench100k; created and
migrated if missing), fills it with `manage.py generate_synthetic --detainees N --clear` (skipped with --reuse
when it already holds N detainees), and then, in a fresh process (so the memory figure is the sweep's own):

1. a full sweep through `compliance_run_start` with Celery eager (chunks run in process, one after the other):
   time, detainees/s, queries per chunk (ComplianceRunChunk.queries), peak RSS, findings opened vs. expected;
2. the same sweep again (idempotent: 0 opened);
3. one incremental re-evaluation of a single detainee (`compliance.services.evaluate_detainees([id])`), median
   and 90th percentile of --reevaluations random detainees;
4. GC3-17-LANG alone, set-based, over everyone (read-only: ChunkContext + rule) vs. the NAIVE way (a loop over a
   sample of --naive-sample detainees, one ORM query per detainee, per session and per interpreter), the naive
   time extrapolated to N and given as a ratio;
5. with --workers K: the sweep once more through K Celery worker processes on Redis (REDIS_URL, default
   redis://127.0.0.1:6379/7), chunks in parallel.

Figures print as they come and as a table at the end. Targets (issue 3): 100k full sweep < 60 s on 2 cores;
one re-evaluation < 50 ms and no slower at 100k than at 10k; memory flat as N grows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/7"


def size_label(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def database_url(base: str, n: int) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "bench"
    return urlunsplit(parts._replace(path=f"/{name}{size_label(n)}"))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(cmd: list[str], env: dict[str, str], capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=capture)


def child_env(url: str, *, eager: bool, redis_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    env["CELERY_TASK_ALWAYS_EAGER"] = "true" if eager else "false"
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


# --- Parent: orchestration -------------------------------------------------------------------------------


def bench_size(n: int, args: argparse.Namespace) -> dict[str, Any]:
    url = database_url(args.database_url, n)
    print(f"\n=== {n:,} detainees: {urlsplit(url).path.lstrip('/')} ===", flush=True)
    ensure_database(url)
    env = child_env(url, eager=True)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    summary_path = Path(tempfile.gettempdir()) / f"compliance_sweep_{size_label(n)}.json"
    existing = int(run([PYTHON, __file__, "--phase", "count"], env, capture=True).stdout.strip() or 0)
    result: dict[str, Any] = {"n": n}
    if args.reuse and existing == n and summary_path.exists():
        print(f"Reusing the {existing:,} detainees already there.", flush=True)
        result["generate_s"] = json.loads(summary_path.read_text())["seconds"]
    else:
        started = time.monotonic()
        out = run(
            [
                PYTHON,
                "manage.py",
                "generate_synthetic",
                "--detainees",
                str(n),
                "--seed",
                str(args.seed),
                "--clear",
                "--summary-json",
                str(summary_path),
            ],
            env,
            capture=True,
        )
        print(out.stdout, flush=True)
        result["generate_s"] = time.monotonic() - started
    summary = json.loads(summary_path.read_text())
    result["related_rows"] = summary["related_rows"]
    out = stream([PYTHON, __file__, "--phase", "sweep", "--summary", str(summary_path), *child_args(args)], env)
    result.update(parse_result(out))
    if args.workers:
        result.update(bench_workers(url, args))
    return result


def child_args(args: argparse.Namespace) -> list[str]:
    return [
        "--naive-sample",
        str(args.naive_sample),
        "--reevaluations",
        str(args.reevaluations),
        "--seed",
        str(args.seed),
    ]


def stream(cmd: list[str], env: dict[str, str]) -> str:
    """Run a child, echoing its output as it comes (a 100k sweep is long), and return that output."""
    lines = []
    with subprocess.Popen(cmd, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if not line.startswith("RESULT "):
                print(line, end="", flush=True)
            lines.append(line)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, cmd)
    return "".join(lines)


def parse_result(stdout: str) -> dict[str, Any]:
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    raise RuntimeError(f"The child printed no RESULT line:\n{stdout}")


def bench_workers(url: str, args: argparse.Namespace) -> dict[str, Any]:
    """A sweep through K prefork Celery workers on Redis (the findings exist already: 0 opened)."""
    env = child_env(url, eager=False, redis_url=args.redis_url)
    pidfile = Path(tempfile.gettempdir()) / f"compliance_sweep_worker_{os.getpid()}.pid"
    logfile = Path(tempfile.gettempdir()) / f"compliance_sweep_worker_{os.getpid()}.log"
    run([PYTHON, "-c", "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()", args.redis_url], env)
    worker = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={args.workers}",
            "--loglevel=WARNING",
            f"--pidfile={pidfile}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=logfile.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(4)  # let the pool fork and connect
        out = run([PYTHON, __file__, "--phase", "workers", "--workers", str(args.workers)], env, capture=True)
        print(out.stdout, end="", flush=True)
        return parse_result(out.stdout)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def print_table(results: list[dict[str, Any]]) -> None:
    rows = [
        ("related rows", "related_rows", "{:,.0f}"),
        ("generate_synthetic (s)", "generate_s", "{:.1f}"),
        ("full sweep (s)", "sweep_s", "{:.1f}"),
        ("  detainees / s", "sweep_rate", "{:,.0f}"),
        ("  CPU time of the sweep process (s)", "sweep_cpu_s", "{:.1f}"),
        ("  load average at the end (2 cores)", "load_avg", "{}"),
        ("  findings opened", "opened", "{:,}"),
        ("  chunks", "chunks", "{}"),
        ("  queries per chunk (min-max)", "queries_per_chunk", "{}"),
        ("  peak RSS of the sweep process (MB)", "peak_rss_mb", "{:.0f}"),
        ("  RSS growth during the sweep (MB)", "rss_growth_mb", "{:.0f}"),
        ("re-sweep (s), idempotent", "resweep_s", "{:.1f}"),
        ("  CPU time of the re-sweep (s)", "resweep_cpu_s", "{:.1f}"),
        ("  findings opened by the re-sweep", "resweep_opened", "{}"),
        ("re-evaluation of 1 detainee, median (ms)", "reeval_median_ms", "{:.1f}"),
        ("  90th percentile (ms)", "reeval_p90_ms", "{:.1f}"),
        ("  CPU time of this process, median (ms)", "reeval_cpu_ms", "{:.1f}"),
        ("  time in SQL, median (ms)", "reeval_sql_ms", "{:.1f}"),
        ("  queries", "reeval_queries", "{}"),
        ("GC3-17-LANG set-based, all N (s)", "lang_set_s", "{:.2f}"),
        ("GC3-17-LANG naive, per detainee (ms)", "naive_ms_per_detainee", "{:.2f}"),
        ("  queries per detainee (naive)", "naive_queries_per_detainee", "{:.1f}"),
        ("  naive extrapolated to N (s)", "naive_extrapolated_s", "{:.1f}"),
        ("  naive / set-based (LANG only)", "naive_ratio_lang", "{:.0f}x"),
        ("  naive LANG only / full set-based sweep", "naive_ratio_sweep", "{:.1f}x"),
        ("  LANG violations: found / expected", "lang_check", "{}"),
        ("re-sweep with Celery workers (s)", "workers_s", "{:.1f}"),
        ("  workers", "workers", "{}"),
    ]
    width = max(len(label) for label, _, _ in rows)
    print("\n" + "Figure".ljust(width) + "".join(f"{size_label(r['n']):>14}" for r in results))
    for label, key, fmt in rows:
        if not any(key in r for r in results):
            continue
        cells = "".join(f"{(fmt.format(r[key]) if key in r else '-'):>14}" for r in results)
        print(label.ljust(width) + cells)


# --- Children: the measurements (run inside Django) ----------------------------------------------------------


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_count() -> None:
    setup_django()
    from powcases.models import Detainee

    print(Detainee.objects.count())


def phase_sweep(args: argparse.Namespace) -> None:
    setup_django()
    import random

    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from compliance.choices import Outcome, RunKind
    from compliance.context import ChunkContext
    from compliance.engine import evaluate_rules
    from compliance.models import Finding
    from compliance.services import compliance_run_start, evaluate_detainees
    from powcases.models import Detainee

    expected = json.loads(Path(args.summary).read_text())["expected"]
    # A reused population may carry findings of an earlier run: start from none, so the first sweep opens them all.
    from compliance.models import ComplianceRun, ComplianceRunChunk, FindingReview

    tables = [
        m._meta.db_table for m in (Finding, Finding.history.model, FindingReview, ComplianceRunChunk, ComplianceRun)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
    n = Detainee.objects.count()
    ids = list(Detainee.objects.order_by("pk").values_list("pk", flat=True))
    result: dict[str, Any] = {}
    rss_before = rss_mb()

    started, cpu = time.monotonic(), time.process_time()
    run = compliance_run_start(kind=RunKind.FULL)
    result["sweep_s"] = time.monotonic() - started
    result["sweep_cpu_s"] = time.process_time() - cpu
    result["load_avg"] = f"{os.getloadavg()[0]:.1f}"
    run.refresh_from_db()
    queries = list(run.chunks.values_list("queries", flat=True))
    result.update(
        sweep_rate=n / result["sweep_s"],
        opened=run.findings_opened,
        chunks=run.chunks_total,
        queries_per_chunk=f"{min(queries)}-{max(queries)}",
        peak_rss_mb=rss_mb(),
        rss_growth_mb=rss_mb() - rss_before,
        status=run.status,
    )
    print(
        f"Full sweep: {result['sweep_s']:.1f} s ({result['sweep_rate']:,.0f} detainees/s), run {run.status}, "
        f"{run.findings_opened:,} findings opened, {run.chunks_total} chunks, {result['queries_per_chunk']} "
        f"queries per chunk, peak RSS {result['peak_rss_mb']:.0f} MB (+{result['rss_growth_mb']:.0f} MB).",
        flush=True,
    )
    by_rule = {
        (row["rule_id"], row["outcome"]): row["n"]
        for row in Finding.objects.values("rule_id", "outcome")
        .order_by()
        .annotate(n=__import__("django.db.models", fromlist=["Count"]).Count("id"))
    }
    print("Findings vs. planted breaches, by rule and outcome:")
    planted: dict[tuple[str, str], list[str]] = {}
    for key, item in expected.items():
        planted.setdefault((item["rule_id"], item["outcome"]), []).append(key)
    for (rule_id, outcome), keys in sorted(planted.items()):
        want = sum(expected[k]["detainees"] for k in keys)
        found = by_rule.get((rule_id, outcome))
        print(
            f"  {rule_id:<20} {outcome:<10} expected {want:>7,}  found {'-' if found is None else f'{found:,}':>7}  "
            f"({', '.join(keys)})"
        )
    other = {k: v for k, v in by_rule.items() if k not in planted}
    if other:
        print("  not planted: " + ", ".join(f"{r} {o}: {c:,}" for (r, o), c in sorted(other.items())))
    lang = expected["lang_no_bridge"]["detainees"]
    result["lang_check"] = f"{by_rule.get(('GC3-17-LANG', Outcome.VIOLATION), 0):,}/{lang:,}"

    started, cpu = time.monotonic(), time.process_time()
    rerun = compliance_run_start(kind=RunKind.FULL)
    result["resweep_s"] = time.monotonic() - started
    result["resweep_cpu_s"] = time.process_time() - cpu
    rerun.refresh_from_db()
    result["resweep_opened"] = rerun.findings_opened
    print(
        f"Re-sweep: {result['resweep_s']:.1f} s, {rerun.findings_opened} opened, {rerun.findings_resolved} resolved.",
        flush=True,
    )

    rng = random.Random(f"bench-{args.seed}")  # not the generator's stream (it would pick the planted breaches)
    timings, cpu_times, sql_times, query_counts = [], [], [], []
    for detainee_id in rng.sample(ids, min(args.reevaluations, len(ids))):
        with CaptureQueriesContext(connection) as ctx:
            started, cpu = time.perf_counter(), time.process_time()
            evaluate_detainees([detainee_id])
            timings.append((time.perf_counter() - started) * 1000)
            cpu_times.append((time.process_time() - cpu) * 1000)
        query_counts.append(len(ctx.captured_queries))
        sql_times.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    result["reeval_cpu_ms"] = statistics.median(cpu_times)
    result["reeval_sql_ms"] = statistics.median(sql_times)
    timings.sort()
    result.update(
        reeval_median_ms=statistics.median(timings),
        reeval_p90_ms=timings[int(0.9 * (len(timings) - 1))],
        reeval_queries=f"{min(query_counts)}-{max(query_counts)}",
    )
    print(
        f"Re-evaluation of one detainee: median {result['reeval_median_ms']:.1f} ms, p90 "
        f"{result['reeval_p90_ms']:.1f} ms, {result['reeval_queries']} queries.",
        flush=True,
    )

    # GC3-17-LANG alone, set-based and read-only, over every detainee (chunks as the sweep cuts them).
    from django.conf import settings

    size = settings.COMPLIANCE_CHUNK_SIZE
    started = time.monotonic()
    violations = 0
    for start in range(0, len(ids), size):
        results = evaluate_rules(
            ids[start : start + size], ["GC3-17-LANG"], context=ChunkContext(ids[start : start + size])
        )
        violations += sum(1 for r in results["GC3-17-LANG"] if r.outcome == Outcome.VIOLATION)
    result["lang_set_s"] = time.monotonic() - started

    # The naive way: per detainee, his languages, his sessions, each session's interpreters and their languages.
    sample = rng.sample(ids, min(args.naive_sample, len(ids)))
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        started = time.monotonic()
        naive_violations = sum(naive_lang_violations(detainee_id) for detainee_id in sample)
        naive_s = time.monotonic() - started
    per = naive_s / len(sample)
    result.update(
        naive_ms_per_detainee=per * 1000,
        naive_queries_per_detainee=len(ctx.captured_queries) / len(sample),
        naive_extrapolated_s=per * n,
    )
    result["naive_ratio_lang"] = result["naive_extrapolated_s"] / result["lang_set_s"]
    result["naive_ratio_sweep"] = result["naive_extrapolated_s"] / result["sweep_s"]
    print(
        f"GC3-17-LANG set-based over {n:,}: {result['lang_set_s']:.2f} s ({violations:,} violations). Naive loop "
        f"over {len(sample)}: {per * 1000:.2f} ms and {result['naive_queries_per_detainee']:.1f} queries per "
        f"detainee ({naive_violations} violations in the sample) -> {result['naive_extrapolated_s']:.1f} s for "
        f"{n:,}: {result['naive_ratio_lang']:.0f}x the set-based rule, {result['naive_ratio_sweep']:.1f}x the "
        "whole set-based sweep of every rule.",
        flush=True,
    )
    print("RESULT " + json.dumps(result), flush=True)


def naive_lang_violations(detainee_id: int) -> int:
    """GC3-17-LANG the naive way (oral sessions only): the N+1 pattern the set-based engine avoids."""
    from powcases.models import Detainee

    detainee = Detainee.objects.get(pk=detainee_id)
    understood = {skill.language for skill in detainee.languages.all() if skill.understands}
    violations = 0
    for session in detainee.interrogations.all():
        if session.mode != "oral" or session.language in understood:
            continue
        bridged = False
        for interpreter in session.interpreters.all():
            languages = set(interpreter.languages.values_list("language", flat=True))
            if session.language in languages and languages & understood:
                bridged = True
        violations += not bridged and bool(understood)
    return violations


def phase_workers(args: argparse.Namespace) -> None:
    setup_django()
    from compliance.choices import RunKind, RunStatus
    from compliance.services import compliance_run_start

    started = time.monotonic()
    run = compliance_run_start(kind=RunKind.FULL)
    deadline = started + 900
    while run.status == RunStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    elapsed = time.monotonic() - started
    print(
        f"Re-sweep through {args.workers} Celery worker processes: {elapsed:.1f} s, run {run.status}, "
        f"{run.chunks_done}/{run.chunks_total} chunks, {run.findings_opened} opened.",
        flush=True,
    )
    print("RESULT " + json.dumps({"workers_s": elapsed, "workers": args.workers, "workers_status": run.status}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="Comma-separated numbers of detainees.")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--workers", type=int, default=0, help="Also re-sweep through K Celery workers (e.g. 2).")
    parser.add_argument("--reuse", action="store_true", help="Keep a population of the right size from a past run.")
    parser.add_argument("--naive-sample", type=int, default=500)
    parser.add_argument("--reevaluations", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phase", choices=("count", "sweep", "workers"), help=argparse.SUPPRESS)
    parser.add_argument("--summary", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase == "count":
        return phase_count()
    if args.phase == "sweep":
        return phase_sweep(args)
    if args.phase == "workers":
        return phase_workers(args)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url: the benchmark runs on PostgreSQL (postgres://...).")
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: expected comma-separated whole numbers, got {args.sizes!r}.")
    results = [bench_size(n, args) for n in sizes]
    print_table(results)


if __name__ == "__main__":
    main()
