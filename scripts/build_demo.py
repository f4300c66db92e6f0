"""Build the demo organisation shipped in ``catalog/demo/`` from the O*NET and ESCO data.

Run from the project root::

    .venv/bin/python scripts/build_demo.py [--data ../shared/data] [--out catalog/demo]

The output is deterministic: the same data gives byte-identical JSON files. The curated tables
live in ``scripts/demo/data/`` and the code that reads them in ``scripts/demo/``. What is derived
from which source, and how, is described in ``catalog/demo/README.md``; in short:

* skills: a curated technology taxonomy whose O*NET technology names and ESCO concept URIs are
  looked up in the data (never typed in), plus the O*NET Skills/Knowledge elements the roles use;
* roles: O*NET occupations run through :func:`catalog.importers.onet.read_onet`, their ratings
  and hot technologies mapped onto the demo taxonomy and trimmed to the most important;
* items: well-known public certifications and courses, with internal mentoring, assignments and
  programs;
* employees: fictional people generated with a fixed seed, as they stood on 2025-12-01;
* history: their year since, replayed by ``skillpath seed-demo`` (see scripts/demo/history.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.importers.esco import read_esco  # noqa: E402
from catalog.importers.onet import read_onet  # noqa: E402
from scripts.demo.checks import check  # noqa: E402
from scripts.demo.employees import build_employees  # noqa: E402
from scripts.demo.history import build_history  # noqa: E402
from scripts.demo.items import describe_items, read_items  # noqa: E402
from scripts.demo.roles import build_roles  # noqa: E402
from scripts.demo.skills import build_taxonomy, import_id_problems  # noqa: E402
from scripts.demo.tables import DemoDataError  # noqa: E402


def build(data: Path) -> dict[str, Any]:
    """Build the demo data sets from the O*NET and ESCO directories under ``data``."""
    onet = read_onet(data / "onet")
    esco = read_esco(data / "esco")
    skills, tech_map, element_map = build_taxonomy(onet, esco)
    roles = build_roles(onet, esco, skills, tech_map, element_map)
    conflicts = import_id_problems(skills, onet, esco)
    if conflicts:
        raise DemoDataError("\n".join(conflicts))
    items = read_items()
    check_skills = [s for item in items for s in item["skills"] if s["skill"] not in skills]
    if check_skills:
        raise DemoDataError(f"items teach unknown skills: {check_skills}")
    describe_items(items, skills)
    employees = build_employees(roles, items)
    history = build_history(roles, items, employees)
    check(skills, roles, items, employees)
    return {
        "skills": sorted(skills.values(), key=lambda skill: skill["id"]),
        "roles": roles,
        "items": items,
        "employees": employees,
        "history": history,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the demo data and write the JSON files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="directory holding onet/ and esco/ (default: ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "catalog" / "demo",
        help="where to write the JSON files (default: catalog/demo)",
    )
    args = parser.parse_args(argv)
    try:
        data = build(args.data)
    except DemoDataError as error:
        print(f"demo data does not add up:\n{error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, records in data.items():
        path = args.out / f"{name}.json"
        path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        count = len(records["steps"] if isinstance(records, dict) else records)
        print(f"{shown}: {count} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
