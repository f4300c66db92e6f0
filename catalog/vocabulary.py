"""The domain's fixed words and limits, shared by models, schemas, importers and the demo."""

from __future__ import annotations

# Proficiency levels: 0 none, 1 awareness, 2 beginner, 3 practitioner, 4 advanced, 5 expert.
MIN_LEVEL = 0
MAX_LEVEL = 5
LEVEL_NAMES = ("none", "awareness", "beginner", "practitioner", "advanced", "expert")

ITEM_KINDS = ("course", "certification", "mentoring", "program", "assignment", "content")
MODALITIES = ("self_paced", "instructor_led", "blended", "mentoring", "on_the_job")
# Where an employee's stated skill level comes from.
SKILL_SOURCES = ("self", "manager", "assessment", "certification", "completion")

# What an employee may say about a catalog item: the first two take it out of their
# recommendations and new plans, the last raises it in their ranking.
FEEDBACK_ACTIONS = ("dismiss", "not_relevant", "interested")
EXCLUDING_FEEDBACK = ("dismiss", "not_relevant")
# A kept plan's life: active until every step is done (completed), given up (abandoned) or
# planned again (superseded by the new plan).
PLAN_STATUSES = ("active", "completed", "abandoned", "superseded")
# Why a skill level changed: a profile write, a completion recorded, a certification expiring.
HISTORY_CAUSES = ("profile", "completion", "expiry")
# xAPI verbs (ADL vocabulary) whose statements are completions of their object.
COMPLETING_VERBS = (
    "http://adlnet.gov/expapi/verbs/completed",
    "http://adlnet.gov/expapi/verbs/passed",
    "http://adlnet.gov/expapi/verbs/mastered",
)
# Events a webhook subscription may ask for (DESIGN.md, "Integrations and operations").
WEBHOOK_EVENTS = (
    "plan.created",
    "plan.step_completed",
    "plan.completed",
    "certification.expiring",
    "catalog.changed",
)
# Days before a certification stops counting that its certification.expiring event is sent.
EXPIRY_NOTICE_DAYS = 30

# Words the API uses for collection sub-resources (/v1/skills/import, /v1/skills/resolve):
# as ids they would make those paths ambiguous, so no record may take them.
RESERVED_IDS = ("import", "resolve")

# -- lengths of text, in characters -------------------------------------------------------------
MAX_ID_LENGTH = 128
MAX_NAME_LENGTH = 200  # skill names and aliases, display names, providers, skill references
MAX_TITLE_LENGTH = 300  # item and role titles, alternate titles
MAX_CATEGORY_LENGTH = 100  # skill categories, role families, teams
MAX_DESCRIPTION_LENGTH = 10_000
MAX_URL_LENGTH = 2000
MAX_LANGUAGE_LENGTH = 16
MAX_EXTERNAL_ID_LENGTH = 500
MAX_EMAIL_LENGTH = 254
MAX_SOURCE_LENGTH = 100  # where a completion came from ("xapi", "lxp:degreed")
MAX_REASON_LENGTH = 1000  # the free text of a feedback record
# A name's lookup key may be longer than the name: case folding turns "ﬃ" into "ffi".
MAX_KEY_LENGTH = 3 * MAX_NAME_LENGTH

# -- lengths of lists ---------------------------------------------------------------------------
MAX_ALIASES = 50
MAX_EXTERNAL_IDS = 20
MAX_ALTERNATE_TITLES = 500
MAX_COMPETENCIES = 200
MAX_ITEM_SKILLS = 100  # skills an item teaches, and again its prerequisites
MAX_REQUIRED_ITEMS = 50
MAX_EMPLOYEE_SKILLS = 500
MAX_COMPLETIONS = 2000
MAX_TARGET_ROLES = 20
MAX_PREFERRED_MODALITIES = 10
MAX_PREFERRED_LANGUAGES = 20

# -- numbers ------------------------------------------------------------------------------------
MAX_DURATION_HOURS = 10_000
MAX_COST = 10_000_000  # an item's cost, and an employee's budget
MAX_VALID_MONTHS = 240
# A pace of minutes a week would put a path centuries out, past what dates can hold.
MIN_HOURS_PER_WEEK = 0.25
MAX_HOURS_PER_WEEK = 80

# -- dates --------------------------------------------------------------------------------------
# Evidence (completions, assessments) happened in the past; a day of clock skew is allowed.
EARLIEST_DATE = "1900-01-01"
MAX_CLOCK_SKEW_DAYS = 1
# Expiry dates of certifications, given explicitly.
LATEST_EXPIRY = "2200-12-31"
# A schedule starts at most this far before today or after it.
SCHEDULE_PAST_DAYS = 366
SCHEDULE_FUTURE_DAYS = 5 * 366

# -- listings -----------------------------------------------------------------------------------
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
