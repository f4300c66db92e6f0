"""Load-test the HTTP service: gunicorn with two sync workers on loopback, a bounded client.

Run ``python -m benchmarks.http_load`` (a few minutes) or add ``--quick`` (under a minute).

Two phases, each on its own temporary SQLite database and its own gunicorn:

1. the demo organisation (``skillpath db upgrade`` then ``skillpath seed-demo``);
2. a generated catalog (the speed benchmark's generator: 100k items over 15k skills, or 10k
   over 2k with ``--quick``), bulk-inserted with SQL inserts in one transaction, plus
   generated roles of 20 competencies.

In each phase the first learning-path request of each worker gets the recommender's models
(one worker has a child process build the catalog version's file, the other waits for it;
both then map it); those requests are timed apart (from gunicorn's access log, which names
the worker), and every worker is warm before the measured runs. Then come the paired
measures the targets are ratios of, one request at a time with the two kinds taking turns so
that the load of other processes falls on both alike: on the demo, a stored employee's
recommendations against ``GET /health``; in each phase, a learning-path request over HTTP
against the same request planned in this process on the same database. Then, per concurrency
level, ``GET /health`` and stateless ``POST /v1/learning-paths`` (a profile and a role of
the catalog, cycling over many of them) are each driven by client threads until a request
count or a wall-time limit is reached, whichever comes first. Last, each worker's memory is
read from ``/proc/<pid>/smaps_rollup``: VmRSS, PSS and USS (see :class:`Memory`), the target
judged on PSS. Only 127.0.0.1 is ever contacted, and gunicorn is stopped whatever happens.

The client shares the two cores with the two workers, so the throughput figures are for
this whole arrangement, not for the server alone. Gunicorn's sync workers close the
connection after every response, so each request opens a new loopback connection.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.bench_recommender import make_items, make_profile, make_roles, make_skills

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "catalog" / "demo"
WORKERS = 2
START_DATE = "2026-12-01"
REQUEST_TIMEOUT = 120.0
# pid, method, path, status, seconds: enough to tell which worker answered and how fast.
ACCESS_FORMAT = "%(p)s %(m)s %(U)s %(s)s %(L)s"
PATH = "/v1/learning-paths"
# Targets of the issue "Recommender you can trust", as ratios of p50s measured in one run.
RECOMMENDATIONS_TARGET = 3.0  # a recommendations request over HTTP / GET /health
# Pairs of that measure, whatever the run's size: a pair takes a few milliseconds, and with
# the quick run's 60 the ratio moved by a tenth between runs of the same code.
RECOMMENDATION_PAIRS = 600
PATH_TARGET = 1.5  # a learning-path request over HTTP / the same request planned in-process
# Memory per worker on the generated catalog, judged on PSS: the workers map one index file,
# and RSS would count each shared page once per worker.
MEMORY_TARGET_MIB = 300.0
# Issue "Hold under concurrency": the largest valid learning-path request "well under a second".
LARGEST_TARGET_S = 1.0
LARGEST_RUNS = 7


@dataclass(frozen=True)
class Limits:
    """How much load one measured run may send."""

    requests: int
    seconds: float


@dataclass(frozen=True)
class Run:
    """The outcome of one measured run."""

    catalog: str
    endpoint: str
    concurrency: int
    latencies: np.ndarray  # seconds of the successful requests
    errors: int
    wall: float

    @property
    def throughput(self) -> float:
        """Successful requests per second over the run's wall time."""
        return self.latencies.size / self.wall if self.wall else 0.0

    def percentile(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        return float(np.percentile(self.latencies, q) * 1000) if self.latencies.size else np.nan


# -- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def executable(name: str) -> str:
    """Return the path of a console script installed next to this Python."""
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed; run make install")
    return found


def skillpath(env: dict[str, str], *args: str) -> None:
    """Run one ``skillpath`` CLI command, failing loudly with its output."""
    done = subprocess.run(
        [executable("skillpath"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"skillpath {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], workdir: Path) -> Iterator[tuple[int, Path]]:
    """Serve the app on a free loopback port until the block ends; yield the port and log."""
    port = free_port()
    access_log, error_log = workdir / f"access-{port}.log", workdir / f"error-{port}.log"
    command = [
        executable("gunicorn"),
        "-c",
        "gunicorn.conf.py",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(WORKERS),
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        ACCESS_FORMAT,
        "--error-logfile",
        str(error_log),
        "wsgi:app",
    ]
    # Its own session, so the whole group (master and workers) can be killed if it hangs.
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        wait_until_up(port, process, error_log)
        yield port, access_log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def wait_until_up(port: int, process: subprocess.Popen, error_log: Path) -> None:
    """Poll ``GET /health`` until it answers 200; fail if gunicorn exits or 60 s pass."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{error_log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /health within 60 s")


def base_env(database: Path, admin_key: str) -> dict[str, str]:
    """Return the environment of the CLI and of gunicorn for one temporary database."""
    env = dict(os.environ)
    # The CLI and gunicorn run this checkout's code, even when the environment's editable
    # install points at another checkout (whose migrations may be ahead of these).
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env.update(
        PYTHONPATH=path,
        SKILLPATH_DATABASE_URL=f"sqlite:///{database}",
        # The models files of this database, removed with the temporary folder.
        SKILLPATH_INDEX_DIR=str(database.with_name(f"{database.stem}-index")),
        SKILLPATH_ADMIN_KEY=admin_key,
        SKILLPATH_LOG_LEVEL="WARNING",
        # The load runs send more than the shipped per-key limit; the limiter still runs.
        SKILLPATH_RATELIMIT="1000000/minute",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    return env


@dataclass(frozen=True)
class Memory:
    """One process's memory in MiB, from Linux's /proc/PID/smaps_rollup.

    ``rss`` counts every resident page the process maps, so pages two workers share (the
    libraries' code, a memory-mapped index) count in full for each; ``pss`` divides each
    shared page among the processes that map it, so the workers' PSS add up to what they
    really hold; ``uss`` is what the process alone holds, freed if it exited.
    """

    rss: float
    pss: float
    uss: float


def worker_memory(pids: Sequence[int]) -> list[Memory]:
    """Return the memory of some processes (Linux /proc), where readable."""
    found = []
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            fields = {}
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
                name, value, *_ = line.split()
                fields[name.rstrip(":")] = int(value) / 1024
            private = fields["Private_Clean"] + fields["Private_Dirty"]
            found.append(Memory(fields["Rss"], fields["Pss"], private))
    return found


# -- requests -----------------------------------------------------------------------------------


def hammer(
    port: int,
    method: str,
    path: str,
    bodies: Sequence[bytes | None],
    headers: dict[str, str],
    concurrency: int,
    limits: Limits,
) -> tuple[list[float], int, float]:
    """Send requests from ``concurrency`` threads until the count or the time limit is reached.

    Returns the latencies of 200 answers, the number of other outcomes, and the wall time.
    """
    numbers = itertools.count()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + limits.seconds

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            while True:
                n = next(numbers)
                if n >= limits.requests or time.perf_counter() >= deadline:
                    return
                body = bodies[n % len(bodies)]
                begin = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                elapsed = time.perf_counter() - begin
                with lock:
                    if ok:
                        latencies.append(elapsed)
                    else:
                        errors[0] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=limits.seconds + REQUEST_TIMEOUT)
    return latencies, errors[0], time.perf_counter() - started


def post_headers(admin_key: str) -> dict[str, str]:
    """Headers of an authenticated JSON POST."""
    return {"Authorization": f"Bearer {admin_key}", "Content-Type": "application/json"}


def check_one(port: int, body: bytes, admin_key: str, seconds: float = 600) -> dict:
    """Send one learning-path request and return its JSON, failing on anything but 200.

    A worker still building its first index answers 503 with Retry-After: ask again then.
    """
    deadline = time.monotonic() + seconds
    while True:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request("POST", PATH, body=body, headers=post_headers(admin_key))
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        if response.status == 503 and time.monotonic() < deadline:
            time.sleep(float(response.getheader("Retry-After", "1")))
            continue
        if response.status != 200:
            raise SystemExit(f"POST {PATH} answered {response.status}: {payload[:2000]!r}")
        return json.loads(payload)


def read_access_log(log: Path) -> list[tuple[int, str, str, int, float]]:
    """Return ``(pid, method, path, status, seconds)`` per logged request."""
    rows = []
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 5:
            with contextlib.suppress(ValueError):
                pid = int(parts[0].strip("<>"))  # gunicorn writes the pid as <1234>
                rows.append((pid, parts[1], parts[2], int(parts[3]), float(parts[4])))
    return rows


def warm_up(
    port: int, log: Path, bodies: Sequence[bytes], admin_key: str, seconds: float
) -> dict[int, float]:
    """Send learning-path requests until every worker has answered one; return their times.

    Requests go two at a time: a sync worker busy building its index accepts nothing, so
    the second request reaches the other worker. The result maps each worker's pid to the
    duration of its first learning-path request (which includes building the index).
    """
    deadline = time.monotonic() + seconds
    first: dict[int, float] = {}
    while time.monotonic() < deadline:
        hammer(port, "POST", PATH, bodies, post_headers(admin_key), WORKERS, Limits(WORKERS, 600))
        time.sleep(0.2)  # let gunicorn write its access log lines
        for pid, method, path, status, seconds_taken in read_access_log(log):
            if method == "POST" and path == PATH and status == 200:
                first.setdefault(pid, seconds_taken)
        if len(first) >= WORKERS:
            return first
    raise SystemExit(f"only {len(first)} of {WORKERS} workers answered within {seconds:.0f} s")


# -- catalogs -----------------------------------------------------------------------------------


def demo_bodies() -> list[bytes]:
    """Return one stateless learning-path request per demo employee and first target role."""
    employees = json.loads((DEMO_DIR / "employees.json").read_text(encoding="utf-8"))
    bodies = []
    for employee in employees:
        preferences = employee.get("preferences") or {}
        constraints = {"max_hours": 80, "start_date": START_DATE}
        for name in ("budget", "modalities", "languages"):
            if preferences.get(name):
                constraints[name] = preferences[name]
        body = {
            "profile": {
                "skills": [{"skill": s["skill"], "level": s["level"]} for s in employee["skills"]],
                "completed": [
                    {k: c.get(k) for k in ("item", "completed_at", "expires_at")}
                    for c in employee.get("completed") or ()
                ],
            },
            "target": {"role": employee["target_roles"][0]},
            "constraints": constraints,
        }
        bodies.append(json.dumps(body).encode())
    return bodies


def largest_body() -> bytes:
    """Return the largest learning-path request the documented bounds allow on the demo.

    As many profile skills and completions as a request may carry, as many target
    competencies as a role may have (every demo skill, at the top level), the most steps and
    hours, and the slowest pace (the longest schedule).
    """
    from catalog.vocabulary import (
        MAX_COMPETENCIES,
        MAX_COMPLETIONS,
        MAX_DURATION_HOURS,
        MAX_EMPLOYEE_SKILLS,
        MAX_LEVEL,
        MIN_HOURS_PER_WEEK,
    )

    skills = [s["id"] for s in json.loads((DEMO_DIR / "skills.json").read_text("utf-8"))]
    items = [i["id"] for i in json.loads((DEMO_DIR / "items.json").read_text("utf-8"))]
    body = {
        "profile": {
            "skills": [
                {"skill": skills[k % len(skills)], "level": 1} for k in range(MAX_EMPLOYEE_SKILLS)
            ],
            "completed": [{"item": items[k % 7]} for k in range(MAX_COMPLETIONS)],
        },
        "target": {
            "competencies": [
                {"skill": s, "level": MAX_LEVEL, "weight": 1} for s in skills[:MAX_COMPETENCIES]
            ]
        },
        "constraints": {
            "max_items": 50,
            "max_hours": MAX_DURATION_HOURS,
            "hours_per_week": MIN_HOURS_PER_WEEK,
            "start_date": START_DATE,
        },
    }
    return json.dumps(body).encode()


@dataclass(frozen=True)
class Loaded:
    """What inserting a generated catalog did."""

    bodies: list[bytes]
    n_items: int
    n_skills: int
    generate_seconds: float
    insert_seconds: float
    dropped_prerequisites: int
    dropped_requirements: int


def insert_generated(
    database_url: str, n_items: int, n_skills: int, n_roles: int, seed: int
) -> Loaded:
    """Generate a catalog and bulk-insert it with SQL inserts, in one transaction.

    What the imports would refuse is dropped first: a prerequisite on a skill the item
    teaches at or below that level, and a required item with a later id (keeping the
    requirements acyclic).
    """
    from sqlalchemy import insert

    from catalog.models import (
        Item,
        ItemPrerequisite,
        ItemRequirement,
        ItemSkill,
        Role,
        RoleCompetency,
        Skill,
        SkillAlias,
    )
    from catalog.version import bump_catalog_version
    from recommender.text import name_key
    from service.app import create_app
    from service.db import db

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    skills = make_skills(rng, n_skills)
    items = make_items(rng, n_items, n_skills)
    roles = make_roles(rng, n_roles, n_skills)
    profiles = [make_profile(rng, role, items) for role in roles]
    generated = time.perf_counter() - started

    started = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    stamps = {"created_at": now, "updated_at": now}
    names: set[str] = set()
    skill_rows, alias_rows = [], []
    for s in skills:
        name, n = s.name, 2
        while name_key(name) in names:  # generated names may repeat; stored names may not
            name, n = f"{s.name} {n}", n + 1
        names.add(name_key(name))
        skill_rows.append(
            dict(
                id=s.id,
                name=name,
                name_key=name_key(name),
                description=s.description,
                external_ids={},
                **stamps,
            )
        )
        alias_rows += [
            dict(skill_id=s.id, position=p, alias=a, alias_key=name_key(a))
            for p, a in enumerate(s.aliases)
        ]
    item_rows, taught_rows, prereq_rows, require_rows = [], [], [], []
    dropped_prereq = dropped_require = 0
    for item in items:
        item_rows.append(
            dict(
                id=item.id,
                kind=item.kind,
                title=item.title,
                description=item.description,
                language=item.language,
                modality=item.modality,
                duration_hours=item.duration_hours,
                cost=item.cost,
                currency=item.currency,
                valid_months=item.valid_months,
                active=item.active,
                **stamps,
            )
        )
        taught = dict(item.skills)
        taught_rows += [dict(item_id=item.id, skill_id=s, level=lv) for s, lv in item.skills]
        for s, lv in item.prerequisites:
            if lv < taught.get(s, lv + 1):
                prereq_rows.append(dict(item_id=item.id, skill_id=s, level=lv))
            else:
                dropped_prereq += 1
        for required in item.requires_items:
            if required < item.id:
                require_rows.append(dict(item_id=item.id, required_item_id=required))
            else:
                dropped_require += 1
    role_rows = [dict(id=r.role_id, title=r.title, external_ids={}, **stamps) for r in roles]
    competency_rows = [
        dict(role_id=r.role_id, skill_id=c.skill, level=c.level, weight=c.weight)
        for r in roles
        for c in r.competencies
    ]

    app = create_app({"SKILLPATH_DATABASE_URL": database_url, "SKILLPATH_AUTO_MIGRATE": False})
    with app.app_context():
        with db.sessionmaker(write=True)() as session:
            for model, rows in (
                (Skill, skill_rows),
                (SkillAlias, alias_rows),
                (Item, item_rows),
                (ItemSkill, taught_rows),
                (ItemPrerequisite, prereq_rows),
                (ItemRequirement, require_rows),
                (Role, role_rows),
                (RoleCompetency, competency_rows),
            ):
                for start in range(0, len(rows), 5_000):
                    session.execute(insert(model), rows[start : start + 5_000])
            bump_catalog_version(session=session)
            session.commit()
        db.dispose(app)
    inserted = time.perf_counter() - started

    bodies = []
    for role, profile in zip(roles, profiles, strict=True):
        body = {
            "profile": {
                "skills": [{"skill": s, "level": lv} for s, lv in sorted(profile.levels.items())],
                "completed": [{"item": i} for i in sorted(profile.completed)],
            },
            "target": {"role": role.role_id},
            "constraints": {"max_hours": 80, "budget": 2000, "start_date": START_DATE},
        }
        bodies.append(json.dumps(body).encode())
    return Loaded(bodies, n_items, n_skills, generated, inserted, dropped_prereq, dropped_require)


# -- phases -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """Two kinds of request timed in turns, one request at a time: p50 of A over p50 of B."""

    name: str
    a: np.ndarray  # seconds
    b: np.ndarray
    target: float

    @property
    def value(self) -> float:
        """The ratio of the two medians."""
        return float(np.median(self.a) / np.median(self.b))

    @property
    def medians(self) -> str:
        """The two medians in milliseconds, A then B: a ratio moves with either."""
        return f"{np.median(self.a) * 1000:.2f} / {np.median(self.b) * 1000:.2f}"


@dataclass
class Phase:
    """Everything measured on one catalog."""

    catalog: str
    runs: list[Run]
    first_requests: list[float]
    memory: list[Memory]  # of each worker, warm, after the load runs
    notes: list[str]
    ratios: list[Ratio]
    largest: list[float] = dataclasses.field(default_factory=list)  # seconds


def send(port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]) -> float:
    """Send one request on a new connection; return its seconds, failing on anything but 200."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        begin = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - begin
    finally:
        conn.close()
    if response.status != 200:
        raise SystemExit(f"{method} {path} answered {response.status}: {payload[:2000]!r}")
    return elapsed


def in_turns(first, second, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Time ``first(k)`` and ``second(k)`` in turns for k in range(n), the order alternating."""
    times: tuple[list[float], list[float]] = ([], [])
    for k in range(n):
        for which in (0, 1) if k % 2 else (1, 0):
            times[which].append((first, second)[which](k))
    return np.array(times[0]), np.array(times[1])


def recommendations_ratio(port: int, admin_key: str, n: int) -> Ratio:
    """Time GET recommendations of the demo's stored employees against GET /health."""
    employees = json.loads((DEMO_DIR / "employees.json").read_text(encoding="utf-8"))
    paths = [f"/v1/employees/{e['id']}/recommendations?limit=10" for e in employees]
    headers = {"Authorization": f"Bearer {admin_key}"}
    recommend, health = in_turns(
        lambda k: send(port, "GET", paths[k % len(paths)], None, headers),
        lambda k: send(port, "GET", "/health", None, {}),
        n,
    )
    return Ratio("recommendations p50 / health p50", recommend, health, RECOMMENDATIONS_TARGET)


def path_ratio(port: int, env: dict[str, str], bodies: Sequence[bytes], n: int) -> Ratio:
    """Time each learning-path request over HTTP against the same request planned in-process.

    In-process is the domain call the view makes (skill resolution, planning, the answer's
    objects) on an app of this process over the same database, after the body is validated:
    what is left over HTTP is gunicorn, the connection, validation, auth and serialisation.
    """
    from service.app import create_app
    from service.db import db
    from service.planning import stateless_path
    from service.recommendation_args import StatelessPathRequestSchema

    app = create_app(
        {
            "SKILLPATH_DATABASE_URL": env["SKILLPATH_DATABASE_URL"],
            "SKILLPATH_ADMIN_KEY": env["SKILLPATH_ADMIN_KEY"],
            "SKILLPATH_AUTO_MIGRATE": False,
            "SKILLPATH_LOG_LEVEL": "WARNING",
        }
    )
    schema = StatelessPathRequestSchema()
    loaded = []
    with app.test_request_context():
        loaded = [schema.load(json.loads(body)) for body in bodies]

    def planned(k: int) -> float:
        data = loaded[k % len(loaded)]
        with app.test_request_context(PATH, method="POST"):
            begin = time.perf_counter()
            stateless_path(
                session=db.session,
                profile=data["profile"],
                target=data["target"],
                constraints=data["constraints"],
            )
            elapsed = time.perf_counter() - begin
        return elapsed

    try:
        planned(0)  # builds this process's index
        headers = post_headers(env["SKILLPATH_ADMIN_KEY"])
        over_http, in_process = in_turns(
            lambda k: send(port, "POST", PATH, bodies[k % len(bodies)], headers), planned, n
        )
    finally:
        db.dispose(app)
    return Ratio("HTTP path p50 / in-process path p50", over_http, in_process, PATH_TARGET)


def measure(
    name: str,
    env: dict[str, str],
    workdir: Path,
    bodies: Sequence[bytes],
    admin_key: str,
    concurrencies: Sequence[int],
    limits: dict[str, Limits],
    notes: list[str],
    paired: int,
    demo: bool = False,
) -> Phase:
    """Start gunicorn, warm every worker, time the paired requests, then load each endpoint."""
    with gunicorn(env, workdir) as (port, log):
        check_one(port, bodies[0], admin_key)
        first = warm_up(port, log, bodies, admin_key, seconds=300)
        ratios = [path_ratio(port, env, bodies, paired)]
        largest = []
        if demo:
            ratios.insert(0, recommendations_ratio(port, admin_key, RECOMMENDATION_PAIRS))
            body, headers = largest_body(), post_headers(admin_key)
            send(port, "POST", PATH, body, headers)  # the first one warms caches
            largest = [send(port, "POST", PATH, body, headers) for _ in range(LARGEST_RUNS)]
        runs = []
        for concurrency in concurrencies:
            for endpoint, method, path, payloads, headers in (
                ("GET /health", "GET", "/health", [None], {}),
                (f"POST {PATH}", "POST", PATH, bodies, post_headers(admin_key)),
            ):
                latencies, errors, wall = hammer(
                    port, method, path, payloads, headers, concurrency, limits[method]
                )
                runs.append(Run(name, endpoint, concurrency, np.array(latencies), errors, wall))
        memory = worker_memory(sorted(first))
    return Phase(name, runs, sorted(first.values()), memory, notes, ratios, largest)


def demo_phase(workdir: Path, concurrencies, limits, paired: int) -> Phase:
    """Measure on the demo organisation."""
    admin_key = secrets.token_urlsafe(24)
    env = base_env(workdir / "demo.db", admin_key)
    started = time.perf_counter()
    skillpath(env, "db", "upgrade")
    skillpath(env, "seed-demo")
    note = f"demo: db upgrade + seed-demo in {time.perf_counter() - started:.1f} s"
    return measure(
        "demo",
        env,
        workdir,
        demo_bodies(),
        admin_key,
        concurrencies,
        limits,
        [note],
        paired,
        demo=True,
    )


def generated_phase(
    workdir: Path, concurrencies, limits, n_items: int, n_skills: int, seed: int, paired: int
) -> Phase:
    """Measure on a generated catalog."""
    admin_key = secrets.token_urlsafe(24)
    database = workdir / "generated.db"
    env = base_env(database, admin_key)
    skillpath(env, "db", "upgrade")
    loaded = insert_generated(env["SKILLPATH_DATABASE_URL"], n_items, n_skills, 20, seed)
    name = f"{n_items // 1000}k items"
    notes = [
        f"{name}: {n_items:,} items over {n_skills:,} skills and 20 roles of 20 competencies; "
        f"generated in {loaded.generate_seconds:.1f} s, inserted in {loaded.insert_seconds:.1f} s "
        f"({loaded.dropped_prerequisites} prerequisites and {loaded.dropped_requirements} "
        "required items the imports would refuse were left out)"
    ]
    return measure(
        name, env, workdir, loaded.bodies, admin_key, concurrencies, limits, notes, paired
    )


# -- output -------------------------------------------------------------------------------------


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Format rows as a plain aligned text table, first two columns left, the others right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def report(phases: Sequence[Phase]) -> str:
    """Return the load table, the latency ratios and the per-phase notes."""
    runs = [r for p in phases for r in p.runs]
    load = format_table(
        ("catalog", "endpoint", "clients", "requests", "errors", "req/s", "p50 ms", "p99 ms"),
        [
            (
                r.catalog,
                r.endpoint,
                str(r.concurrency),
                str(r.latencies.size),
                str(r.errors),
                f"{r.throughput:.0f}",
                f"{r.percentile(50):.1f}",
                f"{r.percentile(99):.1f}",
            )
            for r in runs
        ],
    )
    ratio_rows = []
    for p in phases:
        for concurrency in dict.fromkeys(r.concurrency for r in p.runs):
            pair = {r.endpoint: r for r in p.runs if r.concurrency == concurrency}
            health, path = pair["GET /health"], pair[f"POST {PATH}"]
            ratio_rows.append(
                (
                    p.catalog,
                    str(concurrency),
                    f"{path.percentile(50) / health.percentile(50):.1f} x",
                    " / ".join(f"{s:.2f}" for s in p.first_requests),
                )
            )
    ratios = format_table(
        ("catalog", "clients", "path p50 / health p50", "first path request per worker, s"),
        ratio_rows,
    )
    memory = format_table(
        ("catalog", "worker", "VmRSS MiB", "PSS MiB", "USS MiB"),
        [
            (p.catalog, str(w + 1), f"{m.rss:.0f}", f"{m.pss:.0f}", f"{m.uss:.0f}")
            for p in phases
            for w, m in enumerate(p.memory)
        ],
    )
    targets = format_table(
        ("catalog", "measure", "value", "target", "p50s, ms"),
        [
            (p.catalog, r.name, f"{r.value:.2f} x", f"<= {r.target:g} x", r.medians)
            for p in phases
            for r in p.ratios
        ]
        + [
            (
                p.catalog,
                "worker PSS, MiB (max)",
                f"{max(m.pss for m in p.memory):.0f}",
                f"<= {MEMORY_TARGET_MIB:g}",
                "",
            )
            for p in phases
            if p.memory
        ]
        + [
            (
                p.catalog,
                "largest valid path request, s (median)",
                f"{np.median(p.largest):.2f}",
                f"<= {LARGEST_TARGET_S:g}",
                "",
            )
            for p in phases
            if p.largest
        ],
    )
    paired = "targets: paired measures, one request at a time, the two kinds taking turns"
    notes = [n for p in phases for n in p.notes]
    shares = (
        "memory of each warm worker after the load runs: VmRSS counts the pages workers share"
        " in full for each, PSS splits them among the processes mapping them, USS is the"
        " worker's own"
    )
    return "\n\n".join(
        [load, ratios, shares + "\n" + memory, paired + "\n" + targets, "\n".join(notes)]
    )


def main(argv: list[str] | None = None) -> None:
    """Run both phases and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k items, shorter runs")
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        help="client threads per run (default: 2 4, or 2 with --quick)",
    )
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    # On SIGTERM unwind normally, so gunicorn is stopped and the temporary files removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    concurrencies = args.concurrency or ([2] if args.quick else [2, 4])
    paired = 60 if args.quick else 300
    if args.quick:
        limits = {"GET": Limits(1_000, 4.0), "POST": Limits(300, 6.0)}
        n_items, n_skills = 10_000, 2_000
    else:
        limits = {"GET": Limits(10_000, 20.0), "POST": Limits(3_000, 30.0)}
        n_items, n_skills = 100_000, 15_000

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="skillpath-load-") as tmp:
        workdir = Path(tmp)
        phases = [
            demo_phase(workdir, concurrencies, limits, paired),
            generated_phase(workdir, concurrencies, limits, n_items, n_skills, args.seed, paired),
        ]
    print(f"gunicorn, {WORKERS} sync workers, {os.cpu_count()} cores, client threads on loopback")
    print()
    print(report(phases))
    # Other processes slow the heavier request more than GET /health: read ratios with it.
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"whole run: {time.perf_counter() - started:.0f} s; load average (1/5/15 min) {load}")


if __name__ == "__main__":
    main()
