"""/metrics: Prometheus text for operators, behind the admin scope unless made public."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from service import metrics
from tests.functional.support import assert_problem

REQUESTS = "skillpath_http_requests_total"
SECONDS = "skillpath_http_request_duration_seconds"


def scrape(client, headers=None) -> dict[tuple[str, frozenset], float]:
    """Return every sample of GET /metrics, keyed by name and labels."""
    answer = client.get("/metrics", headers=headers or {})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/plain"
    samples = {}
    for family in text_string_to_metric_families(answer.get_data(as_text=True)):
        for sample in family.samples:
            samples[sample.name, frozenset(sample.labels.items())] = sample.value
    return samples


def value(samples, name: str, **labels: str) -> float:
    """Return one sample's value, 0 when it was never recorded."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_need_the_admin_scope(client, admin, new_key):
    assert_problem(client.get("/metrics"), 401)
    assert_problem(client.get("/metrics", headers=new_key("recommend")), 403)
    assert client.get("/metrics", headers=admin).status_code == 200


def test_metrics_can_be_public(make_app):
    client = make_app(SKILLPATH_METRICS_PUBLIC=True).test_client()
    assert REQUESTS in client.get("/metrics").get_data(as_text=True)


def test_metrics_are_not_an_api_operation(client):
    assert "/metrics" not in client.get("/openapi.json").get_json()["paths"]


def test_requests_are_counted_by_endpoint_and_status(client, admin, seed):
    seed.skill("python")
    before = scrape(client, admin)
    for _ in range(3):
        assert client.get("/v1/skills/python", headers=admin).status_code == 200
    assert client.get("/v1/skills/cobol", headers=admin).status_code == 404
    assert client.get("/v1/skills/python").status_code == 401
    after = scrape(client, admin)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    by_id = {"method": "GET", "endpoint": "skills.SkillById"}
    assert moved(REQUESTS, **by_id, status="200") == 3
    assert moved(REQUESTS, **by_id, status="404") == 1
    assert moved(REQUESTS, **by_id, status="401") == 1
    assert moved(SECONDS + "_count", **by_id, status="200") == 3
    assert moved(SECONDS + "_bucket", **by_id, status="200", le="+Inf") == 3
    assert moved(SECONDS + "_sum", **by_id, status="200") > 0
    # Labels name the route, never the ids in the path.
    assert not any("python" in str(labels) for _, labels in after)


def test_unrouted_paths_and_invented_methods_share_one_label_each(client, admin):
    before = scrape(client, admin)
    for path in ("/v1/nowhere/1", "/v1/nowhere/2"):
        client.get(path, headers=admin)
    client.open("/v1/skills", method="BREW", headers=admin)
    after = scrape(client, admin)
    unmatched = {"method": "GET", "endpoint": "unmatched", "status": "404"}
    assert value(after, REQUESTS, **unmatched) - value(before, REQUESTS, **unmatched) == 2
    other = {"method": "other", "endpoint": "unmatched", "status": "405"}
    assert value(after, REQUESTS, **other) - value(before, REQUESTS, **other) == 1


def test_rate_limit_refusals_are_counted_by_endpoint(make_app, admin):
    client = make_app(SKILLPATH_RATELIMIT="2/minute", SKILLPATH_METRICS_PUBLIC=True).test_client()
    before = scrape(client)
    answers = [client.get("/v1/skills", headers=admin).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    after = scrape(client)
    name = "skillpath_rate_limited_requests_total"
    assert (
        value(after, name, endpoint="skills.Skills") - value(before, name, endpoint="skills.Skills")
        == 1
    )


@pytest.mark.parametrize(
    ("record", "name", "labels"),
    [
        (
            lambda: metrics.observe_plan(0.02, "milp", True),
            "skillpath_plan_duration_seconds_count",
            {"planner": "milp", "optimal": "true"},
        ),
        (
            lambda: metrics.observe_plan(2.5, "greedy", False),
            "skillpath_plan_duration_seconds_count",
            {"planner": "greedy", "optimal": "false"},
        ),
        (
            lambda: metrics.observe_index_build(0.4),
            "skillpath_index_build_duration_seconds_count",
            {},
        ),
        (
            lambda: metrics.count_webhook_delivery("plan.created", "delivered"),
            "skillpath_webhook_deliveries_total",
            {"event": "plan.created", "outcome": "delivered"},
        ),
    ],
    ids=["plan-optimal", "plan-greedy", "index-build", "webhook"],
)
def test_the_recording_functions_show_up(client, admin, record, name, labels):
    before = value(scrape(client, admin), name, **labels)
    record()
    assert value(scrape(client, admin), name, **labels) == before + 1


def test_openmetrics_is_served_to_a_scraper_that_asks_for_it(client, admin):
    answer = client.get("/metrics", headers={**admin, "Accept": "application/openmetrics-text"})
    assert answer.mimetype == "application/openmetrics-text"
    assert answer.get_data(as_text=True).endswith("# EOF\n")


def test_index_builds_and_plans_are_recorded(client, admin, seed):
    seed.skill("python", "Python")
    seed.item("py-basics", {"python": 2}, duration_hours=10, cost=0)
    seed.role("dev", {"python": 2})
    build, plan = (
        "skillpath_index_build_duration_seconds_count",
        "skillpath_plan_duration_seconds_count",
    )
    before = scrape(client, admin)
    body = {"profile": {"skills": []}, "target": {"role": "dev"}}
    answer = client.post("/v1/learning-paths", json=body, headers=admin).get_json()
    after = scrape(client, admin)
    assert value(after, build) == value(before, build) + 1
    labels = {"planner": answer["model"]["planner"], "optimal": "true"}
    assert answer["model"]["optimal"] is True
    assert value(after, plan, **labels) == value(before, plan, **labels) + 1
