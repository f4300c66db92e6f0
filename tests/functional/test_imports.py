"""Bulk imports: a JSON array or CSV, validated whole, written all or nothing."""

from __future__ import annotations

import pytest

from tests.functional.support import (
    assert_problem,
    count_all,
    count_rows,
    item_body,
    role_body,
    skill_body,
)


def _import(client, headers, kind, rows, *, dry_run=False, csv=False):
    path = f"/v1/{kind}/import" + ("?dry_run=true" if dry_run else "")
    if csv:
        return client.post(path, data=rows, content_type="text/csv", headers=headers)
    return client.post(path, json=rows, headers=headers)


def _report(response):
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["errors"] == []
    return {k: report[k] for k in ("rows", "created", "updated", "unchanged", "dry_run")}


def _row_errors(response):
    problem = assert_problem(response, 422)
    assert problem["code"] == "import_rejected"
    return {(e["row"], e["field"]) for e in problem["errors"]}


SKILLS = [skill_body(f"s{n}", f"Skill {n}", aliases=[f"alias {n}"]) for n in range(5)]


def test_skills_from_json(client, admin, catalog_version):
    report = _report(_import(client, admin, "skills", SKILLS))
    assert report == {"rows": 5, "created": 5, "updated": 0, "unchanged": 0, "dry_run": False}
    assert client.get("/v1/skills/s3", headers=admin).get_json()["aliases"] == ["alias 3"]
    assert catalog_version() == 1


def test_a_second_identical_import_changes_nothing(client, admin, catalog_version):
    _import(client, admin, "skills", SKILLS)
    etag = client.get("/v1/skills/s0", headers=admin).headers["ETag"]
    report = _report(_import(client, admin, "skills", SKILLS))
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 5)
    assert client.get("/v1/skills/s0", headers=admin).headers["ETag"] == etag
    assert catalog_version() == 1


def test_an_import_both_creates_and_updates(client, admin, seed):
    seed.skill("s0", "Skill 0", aliases=["alias 0"])
    seed.skill("s1", "Old name")
    report = _report(_import(client, admin, "skills", SKILLS))
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 1, 1)
    assert client.get("/v1/skills/s1", headers=admin).get_json()["name"] == "Skill 1"


def test_dry_run_writes_nothing(client, admin, catalog_version):
    report = _report(_import(client, admin, "skills", SKILLS, dry_run=True))
    assert report == {"rows": 5, "created": 5, "updated": 0, "unchanged": 0, "dry_run": True}
    assert count_rows(client.application, "skills") == 0
    assert catalog_version() == 0


def test_dry_run_reports_errors_like_a_real_import(client, admin):
    rows = [*SKILLS, {"id": "bad id", "name": "x"}]
    assert _row_errors(_import(client, admin, "skills", rows, dry_run=True)) == {(6, "id")}


def test_one_bad_row_in_a_thousand_rejects_all_of_them(client, admin, seed):
    app = client.application
    seed.skill("python")
    seed.item("existing", {"python": 1})
    before = count_all(app)
    rows = [item_body(f"c-{n}", {"python": 1 + n % 5}) for n in range(1000)]
    rows[637]["duration_hours"] = -1
    problem = assert_problem(_import(client, admin, "items", rows), 422)
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(638, "duration_hours")]
    assert count_all(app) == before
    # The same rows, fixed, all go in.
    rows[637]["duration_hours"] = 1
    assert _report(_import(client, admin, "items", rows))["created"] == 1000
    assert count_rows(app, "items") == 1001


def test_a_row_failing_a_stored_data_rule_rejects_all(client, admin, seed):
    seed.skill("python")
    seed.skill("taken", "Taken name")
    rows = [skill_body("a"), skill_body("b", "taken name"), skill_body("c")]
    problem = assert_problem(_import(client, admin, "skills", rows), 422)
    assert [(e["row"], e["field"]) for e in problem["errors"]] == [(2, "name")]
    assert "taken" in problem["errors"][0]["message"]
    assert count_rows(client.application, "skills") == 2


def test_every_malformed_row_is_named(client, admin, seed):
    seed.skill("python")
    rows = [
        item_body("ok"),
        "not an object",
        item_body("bad-level", {"python": 9}),
        {**item_body("extra"), "colour": "red"},
    ]
    assert _row_errors(_import(client, admin, "items", rows)) == {
        (2, "(row)"),
        (3, "skills[0].level"),
        (4, "colour"),
    }


def test_every_unknown_reference_is_named(client, admin, seed):
    seed.skill("python")
    rows = [
        item_body("ok", requires_items=["later"]),
        item_body("unknown-skill", {"cobol": 2}, prerequisites=[{"skill": "fortran", "level": 1}]),
        item_body("unknown-item", requires_items=["ok", "nowhere"]),
        item_body("later"),
    ]
    problem = assert_problem(_import(client, admin, "items", rows), 422)
    assert {(e["row"], e["field"]) for e in problem["errors"]} == {
        (2, "skills[0].skill"),
        (2, "prerequisites[0].skill"),
        (3, "requires_items[1]"),
    }
    messages = " ".join(e["message"] for e in problem["errors"])
    assert all(name in messages for name in ("cobol", "fortran", "nowhere"))


def test_one_answer_names_malformed_rows_unknown_references_and_clashes(client, admin, seed):
    seed.skill("python", "Python")
    skills = [
        skill_body("fine", "Fine"),
        skill_body("bad-id!", "Bad id"),
        skill_body("taken", "PYTHON"),
    ]
    assert _row_errors(_import(client, admin, "skills", skills)) == {(2, "id"), (3, "name")}
    items = [item_body("bad-level", {"python": 9}), item_body("unknown", {"cobol": 2})]
    assert _row_errors(_import(client, admin, "items", items)) == {
        (1, "skills[0].level"),
        (2, "skills[0].skill"),
    }


def test_csv_cells_and_fields_are_named_in_one_answer(client, admin, seed):
    seed.skill("python")
    text = (
        "id,kind,title,modality,duration_hours,skills\n"
        "c1,course,One,self_paced,3,python\n"  # a skill cell without its level
        "c2,lecture,Two,self_paced,3,python:2\n"  # a kind no item has
        "c3,course,Three,self_paced,3,cobol:2\n"  # a skill nobody knows
    )
    assert _row_errors(_import(client, admin, "items", text, csv=True)) == {
        (1, "skills"),
        (2, "kind"),
        (3, "skills[0].skill"),
    }


def test_duplicate_ids_in_one_batch(client, admin):
    rows = [skill_body("a"), skill_body("b"), skill_body("a", "Another A")]
    assert _row_errors(_import(client, admin, "skills", rows)) == {(3, "id")}
    assert count_rows(client.application, "skills") == 0


def test_duplicate_names_in_one_batch(client, admin):
    rows = [skill_body("a", "Go"), skill_body("b", "GO")]
    assert _row_errors(_import(client, admin, "skills", rows)) == {(2, "name")}


def test_rows_may_refer_to_rows_of_the_same_batch(client, admin, seed):
    seed.skill("python")
    rows = [
        item_body("advanced", requires_items=["intermediate"]),
        item_body("intermediate", requires_items=["basics"]),
        item_body("basics"),
    ]
    assert _report(_import(client, admin, "items", rows))["created"] == 3
    got = client.get("/v1/items/advanced", headers=admin).get_json()
    assert got["requires_items"] == ["intermediate"]


def test_skills_and_roles_of_one_batch(client, admin):
    skills = [skill_body("python", "Python", aliases=["py"]), skill_body("sql", "SQL")]
    _report(_import(client, admin, "skills", skills))
    roles = [role_body("dev", {"PY": 3, "sql": 2}), role_body("dba", {"SQL": 5})]
    assert _report(_import(client, admin, "roles", roles))["created"] == 2
    assert client.get("/v1/roles/dev", headers=admin).get_json()["competencies"] == [
        {"skill": "python", "level": 3, "weight": 1.0},
        {"skill": "sql", "level": 2, "weight": 1.0},
    ]


@pytest.mark.parametrize(
    "requires",
    [
        {"a": ["b"], "b": ["a"]},
        {"a": ["b"], "b": ["c"], "c": ["a"]},
    ],
    ids=["two", "three"],
)
def test_requirement_cycles_are_rejected(client, admin, seed, requires):
    seed.skill("python")
    rows = [item_body(ident, requires_items=needs) for ident, needs in requires.items()]
    problem = assert_problem(_import(client, admin, "items", rows), 422)
    assert "cycle" in problem["errors"][0]["message"]
    assert count_rows(client.application, "items") == 0


def test_a_cycle_through_stored_items_is_rejected(client, admin, seed):
    seed.skill("python")
    seed.item("stored")
    seed.item("middle", requires_items=["stored"])
    rows = [item_body("stored", requires_items=["middle"])]
    assert_problem(_import(client, admin, "items", rows), 422)
    assert client.get("/v1/items/stored", headers=admin).get_json()["requires_items"] == []


def test_the_row_cap(make_app, admin):
    client = make_app(SKILLPATH_MAX_IMPORT_ROWS=3).test_client()
    assert _report(_import(client, admin, "skills", SKILLS[:3]))["created"] == 3
    problem = assert_problem(_import(client, admin, "skills", SKILLS), 422)
    assert "at most 3 rows" in problem["errors"][0]["message"]
    assert count_rows(client.application, "skills") == 3


@pytest.mark.parametrize(
    "body",
    [{"id": "s0", "name": "Skill"}, "text", None],
    ids=["object", "string", "null"],
)
def test_the_json_body_must_be_an_array(client, admin, body):
    response = client.post(
        "/v1/skills/import",
        data="null" if body is None else None,
        json=body if body is not None else None,
        content_type="application/json",
        headers=admin,
    )
    assert_problem(response, 422)


def test_an_empty_array_imports_nothing(client, admin):
    report = _report(_import(client, admin, "skills", []))
    assert report["rows"] == 0 and report["created"] == 0


def test_import_scopes(client, new_key):
    catalog, employees = new_key("catalog:write"), new_key("employees:write")
    assert_problem(_import(client, employees, "skills", SKILLS), 403)
    assert_problem(_import(client, catalog, "employees", [{"id": "e-1"}]), 403)
    assert _import(client, employees, "employees", [{"id": "e-1"}]).status_code == 200


# -- CSV ------------------------------------------------------------------------------------------


SKILLS_CSV = """id,name,aliases,category,description,external_ids
python,Python,py|Python 3,Languages,"A language, with a comma",esco=http://data.europa.eu/esco/skill/x|onet=1
sql,SQL,,Data,,
"""


def test_skills_from_csv(client, admin):
    report = _report(_import(client, admin, "skills", SKILLS_CSV, csv=True))
    assert report["created"] == 2
    python = client.get("/v1/skills/python", headers=admin).get_json()
    assert python["aliases"] == ["py", "Python 3"]
    assert python["description"] == "A language, with a comma"
    assert python["external_ids"] == {"esco": "http://data.europa.eu/esco/skill/x", "onet": "1"}
    sql = client.get("/v1/skills/sql", headers=admin).get_json()
    assert sql["aliases"] == [] and sql["description"] is None
    # The same file again is all unchanged; a BOM and CRLF line ends are fine.
    again = "\ufeff" + SKILLS_CSV.replace("\n", "\r\n")
    assert _report(_import(client, admin, "skills", again.encode(), csv=True))["unchanged"] == 2


def test_items_roles_and_employees_from_csv(client, admin):
    _import(client, admin, "skills", SKILLS_CSV, csv=True)
    items = (
        "id,kind,title,modality,duration_hours,cost,skills,prerequisites,requires_items,"
        "valid_months,active\n"
        "py-1,course,Python 1,self_paced,10,0,python:2,,,,true\n"
        "py-2,certification,Python 2,blended,20.5,99.9,python:4|SQL:2,python:2,py-1,24,false\n"
    )
    assert _report(_import(client, admin, "items", items, csv=True))["created"] == 2
    py2 = client.get("/v1/items/py-2", headers=admin).get_json()
    assert py2["skills"] == [{"skill": "python", "level": 4}, {"skill": "sql", "level": 2}]
    assert py2["prerequisites"] == [{"skill": "python", "level": 2}]
    assert (py2["requires_items"], py2["valid_months"], py2["active"]) == (["py-1"], 24, False)
    roles = (
        "id,title,family,alternate_titles,competencies\n"
        "dev,Developer,Eng,Coder|Programmer,python:4:1|sql:2:0.5\n"
    )
    assert _report(_import(client, admin, "roles", roles, csv=True))["created"] == 1
    dev = client.get("/v1/roles/dev", headers=admin).get_json()
    assert dev["competencies"] == [
        {"skill": "python", "level": 4, "weight": 1.0},
        {"skill": "sql", "level": 2, "weight": 0.5},
    ]
    employees = (
        "id,display_name,team,current_role,target_roles,skills,completed,hours_per_week,"
        "budget,modalities,languages\n"
        "e-1,Ada,platform,dev,dev,python:3:assessment|sql:1,py-1@2025-02-03|py-2,"
        "5,1000,self_paced|blended,en|pt-BR\n"
    )
    assert _report(_import(client, admin, "employees", employees, csv=True))["created"] == 1
    ada = client.get("/v1/employees/e-1", headers=admin).get_json()
    assert ada["skills"] == [
        {"skill": "python", "level": 3, "source": "assessment", "assessed_at": None},
        {"skill": "sql", "level": 1, "source": "self", "assessed_at": None},
    ]
    assert {c["item"]: c["completed_at"] for c in ada["completed"]} == {
        "py-1": "2025-02-03",
        "py-2": None,
    }
    assert ada["preferences"] == {
        "hours_per_week": 5.0,
        "budget": 1000.0,
        "modalities": ["self_paced", "blended"],
        "languages": ["en", "pt-BR"],
    }


BAD_SKILL_CSV = [
    ("", {(0, "(header)")}),
    ("name\nPython\n", {(0, "(header)")}),
    ("id,name\npython,Python,extra\n", {(1, "(row)")}),
    ("id,name\npython\n", {(1, "name")}),
    ("id,name\npython,Python\nsql,SQL\nbad id,X\n", {(3, "id")}),
    ('id,name\n"python,Python\n', {(1, "id"), (1, "name")}),
    ("id,name\npython," + "x" * 200_000 + "\n", {(0, "(body)")}),
    ("id,name,external_ids\npython,Python,esco\n", {(1, "external_ids")}),
]


def test_bad_skill_csv(client, admin, subtests):
    for text, errors in BAD_SKILL_CSV:
        with subtests.test(msg=repr(text[:40])):
            response = _import(client, admin, "skills", text, csv=True)
            assert _row_errors(response) == errors
            assert count_rows(client.application, "skills") == 0


BAD_ITEM_CELLS = [
    ("skills", "python", "skills"),
    ("skills", "python:high", "skills"),
    ("valid_months", "two", "valid_months"),
    ("duration_hours", "ten", "duration_hours"),
    ("active", "perhaps", "active"),
]


def test_bad_item_csv_cells(client, admin, seed, subtests):
    seed.skill("python")
    for column, cell, field in BAD_ITEM_CELLS:
        with subtests.test(msg=column):
            cells = {
                "id": "c-1",
                "kind": "course",
                "title": "T",
                "modality": "self_paced",
                "duration_hours": "3",
                "skills": "python:2",
                "valid_months": "",
                "active": "true",
                column: cell,
            }
            text = ",".join(cells) + "\n" + ",".join(cells.values()) + "\n"
            assert _row_errors(_import(client, admin, "items", text, csv=True)) == {(1, field)}


def test_csv_must_be_utf8(client, admin):
    data = "id,name\ncafe,Caf\xe9\n".encode("latin-1")
    response = client.post("/v1/skills/import", data=data, content_type="text/csv", headers=admin)
    assert_problem(response, 422)
