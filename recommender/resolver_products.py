"""Product names the taxonomy never states: which kind of software each one is.

A skill taxonomy names kinds of software ("use presentation software"), while people name
products ("Prezi"), and neither the labels nor a small sentence encoder tell the resolver that
one is the other. O*NET's technology skills file about 8,700 products under a commodity title
("Prezi" -> "Presentation software"); the resolver reads a query that names one of them whole
as the product followed by its category ("Prezi presentation software"), so that its words
and embedding reach the skills that speak of that kind of software. A text that O*NET does not
file either, written with a capital, and none of whose words the taxonomy knows or nearly
knows (a typo), is most likely a name too ("Haiku Deck", "ArtRage"): it is read as a software
tool, which is all that can be said of it.

O*NET names most products with their vendor ("Autodesk Revit", "Adobe InDesign"), some with
a generic ending ("Salesforce software"), people mostly without either ("Revit",
"Salesforce"). A product is also found by that own name, unless every word of it is a word
the taxonomy uses: "Word" and "Teams" are read as the taxonomy means them, "Revit" and
"Power BI" as products.

The lexicon ships as ``recommender/data/product_categories.tsv``, derived from O*NET by
``scripts/build_product_categories.py``: one line per category (lowercase), then the names
filed under it (as :func:`recommender.text.name_key` folds them), tab-separated; lines that
start with ``#`` are comments. Without the file no product has a category, and only the
names the taxonomy has no word of are read with a kind (a software tool).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Mapping
from functools import lru_cache
from pathlib import Path

from recommender.resolver_text import fold, strange_words, words
from recommender.text import name_key

#: What the scores of a text read with its product's category are multiplied by: the category
#: tells the kind of software, not which of the skills that speak of it is meant, so those
#: matches are less often right than their scores say. Chosen on held-out aliases of the
#: training skills alone (docs/benchmarks.md): unscaled, 69% of the confident best matches of
#: such texts were right; at 0.95, 95%, as often as other texts' (the order is unchanged).
CATEGORY_CONFIDENCE = 0.95

#: The kind of a name the lexicon does not file and the taxonomy's words do not explain. Chosen
#: on held-out aliases of the training skills alone (docs/benchmarks.md), against "software",
#: "application" and "software application".
UNKNOWN_NAME_KIND = "software tool"

#: A vendor's name is the first one or two words of at least two of the lexicon's names
#: ("adobe", "dassault systemes"); what follows it is the product's own name.
VENDOR_MIN_PRODUCTS = 2
VENDOR_MAX_WORDS = 2
#: The generic ending some of the lexicon's names carry ("salesforce software").
GENERIC_ENDING = " software"

#: The lexicon shipped with the package.
PRODUCT_CATEGORIES = Path(__file__).with_name("data") / "product_categories.tsv"

#: Comment lines written at the top of the lexicon: what it is and where it comes from.
ATTRIBUTION = (
    "Product names and the kind of software each one is, for the skill resolver",
    "(recommender/resolver_products.py): one line per category, then the names filed under it,",
    "tab-separated, lowercase. Derived from O*NET's Technology Skills (each example and the",
    "title of its lowest UNSPSC commodity code) by scripts/build_product_categories.py.",
    "This file includes information from the O*NET 29 Database by the U.S. Department of",
    "Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0",
    "license (https://creativecommons.org/licenses/by/4.0/).",
)


@lru_cache(maxsize=4)
def product_categories(path: Path = PRODUCT_CATEGORIES) -> Mapping[str, str]:
    """Return product name -> category, both lowercase; empty when the file is absent.

    The first line that files a name decides its category.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    categories: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, *names = line.split("\t")
        for name in names:
            categories.setdefault(name, category)
    return categories


@lru_cache(maxsize=4)
def product_own_names(path: Path = PRODUCT_CATEGORIES) -> Mapping[str, str]:
    """Return :func:`own_names` of the lexicon at ``path``, read once per process."""
    return own_names(product_categories(path))


def own_names(categories: Mapping[str, str]) -> dict[str, str]:
    """Return the names products go by without their vendor's or a generic ending.

    A name of ``categories`` that ends in ``GENERIC_ENDING`` is also a name without it. A
    vendor's name is the first one or two words of at least ``VENDOR_MIN_PRODUCTS`` of those
    names; what follows it is a product's own name. A name ``categories`` files as a
    product of its own is left out, and a name several products go by takes the category
    most of them have, none on a tie. Names of fewer than three characters or with no
    letter are left out too: they are model numbers and editions ("500", "xp").

    >>> own = own_names({
    ...     "autodesk revit": "cad software", "autodesk maya": "animation software",
    ...     "autodesk 360": "cad software", "adobe indesign": "desktop publishing software",
    ...     "salesforce software": "crm software", "haiku deck software": "slides software"})
    >>> sorted(own), own["revit"]
    (['haiku deck', 'maya', 'revit', 'salesforce'], 'cad software')
    """
    found: dict[str, Counter[str]] = {}

    def add(own: str, category: str) -> None:
        if own not in categories and len(own) >= 3 and any(c.isalpha() for c in own):
            found.setdefault(own, Counter())[category] += 1

    def cuts(name: str) -> list[tuple[str, str]]:
        parts = name.split()
        return [
            (" ".join(parts[:n]), " ".join(parts[n:]))
            for n in range(1, min(VENDOR_MAX_WORDS, len(parts) - 1) + 1)
        ]

    # Each product counts once for its vendor, whether or not its name has the ending.
    starts = Counter(vendor for name in categories for vendor, _ in cuts(name))
    names = list(categories.items())
    for name, category in categories.items():
        if name.endswith(GENERIC_ENDING):
            base = name.removesuffix(GENERIC_ENDING)
            add(base, category)
            names.append((base, category))
    for name, category in names:
        for vendor, own in cuts(name):
            if starts[vendor] >= VENDOR_MIN_PRODUCTS:
                add(own, category)
    named: dict[str, str] = {}
    for own in sorted(found):
        (category, count), *others = found[own].most_common(2)
        if not others or others[0][1] < count:
            named[own] = category
    return named


def write_product_categories(categories: Mapping[str, str], path: Path) -> int:
    """Write product name -> category to ``path`` in the lexicon's format; return its size.

    Names and categories are folded to lowercase; a name that folds like another keeps the
    first category in name order. Lines and names are sorted, so the same input gives the
    same file.
    """
    by_category: dict[str, set[str]] = {}
    seen: set[str] = set()
    for name in sorted(categories):
        key, category = name_key(name), name_key(categories[name])
        if key and category and key not in seen:
            seen.add(key)
            by_category.setdefault(category, set()).add(key)
    lines = [f"# {line}" for line in ATTRIBUTION]
    lines += ["\t".join([c, *sorted(names)]) for c, names in sorted(by_category.items())]
    content = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return len(content.encode("utf-8"))


def with_category(
    text: str,
    categories: Mapping[str, str],
    vocabulary: Container[str],
    by_own_name: Mapping[str, str] | None = None,
) -> str:
    """Return ``text`` followed by the kind of software it names, if it names one.

    The kind is the category of the product the whole text names, else that of the product
    whose own name it is (``by_own_name``, see :func:`own_names`) unless every word of it
    is a word of ``vocabulary`` (the taxonomy's word stems), else ``UNKNOWN_NAME_KIND``
    when the text is written as a name (with a capital) and no word of it is, or is a typo
    of, a word of ``vocabulary``; else the text is returned as it is.

    >>> from recommender.resolver_text import words
    >>> vocabulary = set(words("use presentation templates"))
    >>> with_category("Prezi", {"prezi": "presentation software"}, vocabulary)
    'Prezi presentation software'
    >>> with_category("Prezi templates", {}, vocabulary), with_category("Templtes", {}, vocabulary)
    ('Prezi templates', 'Templtes')
    >>> with_category("Haiku Deck", {}, vocabulary), with_category("zzqq", {}, vocabulary)
    ('Haiku Deck software tool', 'zzqq')
    >>> own = {"revit": "cad software", "templates": "document software"}
    >>> with_category("revit", {}, vocabulary, own), with_category("Templates", {}, vocabulary, own)
    ('revit cad software', 'Templates')
    """
    key, folded = name_key(text), fold(text)
    category = categories.get(key)
    own = by_own_name.get(key) if by_own_name else None
    if category is None and own and not all(w in vocabulary for w in words(folded)):
        category = own
    named = any(c.isupper() for c in text)
    if category is None and named and strange_words(folded, vocabulary):
        category = UNKNOWN_NAME_KIND
    return f"{text.strip()} {category}" if category else text
