"""Helpers of the stack tests: start Vägen's processes the way docker-compose.yml starts
them – its commands, its environment – on this machine's PostgreSQL and Redis and a
SeaweedFS started here, without a Docker engine.

``compose_env`` resolves the compose file's ``${VAR:-default}`` interpolation with the
test's values for what points at other containers (database, broker, object storage,
secrets); everything else – DJANGO_ALLOWED_HOSTS=localhost, the HTTPS redirect, the
settings module – is what compose gives the containers.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def free_port(*, with_grpc: bool = False) -> int:
    """A free port (and port + 10000 free too, for SeaweedFS' gRPC ports)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if not with_grpc:
            return port
        if port + 10000 > 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port")


def wait_for(condition, *, timeout: float = 30.0, what: str = "", interval: float = 0.2):
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 – not up yet
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what} (last error: {last_error!r})")


_INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        name, kind, rest = match.groups()
        if variables.get(name):
            return variables[name]
        if kind == "-":
            return rest
        raise AssertionError(f"compose needs {name} ({rest})")

    return _INTERPOLATION.sub(replace, value)


def compose_env(service: str, variables: dict[str, str]) -> dict[str, str]:
    """The service's environment from docker-compose.yml, interpolated with the .env
    values of this test (``variables``)."""
    spec = compose()["services"][service]
    environment = spec.get("environment") or {}
    return {key: interpolate(str(value), variables) for key, value in environment.items()}


def dockerfile_cmd() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    raise AssertionError("Dockerfile has no CMD")


def service_command(service: str) -> list[str]:
    spec = compose()["services"][service]
    command = spec.get("command") or dockerfile_cmd()
    return shlex.split(command) if isinstance(command, str) else list(command)


def with_port(command: list[str], port: int) -> list[str]:
    """The compose command with its listening port moved (only that): ``0.0.0.0:8000``
    or ``:8000`` in a --bind/-b argument becomes this test's port."""
    out = []
    for arg in command:
        out.append(re.sub(r"(?<=[:=])8000\b", str(port), arg) if "8000" in arg else arg)
    return out


@dataclass
class StackServices:
    """What compose's other containers are here: this machine's PostgreSQL and Redis,
    a SeaweedFS started by the test."""

    database_url: str
    redis_url: str
    s3_endpoint: str
    s3_key: str
    s3_secret: str
    bucket: str
    pg_host: str
    pg_port: int
    s3_log_path: Path | None = None

    def s3_log(self) -> str:
        """SeaweedFS' own log (for a failing test's message)."""
        if self.s3_log_path is None or not self.s3_log_path.exists():
            return ""
        return self.s3_log_path.read_text(errors="replace")

    def variables(self, **extra: str) -> dict[str, str]:
        """The .env of this test: secrets and where the other services are."""
        return {
            "DJANGO_SECRET_KEY": "stack-test-" + "k" * 50,
            "VAGEN_S3_ACCESS_KEY_ID": self.s3_key,
            "VAGEN_S3_SECRET_ACCESS_KEY": self.s3_secret,
            "VAGEN_S3_BUCKET": self.bucket,
            "VAGEN_S3_ENDPOINT_URL": self.s3_endpoint,
            **extra,
        }

    def env(self, service: str, *, node_dir: Path, **overrides: str) -> dict[str, str]:
        """The process environment of a compose service on this machine. Only the
        container addresses are replaced: postgres → the test database, redis → the
        test Redis, and PATH/PYTHONPATH so the commands resolve as in the image."""
        env = compose_env(service, self.variables())
        env["DATABASE_URL"] = self.database_url
        env["REDIS_URL"] = self.redis_url
        media = node_dir / "media"
        media.mkdir(parents=True, exist_ok=True)
        env["MEDIA_ROOT"] = str(media)  # each node its own disk (must stay empty)
        base = {
            key: os.environ[key] for key in ("HOME", "LANG", "LC_ALL", "TZ") if key in os.environ
        }
        return {
            **base,
            **env,
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "HOSTNAME": socket.gethostname(),
            **overrides,
        }


@dataclass
class Node:
    """A directory of its own, as a container's /app would be: the repository is on
    PYTHONPATH, gunicorn.conf.py is copied in (the image has it in /app)."""

    path: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @classmethod
    def make(cls, base: Path, name: str) -> Node:
        path = base / name
        path.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "gunicorn.conf.py", path / "gunicorn.conf.py")
        return cls(path)

    def start(self, command: list[str], env: dict[str, str], log: str) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603 – the compose file's own commands
            command,
            cwd=self.path,
            env=env,
            stdout=(self.path / f"{log}.out").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        path = self.path / f"{name}.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(10)


def media_files(node: Node) -> list[Path]:
    return [p for p in (node.path / "media").rglob("*") if p.is_file()]


class Browser:
    """A tiny cookie-keeping HTTP client that talks to gunicorn the way nginx does:
    Host as the user typed it, X-Forwarded-Proto: https (the TLS was at the proxy)."""

    def __init__(self, host: str = "localhost"):
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, *, form=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = urllib.parse.urlencode(form) if form is not None else None
        sent = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "Referer": f"https://{self.host}{path}",
            "Origin": f"https://{self.host}",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response, data

    def get(self, port, path, **kw):
        return self.request(port, "GET", path, **kw)

    def post(self, port, path, form, **kw):
        return self.request(port, "POST", path, form=form, **kw)

    def csrf_from(self, html: bytes) -> str:
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert match, "no CSRF token on the page"
        return match.group(1).decode()

    def login(self, port: int, username: str, password: str) -> None:
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = get_user_model().objects.get(username=username)
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="App", confirmed=True)
        response, html = self.get(port, "/logga-in/")
        assert response.status == 200, response.status
        token = self.csrf_from(html)
        response, _ = self.post(
            port,
            "/logga-in/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        assert response.status == 302, f"login answered {response.status}"
        # A local account finishes its sign-in with the second factor (issue 18,
        # signin.middleware): the code of the user's TOTP device, through the real page.
        from signin.testing import totp_code

        device = TOTPDevice.objects.get(user=user, confirmed=True)
        path = "/inloggning/kod/"
        response, html = self.get(port, path)
        assert response.status == 200, f"code page answered {response.status}"
        response, _ = self.post(
            port,
            path,
            {"code": totp_code(device), "csrfmiddlewaretoken": self.csrf_from(html)},
        )
        assert response.status == 302, f"code step answered {response.status}"


def set_production_password(user, password: str) -> None:
    """The test settings hash with MD5 for speed; the processes run production settings
    (PBKDF2), so the password is stored the way they can check it."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])


class Timer:
    def __init__(self):
        self.start = time.monotonic()
        self.marks: list[tuple[str, float]] = []

    def mark(self, what: str) -> None:
        self.marks.append((what, time.monotonic() - self.start))
        print(f"  {time.monotonic() - self.start:6.1f} s  {what}")  # noqa: T201


def gunicorn_ready(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/halsa/", headers={"Host": "anything.invalid"})
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()
