"""The sequence that killed workers: an import from the CLI while clients page and resolve.

Workers of a live gunicorn serve listings and skill resolution while ``skillpath import
esco`` writes the ESCO taxonomy into the same database from another process. No worker may
be lost, no read may fail, and the import lands whole. Bounded in time and requests.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from tests.reliability.conftest import ROOT, LiveServer

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

ESCO = ROOT.parent / "shared" / "data" / "esco"
SECONDS = 25
MAX_REQUESTS = 4000


def _labels() -> list[str]:
    with (ESCO / "skills_ict.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row["preferredLabel"][:60] for row in csv.DictReader(handle)]


def test_workers_survive_paging_and_resolving_during_an_import(live: LiveServer):
    if not ESCO.is_dir():
        pytest.skip(f"the ESCO data is not beside the checkout ({ESCO})")
    labels, workers = _labels(), sorted(live.worker_pids())
    importer = subprocess.Popen(
        [sys.executable, "-c", "from service.cli import cli; cli()", "import", "esco", str(ESCO)],
        cwd=ROOT, env=live.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    failures: list[str] = []
    answered = [0]
    end = time.monotonic() + SECONDS

    def read(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < end and answered[0] < MAX_REQUESTS:
            if rng.random() < 0.7:
                path = f"/v1/skills?page_size=100&page={rng.randint(1, 15)}"
            else:
                path = "/v1/skills/resolve?text=" + urllib.parse.quote(rng.choice(labels))
            try:
                status = live.request("GET", path, timeout=30).status
            except OSError as exc:  # a worker died under the request
                failures.append(f"{path}: {exc!r}")
                continue
            answered[0] += 1
            if status >= 500:
                failures.append(f"{path}: {status}")

    readers = [threading.Thread(target=read, args=(n,)) for n in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(SECONDS + 60)
    _, errors = importer.communicate(timeout=600)
    assert importer.returncode == 0, errors[-2000:]
    assert not failures, failures[:5]
    assert answered[0] > 100, answered[0]
    assert sorted(live.worker_pids()) == workers, "a worker was lost:\n" + live.error_text()[-3000:]
    assert "SIG" not in live.error_text()
    listed = live.request("GET", "/v1/skills?page_size=1")
    assert json.loads(listed.headers["x-pagination"])["total"] > 1000
