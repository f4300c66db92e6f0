"""Benchmark the workforce analytics views against listing employees and a learning path.

Run ``python -m benchmarks.bench_analytics`` (10,000 employees, 200 roles, 2,000 skills, two
years of history) or add ``--quick`` (1,000 employees). In this process, through the app's
test client, on a fresh SQLite file (or the database ``--database-url`` names, whose tables
it empties first), with the organisation of :mod:`benchmarks.analytics_org` loaded by Core
inserts. Each view and its yardstick take turns, and the ratio of their medians is printed
next to its target:

1. ``GET /v1/analytics/skills`` and the heatmap of the first team
   (``GET /v1/analytics/teams/team-000/gaps``, 300 people) each within 3x listing 500
   employees (``GET /v1/employees?page_size=500``);
2. ``GET /v1/roles/{id}/candidates?limit=20`` within 5x one employee's learning path to the
   same role (``POST /v1/employees/{id}/learning-paths``);
3. ``GET /v1/analytics/kpis`` over the 24 months, by month, within 5x listing 500 employees.

It also prints how long generating and loading took and the process's resident memory
before the views (the generated rows freed) and after them; the peak includes generating.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import create_engine  # noqa: E402

from benchmarks.analytics_org import FULL, QUICK, generate, load  # noqa: E402
from benchmarks.bench_loop import _empty  # noqa: E402
from recommender.profile import add_months  # noqa: E402

ADMIN_KEY = "bench-admin-key-0123456789"
TEAM = "team-000"
LIST_500 = "/v1/employees?page_size=500"
# Each view's target: its median over its yardstick's, in one run.
TARGETS = {"skills": 3.0, "heatmap": 3.0, "candidates": 5.0, "kpis": 5.0}


def rss_mib() -> tuple[float, float]:
    """Return this process's resident memory now and at its peak, in MiB."""
    current = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_turns(first: Callable[[], object], second: Callable[[], object], n: int):
    """Time ``first`` and ``second`` n times each, taking turns; return their medians (ms)."""
    times: tuple[list[float], list[float]] = ([], [])
    for k in range(n):
        order = (0, 1) if k % 2 == 0 else (1, 0)
        for which in order:
            start = time.perf_counter()
            (first, second)[which]()
            times[which].append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def requester(client, headers, method: str, path: str, json=None) -> Callable[[], object]:
    """Return a call making one request and failing loudly on anything but a 200."""

    def call():
        response = client.open(path, method=method, json=json, headers=headers)
        if response.status_code != 200:
            body = response.get_data(as_text=True)[:300]
            raise SystemExit(f"{method} {path}: {response.status_code} {body}")
        return response

    return call


Request = tuple[str, str, dict | None]  # method, path, JSON body


def requests(org, months: int) -> tuple[dict[str, tuple[Request, str]], Request]:
    """Return each view timed with the yardstick it is held to, and the learning path.

    The role is the one most employees aim at; the path is one of them aiming at it.
    """
    aims = Counter(t["role_id"] for t in org["employee_target_roles"])
    role = min(aims, key=lambda r: (-aims[r], r))
    someone = min(t["employee_id"] for t in org["employee_target_roles"] if t["role_id"] == role)
    today = max(row["completed_at"] for row in org["completions"])
    first = add_months(today.replace(day=1), -(months - 1))
    kpis = f"/v1/analytics/kpis?from={first.isoformat()}&to={today.isoformat()}&interval=month"
    path = ("POST", f"/v1/employees/{someone}/learning-paths", {"role": role})
    return {
        "skills": (("GET", "/v1/analytics/skills", None), "list"),
        "heatmap": (("GET", f"/v1/analytics/teams/{TEAM}/gaps", None), "list"),
        "candidates": (("GET", f"/v1/roles/{role}/candidates?limit=20", None), "path"),
        "kpis": (("GET", kpis, None), "list"),
    }, path


def main(argv: list[str] | None = None) -> None:
    """Generate and load the organisation, time the views and print them against targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 employees instead of 10,000")
    parser.add_argument("--database-url", help="a database the benchmark may empty")
    parser.add_argument("--repeats", type=int, default=7, help="turns timed of each pair")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    repeats = 5 if args.quick else args.repeats

    from service.app import create_app
    from service.db import db

    with tempfile.TemporaryDirectory() as workdir:
        url = args.database_url or f"sqlite:///{Path(workdir) / 'analytics.db'}"
        _empty(url)
        started = time.perf_counter()
        org = generate(size)
        generated_s = time.perf_counter() - started
        engine = create_engine(url)
        started = time.perf_counter()
        counts = load(engine, org)
        loaded_s = time.perf_counter() - started
        engine.dispose()
        chosen, path = requests(org, size.months)
        # The rows are in the database now: what the process holds from here on is the app's.
        del org
        gc.collect()
        app = create_app(
            {
                "SKILLPATH_DATABASE_URL": url,
                "SKILLPATH_INDEX_DIR": str(Path(workdir) / "index"),
                "SKILLPATH_ADMIN_KEY": ADMIN_KEY,
                "SKILLPATH_AUTO_MIGRATE": False,
                "SKILLPATH_LOG_LEVEL": "WARNING",
                "SKILLPATH_RATELIMIT": "1000000/minute",
            }
        )
        client = app.test_client()
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        loaded_rss = rss_mib()
        yardsticks = {
            "list": requester(client, headers, "GET", LIST_500),
            "path": requester(client, headers, *path),
        }
        rows = []
        for name, ((method, view_path, view_body), against) in chosen.items():
            view = requester(client, headers, method, view_path, view_body)
            yardstick = yardsticks[against]
            view(), yardstick()  # warm both: the index, caches, first queries
            view_ms, base_ms = in_turns(view, yardstick, repeats)
            rows.append((name, view_path, view_ms, against, base_ms))
        after_rss = rss_mib()
        db.dispose(app)
        backend = url.split(":", 1)[0]

    print(f"database: {backend}; load average {os.getloadavg()[0]:.2f}; {repeats} turns each")
    sizes = ", ".join(f"{count:,} {table}" for table, count in counts.items())
    print(f"organisation: {sizes}")
    print(f"generated in {generated_s:.1f} s, loaded in {loaded_s:.1f} s")
    print("| view | p50 | yardstick p50 | ratio | target |")
    print("|---|---|---|---|---|")
    missed = []
    for name, view_path, view_ms, against, base_ms in rows:
        ratio = view_ms / base_ms
        yardstick = "list 500 employees" if against == "list" else "one learning path"
        print(
            f"| {name}: `{view_path.split('?')[0]}` | {view_ms:.1f} ms | {yardstick} "
            f"{base_ms:.1f} ms | {ratio:.2f} x | <= {TARGETS[name]:g} x |"
        )
        if ratio > TARGETS[name]:
            missed.append(name)
    print(f"| RSS before the views (generated rows freed) | {loaded_rss[0]:.0f} MiB | |")
    print(
        f"| RSS after the views (growth; process peak) | {after_rss[0]:.0f} MiB "
        f"(+{after_rss[0] - loaded_rss[0]:.0f}; peak {after_rss[1]:.0f}) | |"
    )
    if missed:
        raise SystemExit(f"over target: {', '.join(missed)}")


if __name__ == "__main__":
    main(sys.argv[1:])
