"""Backups that restore (issue 23): ``make backup`` of a demo database and its bucket,
``make restore`` into a new, empty database and a new bucket – and the same letters
(their PDFs by checksum), the same access log and the same files are there."""

import hashlib
import os
import subprocess
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from cases.models import AccessLog, DecisionLetter
from tests.stack.stack import ROOT

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(url, query):
    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchall()


LETTERS = (
    "SELECT id, sha256, encode(sha256(pdf), 'hex'), length(html) "
    "FROM cases_decisionletter ORDER BY id"
)
ACCESS = (
    "SELECT id, user_id, subject_type, subject_id, outcome, at::text FROM cases_accesslog "
    "ORDER BY id"
)


def test_make_backup_then_make_restore_into_a_fresh_database(
    services, database_url, tmp_path, settings, client
):
    settings.VAGEN_DEMO_DATA_ALLOWED = True
    call_command("load_demo", verbosity=0)
    assert DecisionLetter.objects.exists()
    # Someone reads a case: the access log has rows of its own.
    from cases.models import Case, User

    erik = User.objects.get(username="erik.handlaggare")
    client.force_login(erik)
    case = Case.objects.visible_to(erik).first()
    client.get(f"/arenden/{case.pk}/")
    assert AccessLog.objects.exists()

    s3 = __import__("boto3").client(
        "s3",
        endpoint_url=services.s3_endpoint,
        aws_access_key_id=services.s3_key,
        aws_secret_access_key=services.s3_secret,
        region_name="us-east-1",
    )
    scan = b"%PDF-1.4 inskannad underskrift " + uuid.uuid4().bytes
    s3.put_object(Bucket=services.bucket, Key="workplans/underskrifter/abc.pdf", Body=scan)

    env = {
        **os.environ,
        "DATABASE_URL": services.database_url,
        "VAGEN_S3_BUCKET": services.bucket,
        "VAGEN_S3_ENDPOINT_URL": services.s3_endpoint,
        "VAGEN_S3_ACCESS_KEY_ID": services.s3_key,
        "VAGEN_S3_SECRET_ACCESS_KEY": services.s3_secret,
    }
    backups = tmp_path / "backups"
    made = subprocess.run(  # noqa: S603, S607
        ["make", "--no-print-directory", "backup", f"BACKUP_DIR={backups}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    (backup,) = list(backups.iterdir())
    assert (backup / "database.dump").stat().st_size > 0
    assert "objects/workplans/underskrifter/abc.pdf" in (backup / "SHA256SUMS").read_text()

    # A fresh database: one of the test's own, emptied (dropping and creating a database
    # waits for a checkpoint – slow on a busy machine; an empty schema is as fresh).
    fresh = f"{connection.settings_dict['NAME']}_restore"[:60]
    admin_url = database_url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [fresh]).fetchone():
            conn.execute(f'CREATE DATABASE "{fresh}"')
    with psycopg.connect(database_url(fresh), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)
    fresh_bucket = f"vagen-restore-{uuid.uuid4().hex[:8]}"
    try:
        restored = subprocess.run(  # noqa: S603, S607
            ["make", "--no-print-directory", "restore", f"BACKUP={backup}"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": database_url(fresh), "VAGEN_S3_BUCKET": fresh_bucket},
            capture_output=True,
            text=True,
            check=False,
        )
        assert restored.returncode == 0, restored.stderr
        letters = _rows(services.database_url, LETTERS)
        assert letters and _rows(database_url(fresh), LETTERS) == letters
        for _pk, stored_sha, pdf_sha, _html in letters:
            assert stored_sha == pdf_sha  # each letter's PDF is the one that was sent
        access = _rows(services.database_url, ACCESS)
        assert access and _rows(database_url(fresh), ACCESS) == access
        body = s3.get_object(Bucket=fresh_bucket, Key="workplans/underskrifter/abc.pdf")
        assert hashlib.sha256(body["Body"].read()).digest() == hashlib.sha256(scan).digest()

        # A damaged backup is refused before anything is written.
        dump = backup / "database.dump"
        dump.write_bytes(dump.read_bytes()[:-10] + b"x" * 10)
        broken = subprocess.run(  # noqa: S603, S607
            ["make", "--no-print-directory", "restore", f"BACKUP={backup}"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": database_url(fresh), "VAGEN_S3_BUCKET": fresh_bucket},
            capture_output=True,
            text=True,
            check=False,
        )
        assert broken.returncode != 0
    finally:
        with psycopg.connect(database_url(fresh), autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
