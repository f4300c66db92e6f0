"""Workers of one host map one saved index per catalog version and answer alike from it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import DATABASES
from tests.functional.support import item_body, role_body, skill_body
from tests.reliability.conftest import LiveServer, race, serve

STAR = {"If-Match": "*"}
FILLER = 400
PATH_BODY = {"profile": {"skills": []}, "target": {"role": "dev"}}


def _put(server: LiveServer, collection: str, body: dict) -> None:
    body = dict(body)
    ident = body.pop("id")
    answer = server.request("PUT", f"/v1/{collection}/{ident}", body=body, headers=STAR)
    assert answer.status in (200, 201), answer.body


def _mapped_models(pid: int, folder: Path) -> set[str]:
    """Return the models files of ``folder`` that process ``pid`` maps."""
    maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    return {
        line.split(maxsplit=5)[5]
        for line in maps
        if len(line.split(maxsplit=5)) == 6 and line.split(maxsplit=5)[5].startswith(str(folder))
    }


def _paths(server: LiveServer, n: int) -> list[dict]:
    """Send ``n`` learning-path requests two at a time, so that both workers answer some."""
    answers = []
    for _ in range(n // 2):
        pair = race([lambda: server.request("POST", "/v1/learning-paths", body=PATH_BODY)] * 2)
        for answer in pair:
            assert answer.status == 200, answer.body
            answers.append(answer.body)
    return answers


def _both_workers_map(server: LiveServer, folder: Path, deadline: float = 90) -> set[str]:
    """Wait until every worker maps a models file; return the files they map."""
    end = time.monotonic() + deadline
    while True:
        mapped = [_mapped_models(pid, folder) for pid in server.worker_pids()]
        if all(mapped) or time.monotonic() > end:
            return set().union(*mapped) if all(mapped) else set()
        _paths(server, 4)


@pytest.mark.parametrize("kind", DATABASES)
def test_workers_map_one_file_per_version_and_agree(kind, tmp_path):
    folder = tmp_path / "index"
    with serve(kind, tmp_path) as server:
        _put(server, "skills", skill_body("python", "Python"))
        _put(server, "skills", skill_body("go", "Go"))
        # Enough items that the index's arrays are mapped from the file, not copied into the
        # pickle (arrays under a page are); none of them teaches what the role asks for.
        filler = [item_body(f"go-{n:04d}", {"go": 1}) for n in range(FILLER)]
        imported = server.request("POST", "/v1/items/import", body=filler)
        assert imported.status == 200, imported.body
        _put(server, "items", item_body("py-basics", {"python": 2}, duration_hours=10, cost=0))
        _put(server, "roles", role_body("dev", {"python": 2}))
        before = _paths(server, 8)
        files = _both_workers_map(server, folder)
        assert len(files) == 1, files  # one file for the version, mapped by both workers
        assert [p.name for p in folder.glob("*.models")] == [Path(f).name for f in files]

        # A quicker item: once a worker has the new version it plans with it, and says so.
        _put(server, "items", item_body("py-quick", {"python": 2}, duration_hours=1, cost=0))
        after: list[dict] = []
        end = time.monotonic() + 90
        while time.monotonic() < end:
            answers = _paths(server, 4)
            after += answers
            versions = {a["model"]["catalog_version"] for a in answers}
            if len(versions) == 1 and versions != {before[0]["model"]["catalog_version"]}:
                break
            time.sleep(0.2)
        new_files = _both_workers_map(server, folder)
        assert len(new_files) == 1 and new_files != files, (files, new_files)
        assert "error" not in server.error_text().lower(), server.error_text()[-3000:]

    by_version: dict[int, set[str]] = {}
    for answer in before + after:
        steps = tuple(s["item"]["id"] for s in answer["steps"])
        by_version.setdefault(answer["model"]["catalog_version"], set()).add(steps)
    old, new = before[0]["model"]["catalog_version"], after[-1]["model"]["catalog_version"]
    assert new > old
    # Every answer naming a version plans what that version's catalog offers.
    assert by_version[old] == {("py-basics",)}
    assert by_version[new] == {("py-quick",)}
    assert set(by_version) == {old, new}
