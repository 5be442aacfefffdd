"""Signed URLs for locally stored media: the link itself is the credential, bounded by its expiry.

The signature covers the key, the expiry and the download name, so none of them can be changed
without invalidating the link.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from urllib.parse import quote, urlencode

MEDIA_PATH = "/api/media/"
# Domain separation: the same ENCRYPTION_KEY also encrypts secrets at rest; never reuse it raw.
_DERIVATION_LABEL = b"evoai/storage/signed-url/v1"


class SignatureInvalid(Exception):
    """Missing, malformed or forged signature."""


class SignatureExpired(SignatureInvalid):
    """The signature was valid but its expiry has passed."""


def derive_signing_key(encryption_key: bytes) -> bytes:
    return hmac.new(encryption_key, _DERIVATION_LABEL, hashlib.sha256).digest()


def _message(key: str, expires_at: int, name: str | None) -> bytes:
    # Unit separators cannot appear in keys, so the fields cannot be shifted into one another.
    return "\x1f".join((key, str(expires_at), name or "")).encode()


def sign(secret: bytes, key: str, expires_at: int, name: str | None = None) -> str:
    return hmac.new(secret, _message(key, expires_at, name), hashlib.sha256).hexdigest()


def verify(
    secret: bytes,
    key: str,
    expires_at: str | int | None,
    signature: str | None,
    name: str | None = None,
    *,
    now: float | None = None,
) -> int:
    """Check a link's signature, then its expiry. Returns the expiry as a unix timestamp."""
    if expires_at is None or signature is None:
        raise SignatureInvalid("assinatura ausente")
    try:
        expiry = int(expires_at)
    except ValueError:
        raise SignatureInvalid("expiração inválida") from None
    expected = sign(secret, key, expiry, name)
    if not hmac.compare_digest(expected.encode(), signature.lower().encode()):
        raise SignatureInvalid("assinatura inválida")
    # Expiry is checked after the signature so an attacker learns nothing from forged timestamps.
    if expiry <= (time.time() if now is None else now):
        raise SignatureExpired("link expirado")
    return expiry


def signed_path(
    secret: bytes,
    key: str,
    *,
    ttl_seconds: int,
    name: str | None = None,
    base_url: str = "",
    now: float | None = None,
) -> str:
    """`{base_url}/api/media/{key}?exp=..&sig=..[&name=..]`; relative when base_url is empty."""
    expires_at = int(time.time() if now is None else now) + ttl_seconds
    query = {"exp": str(expires_at), "sig": sign(secret, key, expires_at, name)}
    if name is not None:
        query["name"] = name
    return f"{base_url.rstrip('/')}{MEDIA_PATH}{quote(key, safe='/')}?{urlencode(query)}"
