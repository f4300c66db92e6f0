"""Pausing automatic collection per unit of work closes CPython 3.11's double-free window.

The script reproduces, without any library, what SQLAlchemy's ``Session.close()`` met: an
object's new attribute is stored, the allocation for it starts a collection, and a weakref
callback of that collection stores an attribute on the same object. On CPython 3.11 that
frees the object's attribute values twice; ``-X dev`` poisons freed memory, so the process
dies at once. ``catalog.db.pause_collection`` and ``collect_between_units`` wrap each unit.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

import pytest

from catalog.db import COLLECTS_INSIDE_ALLOCATIONS, collect_between_units, pause_collection

SCRIPT = """
import gc, sys, weakref
from catalog.db import collect_between_units, pause_collection

class State: pass
class Instance: pass
filler = State()
for i in range(30):
    setattr(filler, f"k{i}", i)  # the shared keys are full: a new name needs a real dict
mitigated = sys.argv[1] == "paused"

def unit():
    if mitigated:
        pause_collection()  # a unit of work begins
    state = State(); state.k0 = 0
    obj = Instance(); obj.cycle = obj  # cyclic garbage once dropped
    def cleanup(_ref, state=state):
        state.from_callback = None
    state.k1 = weakref.ref(obj, cleanup)
    del obj
    gc.disable()
    gc.set_threshold(1)
    keep = [{} for _ in range(100)]  # empties the dict free list: the store must allocate
    if not mitigated:
        gc.enable()  # as automatic collection is, inside a unit of work
    state.from_caller = None  # the store a collection must not interrupt
    del keep
    if mitigated:
        collect_between_units()  # the unit ends

for _ in range(500):
    unit()
gc.set_threshold(700, 10, 10)
gc.enable()
gc.collect()
print("survived")
"""


def _run(mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-X", "dev", "-c", SCRIPT, mode],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_units_of_work_never_collect_inside_a_store():
    done = _run("paused")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"


@pytest.mark.skipif(not COLLECTS_INSIDE_ALLOCATIONS, reason="this interpreter collects safely")
def test_without_the_pause_this_interpreter_corrupts_its_heap():
    """The hazard is real here: without the pause the same script dies."""
    done = _run("unpaused")
    if done.returncode == 0:
        pytest.skip("this build of the interpreter no longer shows the fault")
    assert done.returncode < 0 or "Fatal Python error" in done.stderr


@pytest.mark.skipif(not COLLECTS_INSIDE_ALLOCATIONS, reason="this interpreter collects safely")
def test_a_unit_ending_in_another_thread_leaves_collection_paused():
    """Another thread's unit ends in the middle of a request's: the request's unit must
    still run without automatic collection, which resumes when it ends too; an app context
    that paused nothing (a worker's index rebuild) changes nothing when it ends."""
    request_began, rebuild_ended = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    def request() -> None:
        pause_collection()
        request_began.set()
        rebuild_ended.wait(10)
        seen["during the request, after the rebuild"] = gc.isenabled()
        collect_between_units()
        seen["after both"] = gc.isenabled()

    def rebuild() -> None:
        request_began.wait(10)
        pause_collection()
        collect_between_units()
        collect_between_units()  # the end of an app context with nothing paused
        rebuild_ended.set()

    threads = [threading.Thread(target=request), threading.Thread(target=rebuild)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        gc.enable()
    assert seen == {"during the request, after the rebuild": False, "after both": True}


ACROSS_THREADS = """
import gc, threading, weakref
from catalog.db import collect_between_units, pause_collection

class State: pass
class Instance: pass
filler = State()
for i in range(30):
    setattr(filler, f"k{i}", i)

def one_round():
    began, ready, ended = threading.Event(), threading.Event(), threading.Event()
    def rebuild():
        pause_collection()
        began.set()
        ready.wait()
        collect_between_units()  # the rebuild's app context ends, in the middle of the request
        ended.set()
    thread = threading.Thread(target=rebuild)
    thread.start()
    began.wait()
    pause_collection()  # the request's unit begins
    state = State(); state.k0 = 0
    obj = Instance(); obj.cycle = obj
    def cleanup(_ref, state=state):
        state.from_callback = None
    state.k1 = weakref.ref(obj, cleanup)
    del obj
    ready.set(); ended.wait(); thread.join()
    gc.set_threshold(100000)
    keep = [{} for _ in range(100)]  # empties the dict free list: the store must allocate
    gc.set_threshold(1)
    state.from_caller = None  # the store a collection must not interrupt
    gc.set_threshold(700, 10, 10)
    del keep
    collect_between_units()  # the request's unit ends

for _ in range(300):
    one_round()
gc.enable()
gc.collect()
print("survived")
"""


@pytest.mark.skipif(not COLLECTS_INSIDE_ALLOCATIONS, reason="this interpreter collects safely")
def test_a_rebuild_ending_during_a_request_leaves_no_window_open():
    """The same store, in a request's unit that another thread's unit ends in the middle of:
    when that thread switched collection back on, this process died of a segmentation fault."""
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-c", ACROSS_THREADS],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "survived"
