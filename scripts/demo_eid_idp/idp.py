"""A local SAML 2.0 identity provider for the e-service's tests and `make run` – TEST ONLY.

It plays the part of a Swedish eID IdP (DIGG's technical framework): it reads a signed
AuthnRequest over HTTP-Redirect, lets the tester pick one of Skatteverket's test
personnummer, and answers over HTTP-POST with a signed response and assertion carrying
``personalIdentityNumber`` (urn:oid:1.2.752.29.4.13) and the LoA3 authentication context.
Everything is pysaml2's own IdP code (saml2.server.Server); nothing of the protocol is
imitated. The key pair is made at start (self-signed, under --keys). Never expose it: it
signs in anyone as anyone.

    python scripts/demo_eid_idp/idp.py --port 8088 \
        --sp-metadata http://127.0.0.1:8000/e-tjanst/saml/metadata/
"""

import argparse
import html
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # eservice.test_keys, from the repository

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.metadata import create_metadata_string  # noqa: E402
from saml2.saml import NAMEID_FORMAT_TRANSIENT  # noqa: E402
from saml2.server import Server  # noqa: E402

from eservice.test_keys import ensure_self_signed  # noqa: E402

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
# Skatteverket's test personnummer (the demo's households use the first four).
TEST_PERSONS = [
    ("191212121212", "Tolvan", "Tolvansson"),
    ("194408139089", "Greta", "Testsson"),
    ("199006022397", "Ali", "Exempel"),
    ("200001052380", "Lisa", "Prov"),
    ("198112289874", "Test", "Testsson"),
    ("198112189876", "Nils", "Nilsson"),
]
PNR = re.compile(r"^(19|20)\d{10}$")


class DemoIdP:
    def __init__(self, base_url: str, sp_metadata: str, keys: Path):
        self.base_url = base_url.rstrip("/")
        self.sp_metadata = sp_metadata
        self.key_file = keys / "idp.key"
        self.cert_file = keys / "idp.crt"
        ensure_self_signed(self.key_file, self.cert_file, "Vägen demo eID IdP")
        self._server: Server | None = None

    def config(self, with_sp: bool) -> IdPConfig:
        conf = {
            "entityid": f"{self.base_url}/metadata",
            "attribute_map_dir": str(HERE / "attributemaps"),
            "allow_unknown_attributes": True,
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "service": {
                "idp": {
                    "name": "Vägen demo eID (test)",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base_url}/sso/redirect", BINDING_HTTP_REDIRECT),
                        ],
                    },
                    "want_authn_requests_signed": True,
                    "sign_response": True,
                    "sign_assertion": True,
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri",
                        },
                    },
                },
            },
        }
        if with_sp:
            conf["metadata"] = {"inline": [self._sp_metadata_xml()]}
        config = IdPConfig()
        config.load(conf)
        return config

    def _sp_metadata_xml(self) -> str:
        if self.sp_metadata.startswith(("http://", "https://")):
            with urllib.request.urlopen(self.sp_metadata, timeout=10) as response:  # noqa: S310
                return response.read().decode()
        return Path(self.sp_metadata).read_text(encoding="utf-8")

    def server(self) -> Server:
        # The SP's metadata is read at the first sign-in (the SP may start after the IdP).
        if self._server is None:
            self._server = Server(config=self.config(with_sp=True))
        return self._server

    def parse(self, params: dict):
        """The AuthnRequest, its redirect-binding signature verified with the SP's
        certificate from its metadata (want_authn_requests_signed)."""
        return self.server().parse_authn_request(
            params["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=params.get("RelayState"),
            sigalg=params.get("SigAlg"),
            signature=params.get("Signature"),
        )

    def metadata(self) -> str:
        xml = create_metadata_string(None, config=self.config(with_sp=False), valid=None)
        return xml.decode() if isinstance(xml, bytes) else xml

    # --- WSGI -----------------------------------------------------------------------
    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        try:
            if path == "/metadata":
                return self._send(start_response, self.metadata(), "application/samlmetadata+xml")
            if path == "/sso/redirect":
                return self.choose(environ, start_response)
            if path == "/sso/login" and environ["REQUEST_METHOD"] == "POST":
                return self.login(environ, start_response)
        except Exception as error:  # a tester's tool: show what went wrong
            return self._send(
                start_response, f"<p>Fel: {html.escape(str(error))}</p>", status="400 Bad Request"
            )
        return self._send(start_response, "<p>Finns inte</p>", status="404 Not Found")

    def choose(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        params = {k: v[0] for k, v in parse_qs(query).items()}
        # Parse (and verify the signature of) the request before anything is shown.
        self.parse(params)
        options = "\n".join(
            f'<li><button type="submit" name="pnr" value="{pnr}">{first} {last} '
            f"({pnr[:8]}-{pnr[8:]})</button></li>"
            for pnr, first, last in TEST_PERSONS
        )
        body = f"""<!doctype html><html lang="sv"><head><meta charset="utf-8">
<title>Demo-legitimering (test)</title></head><body>
<main><h1>Demo-legitimering – endast test</h1>
<p>Välj en av Skatteverkets testpersoner att legitimera dig som.</p>
<form method="post" action="/sso/login">
<input type="hidden" name="query" value="{html.escape(query)}">
<ul>{options}</ul>
<p><label for="other">Annat testpersonnummer (12 siffror)</label>
<input id="other" name="other" inputmode="numeric" autocomplete="off">
<button type="submit" name="pnr" value="other">Legitimera</button></p>
</form></main></body></html>"""
        return self._send(start_response, body)

    def login(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()}
        params = {k: v[0] for k, v in parse_qs(form["query"]).items()}
        pnr = form.get("pnr", "")
        if pnr == "other":
            pnr = form.get("other", "").strip()
        if not PNR.match(pnr):
            return self._send(
                start_response, "<p>Ogiltigt personnummer</p>", status="400 Bad Request"
            )
        first, last = next(((f, la) for p, f, la in TEST_PERSONS if p == pnr), ("Test", "Person"))
        server = self.server()
        request = self.parse(params).message
        resp_args = server.response_args(request, [BINDING_HTTP_POST])
        identity = {
            "personalIdentityNumber": pnr,
            "givenName": first,
            "sn": last,
            "displayName": f"{first} {last}",
            "dateOfBirth": f"{pnr[:4]}-{pnr[4:6]}-{pnr[6:8]}",
        }
        response = server.create_authn_response(
            identity,
            userid=pnr,
            authn={"class_ref": LOA3, "authn_auth": server.config.entityid},
            sign_response=True,
            sign_assertion=True,
            **resp_args,
        )
        http_args = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            resp_args["destination"],
            params.get("RelayState", ""),
            response=True,
        )
        return self._send(start_response, http_args["data"])

    @staticmethod
    def _send(start_response, body: str, content_type="text/html; charset=utf-8", status="200 OK"):
        data = body.encode()
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(data)))])
        return [data]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # no personnummer in any log
        pass


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--sp-metadata", required=True, help="the SP's metadata URL or file")
    parser.add_argument("--keys", default=str(HERE.parent.parent / "var" / "eid"))
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the demo IdP listens on loopback only")
    app = DemoIdP(f"http://{args.host}:{args.port}", args.sp_metadata, Path(args.keys))
    with make_server(args.host, args.port, app, handler_class=QuietHandler) as httpd:
        print(f"Demo-IdP (endast test) på http://{args.host}:{args.port}/metadata", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
