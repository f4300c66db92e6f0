"""Schemathesis against a live gunicorn: every operation alone, then along the document's links.

The schema is loaded from the server's own ``/openapi.json``. The stateless pass generates
schema-valid and schema-violating requests for every operation; the stateful pass follows the
document's links (a write or a listing -> GET, PUT, PATCH, DELETE of the record it names with
its ETag -> what the recommender and the learning loop say and keep about an employee -> a
plan's replan and abandonment) in generated scenarios. Every default check runs on every
answer: no 5xx, documented statuses, content types, headers and response schemas, valid
requests accepted, invalid ones refused, and, along links, created records readable and deleted
ones gone. Both passes are derandomized and bounded in examples and steps.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import DATABASES, report_figure
from tests.functional.schemathesis_cases import (
    EMPLOYEE,
    ROLES,
    SEED,
    config,
    point_references,
)
from tests.reliability.conftest import ADMIN_KEY, LiveServer, serve

pytestmark = pytest.mark.reliability

EXAMPLES = 5  # per operation and generation mode, in the stateless pass
STEPS = 8  # at most, in one scenario
RUNS = 5  # of a state machine, at most, to reach its scenarios (see below)
# Scenarios start where the document has a POST or a listing with links. The catalog and the
# employees' side are run apart, so each gets its share of scenarios.
WORKFLOWS = {
    "catalog": (r"^/v1/(skills|items|roles|api-keys|oauth-clients|webhooks)", 25),
    "employees": (r"^/v1/employees(/|$)", 25),
}
# DESIGN.md: DELETE of an item retires it (active: false) and DELETE of a plan abandons it
# (status abandoned); both stay readable on purpose, so use-after-free does not apply to them.
# The hostile-input and plan tests check what they read back with.
STAY_READABLE = [
    {"include-path": path, "checks": {"use_after_free": {"enabled": False}}}
    for path in ("/v1/items/{item_id}", "/v1/employees/{employee_id}/plans/{plan_id}")
]
BOUNDED = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # No shrinking: against a live server it would replay a failure for minutes; the failure
    # is reported as found, with the request that caused it.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def seed(server: LiveServer) -> None:
    """Store the records generated references are pointed at, again if a scenario erased one."""
    for kind, rows in SEED.items():
        answer = server.request("POST", f"/v1/{kind}/import", body=rows)
        assert answer.status == 200, answer.body


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A live server for this module, logging only failures."""
    with serve(
        request.param, tmp_path_factory.mktemp("live"), SKILLPATH_LOG_LEVEL="ERROR"
    ) as server:
        seed(server)
        yield server
        assert "Traceback" not in server.error_text(), server.error_text()[-3000:]


def load(live: LiveServer, paths: str | None = None):
    """Load the document the live server serves, following only the links it declares.

    :param paths: keep only the operations on paths this regular expression matches.
    """
    options = config(ADMIN_KEY)
    options["operations"] = [*options["operations"], *STAY_READABLE]
    # Links inferred from responses would hide a document whose own links are missing or wrong.
    options["phases"] = {"stateful": {"inference": {"algorithms": []}, "max-steps": STEPS}}
    options["base-url"] = f"http://127.0.0.1:{live.port}"
    document = live.request("GET", "/openapi.json").body
    if paths is not None:
        document["paths"] = {
            path: item for path, item in document["paths"].items() if re.match(paths, path)
        }
    return schemathesis.openapi.from_dict(document, config=schemathesis.Config.from_dict(options))


# What the recommender answers about an employee is measured against a role: the one asked for,
# else the employee's first target role. A profile a link just wrote may have none, and then
# the answer is a 422 that says so, rightly; along links the role is named instead.
MEASURED = ("/gaps", "/recommendations", "/learning-paths", "/plans")


def name_a_role(case) -> None:
    """Name a seeded role in a schema-valid request for what a linked employee lacks."""
    if case.meta is not None and case.meta.generation.mode.is_negative:
        return
    if case.operation.path.endswith(MEASURED[:2]) and isinstance(case.query, dict):
        case.query.setdefault("role", ROLES[0])
    elif case.operation.path.endswith(MEASURED[2:]) and isinstance(case.body, dict):
        case.body.setdefault("role", ROLES[0])


def excluded_checks(case) -> list:
    """Return the checks that cannot judge ``case``."""
    if case.media_type == "text/csv":
        # The document can only say a CSV import is text; which texts are valid CSV records of
        # the kind is beyond JSON Schema, so "schema-valid" says nothing about acceptance.
        return [positive_data_acceptance]
    return []


def test_every_operation_conforms_alone(live: LiveServer, request):
    """Schema-valid and schema-violating requests to each operation, all default checks."""
    examples, failures = 0, []
    operations = [result.ok() for result in load(live).get_all_operations()]
    for operation in operations:
        modes = [GenerationMode.POSITIVE]
        if operation.body or list(operation.iter_parameters()):  # /health has nothing to spoil
            modes.append(GenerationMode.NEGATIVE)
        for mode in modes:

            @settings(BOUNDED, max_examples=EXAMPLES)
            @given(case=operation.as_strategy(generation_mode=mode))
            def conforms(case):
                nonlocal examples
                examples += 1
                point_references(case)
                case.call_and_validate(excluded_checks=excluded_checks(case))

            try:
                conforms()
            except Exception as exc:  # noqa: BLE001 - collected, so one failure hides no other
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    report_figure(
        request.config,
        f"schemathesis stateless [{request.node.callspec.id}]: {examples} examples over "
        f"{len(operations)} operations, {len(failures)} failures",
    )
    seed(live)  # the examples may have erased the seeded employee
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("workflow", WORKFLOWS)
def test_linked_scenarios_conform(live: LiveServer, request, workflow):
    """Scenarios that follow the document's links, checked at every step."""
    paths, wanted = WORKFLOWS[workflow]
    steps = scenarios = 0
    linked: Counter = Counter()  # steps that followed a link, by operation and status class
    started: Counter = Counter()  # steps that started a scenario, likewise

    class Scenario(load(live, paths).as_state_machine()):
        def setup(self):
            nonlocal scenarios
            scenarios += 1
            self.deleted: set[str] = set()
            if live.request("GET", f"/v1/employees/{EMPLOYEE}").status == 404:
                seed(live)

        def step(self, input):
            case = input.case
            if input.transition is None and isinstance(case.path_parameters, dict):
                # A scenario starting below an employee starts at one that exists; along links
                # the employee is the one the link names.
                if "employee_id" in case.path_parameters:
                    case.path_parameters["employee_id"] = EMPLOYEE
            output = super().step(input)
            status = output.response.status_code
            if case.method == "DELETE" and 200 <= status < 300:
                self.deleted.add(case.formatted_path)
            if input.transition is None:
                started[f"{case.operation.label} {status // 100}xx"] += 1
            elif input.is_applied:
                linked[f"{case.operation.label} {status // 100}xx"] += 1
                # A link from a successful answer names a record that is there until deleted.
                # (schemathesis's own check skips reads with headers no link sets.)
                gone = any(case.formatted_path.startswith(path) for path in self.deleted)
                if case.method == "GET" and status == 404 and not gone:
                    raise AssertionError(f"{case.method} {case.formatted_path}: 404 along a link")
            return output

        def before_call(self, case):
            nonlocal steps
            steps += 1
            point_references(case, seeded_employee=False)
            name_a_role(case)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=excluded_checks(case),
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    # A scenario's rules depend on what the server answered before, and its tables outlive
    # each scenario: when Hypothesis replays a prefix and the server answers differently, it
    # reports inconsistent generation. That is no failure of the API; a new run continues
    # where that one stopped, as schemathesis's own runner does. Check failures still fail.
    runs = diverged = 0
    try:
        while scenarios < wanted and runs < RUNS:
            runs += 1
            try:
                Scenario.run(
                    settings=settings(
                        BOUNDED, max_examples=wanted - scenarios, stateful_step_count=STEPS
                    )
                )
            except FlakyStrategyDefinition:
                diverged += 1
    finally:
        report_figure(
            request.config,
            f"schemathesis stateful [{request.node.callspec.id}]: {scenarios} scenarios, "
            f"{steps} steps ({sum(linked.values())} along links), {runs} runs "
            f"({diverged} ended by a diverging replay)",
        )
        print("started:", *sorted(started.items()), sep="\n")
        print("along links:", *sorted(linked.items()), sep="\n")
    assert scenarios >= wanted // 2, f"only {scenarios} scenarios ran"
    # The document's links carry ids and ETags that work: some steps along them succeed.
    assert any(key.endswith("2xx") for key in linked), linked
