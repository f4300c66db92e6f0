"""The examples in the recommender's docstrings run and hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import recommender

MODULES = sorted(m.name for m in pkgutil.walk_packages(recommender.__path__, "recommender."))


def test_every_module_is_collected():
    """Discovery reaches the modules whose docstrings carry examples, packages included."""
    assert {"recommender.gap", "recommender.index", "recommender.resolver"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    """Every ``>>>`` example of the module gives the output its docstring shows."""
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in doctest.DocTestFinder().find(importlib.import_module(name)):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
