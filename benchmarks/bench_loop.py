"""Benchmark the learning loop's writes and reads against the service's own yardsticks.

Run ``python -m benchmarks.bench_loop`` (10,000 rows) or add ``--quick`` (1,000 rows). In
this process, through the app's test client, on a fresh SQLite file (or the database
``--database-url`` names, whose tables it empties first):

1. **xAPI against import.** A bulk import of N new employees (each with an email, three
   skills and a target role), then one request of N xAPI statements naming those employees
   (half by account, half by mbox) and catalog items (by url), each a completion. Both
   requests write N rows and look up what they name; the statements also record completions
   and skill history. Target: the statements take less than 3x the import.
2. **A plan against its employee.** The median of repeated GETs of one kept plan (with
   progress worked out from the employee's completions) and of GETs of the same employee.
   Target: the plan costs at most 2x the employee.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import create_engine, inspect, text  # noqa: E402

from catalog import migrate  # noqa: E402

ADMIN_KEY = "bench-admin-key-0123456789"
N_SKILLS = 60
N_ITEMS = 600
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
XAPI_TARGET = 3.0
PLAN_TARGET = 2.0


def _empty(url: str) -> None:
    """Migrate ``url`` and remove every row, as the tests do."""
    migrate.upgrade(url)
    engine = create_engine(url)
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    emptied = [t for t in tables if t != "catalog_state"]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in emptied) + " CASCADE"))
        else:  # a plain SQLite connection does not enforce foreign keys
            for table in emptied:
                conn.execute(text(f'DELETE FROM "{table}"'))
    engine.dispose()


def _check(response, *statuses: int):
    if response.status_code not in statuses:
        raise SystemExit(f"{response.status_code}: {response.get_data(as_text=True)[:500]}")
    return response.get_json()


def _catalog(client, headers) -> None:
    skills = [{"id": f"s{n:03d}", "name": f"Skill {n:03d}"} for n in range(N_SKILLS)]
    items = [
        {
            "id": f"item-{n:04d}",
            "kind": "course",
            "title": f"Course {n}",
            "modality": "self_paced",
            "duration_hours": 5 + n % 20,
            "url": f"https://learn.example.com/courses/{n}",
            "skills": [
                {"skill": f"s{(n + k) % N_SKILLS:03d}", "level": 1 + (n + k) % 5} for k in range(3)
            ],
        }  # fmt: skip
        for n in range(N_ITEMS)
    ]
    role = {
        "id": "bench-role",
        "title": "Bench role",
        "competencies": [{"skill": f"s{n:03d}", "level": 4} for n in range(0, N_SKILLS, 4)],
    }
    _check(client.post("/v1/skills/import", json=skills, headers=headers), 200)
    _check(client.post("/v1/items/import", json=items, headers=headers), 200)
    _check(client.post("/v1/roles/import", json=[role], headers=headers), 200)


def _employees(rows: int) -> list[dict]:
    return [
        {
            "id": f"emp-{n:05d}",
            "display_name": f"Employee {n}",
            "email": f"emp{n:05d}@example.com",
            "team": f"team-{n % 20}",
            "target_roles": ["bench-role"],
            "skills": [{"skill": f"s{(n + k) % N_SKILLS:03d}", "level": 1} for k in range(3)],
        }
        for n in range(rows)
    ]


def _statements(rows: int) -> list[dict]:
    day = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    out = []
    for n in range(rows):
        actor = (
            {"account": {"homePage": "https://hr.example.com", "name": f"emp-{n:05d}"}}
            if n % 2
            else {"mbox": f"mailto:emp{n:05d}@example.com"}
        )
        out.append(
            {
                "id": str(uuid.UUID(int=n + 1)),
                "actor": actor,
                "verb": {"id": COMPLETED, "display": {"en-US": "completed"}},
                "object": {"id": f"https://learn.example.com/courses/{(n * 7) % N_ITEMS}"},
                "result": {"completion": True, "success": True, "score": {"scaled": 0.8}},
                "timestamp": (day - dt.timedelta(minutes=n)).isoformat(),
            }
        )
    return out


def _timed(call) -> tuple[float, object]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def _median_ms(client, path: str, headers, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        _check(client.get(path, headers=headers), 200)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> None:
    """Time the loop's writes and reads and print the ratios against their targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 rows instead of 10,000")
    parser.add_argument("--database-url", help="a database the benchmark may empty")
    parser.add_argument("--repeats", type=int, default=200, help="GETs timed of each")
    args = parser.parse_args(argv)
    rows = 1_000 if args.quick else 10_000
    repeats = 50 if args.quick else args.repeats

    from service.app import create_app
    from service.db import db

    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{Path(workdir) / 'loop.db'}"
        _empty(url)
        app = create_app(
            {
                "SKILLPATH_DATABASE_URL": url,
                "SKILLPATH_INDEX_DIR": str(Path(workdir) / "index"),
                "SKILLPATH_ADMIN_KEY": ADMIN_KEY,
                "SKILLPATH_AUTO_MIGRATE": False,
                "SKILLPATH_MAX_IMPORT_ROWS": max(rows, 20_000),
                "SKILLPATH_LOG_LEVEL": "WARNING",
                "SKILLPATH_RATELIMIT": "1000000/minute",
            }
        )
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        _catalog(client, headers)

        employees, statements = _employees(rows), _statements(rows)
        import_bytes = len(json.dumps(employees))
        xapi_bytes = len(json.dumps(statements))
        import_s, _ = _timed(
            lambda: _check(
                client.post("/v1/employees/import", json=employees, headers=headers), 200
            )
        )
        xapi_s, report = _timed(
            lambda: _check(
                client.post("/v1/xapi/statements", json=statements, headers=headers), 200
            )
        )
        if report["completions_added"] != rows or report["unmatched"]:
            raise SystemExit(f"statements not all matched: {report['unmatched'][:3]}")

        employee = "emp-00001"
        plan = _check(client.post(f"/v1/employees/{employee}/plans", json={}, headers=headers), 201)
        done = plan["steps"][0]["item"]["id"] if plan["steps"] else "item-0000"
        today = dt.datetime.now(dt.UTC).date().isoformat()
        _check(
            client.post(
                f"/v1/employees/{employee}/completions",
                json={"item": done, "completed_at": today},
                headers=headers,
            ),
            200,
            201,
        )
        plan_path = f"/v1/employees/{employee}/plans/{plan['id']}"
        employee_path = f"/v1/employees/{employee}"
        _median_ms(client, plan_path, headers, 5)  # warm both
        _median_ms(client, employee_path, headers, 5)
        plan_ms = _median_ms(client, plan_path, headers, repeats)
        employee_ms = _median_ms(client, employee_path, headers, repeats)
        db.dispose(app)

    backend = url.split(":", 1)[0]
    xapi_ratio = xapi_s / import_s
    plan_ratio = plan_ms / employee_ms
    print(f"database: {backend}; {rows:,} rows; load average {os.getloadavg()[0]:.2f}")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| employee import, {rows:,} rows ({import_bytes / 1e6:.1f} MB) | {import_s:.2f} s | |")
    print(
        f"| xAPI statements, {rows:,} in one request ({xapi_bytes / 1e6:.1f} MB), all matched "
        f"| {xapi_s:.2f} s | |"
    )
    print(f"| statements / import | {xapi_ratio:.2f} x | < {XAPI_TARGET:g} x |")
    print(f"| GET employee p50 | {employee_ms:.2f} ms | |")
    print(f"| GET plan with progress p50 ({len(plan['steps'])} steps) | {plan_ms:.2f} ms | |")
    print(f"| plan / employee | {plan_ratio:.2f} x | <= {PLAN_TARGET:g} x |")
    missed = []
    if xapi_ratio >= XAPI_TARGET:
        missed.append("statements / import")
    if plan_ratio > PLAN_TARGET:
        missed.append("plan / employee")
    if missed:
        raise SystemExit(f"over target: {', '.join(missed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
