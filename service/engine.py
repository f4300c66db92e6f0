"""The recommender, fitted on a catalog snapshot once per host and mapped by each worker.

Each worker keeps one model set keyed by the catalog version, mapped from the file a child
process fitted and saved for that version (:mod:`service.model_files`), so the workers of a
host share its arrays. A request that sees a newer version answers with the models the
worker has while one background thread gets the new version's, so catalog writes never
stall requests; answers name the version that answered.
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from flask import Flask, current_app, g, has_app_context
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from catalog.skills import resolve_skill_refs
from catalog.version import get_catalog_state, get_catalog_version
from service import model_files
from service.db import db

# Re-exported: the rest of the service reads them from here.
from service.fitted import ItemSummaries, ItemSummary, Models, build_models  # noqa: F401
from service.metrics import observe_index_build

log = logging.getLogger("skillpath")

#: Where an app keeps its :class:`ModelCache`.
CACHE_KEY = "skillpath.models"
#: Seconds a worker waits after a failed background build before trying again: a build that
#: fails (out of memory, say) would otherwise be retried on every request.
RETRY_AFTER_FAILURE = 30.0
#: Seconds a child process may take to fit and save the models of one catalog version.
BUILD_TIMEOUT = 600.0
#: Seconds a request waits for a worker's first models before it is answered 503: a first
#: build that encodes a large taxonomy can outlast gunicorn's worker timeout (60 s), which
#: would kill the worker mid-request; the build goes on in the background meanwhile.
FIRST_BUILD_WAIT = 30.0
#: What the 503 tells the caller to wait before asking again.
FIRST_BUILD_RETRY_AFTER = 10


class IndexNotReadyError(Exception):
    """This worker has no models yet: its first build is still running, or has just failed."""


class ModelCache:
    """One fitted :class:`Models` per process, rebuilt in the background when the version moves.

    The first request starts the build and waits for it up to ``FIRST_BUILD_WAIT`` seconds,
    then gets :class:`IndexNotReadyError` while the build goes on. After that a request that
    sees a newer catalog version answers with the models it has and asks for a rebuild; one
    builder thread per process fits the new version and swaps it in with a single reference
    assignment, so a request holds either the old models or the new ones, never a mix.
    Versions that move while a build runs mark the cache dirty, and one more build follows.
    With ``background=False`` a request that sees a newer version rebuilds before answering.
    """

    def __init__(self, *, background: bool = True) -> None:
        self.background = background
        self._models: Models | None = None
        self._lock = threading.Lock()  # the synchronous builds, one at a time
        self._state = threading.Lock()  # guards the three fields below
        self._building = False
        self._dirty = False
        self._failed_at = -math.inf
        self._first = threading.Event()  # set once this process has models

    @property
    def building(self) -> bool:
        """Whether a newer version is being built in the background."""
        return self._building

    def get(self, session: Session, *, version: int | None = None) -> Models:
        """Return models fitted on the stored catalog; the current ones while a newer builds.

        ``version`` is the catalog version when the caller read it already (with an
        employee's rows, :class:`catalog.snapshot.EmployeeSnapshot`).
        """
        # Authentication read it already in a request with an API key (service.auth); it
        # serves the request's first read only, before anything the request writes.
        known = g.pop("catalog_version", None) if has_app_context() else None
        if version is None:
            version = known
        if version is None:
            version = get_catalog_version(session=session)
        models = self._models
        if models is not None and models.version == version:
            return models
        if models is None and self.background:
            return self._first_models(current_app._get_current_object())
        if not self.background:
            with self._lock:
                if self._models is None or self._models.version != version:
                    self._models = self.build(session, version)
                return self._models
        self._rebuild_later(current_app._get_current_object())
        return models

    def _first_models(self, app: Flask) -> Models:
        """Start the first build in the background and wait a while for its models.

        :raise IndexNotReadyError: when they are not there within ``FIRST_BUILD_WAIT``.
        """
        self._rebuild_later(app)
        deadline = time.monotonic() + FIRST_BUILD_WAIT
        # Stop waiting early when the builder stops without models (its build failed).
        while not self._first.wait(0.05) and self._building and time.monotonic() < deadline:
            pass
        if self._models is None:
            raise IndexNotReadyError
        return self._models

    def build(self, session: Session, version: int) -> Models:
        """Return models of the stored catalog (``version`` or newer), recording the time taken.

        With an index folder configured they are mapped from the catalog state's file, which
        this process or another one fits and saves first if need be.
        """
        started = time.perf_counter()
        models = load_or_build_models(session)
        observe_index_build(time.perf_counter() - started)
        return models

    def _rebuild_later(self, app: Flask) -> None:
        with self._state:
            if time.monotonic() - self._failed_at < RETRY_AFTER_FAILURE:
                return
            if self._building:
                self._dirty = True
                return
            self._building = True
        threading.Thread(
            target=self._rebuild, args=(app,), name="skillpath-index-build", daemon=True
        ).start()

    def _rebuild(self, app: Flask) -> None:
        # Builds until no version moved during the last build; each build reads the newest.
        while True:
            with self._state:
                self._dirty = False
            try:
                # No unit of work (catalog.db): the build reads rows, not ORM objects, and may
                # wait long on another process's build, which paused collection would outlast.
                with app.app_context(), db.sessionmaker(write=False)() as session:
                    version = get_catalog_version(session=session)
                    if self._models is None or self._models.version != version:
                        self._models = self.build(session, version)
                        self._first.set()
            except Exception:  # noqa: BLE001 - keep answering with the models there are
                log.error("the recommender index could not be rebuilt", exc_info=True)
                with self._state:
                    self._failed_at = time.monotonic()
                    self._building = False
                    return
            with self._state:
                if not self._dirty:
                    self._building = False
                    return


def load_or_build_models(session: Session) -> Models:
    """Return the models of the stored catalog, mapped from its file when there is a folder.

    The file is named by the catalog version, its stamp and the code's fingerprint (a file
    pickled by other code is never read). A process of its own fits and
    saves it (in tests, this one does), so no worker's heap is left holding the fragments of
    a catalog snapshot; workers only map the file. Without a folder, for an in-memory
    database, or where the folder cannot be written, each process fits its own models.
    """
    version, stamp = get_catalog_state(session=session)
    config = current_app.config
    folder, url = config["SKILLPATH_INDEX_DIR"], config["SKILLPATH_DATABASE_URL"]
    time_limit = config["SKILLPATH_PLANNER_TIME_LIMIT"]
    embeddings = config["SKILLPATH_EMBEDDING_CACHE"]
    if not folder or stamp is None or in_memory(url):
        return build_models(session, time_limit=time_limit, embeddings=embeddings)

    def write(path: Path) -> None:
        if current_app.testing:
            models = build_models(session, time_limit=time_limit, embeddings=embeddings)
            model_files.save(models, path)
        else:
            build_in_child(url, path, time_limit=time_limit, embeddings=embeddings)

    name = f"catalog-{version}-{stamp}-{model_files.code_fingerprint()}"
    try:
        models = model_files.load_or_build(Path(folder), name, write)
    except OSError:
        log.warning(
            "the recommender index could not be built into %s; fitting it in this worker",
            folder,
            exc_info=True,
        )
        return build_models(session, time_limit=time_limit, embeddings=embeddings)
    # A setting of this process, not of the catalog: the file may come from another one.
    models.planner.set_params(time_limit=time_limit)
    return models


def build_in_child(url: str, path: Path, *, time_limit: float, embeddings: str | None) -> None:
    """Fit the models in a new Python process that saves them to ``path``; wait for it.

    The job goes on the child's standard input, so the database URL (and any password in
    it) stays out of the process list. ``embeddings`` is the folder of the resolver's text
    embeddings: a new process remembers none, so without it every build encodes every skill.

    :raise OSError: when the child fails or outlives ``BUILD_TIMEOUT``.
    """
    job = json.dumps(
        {
            "database_url": url,
            "path": str(path),
            "time_limit": time_limit,
            "embeddings": embeddings,
        }
    )
    # The child imports this checkout's code whichever way this process found it.
    root = str(Path(__file__).resolve().parent.parent)
    path_entries = filter(None, [root, os.environ.get("PYTHONPATH")])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path_entries)}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "service.index_build"],
            input=job,
            capture_output=True,
            text=True,
            env=env,
            timeout=BUILD_TIMEOUT,
        )
    except subprocess.TimeoutExpired as timeout:
        raise OSError(f"the index build took over {BUILD_TIMEOUT:g} s") from timeout
    if done.returncode:
        raise OSError(f"the index build failed: {done.stderr.strip()[-2000:]}")


def in_memory(url: str) -> bool:
    """Whether ``url`` names a SQLite database that only one connection's process can see."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def model_cache() -> ModelCache:
    """Return the current app's model cache.

    Under ``TESTING`` a catalog write shows in the next answer: the cache rebuilds before
    answering. A test of the background rebuild puts its own cache here first.
    """
    cache = current_app.extensions.get(CACHE_KEY)
    if cache is None:
        cache = current_app.extensions.setdefault(
            CACHE_KEY, ModelCache(background=not current_app.testing)
        )
    return cache


def models_for(session: Session, *, version: int | None = None) -> Models:
    """Return the current app's fitted models for the stored catalog.

    ``version`` is the catalog version if the request read it already.
    """
    return model_cache().get(session, version=version)


def resolve_skill_names(
    session: Session, refs: Iterable[str], *, models: Models | None = None
) -> dict[str, str]:
    """Map skill references to ids: exact id/name/alias first, then the fuzzy resolver.

    References that neither way resolves are left out of the mapping, and so is a fuzzy match
    that is not confident (the resolver offers weak ones too). A request that holds its
    ``models`` already passes them, so the catalog version is not read twice.
    """
    found, unknown = resolve_skill_refs(session=session, refs=refs)
    if unknown:
        resolver = (models or models_for(session)).resolver
        # Together: a bulk import's unknown names share the encoder's forward passes.
        for ref, matches in zip(unknown, resolver.resolve_many(unknown, limit=1), strict=True):
            if matches and matches[0].confident:
                found[ref] = matches[0].skill_id
    return found
