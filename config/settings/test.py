"""The test suite: real PostgreSQL and real Redis (scripts/test.sh finds or starts them)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40  # noqa: S105
DATABASES = {
    "default": env.db(
        "VAGEN_TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/postgres"
    ),
}
DATABASES["default"]["TEST"] = {"NAME": env("VAGEN_TEST_DB_NAME", default="test_vagen")}
postgres_oltp(DATABASES["default"])  # noqa: F405 – as in production (base)
# Tests close the connection after each request (0); bench/load.py keeps them open for a
# minute, as production does (base.py, production.py), so it measures pages, not
# PostgreSQL starting a backend per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
REDIS_URL = env("VAGEN_TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
# Hashing passwords slowly is a production property; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
VAGEN_DEMO_DATA_ALLOWED = True
VAGEN_CONTACT_PHONE = "0123-45 67 00"
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# The e-service's tests start a real pysaml2 IdP (eservice/tests/idp.py) and point here.
VAGEN_ESERVICE_TEST_KEYS = True
VAGEN_ESERVICE_SP_KEY_FILE = str(VAR_DIR / "test-eid" / "sp.key")  # noqa: F405
VAGEN_ESERVICE_SP_CERT_FILE = str(VAR_DIR / "test-eid" / "sp.crt")  # noqa: F405
VAGEN_ESERVICE_UPLOAD_ROOT = str(VAR_DIR / "test-eid" / "uploads")  # noqa: F405
