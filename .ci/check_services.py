"""Fail loudly, naming the service, when PostgreSQL or Redis is not reachable (tests never skip them)."""

from __future__ import annotations

import os
import sys

import psycopg
import redis


def main() -> int:
    database_url = os.environ["DATABASE_URL"]
    redis_url = os.environ["REDIS_URL"]
    failures = []
    try:
        with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1), connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        failures.append(f"PostgreSQL is not reachable at {database_url}: {exc}")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except Exception as exc:
        failures.append(f"Redis is not reachable at {redis_url}: {exc}")
    for failure in failures:
        print(f"ERROR: {failure}", file=sys.stderr)
    if failures:
        print("The test suite needs both services; start them (see README, 'Tests') and run again.", file=sys.stderr)
        return 1
    print("PostgreSQL and Redis answer.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
