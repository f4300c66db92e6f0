"""The console's workforce pages: the API's figures, its scope, its argument checks."""

from __future__ import annotations

import re

from tests.conftest import ADMIN_KEY
from tests.functional.console_support import sign_in

TEAM = "platform"
ROLE = "cloud-architect"
PAGES = (
    "/ui/analytics/kpis",
    "/ui/analytics/skills",
    f"/ui/analytics/heatmap?team={TEAM}",
    f"/ui/analytics/candidates?role={ROLE}",
    "/ui/analytics/certifications",
)


def test_workforce_pages_need_analytics_read(demo, client, new_key):
    narrow = new_key("employees:read", "recommend")
    sign_in(client, narrow["Authorization"].removeprefix("Bearer "))
    assert "/ui/analytics" not in client.get("/ui/").text
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert "analytics:read" in answer.text


def test_workforce_pages_show_the_apis_figures(demo, client, admin):
    sign_in(client, ADMIN_KEY)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    api = client.get(f"/v1/roles/{ROLE}/candidates", headers=admin).get_json()
    page = client.get(f"/ui/analytics/candidates?role={ROLE}").text
    shown = re.findall(r'href="/ui/people/([^"]+)"', page)
    assert shown == [c["employee"] for c in api["candidates"]]
    first = api["candidates"][0]
    assert f"{round(first['readiness'] * 100)}%" in page
    skills = client.get("/v1/analytics/skills", headers=admin).get_json()
    page = client.get("/ui/analytics/skills").text
    assert skills[0]["skill"] in page.split("<tbody>", 1)[1].split("</tr>", 1)[0]


def test_the_heatmap_has_a_legend_and_numbers_in_every_cell(demo, client, admin):
    sign_in(client, ADMIN_KEY)
    page = client.get(f"/ui/analytics/heatmap?team={TEAM}").text
    api = client.get(f"/v1/analytics/teams/{TEAM}/gaps", headers=admin).get_json()
    legend = page.split('class="legend"', 1)[1].split("</ul>", 1)[0]
    assert len(re.findall(r"swatch gap-\d", legend)) == 6 and "not required" in legend
    cells = re.findall(r'<td class="cell (gap-\d|none)"[^>]*>([^<]*)</td>', page)
    expected = [g for row in api["employees"] for g in row["gap"]]
    assert len(cells) == len(expected) > 0
    for (colour, text), gap in zip(cells, expected, strict=True):
        if gap is None:
            assert colour == "none"
        else:
            assert (colour, text) == (f"gap-{min(gap, 5)}", str(gap))


def test_bad_arguments_are_named_as_the_api_names_them(demo, client):
    sign_in(client, ADMIN_KEY)
    answer = client.get("/ui/analytics/kpis?from=yesterday")
    assert answer.status_code == 422 and "from: Not a valid date." in answer.text
    answer = client.get("/ui/analytics/candidates?role=no-such-role")
    assert answer.status_code == 422 and "no-such-role" in answer.text
    answer = client.get("/ui/analytics/certifications?expiring_within_days=-1")
    assert answer.status_code == 422 and "expiring_within_days" in answer.text
