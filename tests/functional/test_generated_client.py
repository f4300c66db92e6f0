"""A Python client generated from /openapi.json runs the README's example session.

openapi-python-client writes the client into a temporary folder, which is imported by path
(nothing is installed); the app is served by a real HTTP server on a loopback port, on the
test's own database, with the demo organisation loaded, as ``make run`` serves it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from werkzeug.serving import make_server

from service.cli import cli
from tests.conftest import ADMIN_KEY

PACKAGE = "skillpath_client"


@pytest.fixture
def generated(client, tmp_path: Path) -> Iterator[ModuleType]:
    """Generate a client package from the served document and import it by path."""
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(client.get("/openapi.json").get_json()))
    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no formatter runs on the generated code
    subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
        + ["--meta", "none", "--config", str(config)]
        + ["--output-path", str(tmp_path / PACKAGE)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def served(app, runner) -> Iterator[str]:
    """Serve ``app``, with the demo organisation, on a free loopback port; return its URL."""
    seeded = runner.invoke(cli, ["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def api(name: str) -> ModuleType:
    """Return a module of the generated client, such as ``api.skills.list_skills``."""
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.mark.slow
def test_the_generated_client_runs_the_readme_session(generated, served):
    client_mod = api("client")
    models = api("models")
    anonymous = client_mod.Client(base_url=served)
    key = client_mod.AuthenticatedClient(base_url=served, token=ADMIN_KEY)

    # curl -s /health
    assert api("api.health.get_health").sync(client=anonymous).status == "ok"
    # GET /v1/skills?q=kube
    skills = api("api.skills.list_skills").sync_detailed(client=key, q="kube")
    assert skills.status_code == 200 and "kubernetes" in [s.id for s in skills.parsed]
    assert "X-Pagination" in skills.headers and "Link" in skills.headers
    # GET /v1/skills/resolve?text=kubernets
    matches = api("api.recommendations.resolve_skills").sync(client=key, text="kubernets")
    assert matches[0].skill == "kubernetes"
    # PUT /v1/employees/dana
    profile = models.Employee.from_dict(
        {
            "display_name": "Dana Example",
            "team": "platform",
            "skills": [
                {"skill": "linux", "level": 3},
                {"skill": "Amazon Web Services", "level": 1},
            ],
            "preferences": {"hours_per_week": 6},
        }
    )
    put = api("api.employees.upsert_employee").sync_detailed(
        employee_id="dana", client=key, body=profile
    )
    assert put.status_code == 201, put.content
    assert {s.skill for s in put.parsed.skills} == {"linux", "aws"}
    # GET /v1/employees/dana/gaps?role=cloud-architect
    gaps = api("api.recommendations.get_employee_gaps").sync(
        employee_id="dana", client=key, role="cloud-architect"
    )
    assert 0 <= gaps.readiness < 1 and gaps.gaps
    # GET /v1/employees/dana/recommendations?role=cloud-architect&limit=5
    ranked = api("api.recommendations.get_employee_recommendations").sync(
        employee_id="dana", client=key, role="cloud-architect", limit=5
    )
    assert 0 < len(ranked.items) <= 5
    # POST /v1/employees/dana/learning-paths
    request = models.EmployeePathRequest.from_dict(
        {"role": "cloud-architect", "constraints": {"max_hours": 120, "budget": 1500}}
    )
    path = api("api.recommendations.plan_employee_learning_path").sync(
        employee_id="dana", client=key, body=request
    )
    assert path.steps and path.total_hours <= 120 and path.total_cost <= 1500
    assert path.readiness_after >= path.readiness_before
    # DELETE /v1/employees/dana with If-Match: *
    erased = api("api.employees.erase_employee").sync_detailed(
        employee_id="dana", client=key, if_match="*"
    )
    assert erased.status_code == 204
    # POST /v1/api-keys: a key for an integration, with only the scopes it needs
    new_key = api("api.api_keys.create_api_key").sync(
        client=key, body=models.ApiKey.from_dict({"name": "lxp", "scopes": ["recommend"]})
    )
    assert new_key.secret.startswith("sk_")

    # The integration path: an OAuth client, a token, a sync by change time and deletions.
    made = api("api.oauth_clients.create_oauth_client").sync(
        client=key,
        body=models.OAuthClient.from_dict({"name": "lxp", "scopes": ["employees:read"]}),
    )
    token = api("api.oauth.create_token").sync(
        client=anonymous,
        body=models.TokenRequest.from_dict(
            {
                "grant_type": "client_credentials",
                "client_id": made.client_id,
                "client_secret": made.client_secret,
            }
        ),
    )
    assert token.token_type == "Bearer" and token.scope == "employees:read"
    bearer = client_mod.AuthenticatedClient(base_url=served, token=token.access_token)
    changed = api("api.employees.list_employees").sync(
        client=bearer, updated_since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), page_size=500
    )
    assert len(changed) == 60 and "dana" not in {e.id for e in changed}
    deletions = api("api.changes.list_changes").sync(client=bearer)
    assert [(d.type_, d.id) for d in deletions] == [("employee", "dana")]

    # The workforce views over the demo's year, as the README calls them.
    supply = api("api.analytics.get_skills_analytics").sync(
        client=key, team="platform", page_size=2
    )
    assert len(supply) == 2 and sum(supply[0].employees_by_level) == 10
    heatmap = api("api.analytics.get_team_gap_heatmap").sync(
        team="platform", client=key, role="cloud-architect"
    )
    assert len(heatmap.employees) == 10 and len(heatmap.totals) == len(heatmap.skills)
    ranked = api("api.analytics.list_role_candidates").sync(
        role_id="cloud-architect", client=key, limit=2
    )
    assert len(ranked.candidates) == 2 and ranked.candidates[0].hours_to_ready
    mentors = api("api.analytics.list_employee_mentors").sync(employee_id="E1001", client=key)
    assert mentors.mentors and mentors.mentors[0].skills
    held = api("api.analytics.list_expiring_certifications").sync(
        client=key, expiring_within_days=90, team="platform"
    )
    assert any(c.status == models.CertificationHeldStatus("expiring") for c in held)
    kpis = api("api.analytics.get_workforce_kpis").sync(
        client=key,
        from_=dt.date(2026, 1, 1),
        to=dt.date(2026, 11, 30),
        interval=models.GetWorkforceKpisInterval("month"),
    )
    assert len(kpis.periods) == 11 and sum(p.internal_moves for p in kpis.periods) == 2
