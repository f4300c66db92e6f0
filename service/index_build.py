"""Fit the recommender's models of the stored catalog and save them to a file, then exit.

A worker runs this as ``python -m service.index_build`` with a JSON job on standard input
(``database_url``, ``path``, ``time_limit``, ``embeddings``): the snapshot of a large catalog
leaves a process's heap fragmented after it is freed, and here that heap goes away with the
process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from catalog.db import make_engine, make_sessionmaker
from service import model_files
from service.fitted import build_models


def main() -> None:
    """Read the job, fit the models in one consistent read of the catalog, save them."""
    job = json.load(sys.stdin)
    engine = make_engine(job["database_url"])
    if engine.dialect.name == "postgresql":
        # One snapshot for the version and every table read, as SQLite's read transaction is.
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    try:
        with make_sessionmaker(engine)() as session:
            models = build_models(
                session, time_limit=job["time_limit"], embeddings=job["embeddings"]
            )
        model_files.save(models, Path(job["path"]))
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
