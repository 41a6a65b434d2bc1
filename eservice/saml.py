"""The e-service as a SAML 2.0 service provider in the Swedish eID framework (DIGG's
technical framework: "Deployment Profile for the Swedish eID Framework", ELN-0602).

pysaml2 does the protocol: signed AuthnRequest over HTTP-Redirect asking for LoA3
(``http://id.elegnamnden.se/loa/1.0/loa3``), the response over HTTP-POST to the
assertion consumer service, signature, audience, time and InResponseTo checks. The
citizen is identified by ``personalIdentityNumber`` (urn:oid:1.2.752.29.4.13) only.

djangosaml2 is not used on purpose: it logs the asserted subject in as a Django auth
``User``, and a citizen must never become a staff user (eservice.sessions).

Configuration (settings, README "Min ansökan"):
- VAGEN_ESERVICE_IDP_METADATA: the IdP's metadata, a file path or an http(s) URL.
- VAGEN_ESERVICE_SP_KEY_FILE / VAGEN_ESERVICE_SP_CERT_FILE: the SP's signing pair.
- VAGEN_ESERVICE_SP_ENTITY_ID: the SP's entityID (default: its metadata URL).
"""

import time
import urllib.request
from pathlib import Path
from threading import Lock

from django.conf import settings
from django.urls import reverse
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_TRANSIENT, AuthnContextClassRef
from saml2.samlp import RequestedAuthnContext

from eservice.test_keys import ensure_self_signed

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
PERSONAL_IDENTITY_NUMBER = "personalIdentityNumber"  # urn:oid:1.2.752.29.4.13
ATTRIBUTE_MAPS = Path(__file__).resolve().parent / "attributemaps"

_metadata_cache: dict[str, tuple[float, str]] = {}
_lock = Lock()


class SamlError(Exception):
    """The IdP's answer is refused (the message is for the log, never the person)."""


def _key_pair() -> tuple[str, str]:
    key, cert = settings.VAGEN_ESERVICE_SP_KEY_FILE, settings.VAGEN_ESERVICE_SP_CERT_FILE
    if settings.VAGEN_ESERVICE_TEST_KEYS:
        ensure_self_signed(Path(key), Path(cert), "Vägen e-tjänst SP")
    return str(key), str(cert)


def idp_metadata_xml() -> str:
    source = settings.VAGEN_ESERVICE_IDP_METADATA
    if not source:
        raise SamlError("VAGEN_ESERVICE_IDP_METADATA is not set")
    if not source.startswith(("http://", "https://")):
        return Path(source).read_text(encoding="utf-8")
    with _lock:
        cached = _metadata_cache.get(source)
        if cached and time.monotonic() - cached[0] < 300:
            return cached[1]
        with urllib.request.urlopen(source, timeout=10) as response:  # noqa: S310 (configured)
            xml = response.read().decode()
        _metadata_cache[source] = (time.monotonic(), xml)
        return xml


def sp_config(base_url: str, *, with_idp: bool = True) -> SPConfig:
    base_url = base_url.rstrip("/")
    key_file, cert_file = _key_pair()
    entity_id = settings.VAGEN_ESERVICE_SP_ENTITY_ID or base_url + reverse("eservice:metadata")
    conf = {
        "entityid": entity_id,
        "attribute_map_dir": str(ATTRIBUTE_MAPS),
        "allow_unknown_attributes": True,
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "xmlsec_binary": settings.VAGEN_ESERVICE_XMLSEC_BINARY,
        "accepted_time_diff": 60,
        "service": {
            "sp": {
                "name": "Min ansökan – ekonomiskt bistånd",
                "endpoints": {
                    "assertion_consumer_service": [
                        (base_url + reverse("eservice:acs"), BINDING_HTTP_POST),
                    ],
                },
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": False,  # only answers to a request we made
                "name_id_format": NAMEID_FORMAT_TRANSIENT,
                "required_attributes": [PERSONAL_IDENTITY_NUMBER],
                "optional_attributes": ["givenName", "sn", "displayName"],
            },
        },
    }
    if with_idp:
        conf["metadata"] = {"inline": [idp_metadata_xml()]}
    config = SPConfig()
    config.load(conf)
    return config


def sp_metadata(base_url: str) -> str:
    xml = create_metadata_string(None, config=sp_config(base_url, with_idp=False), valid=None)
    return xml.decode() if isinstance(xml, bytes) else xml


def start_authentication(base_url: str, relay_state: str) -> tuple[str, str]:
    """(request id, the IdP URL to redirect to) for a signed AuthnRequest asking LoA3."""
    client = Saml2Client(config=sp_config(base_url))
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise SamlError("the IdP metadata must name exactly one IdP")
    request_id, info = client.prepare_for_authenticate(
        entityid=idps[0],
        relay_state=relay_state,
        binding=BINDING_HTTP_REDIRECT,
        sign=True,
        requested_authn_context=RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=LOA3)], comparison="exact"
        ),
    )
    location = dict(info["headers"])["Location"]
    return request_id, location


def consume_response(base_url: str, saml_response: str, outstanding: dict[str, str]) -> dict:
    """Verify the IdP's response to one of ``outstanding`` ({request id: url}) and return
    {"personnummer", "given_name", "surname", "in_response_to"}. Raises SamlError."""
    client = Saml2Client(config=sp_config(base_url))
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except Exception as error:  # pysaml2 raises many kinds; all mean "not accepted"
        raise SamlError(type(error).__name__) from error
    if response is None:
        raise SamlError("no response")
    classes = [ref for ref, *_rest in response.authn_info()]
    if LOA3 not in classes:
        raise SamlError("not LoA3")
    ava = response.get_identity()
    numbers = ava.get(PERSONAL_IDENTITY_NUMBER) or []
    if len(numbers) != 1:
        raise SamlError("no personalIdentityNumber")
    return {
        "personnummer": numbers[0],
        "given_name": (ava.get("givenName") or [""])[0],
        "surname": (ava.get("sn") or [""])[0],
        "in_response_to": response.in_response_to,
    }
