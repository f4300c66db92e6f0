"""Numbers as people read them: shares to 4 decimals, hours and money to 2 (DESIGN.md)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

SHARE_PLACES = 4
AMOUNT_PLACES = 2


class Rounded(fields.Float):
    """A number written rounded to ``places`` decimals; read as any float."""

    def __init__(self, places: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.places = places

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        number = super()._serialize(value, attr, obj, **kwargs)
        if number is None:
            return None
        # + 0.0 turns the -0.0 that rounding a tiny negative gives into 0.0.
        return round(number, self.places) + 0.0


def Share(**kwargs: Any) -> Rounded:  # noqa: N802 - reads as a field type
    """A share, score or weight, written to 4 decimals."""
    return Rounded(SHARE_PLACES, **kwargs)


def Amount(**kwargs: Any) -> Rounded:  # noqa: N802 - reads as a field type
    """Hours or money, written to 2 decimals."""
    return Rounded(AMOUNT_PLACES, **kwargs)
