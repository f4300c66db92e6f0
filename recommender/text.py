"""The one normal form of skill and role names, shared by the database, importers and resolver.

Pure string functions with no imports beyond the standard library, so that ``catalog`` can
key its name and alias columns exactly as the resolver compares free text.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def name_key(text: str) -> str:
    """Return the case-insensitive key of a name: NFKC, whitespace folded, case-folded.

    >>> name_key("  Machine\u00a0LEARNING ")
    'machine learning'
    >>> name_key("\uff21\uff37\uff33") == name_key("AWS")
    True
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()
