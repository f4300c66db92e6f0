"""Pages and answers carry a strict content policy; /docs is served whole by the app."""

from __future__ import annotations

import re

import pytest


def _policy(answer) -> dict[str, str]:
    """Return an answer's Content-Security-Policy as {directive: sources}."""
    directives = answer.headers["Content-Security-Policy"].split(";")
    return dict(d.strip().partition(" ")[::2] for d in directives if d.strip())


@pytest.mark.parametrize("path", ["/docs", "/ui/sign-in", "/health", "/v1/skills"])
def test_every_answer_has_a_policy_without_inline_scripts(client, path):
    answer = client.get(path)
    policy = _policy(answer)
    assert "unsafe-inline" not in policy.get("script-src", "")
    assert "unsafe-eval" not in answer.headers["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"


def test_json_answers_may_load_nothing(client, admin):
    assert _policy(client.get("/v1/skills", headers=admin))["default-src"] == "'none'"


def test_docs_load_every_file_from_the_app(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script>" not in html  # the start-up code is a file the policy allows
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    for source in sources:
        with client.get(source) as answer:
            assert answer.status_code == 200, source
            assert answer.data, source
    with client.get("/docs/assets/swagger-ui-bundle.js") as bundle:
        assert b"SwaggerUIBundle" in bundle.data


def test_docs_serve_only_the_files_the_page_needs(client):
    assert client.get("/docs/assets/index.html").status_code == 404
    assert client.get("/docs/assets/..%2Fswagger-ui-bundle.js").status_code == 404


def test_the_share_frame_ancestors_setting_is_checked():
    from service.config import load_config

    config = load_config({"SKILLPATH_SHARE_FRAME_ANCESTORS": "https://lxp.example.com  'self'"})
    assert config["SKILLPATH_SHARE_FRAME_ANCESTORS"] == "https://lxp.example.com 'self'"
    for bad in ("https://a.example.com; script-src *", "'none' https://a.example.com", "*"):
        with pytest.raises(ValueError, match="SHARE_FRAME_ANCESTORS"):
            load_config({"SKILLPATH_SHARE_FRAME_ANCESTORS": bad})
    for days in ("0", "367"):
        with pytest.raises(ValueError, match="SHARE_LINK_DAYS must be 1 to 366 days"):
            load_config({"SKILLPATH_SHARE_LINK_DAYS": days})
