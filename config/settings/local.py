"""Developer machine and `make run`: SQLite and the filesystem broker unless told otherwise."""

from .base import *  # noqa: F403
from .base import env

# Off unless asked for (DJANGO_DEBUG=1): `make run` shows what a caseworker would see.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# runserver serves no static files with DEBUG off; whitenoise serves them from the apps'
# and the project's static folders, re-reading them as they change.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DEBUG:
    # Even with DEBUG on, people see the Swedish 404/500 pages; the traceback goes to
    # the console (cases.middleware.SwedishErrorPagesMiddleware).
    MIDDLEWARE = [*MIDDLEWARE, "cases.middleware.SwedishErrorPagesMiddleware"]  # noqa: F405
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-secret-" + "x" * 40)
VAGEN_DEMO_DATA_ALLOWED = env.bool("VAGEN_DEMO_DATA_ALLOWED", default=True)
VAGEN_CONTACT_PHONE = env("VAGEN_CONTACT_PHONE", default="0123-45 67 00")

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # The covering indexes (INCLUDE columns) that PostgreSQL uses for the dashboards are
    # plain indexes on SQLite; that is fine for `make run`, so the warning is silenced.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
    # SQLite under concurrent use (web, worker and beat, several tabs): WAL lets readers
    # run beside the one writer; a writer waits up to 20 s for the lock instead of
    # failing at once; IMMEDIATE takes the write lock when a transaction begins, so a
    # transaction that read first cannot fail with "database is locked" when it goes on
    # to write (a deferred one cannot wait for the lock at that point).
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# `make run` starts the demo IdP (scripts/demo_idp, a real OpenID provider) beside Vägen;
# its endpoints are the defaults here, so "Logga in med kommunens konto" works at once.
_DEMO_IDP = env("VAGEN_DEMO_IDP_URL", default="http://127.0.0.1:8001")
VAGEN_OIDC_ISSUER = env("VAGEN_OIDC_ISSUER", default=_DEMO_IDP)
OIDC_RP_CLIENT_ID = env("VAGEN_OIDC_CLIENT_ID", default="vagen")
OIDC_RP_CLIENT_SECRET = env("VAGEN_OIDC_CLIENT_SECRET", default="vagen-demo-secret")
OIDC_OP_AUTHORIZATION_ENDPOINT = env(
    "VAGEN_OIDC_AUTHORIZATION_ENDPOINT", default=f"{_DEMO_IDP}/auth"
)
OIDC_OP_TOKEN_ENDPOINT = env("VAGEN_OIDC_TOKEN_ENDPOINT", default=f"{_DEMO_IDP}/token")
OIDC_OP_USER_ENDPOINT = env("VAGEN_OIDC_USERINFO_ENDPOINT", default=f"{_DEMO_IDP}/me")
OIDC_OP_JWKS_ENDPOINT = env("VAGEN_OIDC_JWKS_ENDPOINT", default=f"{_DEMO_IDP}/jwks")
VAGEN_OIDC_END_SESSION_ENDPOINT = env(
    "VAGEN_OIDC_END_SESSION_ENDPOINT", default=f"{_DEMO_IDP}/session/end"
)
OIDC_RP_SCOPES = env("VAGEN_OIDC_SCOPES", default="openid profile email groups")
# Min ansökan in `make run`: the demo eID IdP of the Procfile (scripts/demo_eid_idp,
# TEST ONLY) and a self-signed SP pair made under var/eid/ at first use.
VAGEN_ESERVICE_IDP_METADATA = env(
    "VAGEN_ESERVICE_IDP_METADATA",
    default=f"http://127.0.0.1:{env.int('EID_PORT', default=8088)}/metadata",
)
VAGEN_ESERVICE_TEST_KEYS = env.bool("VAGEN_ESERVICE_TEST_KEYS", default=True)
