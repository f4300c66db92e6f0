"""Prometheus metrics at ``/metrics``, summed over every worker process.

Under gunicorn (``gunicorn.conf.py``) the master names a folder in ``PROMETHEUS_MULTIPROC_DIR``
before it forks, each worker writes its samples to files there, and ``/metrics`` adds up the
files of every worker, live or dead, so the totals do not depend on which worker answers the
scrape. Without that variable (``flask run``, the tests) the samples live in this process.

Requests are labelled by Flask endpoint name (``items.ItemById``), never by raw path, so ids
never become label values; a request no route matched is ``unmatched``. The planner, the index
build and the webhook sender report through :func:`observe_plan`, :func:`observe_index_build`
and :func:`count_webhook_delivery`.
"""

from __future__ import annotations

import os
import time

from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector

from service.auth import requires

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
PUBLIC_ENDPOINT = "metrics_public"
UNMATCHED = "unmatched"
# Any other method a client invents is "other": label values must stay a short, fixed list.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# The samples of this process. In multiprocess mode they go to files instead, and a scrape
# reads the files through a registry of its own.
registry = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "skillpath_http_requests",
    "HTTP requests answered, by method, endpoint and status.",
    ["method", "endpoint", "status"],
    registry=registry,
)
REQUEST_SECONDS = Histogram(
    "skillpath_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, endpoint and status.",
    ["method", "endpoint", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=registry,
)
RATE_LIMITED = Counter(
    "skillpath_rate_limited_requests",
    "Requests refused with 429 because the caller spent its rate limit, by endpoint.",
    ["endpoint"],
    registry=registry,
)
PLAN_SECONDS = Histogram(
    "skillpath_plan_duration_seconds",
    "Time to plan one learning path, by planner (milp, greedy) and whether proven optimal.",
    ["planner", "optimal"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10),
    registry=registry,
)
INDEX_BUILD_SECONDS = Histogram(
    "skillpath_index_build_duration_seconds",
    "Time a worker took to get the recommender's models of a catalog version: mapped from "
    "the version's file, after building it if no process had.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
    registry=registry,
)
WEBHOOK_DELIVERIES = Counter(
    "skillpath_webhook_deliveries",
    "Webhook delivery attempts, by event type and outcome.",
    ["event", "outcome"],
    registry=registry,
)


def observe_plan(seconds: float, planner: str, optimal: bool) -> None:
    """Record one learning path planned in ``seconds`` by ``planner`` (``model.planner``)."""
    PLAN_SECONDS.labels(planner=planner, optimal=str(bool(optimal)).lower()).observe(seconds)


def observe_index_build(seconds: float) -> None:
    """Record one fit (or mapping) of the recommender on a catalog version, taking ``seconds``."""
    INDEX_BUILD_SECONDS.observe(seconds)


def count_webhook_delivery(event: str, outcome: str) -> None:
    """Count one delivery attempt of an ``event``; ``outcome`` is a short fixed word.

    For example ``delivered`` (a 2xx answer), ``failed`` (to be retried) or ``abandoned``
    (no retries left): a label value per word, so never an error message or a URL.
    """
    WEBHOOK_DELIVERIES.labels(event=event, outcome=outcome).inc()


def init_app(app: Flask) -> None:
    """Count every request of ``app`` and serve ``/metrics``: admin scope, or public if set."""
    app.before_request(_start)
    app.after_request(_count)
    if app.config["SKILLPATH_METRICS_PUBLIC"]:
        app.add_url_rule("/metrics", endpoint=PUBLIC_ENDPOINT, view_func=expose)
    else:
        app.add_url_rule("/metrics", endpoint="metrics", view_func=requires("admin")(expose))


def expose() -> Response:
    """Answer the metrics of every worker in the format the scraper asks for."""
    if os.environ.get(MULTIPROCESS_ENV):
        source = CollectorRegistry()
        MultiProcessCollector(source)
    else:
        source = registry
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(source), content_type=content_type)


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response: Response) -> Response:
    method = request.method if request.method in METHODS else "other"
    endpoint = request.endpoint or UNMATCHED
    status = str(response.status_code)
    REQUESTS.labels(method, endpoint, status).inc()
    started = g.get("metrics_started")
    if started is not None:
        REQUEST_SECONDS.labels(method, endpoint, status).observe(time.perf_counter() - started)
    if response.status_code == 429:
        RATE_LIMITED.labels(endpoint).inc()
    return response
