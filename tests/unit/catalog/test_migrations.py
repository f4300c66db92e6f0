"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from catalog import migrate
from catalog.models import Base


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database_url):
    # What `alembic check` does: autogenerate would write an empty migration.
    assert _differences(database_url) == []


def test_every_migration_goes_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrations.db'}"
    migrate.upgrade(url)
    command.downgrade(migrate.alembic_config(url), "base")
    engine = create_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrate.upgrade(url)
    assert _differences(url) == []


def _keys(url: str) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            names = dict(conn.execute(text("SELECT id, name_key FROM skills")).all())
            rows = conn.execute(text("SELECT skill_id, position, alias_key FROM skill_aliases"))
            aliases = {(skill_id, position): key for skill_id, position, key in rows}
    finally:
        engine.dispose()
    return names, aliases


def _database_at_0002(tmp_path, skills: list[tuple[str, str, str]]) -> str:
    """Return the URL of a database at revision 0002 holding ``(id, name, name_key)`` skills."""
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    migrate.upgrade(url, "0002")
    engine = create_engine(url)
    with engine.begin() as conn:
        for skill_id, name, key in skills:
            conn.execute(
                text(
                    "INSERT INTO skills (id, name, name_key, external_ids, created_at, updated_at)"
                    " VALUES (:id, :name, :key, '{}', '2026-01-01', '2026-01-01')"
                ),
                {"id": skill_id, "name": name, "key": key},
            )
    engine.dispose()
    return url


def test_lookup_keys_move_to_nfkc_and_back(tmp_path):
    skills = [
        ("aws", "AWS", "aws"),
        # Keyed apart before NFKC, alike after it: the one keyed so already keeps the key.
        ("aws-wide", "\uff21\uff37\uff33", "\uff41\uff57\uff53"),
        ("k8s", "\uff2bubernetes", "\uff4bubernetes"),
    ]
    url = _database_at_0002(tmp_path, skills)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO skill_aliases (skill_id, position, alias, alias_key)"
                " VALUES ('k8s', 0, '\uff2b8s', '\uff4b8s')"
            )
        )
    engine.dispose()

    migrate.upgrade(url)
    assert _keys(url) == (
        {"aws": "aws", "aws-wide": "\uff41\uff57\uff53", "k8s": "kubernetes"},
        {("k8s", 0): "k8s"},
    )

    command.downgrade(migrate.alembic_config(url), "0002")
    assert _keys(url) == (
        {"aws": "aws", "aws-wide": "\uff41\uff57\uff53", "k8s": "\uff4bubernetes"},
        {("k8s", 0): "\uff4b8s"},
    )


def test_lookup_keys_may_trade_places(tmp_path):
    # "cloud" holds the key "aws-wide" needs; the upgrade must not trip over it half-way.
    skills = [("aws-wide", "\uff21\uff37\uff33", "\uff41\uff57\uff53"), ("cloud", "Cloud", "aws")]
    url = _database_at_0002(tmp_path, skills)
    migrate.upgrade(url)
    assert _keys(url)[0] == {"aws-wide": "aws", "cloud": "cloud"}
