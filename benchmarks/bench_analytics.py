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
   same role (``POST /v1/employees/{id}/learning-paths``), for two roles: the one most
   employees aim at, where most of the best twenty have a gap no item closes (no plan to
   make), and the role whose levels items teach best (:func:`closable_role`; at the full
   size every level of it), where each of the twenty takes a plan. The second is timed three
   ways: as a worker keeps it between requests, after a write to one of its twenty (untimed,
   through the API: the screen is worked out again, and the plans of the profiles that
   changed), and with nothing kept (a worker's first request for the role, or the first
   after a catalog change);
3. ``GET /v1/analytics/kpis`` over the 24 months, by month, within 5x listing 500 employees.

It also prints how long generating and loading took and the process's resident memory
before the views (the generated rows freed) and after them; the peak includes generating.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import functools  # noqa: E402
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
from service.workforce_cache import EXTENSION as CACHE_EXTENSION  # noqa: E402

ADMIN_KEY = "bench-admin-key-0123456789"
TEAM = "team-000"
LIST_500 = "/v1/employees?page_size=500"
# Each view's target: its median over its yardstick's, in one run.
TARGETS = {"skills": 3.0, "heatmap": 3.0, "kpis": 5.0}
CANDIDATES_TARGET = 5.0
YARDSTICKS = {"list": "list 500 employees", "path": "one learning path"}


def rss_mib() -> tuple[float, float]:
    """Return this process's resident memory now and at its peak, in MiB."""
    current = 0.0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                current = int(line.split()[1]) / 1024
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_turns(
    first: Callable[[], object],
    second: Callable[[], object],
    n: int,
    before_first: Callable[[], object] | None = None,
):
    """Time ``first`` and ``second`` n times each, taking turns; return their medians (ms).

    ``before_first`` runs, untimed, before each call of ``first``.
    """
    times: tuple[list[float], list[float]] = ([], [])
    for k in range(n):
        order = (0, 1) if k % 2 == 0 else (1, 0)
        for which in order:
            if which == 0 and before_first is not None:
                before_first()
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


def closable_role(org) -> str:
    """Return the role whose levels items teach best: fewest competencies above what any item
    teaches (none at the full size), then most employees aiming at it, then id."""
    ceiling: dict[str, int] = {}
    for row in org["item_skills"]:
        ceiling[row["skill_id"]] = max(ceiling.get(row["skill_id"], 0), row["level"])
    out_of_reach = Counter(
        row["role_id"]
        for row in org["role_competencies"]
        if ceiling.get(row["skill_id"], 0) < row["level"]
    )
    aims = Counter(t["role_id"] for t in org["employee_target_roles"])
    return min(aims, key=lambda r: (out_of_reach[r], -aims[r], r))


def _path_to(org, role: str) -> Request:
    """Return the learning path of the first employee aiming at ``role``, to it."""
    someone = min(t["employee_id"] for t in org["employee_target_roles"] if t["role_id"] == role)
    return ("POST", f"/v1/employees/{someone}/learning-paths", {"role": role})


def requests(org, months: int) -> tuple[dict[str, tuple[Request, str]], dict[str, Request]]:
    """Return each view timed with the yardstick it is held to, and the learning paths.

    The first candidates are for the role most employees aim at, the others for the
    :func:`closable_role`; each path is to the same role, for the first employee aiming at it.
    """
    aims = Counter(t["role_id"] for t in org["employee_target_roles"])
    role = min(aims, key=lambda r: (-aims[r], r))
    today = max(row["completed_at"] for row in org["completions"])
    first = add_months(today.replace(day=1), -(months - 1))
    kpis = f"/v1/analytics/kpis?from={first.isoformat()}&to={today.isoformat()}&interval=month"
    views = {
        "skills": (("GET", "/v1/analytics/skills", None), "list"),
        "heatmap": (("GET", f"/v1/analytics/teams/{TEAM}/gaps", None), "list"),
        "candidates": (("GET", f"/v1/roles/{role}/candidates?limit=20", None), "path"),
    }
    closable = closable_role(org)
    paths = {"path": _path_to(org, role), "closable path": _path_to(org, closable)}
    ranked = ("GET", f"/v1/roles/{closable}/candidates?limit=20", None)
    for way in CANDIDATE_WAYS:
        views[f"candidates, closable{way}"] = (ranked, "closable path")
    views["kpis"] = (("GET", kpis, None), "list")
    return views, paths


# How the closable role's candidates are timed besides as kept: after a write, from nothing.
CANDIDATE_WAYS = ("", ", after a write", ", nothing kept")


def _write_one(client, headers, ranked: list[str]) -> Callable[[], None]:
    """Return a call changing one stated level of the next of ``ranked``, through the API."""
    turn = iter(range(10**9))

    def write():
        employee = ranked[next(turn) % len(ranked)]
        body = client.get(f"/v1/employees/{employee}", headers=headers).get_json()
        skills = [{"skill": s["skill"], "level": s["level"]} for s in body["skills"]]
        # Down a level where it can go down, else up: the profile changes every time.
        skills[0]["level"] += -1 if skills[0]["level"] > 1 else 1
        response = client.patch(
            f"/v1/employees/{employee}",
            json={"skills": skills},
            headers={**headers, "If-Match": "*"},
        )
        if response.status_code != 200:
            raise SystemExit(f"PATCH {employee}: {response.status_code} {response.get_data()}")

    return write


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
        chosen, paths = requests(org, size.months)
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
        yardsticks = {"list": requester(client, headers, "GET", LIST_500)}
        yardsticks.update({name: requester(client, headers, *p) for name, p in paths.items()})
        rows = []
        for name, ((method, view_path, view_body), against) in chosen.items():
            view = requester(client, headers, method, view_path, view_body)
            yardstick = yardsticks[against]
            warm = view()  # warm both: the index, caches, first queries
            yardstick()
            before = None
            if name.endswith(", after a write"):
                ranked = [c["employee"] for c in warm.get_json()["candidates"]]
                before = _write_one(client, headers, ranked)
            elif name.endswith(", nothing kept"):
                before = functools.partial(app.extensions.pop, CACHE_EXTENSION, None)
            view_ms, base_ms = in_turns(view, yardstick, repeats, before)
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
        target = TARGETS.get(name, CANDIDATES_TARGET)
        yardstick = YARDSTICKS.get(against, "one learning path")
        print(
            f"| {name}: `{view_path.split('?')[0]}` | {view_ms:.1f} ms | {yardstick} "
            f"{base_ms:.1f} ms | {ratio:.2f} x | <= {target:g} x |"
        )
        if ratio > target:
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
