"""The hostile corpus's valid bodies, targets and read-backs for the loop, OAuth, webhooks and
share links.

Completions, feedback, plans and xAPI statements are written about the seeded employee; each
accepted one is read back where the API shows it (the profile's ``completed``, the feedback
list, the plan, the statement as it was sent); an accepted plan is then abandoned, so the next
request may plan again. OAuth clients read back from their listing, like API keys; webhook
subscriptions from their own URL (they point at a public address given as such: the deliverer
does not run beside these tests, so nothing is sent); a share link, shown once and never
listed, by the expiry it answers with.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from tests.reliability.conftest import Answer
from tests.reliability.corpus import Corpus, differs

TODAY = dt.datetime.now(dt.UTC).date()
LATER = (TODAY + dt.timedelta(days=365)).isoformat()
EMPLOYEE = "seed.emp"  # the seeded employee the loop's writes are about
PLANNER = "h.loop.planner"  # an employee whose one plan the precondition tests abandon
ITEM = "h.items.fixed"  # an item the corpus stores and never retires
COMPLETIONS = "/v1/employees/{employee_id}/completions"
FEEDBACK = "/v1/employees/{employee_id}/feedback"
PLANS = "/v1/employees/{employee_id}/plans"
STATEMENTS = "/v1/xapi/statements"
OAUTH_CLIENTS = "/v1/oauth-clients"
WEBHOOKS = "/v1/webhooks"
WEBHOOK = "/v1/webhooks/{webhook_id}"
SHARE_LINKS = "/v1/employees/{employee_id}/share-links"
# Records made by the server (its ids are its own), by the template whose requests act on them.
STORED: dict[str, str] = {}
STATEMENT_IDS = uuid.UUID("6b1d0a52-3f7e-4c1a-9d55-0c2f6e1b7a90")


def day(n: int) -> str:
    """Return a past day no other request ``n`` uses: one item is completed once a day."""
    return (TODAY - dt.timedelta(days=1 + n % 20_000)).isoformat()


def completion(n: int) -> dict[str, Any]:
    """Return a completion holding every field a client may write."""
    return {
        "item": "seed.item",
        "completed_at": day(n),
        "expires_at": LATER,
        "score": 0.8,
        "source": "lms:corpus",
    }


def feedback(n: int) -> dict[str, Any]:
    """Return feedback holding every field a client may write."""
    return {"item": "seed.item", "action": "interested", "reason": f"Asked for by {n}"}


def agent(kind: str, n: int) -> dict[str, Any]:
    """Return an agent identified by ``kind``: mbox, mbox_sha1sum, openid or account."""
    identifier = {
        "mbox": f"mailto:learner{n}@corpus.example.com",
        "mbox_sha1sum": f"{n:040x}",
        "openid": f"https://id.corpus.example.com/{n}",
        "account": {"homePage": "https://hr.corpus.example.com", "name": EMPLOYEE},
    }[kind]
    return {"objectType": "Agent", "name": f"Learner {n}", kind: identifier}


def group(kind: str, n: int) -> dict[str, Any]:
    """Return a group identified by ``kind``, listing one member identified the same way."""
    identified = agent(kind, n)
    return {**identified, "objectType": "Group", "member": [agent(kind, n + 1)]}


def context(kind: str, n: int) -> dict[str, Any]:
    """Return a statement context holding every field."""
    activity = {"id": "https://learn.corpus.example.com/programs/1"}
    return {
        "registration": str(uuid.uuid5(STATEMENT_IDS, f"registration {n}")),
        "instructor": agent(kind, n + 2),
        "team": group(kind, n + 3),
        "contextActivities": {
            "parent": [activity],
            "grouping": [activity],
            "category": [activity],
            "other": [activity],
        },
        "revision": "2",
        "platform": "Corpus LMS",
        "language": "en-GB",
        "statement": {"objectType": "StatementRef", "id": str(uuid.uuid5(STATEMENT_IDS, "ref"))},
        "extensions": {"https://corpus.example.com/ext/cohort": "spring"},
    }


def result() -> dict[str, Any]:
    """Return a statement result holding every field."""
    return {
        "score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10},
        "success": True,
        "completion": True,
        "response": "done",
        "duration": "PT1H30M",
        "extensions": {"https://corpus.example.com/ext/attempt": 1},
    }


VERB = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}


def activity() -> dict[str, Any]:
    """Return the seeded item as an activity, with every definition field."""
    return {
        "objectType": "Activity",
        "id": "https://learn.example.com/courses/seed",
        "definition": {
            "name": {"en-US": "Seed course"},
            "description": {"en-US": "The course of the corpus."},
            "type": "http://adlnet.gov/expapi/activities/course",
            "moreInfo": "https://learn.example.com/courses/seed/about",
            "extensions": {"https://corpus.example.com/ext/level": "intro"},
            "interactionType": "choice",
            "correctResponsesPattern": ["a"],
            "choices": [{"id": "a"}],
            "scale": [{"id": "s"}],
            "source": [{"id": "x"}],
            "target": [{"id": "y"}],
            "steps": [{"id": "z"}],
        },
    }


def statement(kind: str, *, sub: bool) -> Callable[[int], dict[str, Any]]:
    """Return a maker of statements by a group identified by ``kind``, about an activity or
    (``sub``) a sub-statement; between them the variants hold every field.
    """

    def make(n: int) -> dict[str, Any]:
        about: dict[str, Any] = activity()
        if sub:
            about = {
                "objectType": "SubStatement",
                "actor": agent(kind, n + 4),
                "verb": VERB,
                "object": activity(),
                "result": result(),
                "context": context(kind, n + 5),
                "timestamp": f"{day(n)}T08:00:00Z",
            }
        return {
            "id": str(uuid.uuid5(STATEMENT_IDS, f"{kind} {sub} {n}")),
            "actor": group(kind, n),
            "verb": VERB,
            "object": about,
            "result": result(),
            "context": context(kind, n + 6),
            "timestamp": f"{day(n)}T09:30:00Z",
            "stored": f"{day(n)}T09:31:00Z",
            "authority": agent(kind, n + 7),
            "version": "1.0.3",
            "attachments": [{"usageType": "https://corpus.example.com/attachments/cert"}],
        }

    return make


def constraints() -> dict[str, Any]:
    """Return plan constraints holding every field, for plans and stateless path requests."""
    return {
        "max_hours": 40,
        "budget": 500,
        "max_items": 3,
        "hours_per_week": 5,
        "start_date": TODAY.isoformat(),
        "modalities": ["self_paced"],
        "languages": ["en"],
        "kinds": ["course"],
        "goal": "practise",
    }


# The valid bodies of the loop's and OAuth's writes, by (method, path template).
BODIES: dict[tuple[str, str], list[Callable[[int], Any]]] = {
    ("POST", COMPLETIONS): [completion],
    ("POST", FEEDBACK): [feedback],
    ("POST", PLANS): [lambda n: {"role": "seed.role", "constraints": constraints()}],
    ("POST", STATEMENTS): [
        statement(kind, sub=sub)
        for kind in ("mbox", "mbox_sha1sum", "openid", "account")
        for sub in (False, True)
    ],
    ("POST", OAUTH_CLIENTS): [lambda n: {"name": f"hostile client {n}", "scopes": ["recommend"]}],
    ("POST", WEBHOOKS): [lambda n: subscription(n)],
    ("POST", SHARE_LINKS): [lambda n: {"expires_in_days": 1 + n % 30}],
    ("PATCH", WEBHOOK): [lambda n: subscription(n)],
}


def subscription(n: int) -> dict[str, Any]:
    """Return a webhook subscription holding every field a client may write."""
    # In the order they read back in: a subscription keeps a set of event types.
    return {
        "url": f"https://93.184.215.14/hooks/{n}",
        "events": ["catalog.changed", "plan.created"],
    }


LOOP = (COMPLETIONS, FEEDBACK, PLANS, STATEMENTS, SHARE_LINKS)


def concrete(template: str) -> str:
    """Return the path a loop write goes to: about the seeded employee."""
    return template.replace("{employee_id}", EMPLOYEE)


def read_back(corpus: Corpus, what: str, template: str, answer: Answer, sent: Any) -> bool:
    """Check an accepted loop or OAuth write reads back as sent; False if it is none of them."""
    rows = sent if isinstance(sent, list) else [sent]
    if template == COMPLETIONS:
        held = corpus.request("GET", f"/v1/employees/{EMPLOYEE}").body["completed"]
        for row in rows:
            key = (row.get("item"), row.get("completed_at"))
            found = [c for c in held if (c["item"], c["completed_at"]) == key]
            _compare(corpus, what, row, found[0] if len(found) == 1 else f"{len(found)} held")
    elif template == FEEDBACK:
        given = corpus.request("GET", f"/v1/employees/{EMPLOYEE}/feedback?page_size=500").body
        found = next((f for f in given if f["item"] == sent.get("item")), "none listed")
        _compare(corpus, what, sent, found)
    elif template == PLANS:
        location = answer.headers.get("location", "")
        plan = corpus.request("GET", location)
        if plan.status != 200 or plan.body.get("status") != "active":
            corpus.problem(what, f"accepted, but GET {location} answers {plan.status}")
        else:
            # A plan keeps the path it answered; let the next request plan again.
            gone = corpus.request("DELETE", location, headers={"If-Match": plan.headers["etag"]})
            assert gone.status == 200, gone.body
            corpus.tally.round_trips += 1
    elif template == STATEMENTS:
        kept = corpus.request("GET", f"{STATEMENTS}?page_size=50").body
        for row in rows:
            ident = str(uuid.UUID(row["id"])) if "id" in row else None
            found = next((s["statement"] for s in kept if s["id"] == ident), "not listed")
            _compare(corpus, what, row, found)
    elif template == SHARE_LINKS:
        # A link is shown once and never listed: its expiry is what the body asked for.
        days = sent.get("expires_in_days", 30)
        expires = dt.datetime.fromisoformat(answer.body.get("expires_at", "1970-01-01T00:00:00Z"))
        asked = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        if abs(expires - asked) > dt.timedelta(hours=1) or "/ui/share/" not in answer.body["url"]:
            corpus.problem(what, f"link expires {expires}, not {days} days from now")
        else:
            corpus.tally.round_trips += 1
    elif template == WEBHOOKS:
        got = corpus.request("GET", f"{WEBHOOKS}/{answer.body.get('id')}")
        _compare(corpus, what, sent, got.body if got.status == 200 else f"GET: {got.status}")
    elif template == OAUTH_CLIENTS:
        clients = corpus.request("GET", f"{OAUTH_CLIENTS}?page_size=500").body
        ident = answer.body.get("client_id")
        found = next((c for c in clients if c["client_id"] == ident), "not listed")
        _compare(corpus, what, sent, found)
    else:
        return False
    corpus.resync()
    return True


def _compare(corpus: Corpus, what: str, sent: Any, found: Any) -> None:
    difference = differs(sent, found) if isinstance(found, dict) else found
    if difference:
        corpus.problem(what, f"reads back differently: {difference}")
    else:
        corpus.tally.round_trips += 1


def stored_records(corpus: Corpus) -> dict[str, str]:
    """Store what the loop's DELETEs and preconditions act on; return their paths by template.

    An active plan of an employee of its own (the seeded one's plans come and go), feedback of
    the seeded employee, an OAuth client, webhook subscriptions and a share link.
    """
    planner = f"/v1/employees/{PLANNER}"
    body = {"target_roles": ["seed.role"], "skills": [{"skill": "seed.a", "level": 1}]}
    assert corpus.request("PUT", planner, raw=_json(body)).status == 201
    plan = corpus.request("POST", f"{planner}/plans", raw=b"{}")
    assert plan.status == 201, plan.body
    # About an item of its own: the corpus's feedback on the seeded item replaces its own.
    given = corpus.request("POST", concrete(FEEDBACK), raw=_json({**feedback(0), "item": ITEM}))
    assert given.status in (200, 201), given.body
    doomed = {"name": "doomed", "scopes": ["admin"]}
    client = corpus.request("POST", OAUTH_CLIENTS, raw=_json(doomed))
    assert client.status == 201, client.body
    hooks = [corpus.request("POST", WEBHOOKS, raw=_json(subscription(n))) for n in (0, 1)]
    assert all(hook.status == 201 for hook in hooks), [hook.body for hook in hooks]
    link = corpus.request("POST", concrete(SHARE_LINKS), raw=_json({"expires_in_days": 2}))
    assert link.status == 201, link.body
    corpus.resync()
    STORED.clear()
    STORED["share page"] = urlsplit(link.body["url"]).path  # what a revoked link must close
    STORED[WEBHOOK] = f"{WEBHOOKS}/{hooks[0].body['id']}"  # what PATCH changes
    return {
        # DELETE and preconditions act on these; PATCH's precondition cases on the first hook.
        f"PATCH {WEBHOOK}": STORED[WEBHOOK],
        f"DELETE {WEBHOOK}": f"{WEBHOOKS}/{hooks[1].body['id']}",
        f"{PLANS}/{{plan_id}}": f"{planner}/plans/{plan.body['id']}",
        f"{PLANS}/{{plan_id}}/replan": f"{planner}/plans/{plan.body['id']}/replan",
        f"{FEEDBACK}/{{feedback_id}}": f"{concrete(FEEDBACK)}/{given.body['id']}",
        f"{OAUTH_CLIENTS}/{{client_id}}": f"{OAUTH_CLIENTS}/{quote(client.body['client_id'])}",
        f"{SHARE_LINKS}/{{link_id}}": f"{concrete(SHARE_LINKS)}/{link.body['id']}",
    }


def _json(body: Any) -> bytes:
    return json.dumps(body).encode()


def deleted(corpus: Corpus, template: str, url: str) -> str | None:
    """Say how a loop or OAuth record deleted at ``url`` is not gone as DESIGN.md says, or None.

    An abandoned plan stays readable with its status; feedback taken back leaves the list; a
    revoked client stays listed with its revocation time; a revoked share link's page is gone
    (410).
    """
    if template == f"{PLANS}/{{plan_id}}":
        after = corpus.request("GET", url)
        return None if after.body.get("status") == "abandoned" else f"plan reads {after.body}"
    if template == f"{FEEDBACK}/{{feedback_id}}":
        given = corpus.request("GET", f"{concrete(FEEDBACK)}?page_size=500").body
        ident = url.rsplit("/", 1)[1]
        return None if all(f["id"] != ident for f in given) else "feedback still listed"
    if template == f"{OAUTH_CLIENTS}/{{client_id}}":
        clients = corpus.request("GET", f"{OAUTH_CLIENTS}?page_size=500").body
        ident = url.rsplit("/", 1)[1]
        if any(c["client_id"] == ident and c["revoked_at"] for c in clients):
            return None
        return "client not revoked"
    if template == WEBHOOK:
        after = corpus.request("GET", url)
        return None if after.status == 404 else f"subscription reads {after.status}"
    if template == f"{SHARE_LINKS}/{{link_id}}":
        page = corpus.request("GET", STORED["share page"])
        return None if page.status == 410 else f"the revoked link's page answers {page.status}"
    return "not a loop or OAuth record"
