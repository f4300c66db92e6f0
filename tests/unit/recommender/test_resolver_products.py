"""Product names read with their kind of software: the lexicon derived from O*NET."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.importers.onet import read_technology_categories
from recommender import SkillRecord, SkillResolver
from recommender.resolver_products import (
    CATEGORY_CONFIDENCE,
    PRODUCT_CATEGORIES,
    UNKNOWN_NAME_KIND,
    product_categories,
    product_own_names,
    with_category,
    write_product_categories,
)
from recommender.resolver_text import words

SHARED_ONET = Path(__file__).resolve().parents[4] / "shared" / "data" / "onet"

#: Skills as ESCO names them: kinds of software, never products (descriptions from ESCO).
TAXONOMY = [
    SkillRecord(
        "presentation",
        "use presentation software",
        (),
        "Use software tools to create digital presentations which combine various elements, "
        "such as graphs, images, text and other multimedia.",
    ),
    SkillRecord(
        "spreadsheets",
        "use spreadsheets software",
        (),
        "Use software tools to create and edit tabular data to carry out mathematical "
        "calculations, organise data and information, create diagrams based on data and "
        "to retrieve them.",
    ),
    SkillRecord(
        "organisation",
        "use personal organization software",
        (),
        "Use software tools like calendars, to-do lists, time-tracking, contact lists, to "
        "help manage personal efficiency better.",
    ),
    SkillRecord("church-media", "MediaShout", (), "Church presentation software."),
]


def test_the_shipped_lexicon_files_products_under_their_kind():
    categories = product_categories()
    assert len(categories) > 8000
    assert categories["prezi"] == "presentation software"
    assert categories["microsoft excel"] == "spreadsheet software"
    assert all(
        name == name.casefold() and kind == kind.casefold() for name, kind in categories.items()
    )
    assert PRODUCT_CATEGORIES.read_text(encoding="utf-8").startswith("# ")
    assert "O*NET 29 Database" in PRODUCT_CATEGORIES.read_text(encoding="utf-8")


def test_the_shipped_lexicon_finds_products_by_their_own_name():
    own = product_own_names()
    assert own["revit"] == "computer aided design cad software"  # Autodesk Revit
    assert own["indesign"] == "desktop publishing software"  # Adobe InDesign
    assert own["power bi"] == "business intelligence and data analysis software"
    assert own["salesforce"] == "customer relationship management crm software"
    assert own["azure"] == "development environment software"  # Microsoft Azure software
    assert "outlook" not in own  # Microsoft's files it under two kinds, once each
    assert not own.keys() & product_categories().keys()  # a product's full name files it
    assert all(len(name) >= 3 and any(c.isalpha() for c in name) for name in own)


@pytest.mark.skipif(not SHARED_ONET.is_dir(), reason="../shared/data/onet is absent")
def test_the_shipped_lexicon_is_what_the_build_writes_from_onet(tmp_path):
    out = tmp_path / "products.tsv"
    size = write_product_categories(read_technology_categories(SHARED_ONET), out)
    assert out.read_bytes() == PRODUCT_CATEGORIES.read_bytes()
    assert size == len(out.read_bytes())


def test_writing_folds_names_keeps_the_first_kind_and_reads_back(tmp_path):
    out = tmp_path / "products.tsv"
    write_product_categories(
        {
            "Prezi": "Presentation software",
            "PREZI": "Office suite software",
            "Microsoft  Excel": "Spreadsheet software",
            "LibreOffice Calc": "Spreadsheet software",
            "Blank": "",
        },
        out,
    )
    first = out.read_bytes()
    assert product_categories(out) == {
        "prezi": "office suite software",
        "microsoft excel": "spreadsheet software",
        "libreoffice calc": "spreadsheet software",
    }
    assert "spreadsheet software\tlibreoffice calc\tmicrosoft excel\n" in first.decode()
    write_product_categories({"LibreOffice Calc": "Spreadsheet software"}, out)
    assert out.read_bytes() != first


def test_without_the_file_the_lexicon_is_empty(tmp_path):
    assert product_categories(tmp_path / "absent.tsv") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prezi", "Prezi presentation software"),
        ("  PREZI ", "PREZI presentation software"),
        ("Prezi templates", "Prezi templates"),
        ("presentation", "presentation"),
        ("", ""),
    ],
)
def test_only_a_whole_product_name_gains_its_kind(text, expected):
    vocabulary = set(words("use presentation templates"))
    assert with_category(text, {"prezi": "presentation software"}, vocabulary) == expected


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Haiku Deck", True),  # a name, none of whose words the taxonomy knows
        ("ArtRage 2", True),
        ("Pixlr X", True),  # a short word is neither known nor strange
        ("Beautiful.ai", True),
        ("X", False),
        ("haiku deck", False),  # not written as a name
        ("Haiku templates", False),  # a word the taxonomy knows
        ("Presentaion", False),  # a typo of a known word (one letter dropped)
        ("Presetnation", False),  # two letters swapped
        ("Presentatin", False),  # one letter dropped from the word as written
        ("", False),
        ("1.2.3", False),
    ],
)
def test_a_name_the_taxonomy_has_no_word_of_is_read_as_a_software_tool(text, read):
    vocabulary = set(words("use presentation software templates, r and c"))
    expected = f"{text} {UNKNOWN_NAME_KIND}" if read else text
    assert with_category(text, {}, vocabulary) == expected


@pytest.mark.parametrize("use_embeddings", [False, True])
@pytest.mark.parametrize(
    ("text", "skill_id"),
    [
        ("Prezi", "presentation"),
        ("Apple Keynote", "presentation"),
        ("Mentimeter", "presentation"),
        ("Microsoft Excel", "spreadsheets"),
        ("Corel QuattroPro", "spreadsheets"),
    ],
)
def test_products_reach_the_skill_of_their_kind(use_embeddings, text, skill_id):
    resolver = SkillResolver(use_embeddings=use_embeddings).fit(TAXONOMY)
    assert resolver.resolve(text)[0].skill_id == skill_id


@pytest.mark.parametrize("use_embeddings", [False, True])
@pytest.mark.parametrize(
    ("text", "skill_id"), [("Mentimeter", "presentation"), ("Corel QuattroPro", "spreadsheets")]
)
def test_without_the_lexicon_those_names_miss_their_kind(use_embeddings, text, skill_id):
    resolver = SkillResolver(use_embeddings=use_embeddings, use_product_categories=False)
    assert resolver.fit(TAXONOMY).resolve(text)[0].skill_id != skill_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Revit", "Revit cad software"),
        ("revit", "revit cad software"),  # a product's name, however written
        ("Autodesk Revit", "Autodesk Revit building software"),  # the full name decides
        ("Power BI", "Power BI analytics software"),  # one word the taxonomy does not use
        ("Templates", "Templates"),  # words the taxonomy uses, read as such
        ("Power templates", "Power templates"),
    ],
)
def test_a_product_is_found_by_its_own_name(text, expected):
    vocabulary = set(words("use presentation templates with power"))
    full = {"autodesk revit": "building software"}
    own = {
        "revit": "cad software",
        "power bi": "analytics software",
        "templates": "document software",
        "power templates": "document software",
    }
    assert with_category(text, full, vocabulary, own) == expected


@pytest.mark.parametrize("use_embeddings", [False, True])
def test_products_named_without_their_vendor_reach_their_kind(use_embeddings):
    taxonomy = [
        *TAXONOMY,
        SkillRecord(
            "cad",
            "use CAD software",
            (),
            "Use computer-aided design (CAD) systems to assist in the creation, "
            "modification, analysis, or optimisation of a design.",
        ),
        SkillRecord(
            "video",
            "perform video editing",
            (),
            "Rearrange and edit video footage in the course of a post-production process.",
        ),
    ]
    resolver = SkillResolver(use_embeddings=use_embeddings).fit(taxonomy)
    unread = SkillResolver(use_embeddings=use_embeddings, use_product_categories=False)
    unread.fit(taxonomy)
    for text, skill_id in [("Revit", "cad"), ("Camtasia", "video")]:
        assert resolver.resolve(text)[0].skill_id == skill_id
        assert unread.resolve(text)[0].skill_id != skill_id


@pytest.mark.parametrize("use_embeddings", [False, True])
def test_an_unknown_name_reaches_the_kinds_of_software_less_surely_than_typed(use_embeddings):
    resolver = SkillResolver(use_embeddings=use_embeddings).fit(TAXONOMY)
    read = resolver.resolve("Haiku Deck", limit=3)
    typed = resolver.resolve(f"Haiku Deck {UNKNOWN_NAME_KIND}", limit=3)
    assert {m.skill_id for m in read} == {"presentation", "spreadsheets", "organisation"}
    assert [m.skill_id for m in read] == [m.skill_id for m in typed]
    for through_kind, written in zip(read, typed, strict=True):
        assert through_kind.score == pytest.approx(CATEGORY_CONFIDENCE * written.score, abs=1e-5)
    unread = SkillResolver(use_embeddings=use_embeddings, use_product_categories=False)
    assert unread.fit(TAXONOMY).resolve("Haiku Deck") == []
    assert resolver.resolve("haiku deck") == []  # not written as a name: read as written


@pytest.mark.parametrize("use_embeddings", [False, True])
def test_a_typo_of_a_known_word_is_not_read_as_a_name(use_embeddings):
    resolver = SkillResolver(use_embeddings=use_embeddings).fit(TAXONOMY)
    unread = SkillResolver(use_embeddings=use_embeddings, use_product_categories=False)
    typo = "Spreadshets"  # not in the lexicon either
    assert resolver.resolve(typo) == unread.fit(TAXONOMY).resolve(typo)
    assert resolver.resolve(typo)[0].skill_id == "spreadsheets"


def test_a_product_the_taxonomy_names_is_still_an_exact_match():
    match = SkillResolver().fit(TAXONOMY).resolve("mediashout")[0]
    assert (match.skill_id, match.score, match.matched_on) == ("church-media", 1.0, "name")


@pytest.mark.parametrize("use_embeddings", [False, True])
def test_a_match_through_the_category_is_less_sure_than_the_same_words_typed(use_embeddings):
    resolver = SkillResolver(use_embeddings=use_embeddings).fit(TAXONOMY)
    read = resolver.resolve("Prezi", limit=3)
    typed = resolver.resolve("Prezi presentation software", limit=3)
    assert [m.skill_id for m in read] == [m.skill_id for m in typed]
    for through_category, written in zip(read, typed, strict=True):
        assert through_category.score == pytest.approx(
            CATEGORY_CONFIDENCE * written.score, abs=1e-5
        )
