"""The domain's fixed words and limits, shared by schemas, importers and the demo builder."""

from __future__ import annotations

# Proficiency levels: 0 none, 1 awareness, 2 beginner, 3 practitioner, 4 advanced, 5 expert.
MIN_LEVEL = 0
MAX_LEVEL = 5
LEVEL_NAMES = ("none", "awareness", "beginner", "practitioner", "advanced", "expert")

ITEM_KINDS = ("course", "certification", "mentoring", "program", "assignment", "content")
MODALITIES = ("self_paced", "instructor_led", "blended", "mentoring", "on_the_job")
# Where an employee's stated skill level comes from.
SKILL_SOURCES = ("self", "manager", "assessment", "certification", "completion")
