"""The demo IdP (scripts/demo_idp, the npm package oidc-provider) as a subprocess for
the tests: a real OpenID provider on a free port – the protocol is never mocked.

``DemoIdP.sign_in_url(authorize_url, sub)`` walks the IdP's own pages over HTTP (the
choice of demo user, then the redirects) and returns Vägen's callback URL with the code
and state the IdP issued, for tests that drive the callback with Django's test client.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
IDP_DIR = ROOT / "scripts" / "demo_idp"
CLIENT_ID = "vagen"
CLIENT_SECRET = "vagen-test-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoIdP:
    def __init__(self, workdir: Path, vagen_urls: list[str], *, id_token_ttl: int = 600):
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Demo-IdP:n behöver Node.js (node) på PATH")
        subprocess.run([str(IDP_DIR / "install.sh")], check=True)  # noqa: S603 – npm ci when missing
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.users_file = workdir / "idp-users.json"
        shutil.copy(IDP_DIR / "users.json", self.users_file)
        env = {
            **os.environ,
            "VAGEN_IDP_PORT": str(self.port),
            "VAGEN_IDP_USERS_FILE": str(self.users_file),
            "VAGEN_IDP_CLIENT_ID": CLIENT_ID,
            "VAGEN_IDP_CLIENT_SECRET": CLIENT_SECRET,
            "VAGEN_IDP_REDIRECT_URIS": ",".join(f"{url}/oidc/callback/" for url in vagen_urls),
            "VAGEN_IDP_POST_LOGOUT_URIS": ",".join(f"{url}/logga-in/" for url in vagen_urls),
            "VAGEN_IDP_ID_TOKEN_TTL": str(id_token_ttl),
        }
        self.log = open(workdir / "idp.log", "w")  # closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 – our own script
            [node, str(IDP_DIR / "server.js")], env=env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.discovery_url, timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Demo-IdP:n startade inte; se {workdir / 'idp.log'}")
            time.sleep(0.1)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def settings(self) -> dict:
        """Vägen's settings for this IdP (as the environment would give them)."""
        return {
            "VAGEN_OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "VAGEN_OIDC_END_SESSION_ENDPOINT": f"{self.issuer}/session/end",
            "OIDC_RP_SCOPES": "openid profile email groups",
        }

    def users(self) -> list[dict]:
        return json.loads(self.users_file.read_text())["users"]

    def set_groups(self, sub: str, groups: list[str]) -> None:
        """The directory changes: the user is in these groups from now on."""
        users = self.users()
        for user in users:
            if user["sub"] == sub:
                user["groups"] = groups
        self.users_file.write_text(json.dumps({"users": users}))

    def reset_users(self) -> None:
        shutil.copy(IDP_DIR / "users.json", self.users_file)

    def sign_in_url(self, authorize_url: str, sub: str) -> str:
        """Pick demo user ``sub`` at the IdP; the callback URL the IdP redirects to."""
        browser = requests.Session()
        response = browser.get(authorize_url, allow_redirects=False, timeout=10)
        for _hop in range(10):
            location = response.headers.get("Location", "")
            if (
                response.status_code in (302, 303)
                and not location.startswith(self.issuer)
                and ("/oidc/callback/" in location)
            ):
                return location
            if response.status_code in (302, 303):
                response = browser.get(
                    urljoin(self.issuer, location), allow_redirects=False, timeout=10
                )
                continue
            match = re.search(r'action="(/interaction/[^"]+)"', response.text)
            assert match, response.text[:500]
            response = browser.post(
                urljoin(self.issuer, match.group(1)),
                data={"sub": sub},
                allow_redirects=False,
                timeout=10,
            )
        raise AssertionError("IdP:n skickade aldrig tillbaka till Vägen")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
