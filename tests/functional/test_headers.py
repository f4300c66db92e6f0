"""Every answer says nosniff; personal data is never kept by a cache; the server is unnamed."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("path", "cache_control"),
    [
        ("/v1/employees", "no-store"),
        ("/v1/employees/nobody", "no-store"),
        ("/v1/skills", "private, no-cache"),
    ],
)
def test_answers_carry_the_cache_and_sniffing_rules(client, admin, path, cache_control):
    answer = client.get(path, headers=admin)
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == cache_control


def test_errors_carry_them_too(client):
    answer = client.get("/v1/employees/x")
    assert answer.status_code == 401
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"
