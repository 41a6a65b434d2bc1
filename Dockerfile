# Production image for docker-compose.yml: gunicorn + whitenoise, Celery worker/beat;
# gunicorn reads /app/gunicorn.conf.py (access log without query strings, metrics).
# postgresql-client: scripts/backup.sh and restore.sh run in this image too.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 vagen
WORKDIR /app
# Dependencies from the hashed lock first (its own layer: cached until the lock changes);
# pip refuses any file whose sha256 differs from the lock's.
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt
COPY pyproject.toml README.md ./
COPY config ./config
COPY cases ./cases
COPY workplans ./workplans
COPY referrals ./referrals
COPY reporting ./reporting
COPY benchdata ./benchdata
RUN pip install --no-deps .
COPY manage.py gunicorn.conf.py ./
COPY scripts ./scripts
COPY templates ./templates
COPY locale ./locale
COPY static ./static
# collectstatic needs settings but no secrets or database.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --no-input
USER vagen
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
