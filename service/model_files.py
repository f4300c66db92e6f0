"""Fitted models saved once per catalog state to a file that every worker maps read-only.

A file holds a pickle of the models whose large arrays (the index's sparse matrices, the
ranker's vectors, the item columns) sit beside it, out of band, each aligned on its own;
loading maps the file and hands pickle views of those arrays, so numpy reads them from the
page cache. Workers of one host that load the same file share those pages: at 100k items a
worker then holds its own Python objects and little else, and a worker that finds the file
built does not read the catalog at all.

Files are written to a temporary name and renamed into place, so a reader sees a whole file
or none; a lock file lets one process build a state while the others wait for its file.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import logging
import mmap
import os
import pickle
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger("skillpath")

MAGIC = b"SKLPMOD1"
# magic, pickle offset, pickle length, number of buffers; then (offset, length) per buffer.
_HEADER = struct.Struct("<8sQQQ")
_ENTRY = struct.Struct("<QQ")
#: Buffers are aligned for any numpy dtype and start on their own cache line.
ALIGN = 64
#: Smaller buffers stay inside the pickle: mapping them would save less than a page each.
IN_BAND_BELOW = 4096
#: Files of other catalog states older than this are removed once a newer one is in place;
#: a worker still answering from one keeps its mapping (the pages stay until it unmaps).
KEEP_SECONDS = 60.0
SUFFIX = ".models"


def save(obj: Any, path: Path) -> None:
    """Write ``obj`` to ``path`` atomically: a temporary file in the same folder, then a rename."""
    buffers: list[pickle.PickleBuffer] = []

    def out_of_band(buffer: pickle.PickleBuffer) -> bool:
        if buffer.raw().nbytes < IN_BAND_BELOW:
            return True  # true: pickled in band
        buffers.append(buffer)
        return False

    payload = pickle.dumps(obj, protocol=5, buffer_callback=out_of_band)
    table_end = _HEADER.size + _ENTRY.size * len(buffers)
    offset = _aligned(table_end + len(payload))
    entries = []
    for buffer in buffers:
        entries.append((offset, buffer.raw().nbytes))
        offset = _aligned(offset + buffer.raw().nbytes)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(_HEADER.pack(MAGIC, table_end, len(payload), len(buffers)))
            for entry in entries:
                out.write(_ENTRY.pack(*entry))
            out.write(payload)
            for (start, _), buffer in zip(entries, buffers, strict=True):
                out.write(b"\0" * (start - out.tell()))
                out.write(buffer.raw())
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def load(path: Path) -> Any:
    """Map ``path`` read-only and return the object saved there; its arrays view the map.

    :raise FileNotFoundError: when there is no such file.
    :raise ValueError: when the file is not one :func:`save` wrote.
    """
    with open(path, "rb") as source:
        size = os.fstat(source.fileno()).st_size
        if size < _HEADER.size:
            raise ValueError(f"{path.name} is not a models file")
        mapped = mmap.mmap(source.fileno(), size, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    magic, start, length, count = _HEADER.unpack_from(view)
    if magic != MAGIC:
        raise ValueError(f"{path.name} is not a models file")
    table = view[_HEADER.size : _HEADER.size + _ENTRY.size * count]
    buffers = [view[offset : offset + nbytes] for offset, nbytes in _ENTRY.iter_unpack(table)]
    # The arrays keep the map alive through their views; it is unmapped with the last one.
    return pickle.loads(view[start : start + length], buffers=buffers)


def load_or_build(folder: Path, name: str, write: Callable[[Path], None]) -> Any:
    """Return the object saved as ``name`` in ``folder``, calling ``write(path)`` first if absent.

    One process writes while the others that want the same name wait on its lock, then load
    what it saved. The writer loads the file too, rather than keep what it built: its own
    copies of the arrays would be private memory, the mapped ones are shared.
    """
    path = folder / f"{name}{SUFFIX}"
    found = _load_if_sound(path)
    if found is not None:
        return found
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / f".{name}.lock"):
        found = _load_if_sound(path)
        if found is not None:
            return found
        write(path)
    _prune(folder, keep=path)
    return load(path)


def _load_if_sound(path: Path) -> Any | None:
    """Return what ``path`` holds, or None when it is missing or cannot be read back."""
    try:
        return load(path)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - damaged or foreign: build it again over it
        log.warning("the models file %s could not be read; building it again", path, exc_info=True)
        return None


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if need be) for the block."""
    with open(path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            # Removed before it is released: a process that opens the name afterwards finds
            # the models file first; one already waiting on this lock rechecks and loads.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prune(folder: Path, *, keep: Path) -> None:
    """Remove the files of other catalog states that have been in place for a while."""
    cutoff = time.time() - KEEP_SECONDS
    for entry in folder.iterdir():
        if entry == keep or not (entry.name.endswith(SUFFIX) or entry.name.endswith(".tmp")):
            continue
        with contextlib.suppress(OSError):
            if entry.stat().st_mtime < cutoff:
                entry.unlink()


def _aligned(offset: int) -> int:
    return -(-offset // ALIGN) * ALIGN


@functools.cache
def code_fingerprint() -> str:
    """Return a short hash of the code and library versions a models file depends on.

    Pickles name classes and hold their attributes, so a file written by other code (a new
    release, another scikit-learn) could load wrongly or not at all; files carry this in
    their names instead, and a deploy simply builds its own.
    """
    import numpy
    import scipy
    import sklearn

    import recommender

    digest = hashlib.sha256()
    digest.update(f"{sys.version}|{numpy.__version__}|{scipy.__version__}".encode())
    digest.update(sklearn.__version__.encode())
    package = Path(recommender.__file__).parent
    here = Path(__file__).parent
    for source in sorted(package.rglob("*.py")) + [here / "fitted.py", Path(__file__)]:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]
