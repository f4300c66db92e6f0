"""Tests for the O*NET and ESCO importers, on small real extracts and on the full data."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from catalog.importers import ImportFormatError, SlugRegistry, slugify
from catalog.importers.esco import esco_row_count, read_esco, split_labels
from catalog.importers.onet import (
    onet_level,
    onet_row_count,
    onet_weight,
    read_onet,
    read_technology_categories,
)

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures"
ONET_EXCEL = FIXTURES / "onet" / "excel"
ONET_TXT = FIXTURES / "onet" / "txt"
ESCO = FIXTURES / "esco"
SHARED_DATA = ROOT.parent / "shared" / "data"
ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def by_id(records):
    """Index records by id."""
    return {record["id"]: record for record in records}


def role_with_code(bundle, code):
    """Return the role imported from the O*NET-SOC ``code``."""
    return next(role for role in bundle.roles if role["external_ids"]["onet"] == code)


def competencies(role):
    """Map each competency's skill to ``(level, weight)``."""
    return {c["skill"]: (c["level"], c["weight"]) for c in role["competencies"]}


def assert_well_formed(bundle):
    """Check the bundle satisfies the bulk-import contract."""
    skills = by_id(bundle.skills)
    assert len(skills) == len(bundle.skills)
    names = [skill["name"].casefold() for skill in bundle.skills]
    assert len(set(names)) == len(names)
    for skill in bundle.skills:
        assert ID_PATTERN.fullmatch(skill["id"])
        assert set(skill) == {"id", "name", "aliases", "category", "description", "external_ids"}
        assert len(skill["name"]) <= 200 and len(skill["aliases"]) <= 50
    assert len(by_id(bundle.roles)) == len(bundle.roles)
    for role in bundle.roles:
        assert ID_PATTERN.fullmatch(role["id"])
        assert 1 <= len(role["competencies"]) <= 200
        assert len(role["alternate_titles"]) <= 500
        assert len({c["skill"] for c in role["competencies"]}) == len(role["competencies"])
        for competency in role["competencies"]:
            assert competency["skill"] in skills
            assert isinstance(competency["level"], int) and 1 <= competency["level"] <= 5
            assert 0 < competency["weight"] <= 1


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Reading Comprehension", "reading-comprehension"),
        ("C++", "c-plus-plus"),
        ("C#", "c-sharp"),
        ("Microsoft .NET Framework", "microsoft-dot-net-framework"),
        ("Node.js", "node-js"),
        ("MITRE ATT&CK software", "mitre-att-and-ck-software"),
        ("Résumé  writing!", "resume-writing"),
    ],
)
def test_slugify(label, expected):
    assert slugify(label) == expected


def test_slug_registry_qualifies_then_numbers():
    ids = SlugRegistry()
    assert ids.claim("Mathematics", "skill") == "mathematics"
    assert ids.claim("Mathematics", "knowledge") == "mathematics-knowledge"
    assert ids.claim("Mathematics", "knowledge") == "mathematics-knowledge-2"
    assert ids.claim("Mathematics") == "mathematics-2"


# --- O*NET -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lv", "level"),
    [("0", 0), ("0.69", 0), ("0.7", 1), ("2.1", 2), ("3.5", 3), ("4.0", 3), ("4.9", 4), ("7", 5)],
)
def test_onet_level_maps_0_7_onto_0_5_rounding_halves_up(lv, level):
    assert onet_level(lv) == level


@pytest.mark.parametrize(("im", "weight"), [("1", 0.2), ("3.88", 0.776), ("5.0", 1.0)])
def test_onet_weight_is_importance_over_five(im, weight):
    assert onet_weight(im) == weight


def test_onet_both_layouts_give_identical_bundles():
    excel = read_onet(ONET_EXCEL)
    txt = read_onet(ONET_TXT)
    assert excel == txt
    assert_well_formed(txt)


def test_onet_maps_ratings_onto_the_proficiency_scale():
    bundle = read_onet(ONET_TXT)
    role = role_with_code(bundle, "15-1243.01")
    assert role["id"] == "onet-data-warehousing-specialists"
    assert role["title"] == "Data Warehousing Specialists"
    assert role["family"] == "Computer and Mathematical Occupations"
    assert role["description"].startswith("Design, model, or implement corporate data warehousing")
    assert role["alternate_titles"][:2] == ["Analytics Manager", "Big Data Engineer"]
    found = competencies(role)
    # LV 4.0 -> round(2.86) = 3, IM 3.88 -> 0.776
    assert found["reading-comprehension"] == (3, 0.776)
    # LV 5.61 -> 4, IM 4.26 -> 0.852
    assert found["computers-and-electronics"] == (4, 0.852)
    # The Mathematics skill and the Mathematics knowledge area stay distinct skills.
    assert found["mathematics"] == (2, 0.6)
    assert found["mathematics-knowledge"] == (3, 0.646)
    weights = [c["weight"] for c in role["competencies"]]
    assert weights == sorted(weights, reverse=True)


def test_onet_skips_suppressed_and_not_relevant_ratings():
    bundle = read_onet(ONET_TXT)
    found = competencies(role_with_code(bundle, "15-1243.01"))
    # Science and Technology Design levels are flagged Recommend Suppress = Y.
    assert "science" not in found
    assert "technology-design" not in found
    # Installation's level is flagged Not Relevant = Y.
    assert "installation" not in found
    # The same elements rated normally for another occupation are kept.
    other = competencies(role_with_code(bundle, "11-3021.00"))
    assert other["technology-design"] == (1, 0.5)
    assert "installation" not in other


def test_onet_skill_records_keep_element_ids_and_categories():
    skills = by_id(read_onet(ONET_TXT).skills)
    assert skills["reading-comprehension"] == {
        "id": "reading-comprehension",
        "name": "Reading Comprehension",
        "aliases": [],
        "category": "O*NET skill",
        "description": "Understanding written sentences and paragraphs in work-related documents.",
        "external_ids": {"onet": "2.A.1.a"},
    }
    assert skills["mathematics-knowledge"]["name"] == "Mathematics (knowledge)"
    assert skills["mathematics-knowledge"]["category"] == "O*NET knowledge"
    assert skills["mathematics-knowledge"]["external_ids"] == {"onet": "2.C.4.a"}


def test_onet_hot_and_in_demand_technologies_become_skills_and_competencies():
    bundle = read_onet(ONET_TXT)
    skills = by_id(bundle.skills)
    assert skills["c-plus-plus"]["name"] == "C++"
    assert skills["c-sharp"]["category"] == "technology"
    assert skills["python"]["external_ids"] == {"onet": "Python", "unspsc": "43232405"}
    # Oracle Database is filed under two commodity codes; the lowest one is kept.
    assert skills["oracle-database"]["external_ids"]["unspsc"] == "43232304"
    assert skills["oracle-database"]["description"] == "Data base management system software"
    # Neither hot nor in demand: not a skill.
    assert not any(skill["name"] == "Microsoft Visual C# .NET" for skill in bundle.skills)
    found = competencies(role_with_code(bundle, "15-1243.01"))
    assert found["python"] == (3, 0.6)  # hot and in demand
    assert found["oracle-database"] == (3, 0.4)  # hot only


def test_onet_unrated_occupation_gets_technology_only_role_and_empty_one_is_skipped():
    bundle = read_onet(ONET_TXT)
    developers = role_with_code(bundle, "15-1252.00")
    skills = by_id(bundle.skills)
    assert {skills[c["skill"]]["category"] for c in developers["competencies"]} == {"technology"}
    assert bundle.skipped == ["11-9199.00"]
    assert not any(role["external_ids"]["onet"] == "11-9199.00" for role in bundle.roles)


@pytest.mark.parametrize(
    ("prefixes", "codes"),
    [
        (("15-",), {"15-1243.01", "15-1252.00"}),
        ("11-3021", {"11-3021.00"}),
        (("15-1252", "11-"), {"15-1252.00", "11-3021.00"}),
        (None, {"15-1243.01", "15-1252.00", "11-3021.00"}),
    ],
)
def test_onet_soc_prefix_filter(prefixes, codes):
    bundle = read_onet(ONET_EXCEL, soc_prefixes=prefixes)
    assert {role["external_ids"]["onet"] for role in bundle.roles} == codes
    assert_well_formed(bundle)


def test_onet_filter_keeps_only_the_technologies_of_kept_occupations():
    bundle = read_onet(ONET_EXCEL, soc_prefixes=("11-",))
    # Kubernetes is hot only for Software Developers.
    assert "kubernetes" not in by_id(bundle.skills)


def test_onet_is_deterministic_and_reports_progress():
    totals: list[int] = []
    first = read_onet(ONET_TXT, progress=totals.append)
    assert read_onet(ONET_TXT) == first
    assert totals == sorted(totals) and len(totals) >= 5
    assert totals[-1] == onet_row_count(ONET_TXT)


def test_onet_commodity_titles_fall_back_to_unspsc_reference(tmp_path):
    directory = tmp_path / "onet"
    shutil.copytree(ONET_TXT, directory)
    tech = directory / "Technology Skills.txt"
    with tech.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    titles = {row["Commodity Code"]: row["Commodity Title"] for row in rows}
    columns = [column for column in rows[0] if column != "Commodity Title"]
    with tech.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, columns, delimiter="\t", extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    with (directory / "UNSPSC Reference.txt").open("w", encoding="utf-8") as handle:
        handle.write("Commodity Code\tCommodity Title\n")
        handle.writelines(f"{code}\t{title}\n" for code, title in sorted(titles.items()))
    assert read_onet(directory) == read_onet(ONET_TXT)
    assert read_technology_categories(directory) == read_technology_categories(ONET_TXT)


def test_onet_technology_categories_name_every_example_as_the_import_describes_it():
    categories = read_technology_categories(ONET_EXCEL)
    assert categories == read_technology_categories(ONET_TXT)
    # Every example, hot or not, of every occupation; the import keeps only hot or in demand.
    assert categories["Microsoft Visio"] == "Process mapping and design software"
    assert categories["Python"] == "Object or component oriented development software"
    technologies = [s for s in read_onet(ONET_TXT).skills if s["category"] == "technology"]
    assert 0 < len(technologies) < len(categories)
    for skill in technologies:
        assert categories[skill["external_ids"]["onet"]] == skill["description"]


@pytest.mark.parametrize("layout", [ONET_EXCEL, ONET_TXT])
def test_onet_missing_file_is_a_clear_error(tmp_path, layout):
    directory = tmp_path / "onet"
    shutil.copytree(layout, directory)
    next(directory.glob("Knowledge.*")).unlink()
    with pytest.raises(ImportFormatError, match="missing file 'Knowledge.tsv' or 'Knowledge.txt'"):
        read_onet(directory)


def test_onet_missing_column_is_a_clear_error(tmp_path):
    directory = tmp_path / "onet"
    shutil.copytree(ONET_TXT, directory)
    skills = directory / "Skills.txt"
    skills.write_text(skills.read_text().replace("Data Value", "Value", 1))
    with pytest.raises(ImportFormatError) as caught:
        read_onet(directory)
    assert str(caught.value) == "Skills.txt: missing required column 'Data Value'"
    assert caught.value.column == "Data Value"
    assert caught.value.path == skills


def test_onet_bad_value_names_the_row(tmp_path):
    directory = tmp_path / "onet"
    shutil.copytree(ONET_TXT, directory)
    skills = directory / "Skills.txt"
    lines = skills.read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("\t4.0\t", "\tn/a\t", 1)
    skills.write_text("".join(lines))
    with pytest.raises(ImportFormatError, match=r"Skills.txt, row 3: Data Value 'n/a'") as caught:
        read_onet(directory)
    assert caught.value.row == 3


def test_import_format_error_is_a_value_error():
    assert issubclass(ImportFormatError, ValueError)


# --- ESCO --------------------------------------------------------------------------------------


def test_esco_multiline_alt_labels_become_aliases():
    skills = by_id(read_esco(ESCO).skills)
    skill = skills["mobile-device-management"]
    assert skill["aliases"] == [
        "bring your own device",
        "cell phone  device management",
        "BYOD",
    ]
    assert skill["category"] == "knowledge"
    assert skill["external_ids"] == {
        "esco": "http://data.europa.eu/esco/skill/cf532795-a1fd-43bd-8407-6e43f877e6e3"
    }
    assert skill["description"].startswith("The methods for managing the use of mobile devices")
    # A single-line altLabels cell gives a single alias.
    assert skills["absorb-learning-management-systems"]["aliases"] == ["Absorb"]


def test_split_labels_strips_and_deduplicates():
    assert split_labels(" a \nb\n\nA\r\nc ") == ["a", "b", "c"]


def test_esco_occupations_become_roles_with_default_levels():
    bundle = read_esco(ESCO)
    assert_well_formed(bundle)
    roles = by_id(bundle.roles)
    role = roles["esco-ict-security-administrator"]
    assert role["title"] == "ICT security administrator"
    assert "IT security administrator" in role["alternate_titles"]
    assert role["external_ids"] == {
        "esco": "http://data.europa.eu/esco/occupation/0464b062-cea6-4164-b10d-956c61956ae7"
    }
    assert {(c["level"], c["weight"]) for c in role["competencies"]} == {(3, 1.0)}
    assert len(role["competencies"]) == 7


def test_esco_skills_outside_the_skills_file_come_from_relations():
    bundle = read_esco(ESCO)
    skills = by_id(bundle.skills)
    # "operating systems" is related to an occupation but missing from skills_ict.csv.
    assert skills["operating-systems"] == {
        "id": "operating-systems",
        "name": "operating systems",
        "aliases": [],
        "category": "knowledge",
        "description": None,
        "external_ids": {
            "esco": "http://data.europa.eu/esco/skill/f9a6f35b-01a7-40c9-8b61-b6ee46f97272"
        },
    }
    # A relation naming an unknown skill without a label cannot make a skill, and the
    # occupation that has no relations here cannot make a role.
    assert bundle.skipped == [
        "http://data.europa.eu/esco/occupation/061f56c6-36eb-4aa7-b5ef-98b7a569da1c",
        "http://data.europa.eu/esco/skill/04dfd9fb-e0cf-40f6-96c6-9d2280c4347e",
    ]


def test_esco_relation_type_sets_the_weight(tmp_path):
    directory = tmp_path / "esco"
    shutil.copytree(ESCO, directory)
    relations = directory / "occupation_skill_relations_ict.csv"
    with relations.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for position, row in enumerate(rows):
        row["relationType"] = "optional" if position % 2 else "essential"
    with relations.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    weights = {c["weight"] for role in read_esco(directory).roles for c in role["competencies"]}
    assert weights == {0.5, 1.0}


def test_esco_duplicate_labels_get_deterministic_ids(tmp_path):
    directory = tmp_path / "esco"
    shutil.copytree(ESCO, directory)
    skills_file = directory / "skills_ict.csv"
    with skills_file.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(
            [
                "http://data.europa.eu/esco/skill/0000-test",
                "haskell",
                "",
                "skill",
                "Another Haskell.",
            ]
        )
    skills = read_esco(directory).skills
    haskell = {s["id"]: s for s in skills if s["id"].startswith("haskell")}
    # The lower URI gets the plain id, whatever the row order.
    assert (
        haskell["haskell"]["external_ids"]["esco"] == "http://data.europa.eu/esco/skill/0000-test"
    )
    assert haskell["haskell"]["name"] == "haskell"
    assert haskell["haskell-2"]["name"] == "Haskell (knowledge)"


def test_esco_is_deterministic_and_reports_progress():
    totals: list[int] = []
    first = read_esco(ESCO, progress=totals.append)
    assert read_esco(ESCO) == first
    assert totals == sorted(totals) and len(totals) == 3
    assert totals[-1] == esco_row_count(ESCO)


@pytest.mark.parametrize(
    "name", ["skills_ict.csv", "occupations_ict.csv", "occupation_skill_relations_ict.csv"]
)
def test_esco_missing_file_is_a_clear_error(tmp_path, name):
    directory = tmp_path / "esco"
    shutil.copytree(ESCO, directory)
    (directory / name).unlink()
    with pytest.raises(ImportFormatError, match=f"missing file '{name}'"):
        read_esco(directory)


def test_esco_missing_column_is_a_clear_error(tmp_path):
    directory = tmp_path / "esco"
    shutil.copytree(ESCO, directory)
    relations = directory / "occupation_skill_relations_ict.csv"
    relations.write_text(relations.read_text().replace("skillUri", "skill", 1))
    with pytest.raises(ImportFormatError) as caught:
        read_esco(directory)
    assert str(caught.value) == (
        "occupation_skill_relations_ict.csv: missing required column 'skillUri'"
    )


# --- the full shared data ----------------------------------------------------------------------


@pytest.mark.skipif(not (SHARED_DATA / "onet").is_dir(), reason="../shared/data/onet is absent")
def test_full_onet_loads_every_occupation():
    totals: list[int] = []
    bundle = read_onet(SHARED_DATA / "onet", progress=totals.append)
    assert_well_formed(bundle)
    # Reported often enough for a progress display, ending at the total.
    assert len(totals) > 30 and totals[-1] == onet_row_count(SHARED_DATA / "onet")
    with (SHARED_DATA / "onet" / "Occupation_Data.tsv").open(encoding="utf-8") as handle:
        occupations = sum(1 for _ in handle) - 1
    assert occupations == 1016
    assert len(bundle.roles) + len(bundle.skipped) == occupations
    assert len(bundle.roles) > 900
    categories = [skill["category"] for skill in bundle.skills]
    assert categories.count("O*NET skill") == 35
    assert categories.count("O*NET knowledge") == 33
    assert 200 < categories.count("technology") < 1000
    analysts = role_with_code(bundle, "15-1212.00")
    assert analysts["id"] == "onet-information-security-analysts"
    assert len(analysts["alternate_titles"]) > 10
    assert competencies(analysts)["computers-and-electronics"][0] == 4
    # O*NET lists up to 937 alternate titles; the imports take 500, the first in file order.
    assert max(len(role["alternate_titles"]) for role in bundle.roles) == 500
    computing = read_onet(SHARED_DATA / "onet", soc_prefixes=("15-",))
    assert 30 < len(computing.roles) < 80


@pytest.mark.skipif(not (SHARED_DATA / "esco").is_dir(), reason="../shared/data/esco is absent")
def test_full_esco_loads_every_occupation():
    bundle = read_esco(SHARED_DATA / "esco")
    assert_well_formed(bundle)
    assert len(bundle.roles) == 91
    assert len(bundle.skills) > 877
    assert sum(1 for skill in bundle.skills if skill["aliases"]) > 300
    # Some skills have more than the 50 aliases the imports accept.
    assert max(len(skill["aliases"]) for skill in bundle.skills) == 50
