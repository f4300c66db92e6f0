"""The ``skillpath`` command: its help, version, credentials, imports and start-up cost."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.cli import RECORD_IMPORTS, cli
from service.imports import IMPORTS
from tests.conftest import auth
from tests.functional.support import assert_problem

ROOT = Path(__file__).resolve().parents[2]
FLASK_WORDS = (
    "--app",
    "--env-file",
    "--debug",
    " run ",
    " shell ",
    " routes ",
    "limiter",
    "openapi",
)


def test_help_lists_skillpath_commands_only():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "deliver", "demo", "import", "keys", "oauth-clients", "seed-demo"):
        assert f"  {command} " in result.output
    for word in FLASK_WORDS:
        assert word not in result.output


def test_version_comes_from_the_package_metadata():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"skillpath, version {version('skillpath')}\n"


def test_help_imports_neither_the_app_nor_numpy():
    probe = (
        "import sys\n"
        "from service.cli import cli\n"
        "try:\n"
        "    cli(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('numpy', 'scipy', 'sklearn', 'service.app', 'sqlalchemy')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_file_imports_cover_every_record_type():
    assert sorted(RECORD_IMPORTS) == sorted(spec.plural for spec in IMPORTS)


def test_repeated_and_comma_separated_scopes_add_up(runner, client):
    result = runner.invoke(
        cli,
        [
            "keys",
            "create",
            "--name",
            "hris",
            "--scopes",
            "employees:write,employees:read",
            "--scopes",
            "recommend",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "employees:read, employees:write, recommend" in result.output
    secret = result.output.strip().splitlines()[-1]
    assert client.get("/v1/employees", headers=auth(secret)).status_code == 200


@pytest.mark.parametrize("scopes", [["nope"], ["recommend,nope"], [","]])
def test_unknown_scopes_are_refused(runner, scopes):
    args = ["keys", "create", "--name", "x"]
    for value in scopes:
        args += ["--scopes", value]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert "use scopes among admin" in result.output


def test_keys_list_and_revoke(runner, client):
    created = runner.invoke(cli, ["keys", "create", "--name", "ci", "--scopes", "recommend"])
    secret = created.output.strip().splitlines()[-1]
    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0
    assert "ci (recommend)" in listed.output and secret not in listed.output
    key_id = listed.output.splitlines()[1].split()[0]
    revoked = runner.invoke(cli, ["keys", "revoke", key_id])
    assert revoked.exit_code == 0 and f"revoked key {key_id} (ci)" in revoked.output
    assert_problem(client.get("/v1/skills", headers=auth(secret)), 401)
    assert runner.invoke(cli, ["keys", "revoke", "999"]).exit_code == 2


def test_oauth_clients_create_list_and_revoke(runner, client):
    created = runner.invoke(
        cli, ["oauth-clients", "create", "--name", "lxp", "--scopes", "recommend"]
    )
    assert created.exit_code == 0, created.output
    client_id = created.output.split()[2]
    secret = created.output.strip().splitlines()[-1]
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    token = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {pair}"},
    )
    assert token.status_code == 200 and token.get_json()["scope"] == "recommend"
    listed = runner.invoke(cli, ["oauth-clients", "list"])
    assert client_id in listed.output and "lxp (recommend)" in listed.output
    assert runner.invoke(cli, ["oauth-clients", "revoke", client_id]).exit_code == 0
    bearer = auth(token.get_json()["access_token"])
    assert_problem(client.get("/v1/skills", headers=bearer), 401)
    assert runner.invoke(cli, ["oauth-clients", "revoke", "spc_nobody"]).exit_code == 2


def test_an_import_shows_progress_on_stderr(runner, client, admin, tmp_path):
    path = tmp_path / "skills.json"
    path.write_text(json.dumps([{"id": f"s{n}", "name": f"Skill {n}"} for n in range(250)]))
    result = runner.invoke(cli, ["import", "skills", str(path)])
    assert result.exit_code == 0, result.output
    assert "skills.json: 250 rows; 250 were created" in result.stdout
    assert "skills.json" in result.stderr
    listed = client.get("/v1/skills?page_size=1", headers=admin)
    assert json.loads(listed.headers["X-Pagination"])["total"] == 250
