"""skillpath seed-demo: the demo organisation with some history and one kept plan, twice over."""

from __future__ import annotations

from service.cli import DEMO_PLAN, seed_demo_command
from tests.functional.support import count_rows


def test_seeding_twice_leaves_one_plan_and_history(app, runner, client, admin):
    first = runner.invoke(seed_demo_command)
    assert first.exit_code == 0, first.output
    events = count_rows(app, "skill_events")
    assert events > 0
    again = runner.invoke(seed_demo_command)
    assert again.exit_code == 0, again.output
    assert count_rows(app, "plans") == 1
    assert count_rows(app, "skill_events") == events
    employee, role = DEMO_PLAN
    (plan,) = client.get(f"/v1/employees/{employee}/plans", headers=admin).get_json()
    assert (plan["target"]["role"], plan["status"]) == (role, "active")
    assert plan["steps"]
    assert client.get(f"/v1/employees/{employee}/history", headers=admin).get_json()
