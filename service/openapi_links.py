"""OpenAPI links: from each answer that names a record to the operations on that record.

Clients follow them instead of building URLs, and stateful test generators chain requests
along them. A link names its operation by ``operationId`` and fills its parameters from the
answer (the id in its body, its ETag as If-Match) or from the request (the id in its path).
"""

from __future__ import annotations

from typing import Any

# Where a link finds the record it leads to: the id in the answer's body, the id in the
# request's path, the first id of a listing; a write carries the answer's ETag as If-Match,
# so it applies to the version just read.
BODY_ID = "$response.body#/id"
FIRST_ID = "$response.body#/0/id"
ETAG = {"header.If-Match": "$response.header.ETag"}


def _record_links(noun: str, ident: str, reads: str, writes: dict[str, str]) -> dict[str, Any]:
    """Return links to a record's read and its writes, the record named by ``ident``."""
    parameter = f"{noun.lower()}_id"
    links = {f"Get{noun}": {"operationId": reads, "parameters": {parameter: ident}}}
    for name, target in writes.items():
        links[name] = {"operationId": target, "parameters": {parameter: ident, **ETAG}}
    return links


def _record_family(noun: str, writes: dict[str, str], create: str | None) -> dict[str, Any]:
    """Return the links of a catalog record's operations: each answer naming it leads on."""
    reads, path = f"get{noun}", f"$request.path.{noun.lower()}_id"
    family = {
        f"list{noun}s": {"200": _record_links(noun, FIRST_ID, reads, {})},
        reads: {"200": _record_links(noun, path, reads, writes)},
    }
    if create:
        family[create] = {"201": _record_links(noun, BODY_ID, reads, writes)}
    for target in writes.values():
        if target.startswith(("upsert", "update")):
            family[target] = {
                status: _record_links(noun, path, reads, writes)
                for status in (("200", "201") if target.startswith("upsert") else ("200",))
            }
    return family


EMPLOYEE_ID = {"employee_id": "$request.path.employee_id"}
# What can be asked and recorded about an employee a link names.
ABOUT_EMPLOYEE = {
    name: {"operationId": target, "parameters": EMPLOYEE_ID}
    for name, target in {
        "GetGaps": "getEmployeeGaps",
        "GetRecommendations": "getEmployeeRecommendations",
        "GetRoleMatches": "getEmployeeRoleMatches",
        "PlanLearningPath": "planEmployeeLearningPath",
        "RecordCompletions": "createEmployeeCompletion",
        "ListHistory": "listEmployeeHistory",
        "CreatePlan": "createEmployeePlan",
        "ListPlans": "listEmployeePlans",
        "GiveFeedback": "createEmployeeFeedback",
        "ListFeedback": "listEmployeeFeedback",
    }.items()
}
EMPLOYEE_LINKS = {
    **_record_links("Employee", "$request.path.employee_id", "getEmployee", {}),
    "UpsertEmployee": {"operationId": "upsertEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    "UpdateEmployee": {"operationId": "updateEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    "EraseEmployee": {"operationId": "eraseEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    **ABOUT_EMPLOYEE,
}


# From evidence, plans and feedback back to the profile they are about, and what it changed.
TO_EMPLOYEE = {"GetEmployee": EMPLOYEE_LINKS["GetEmployee"]}
AFTER_EVIDENCE = {
    **TO_EMPLOYEE,
    **{name: ABOUT_EMPLOYEE[name] for name in ("ListHistory", "GetGaps", "GetRecommendations")},
}


def _plan_links(plan: str, *, etag: bool) -> dict[str, Any]:
    """Return links from an answer naming a plan: read it, replan it, abandon it (by ETag)."""
    named = {**EMPLOYEE_ID, "plan_id": plan}
    links = {
        **TO_EMPLOYEE,
        "GetPlan": {"operationId": "getEmployeePlan", "parameters": named},
        "Replan": {"operationId": "createEmployeePlanReplan", "parameters": named},
    }
    if etag:
        links["AbandonPlan"] = {
            "operationId": "deleteEmployeePlan",
            "parameters": {**named, **ETAG},
        }
    return links


def _with_deliveries(family: dict[str, Any]) -> dict[str, Any]:
    """Add, to each answer naming a webhook subscription, a link to its deliveries."""
    for statuses in family.values():
        for links in statuses.values():
            if "GetWebhook" in links:
                parameters = links["GetWebhook"]["parameters"]
                links["ListDeliveries"] = {
                    "operationId": "listWebhookDeliveries",
                    "parameters": dict(parameters),
                }
    return family


# Links by the operation answering, then by its status: name -> operation and parameters.
LINKS: dict[str, dict[str, dict[str, Any]]] = {
    **_record_family(
        "Skill", {"UpsertSkill": "upsertSkill", "DeleteSkill": "deleteSkill"}, "createSkill"
    ),
    **_record_family(
        "Item",
        {"UpsertItem": "upsertItem", "UpdateItem": "updateItem", "RetireItem": "retireItem"},
        "createItem",
    ),
    **_record_family(
        "Role", {"UpsertRole": "upsertRole", "DeleteRole": "deleteRole"}, "createRole"
    ),
    **_with_deliveries(
        _record_family(
            "Webhook",
            {"UpdateWebhook": "updateWebhook", "DeleteWebhook": "deleteWebhook"},
            "createWebhook",
        )
    ),
    "listEmployees": {
        "200": {
            "GetEmployee": {"operationId": "getEmployee", "parameters": {"employee_id": FIRST_ID}}
        }
    },
    "getEmployee": {"200": EMPLOYEE_LINKS},
    "upsertEmployee": {"200": EMPLOYEE_LINKS, "201": EMPLOYEE_LINKS},
    "updateEmployee": {"200": EMPLOYEE_LINKS},
    "createEmployeeCompletion": {"200": AFTER_EVIDENCE, "201": AFTER_EVIDENCE},
    "createEmployeePlan": {"201": _plan_links(BODY_ID, etag=False)},
    "createEmployeePlanReplan": {"201": _plan_links(BODY_ID, etag=False)},
    "getEmployeePlan": {"200": _plan_links("$request.path.plan_id", etag=True)},
    "listEmployeePlans": {"200": _plan_links(FIRST_ID, etag=False)},
    **{
        create: {
            status: {
                **TO_EMPLOYEE,
                "TakeBack": {
                    "operationId": "deleteEmployeeFeedback",
                    "parameters": {**EMPLOYEE_ID, "feedback_id": ident},
                },
            }
            for status in statuses
        }
        for create, statuses, ident in (
            ("createEmployeeFeedback", ("200", "201"), BODY_ID),
            ("listEmployeeFeedback", ("200",), FIRST_ID),
        )
    },
    "createApiKey": {
        "201": {"RevokeApiKey": {"operationId": "revokeApiKey", "parameters": {"key_id": BODY_ID}}}
    },
    "createOauthClient": {
        "201": {
            "RevokeOauthClient": {
                "operationId": "revokeOauthClient",
                "parameters": {"client_id": "$response.body#/client_id"},
            }
        }
    },
}
