"""Build the skill resolver's product lexicon from O*NET's technology skills.

Run from the project root::

    .venv/bin/python scripts/build_product_categories.py [--data ../shared/data] [--out PATH]

Every technology example of O*NET's ``Technology Skills`` table, as
:func:`catalog.importers.onet.read_technology_categories` reads it, is written with its
commodity title to ``recommender/data/product_categories.tsv`` (see
:mod:`recommender.resolver_products` for the format). The output is deterministic: the same
data gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.importers import ImportFormatError  # noqa: E402
from catalog.importers.onet import read_technology_categories  # noqa: E402
from recommender.resolver_products import (  # noqa: E402
    PRODUCT_CATEGORIES,
    write_product_categories,
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, read the O*NET technology examples and write the lexicon."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="directory holding onet/ (default: ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PRODUCT_CATEGORIES,
        help="where to write the lexicon (default: recommender/data/product_categories.tsv)",
    )
    args = parser.parse_args(argv)
    try:
        categories = read_technology_categories(args.data / "onet")
    except ImportFormatError as error:
        print(f"cannot read the O*NET technology skills: {error}", file=sys.stderr)
        return 1
    size = write_product_categories(categories, args.out)
    print(f"{args.out}: {len(categories)} products, {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
