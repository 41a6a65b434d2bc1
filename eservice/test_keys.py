"""Self-signed key pairs for the demo and the tests – TEST ONLY. A municipality's SP key
and certificate are configuration (VAGEN_ESERVICE_SP_KEY_FILE / _CERT_FILE); this module
only makes throwaway pairs for `make run`, the tests and the local demo IdP."""

from datetime import UTC, datetime, timedelta
from pathlib import Path


def ensure_self_signed(key_path: Path, cert_path: Path, common_name: str) -> None:
    """Write an RSA key and a self-signed certificate unless both exist."""
    if key_path.exists() and cert_path.exists():
        return
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name + " (TEST ONLY)")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
