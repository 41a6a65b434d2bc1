"""Developer machine and `make run`: SQLite and the filesystem broker unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-" + "x" * 40)
VAGEN_DEMO_DATA_ALLOWED = env.bool("VAGEN_DEMO_DATA_ALLOWED", default=True)
