"""Small hand-built catalogs shared by the recommender tests."""

from __future__ import annotations

import datetime as dt

import pytest

from recommender import (
    CatalogIndex,
    CatalogItem,
    Competency,
    PathPlanner,
    Profile,
    SkillRecord,
    Target,
)


def item(item_id: str, hours: float = 10.0, **fields) -> CatalogItem:
    """Build a catalog item with test defaults."""
    fields.setdefault("kind", "course")
    fields.setdefault("modality", "self_paced")
    return CatalogItem(
        id=item_id, title=fields.pop("title", item_id), duration_hours=hours, **fields
    )


SKILLS = [
    SkillRecord("aws", "Amazon Web Services", ("AWS", "Amazon cloud"), "Cloud computing on AWS."),
    SkillRecord("linux", "Linux", ("GNU/Linux",), "Operating the Linux command line."),
    SkillRecord("terraform", "Terraform", ("HCL",), "Infrastructure as code with Terraform."),
    SkillRecord("kubernetes", "Kubernetes", ("k8s",), "Container orchestration."),
    SkillRecord("docker", "Docker", (), "Building and running containers."),
    SkillRecord("python", "Python", ("py",), "Programming in Python."),
]

ITEMS = [
    item(
        "aws-saa",
        40,
        kind="certification",
        cost=150,
        skills=(("aws", 3),),
        prerequisites=(("linux", 2),),
        valid_months=36,
        title="AWS Solutions Architect",
        description="Design resilient cloud systems",
    ),
    item(
        "linux-101",
        10,
        skills=(("linux", 2),),
        title="Linux basics",
        description="Shell, files and processes",
    ),
    item(
        "terraform-up",
        20,
        cost=300,
        modality="instructor_led",
        skills=(("terraform", 3), ("aws", 2)),
        requires_items=("linux-101",),
        title="Terraform up and running",
        description="Infrastructure as code on AWS",
    ),
    item(
        "k8s",
        30,
        cost=100,
        skills=(("kubernetes", 3),),
        prerequisites=(("docker", 2),),
        title="Kubernetes in practice",
        description="Deploy containers to a cluster",
    ),
    item(
        "docker",
        8,
        skills=(("docker", 2),),
        title="Docker fundamentals",
        description="Images and containers",
    ),
    item("k8s-old", 5, skills=(("kubernetes", 4),), active=False, title="Kubernetes (retired)"),
    item("python-de", 12, language="de", skills=(("python", 2),), title="Python Grundlagen"),
]

CLOUD = Target(
    (
        Competency("aws", 3, 0.8),
        Competency("terraform", 3, 0.5),
        Competency("kubernetes", 3, 1.0),
        Competency("python", 2, 0.3),
    ),
    role_id="cloud-architect",
    title="Cloud Architect",
)

START = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def skills() -> list[SkillRecord]:
    """Return the toy taxonomy."""
    return SKILLS


@pytest.fixture(scope="module")
def items() -> list[CatalogItem]:
    """Return the toy catalog's records."""
    return ITEMS


@pytest.fixture(scope="module")
def cloud() -> Target:
    """Return the Cloud Architect target."""
    return CLOUD


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    """Return the toy catalog, indexed."""
    return CatalogIndex().fit(SKILLS, ITEMS)


@pytest.fixture(scope="module")
def planner(index) -> PathPlanner:
    """Return a planner fitted on the toy catalog."""
    return PathPlanner().fit(index)


@pytest.fixture
def make_item():
    """Return the test item builder (defaults: a 10 h self-paced course)."""
    return item


@pytest.fixture
def novice() -> Profile:
    """Return a profile with a little AWS and nothing else."""
    return Profile(levels={"aws": 1})
