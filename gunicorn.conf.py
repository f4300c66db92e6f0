"""gunicorn settings for Skillpath: sync workers, one per core, each opening its own engine."""

import multiprocessing
import os

import gunicorn.http.wsgi

# gunicorn names itself and its version in every answer's Server header, which tells an
# attacker what to try; the response object reads this module global when it is built.
gunicorn.http.wsgi.SERVER = "skillpath"

# Each worker is single-threaded; BLAS threads would only fight each other for the cores.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

bind = os.environ.get("SKILLPATH_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SKILLPATH_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = 60
# No preload: the app, and so its database engine, is created after the fork in each worker.
preload_app = False
# The app writes a JSON access line for every request, with its id, key name and latency;
# gunicorn's own would say less, twice. Its error log stays on stderr.
accesslog = None
errorlog = "-"
