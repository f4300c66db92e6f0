"""Parameter rules of the recommender's estimators, checked by each ``fit``.

scikit-learn's contract: ``__init__`` only stores its keyword arguments, so nothing checks
them until ``fit``. Each estimator lists one rule per parameter in ``_parameter_rules`` and
its ``fit`` starts with :func:`check_params`, which raises ``ValueError`` naming the
parameter and what it accepts.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral

import numpy as np
from sklearn.exceptions import NotFittedError


@dataclass(frozen=True)
class Interval:
    """A finite integer or real number between optional bounds.

    ``closed`` says which bounds are allowed values: ``"both"``, ``"left"``, ``"right"``
    or ``"neither"``. Booleans are not numbers here, though Python counts them as ints.

    Examples
    --------
    >>> from numbers import Real
    >>> str(Interval(Real, 0, 1))
    'a real number in [0, 1]'
    >>> Interval(Integral, 1, None).accepts(0), str(Interval(Integral, 1, None))
    (False, 'an integer >= 1')
    """

    kind: type
    low: float | None
    high: float | None
    closed: str = "both"

    def accepts(self, value) -> bool:
        """Tell whether ``value`` is a number of the right kind within the bounds."""
        if isinstance(value, bool | np.bool_) or not isinstance(value, self.kind):
            return False
        if not math.isfinite(value):
            return False
        low_ok = self.low is None or (
            value >= self.low if self.closed in ("both", "left") else value > self.low
        )
        high_ok = self.high is None or (
            value <= self.high if self.closed in ("both", "right") else value < self.high
        )
        return low_ok and high_ok

    def __str__(self) -> str:
        kind = "an integer" if self.kind is Integral else "a real number"
        left_closed = self.closed in ("both", "left")
        right_closed = self.closed in ("both", "right")
        if self.high is None:
            return f"{kind} {'>=' if left_closed else '>'} {self.low:g}"
        if self.low is None:
            return f"{kind} {'<=' if right_closed else '<'} {self.high:g}"
        left, right = "[" if left_closed else "(", "]" if right_closed else ")"
        return f"{kind} in {left}{self.low:g}, {self.high:g}{right}"


@dataclass(frozen=True)
class Options:
    """One of a few strings."""

    values: tuple[str, ...]

    def accepts(self, value) -> bool:
        """Tell whether ``value`` is one of the options."""
        return isinstance(value, str) and value in self.values

    def __str__(self) -> str:
        return "one of " + ", ".join(map(repr, self.values))


class Boolean:
    """True or False."""

    def accepts(self, value) -> bool:
        """Tell whether ``value`` is a boolean."""
        return isinstance(value, bool | np.bool_)

    def __str__(self) -> str:
        return "True or False"


class NgramRange:
    """A tuple ``(min_n, max_n)`` of integers with ``1 <= min_n <= max_n``."""

    def accepts(self, value) -> bool:
        """Tell whether ``value`` is a valid n-gram range."""
        if not isinstance(value, tuple) or len(value) != 2:
            return False
        small, large = value
        whole = Interval(Integral, 1, None)
        return whole.accepts(small) and whole.accepts(large) and small <= large

    def __str__(self) -> str:
        return "a tuple (min_n, max_n) of integers with 1 <= min_n <= max_n"


class Folder:
    """None, or the path of a folder: a non-empty string or an ``os.PathLike``.

    Examples
    --------
    >>> from pathlib import Path
    >>> Folder().accepts(None), Folder().accepts(Path("var")), Folder().accepts("")
    (True, True, False)
    """

    def accepts(self, value) -> bool:
        """Tell whether ``value`` is None or a folder path."""
        return (
            value is None
            or isinstance(value, os.PathLike)
            or (isinstance(value, str) and value != "")
        )

    def __str__(self) -> str:
        return "None or a folder path (a non-empty str or os.PathLike)"


def check_params(estimator) -> None:
    """Check every parameter of ``estimator`` against its ``_parameter_rules``.

    Raises
    ------
    ValueError
        Naming the first parameter that breaks its rule, and the rule.
    """
    rules: Mapping = type(estimator)._parameter_rules
    for name, value in estimator.get_params(deep=False).items():
        rule = rules[name]
        if not rule.accepts(value):
            raise ValueError(
                f"{type(estimator).__name__} parameter {name!r} must be {rule}; got {value!r}"
            )


def check_fitted(estimator, attribute: str) -> None:
    """Raise ``NotFittedError`` unless ``estimator`` has the attribute its ``fit`` sets.

    scikit-learn's ``check_is_fitted`` inspects every attribute and the estimator's tags,
    which costs more than a request's arithmetic on a small catalog; this reads one.
    """
    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )
