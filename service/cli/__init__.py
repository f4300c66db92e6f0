"""The ``skillpath`` command: migrations, credentials, imports and the demo organisation.

Only click and the standard library load at start-up: every command imports what it needs
(the app, the database, numpy and scikit-learn through the recommender) when it runs, so
``skillpath --help`` answers at once.
"""

from service.cli import access, deliver, demo, imports  # noqa: F401  (each adds its commands)
from service.cli.base import cli
from service.cli.demo import DEMO_DIR, DEMO_HISTORY, DEMO_PLAN, seed_demo, seed_demo_command
from service.cli.imports import RECORD_IMPORTS

__all__ = [
    "DEMO_DIR",
    "DEMO_HISTORY",
    "DEMO_PLAN",
    "RECORD_IMPORTS",
    "cli",
    "seed_demo",
    "seed_demo_command",
]
