"""The log level and metrics settings: parsed once, with messages that name the variable."""

from __future__ import annotations

import pytest

from service.config import load_config


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, "INFO"), ("", "INFO"), ("debug", "DEBUG"), (" Warning ", "WARNING")],
)
def test_the_log_level_is_a_level_name_in_any_case(raw, expected):
    environ = {} if raw is None else {"SKILLPATH_LOG_LEVEL": raw}
    assert load_config(environ)["SKILLPATH_LOG_LEVEL"] == expected


def test_an_unknown_log_level_is_refused_by_name():
    with pytest.raises(ValueError, match="SKILLPATH_LOG_LEVEL must be one of DEBUG"):
        load_config({"SKILLPATH_LOG_LEVEL": "chatty"})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, False), ("true", True), ("1", True), ("On", True), ("false", False), ("no", False)],
)
def test_metrics_are_public_only_when_asked(raw, expected):
    environ = {} if raw is None else {"SKILLPATH_METRICS_PUBLIC": raw}
    assert load_config(environ)["SKILLPATH_METRICS_PUBLIC"] is expected


def test_a_switch_that_is_neither_true_nor_false_is_refused():
    with pytest.raises(ValueError, match="SKILLPATH_METRICS_PUBLIC must be true or false"):
        load_config({"SKILLPATH_METRICS_PUBLIC": "sometimes"})
