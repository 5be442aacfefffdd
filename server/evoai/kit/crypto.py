"""AES-256-GCM for secrets we must read back (gateway keys, webhook secrets), under ENCRYPTION_KEY.

Stored form: "v1:" + base64(nonce ‖ ciphertext+tag). The version prefix leaves room for key rotation.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PREFIX = "v1:"
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """The value was not encrypted with this key (or was altered)."""


def encrypt(plaintext: str, key: bytes) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str, key: bytes) -> str:
    if not stored.startswith(_PREFIX):
        raise DecryptionError("unknown format")
    try:
        blob = base64.b64decode(stored[len(_PREFIX) :], validate=True)
        return AESGCM(key).decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], None).decode()
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("cannot decrypt") from exc
