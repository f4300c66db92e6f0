"""Query helpers: literal LIKE patterns and IN lists in slices."""

from __future__ import annotations

import pytest

from catalog.queries import chunks, contains


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sql", "%sql%"),
        ("100%", "%100\\%%"),
        ("snake_case", "%snake\\_case%"),
        ("a\\b", "%a\\\\b%"),
        ("", "%%"),
    ],
)
def test_contains_escapes_wildcards(text, expected):
    assert contains(text) == expected


@pytest.mark.parametrize(
    ("values", "size", "expected"),
    [
        (["a", "b", "c"], 2, [["a", "b"], ["c"]]),
        (["a", "b"], 2, [["a", "b"]]),
        ([], 2, []),
    ],
)
def test_chunks(values, size, expected):
    assert [list(chunk) for chunk in chunks(values, size)] == expected
