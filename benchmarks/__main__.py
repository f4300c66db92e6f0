"""Run every benchmark in sequence and print their tables.

``python -m benchmarks`` runs them all at full size (several minutes); ``--quick`` passes
through to each for a small run (under a minute each). Name some to run only those, e.g.
``python -m benchmarks quality --quick``, with or without their ``bench_`` prefix
(``analytics`` is ``bench_analytics``). A benchmark that fails is reported and the others
still run; the exit status is then 1.
"""

from __future__ import annotations

import os

# One BLAS thread, as in production; set before any benchmark imports numpy.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

#: Benchmark modules in the order they run; each exposes ``main(argv)``.
MODULES = ("bench_recommender", "quality", "http_load", "bench_loop", "bench_analytics")


def module_named(name: str) -> str | None:
    """Return the benchmark module a name means: its own or without ``bench_``."""
    return next((m for m in MODULES if name in (m, m.removeprefix("bench_"))), None)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks, passing ``--quick`` through; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"any of {', '.join(MODULES)} (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="small, fast runs (smoke use)")
    args = parser.parse_args(argv)
    unknown = sorted(name for name in args.names if module_named(name) is None)
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    failed = []
    for name in [module_named(name) for name in args.names] or MODULES:
        print(f"== {name}{' --quick' if args.quick else ''} ==", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            module.main(["--quick"] if args.quick else [])
        except SystemExit as exc:
            if exc.code:
                failed.append(name)
                print(exc.code, file=sys.stderr)
        except Exception:  # report it, then run the others
            failed.append(name)
            traceback.print_exc()
        print(f"== {name}: {time.perf_counter() - started:.0f} s ==\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
