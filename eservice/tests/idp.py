"""The real local IdP for the tests: scripts/demo_eid_idp/idp.py (pysaml2's IdP server)
as a subprocess on a free loopback port, and a sign-in through it for Django's test
client – the same HTTP-Redirect request and HTTP-POST response a browser carries.
Nothing of the protocol is mocked."""

import html
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
IDP_SCRIPT = ROOT / "scripts" / "demo_eid_idp" / "idp.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_idp(sp_metadata: str, keys: Path):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 – our own script, fixed arguments
        [
            sys.executable,
            str(IDP_SCRIPT),
            "--port",
            str(port),
            "--sp-metadata",
            sp_metadata,
            "--keys",
            str(keys),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/metadata", timeout=2):  # noqa: S310
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    "demo IdP did not start: " + (process.stderr.read() or b"").decode()[-2000:]
                ) from None
            time.sleep(0.1)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def use_idp(settings, idp_url: str) -> None:
    from eservice import saml

    saml._metadata_cache.clear()
    settings.VAGEN_ESERVICE_IDP_METADATA = idp_url + "/metadata"


@pytest.fixture(scope="session")
def client_idp(tmp_path_factory, django_db_setup):
    """An IdP that knows the test client's SP (http://testserver)."""
    from eservice import saml

    folder = tmp_path_factory.mktemp("eid")
    metadata = folder / "sp.xml"
    metadata.write_text(saml.sp_metadata("http://testserver"), encoding="utf-8")
    with running_idp(str(metadata), folder) as url:
        yield url


@pytest.fixture
def eid(client_idp, settings):
    use_idp(settings, client_idp)
    return client_idp


def _form_fields(page: str) -> dict:
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    }


def idp_answer(location: str, personnummer: str) -> tuple[str, dict]:
    """What the IdP posts back after the tester picks ``personnummer``: (ACS url, form)."""
    with urllib.request.urlopen(location, timeout=10) as response:  # noqa: S310 – loopback
        choose = response.read().decode()
    query = _form_fields(choose)["query"]
    base = location.split("/sso/")[0]
    body = urllib.parse.urlencode({"query": query, "pnr": "other", "other": personnummer})
    with urllib.request.urlopen(base + "/sso/login", data=body.encode(), timeout=10) as response:  # noqa: S310
        posted = response.read().decode()
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', posted).group(1))
    return action, _form_fields(posted)


def sign_in(client, personnummer: str):
    """Sign ``client`` in through the real IdP; returns the ACS response."""
    start = client.get("/e-tjanst/logga-in/e-legitimation/")
    assert start.status_code == 302, start.status_code
    action, fields = idp_answer(start["Location"], personnummer)
    assert action == "http://testserver/e-tjanst/saml/acs/"
    return client.post("/e-tjanst/saml/acs/", fields)
