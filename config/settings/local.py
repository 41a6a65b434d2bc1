"""Developer machine and `make run`: SQLite and the filesystem broker unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-" + "x" * 40)
VAGEN_DEMO_DATA_ALLOWED = env.bool("VAGEN_DEMO_DATA_ALLOWED", default=True)

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The covering indexes (INCLUDE columns) that PostgreSQL uses for the dashboards are
    # plain indexes on SQLite; that is fine for `make run`, so the warning is silenced.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
