"""HMAC links: valid until expiry, and any change to key, expiry, name or secret breaks them."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from evoai.storage import signing
from evoai.storage.factory import build_storage
from evoai.storage.local import LocalStorage
from tests.conftest import Services
from tests.storage.conftest import ENCRYPTION_KEY, storage_settings

KEY = "companies/c1/media/2025/01/abc.pdf"
NOW = 1_700_000_000


def test_valid_signature_returns_the_expiry(secret: bytes) -> None:
    sig = signing.sign(secret, KEY, NOW + 60)
    assert re.fullmatch(r"[0-9a-f]{64}", sig)
    assert signing.verify(secret, KEY, str(NOW + 60), sig, now=NOW) == NOW + 60
    assert signing.verify(secret, KEY, NOW + 60, sig.upper(), now=NOW) == NOW + 60


def test_expired_signature(secret: bytes) -> None:
    sig = signing.sign(secret, KEY, NOW)
    with pytest.raises(signing.SignatureExpired):
        signing.verify(secret, KEY, NOW, sig, now=NOW)
    with pytest.raises(signing.SignatureExpired):
        signing.verify(secret, KEY, NOW, sig, now=NOW + 1)


@pytest.mark.parametrize(
    ("key", "exp", "name", "tamper_sig"),
    [
        ("companies/c1/media/2025/01/other.pdf", NOW + 60, None, False),
        (KEY, NOW + 6000, None, False),
        (KEY, NOW + 60, "renamed.exe", False),
        (KEY, NOW + 60, None, True),
    ],
)
def test_tampering_is_detected(secret: bytes, key: str, exp: int, name: str | None, tamper_sig: bool) -> None:
    sig = signing.sign(secret, KEY, NOW + 60)
    if tamper_sig:
        sig = sig[:-1] + ("0" if sig[-1] != "0" else "1")
    with pytest.raises(signing.SignatureInvalid) as caught:
        signing.verify(secret, key, exp, sig, name, now=NOW)
    assert not isinstance(caught.value, signing.SignatureExpired)


def test_name_is_covered_by_the_signature(secret: bytes) -> None:
    sig = signing.sign(secret, KEY, NOW + 60, "contrato.pdf")
    assert signing.verify(secret, KEY, NOW + 60, sig, "contrato.pdf", now=NOW)
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(secret, KEY, NOW + 60, sig, None, now=NOW)


def test_wrong_key(secret: bytes) -> None:
    other = signing.derive_signing_key(bytes.fromhex("ef" * 32))
    assert other != secret
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(other, KEY, NOW + 60, signing.sign(secret, KEY, NOW + 60), now=NOW)


def test_signing_key_is_derived_not_the_raw_encryption_key(secret: bytes) -> None:
    raw = bytes.fromhex(ENCRYPTION_KEY)
    assert secret != raw
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(raw, KEY, NOW + 60, signing.sign(secret, KEY, NOW + 60), now=NOW)


@pytest.mark.parametrize(
    ("exp", "sig"), [(None, "ab"), ("123", None), ("soon", "ab"), ("1e10", "ab"), (str(NOW + 60), "é" * 64)]
)
def test_missing_or_malformed_parameters(secret: bytes, exp: str | None, sig: str | None) -> None:
    with pytest.raises(signing.SignatureInvalid):
        signing.verify(secret, KEY, exp, sig, now=NOW)


def test_signed_path_format(secret: bytes) -> None:
    url = signing.signed_path(secret, KEY, ttl_seconds=300, name="Relatório final.pdf", now=NOW)
    parts = urlsplit(url)
    assert parts.scheme == ""
    assert parts.netloc == ""
    assert parts.path == f"/api/media/{KEY}"
    query = parse_qs(parts.query)
    assert query["exp"] == [str(NOW + 300)]
    assert query["name"] == ["Relatório final.pdf"]
    assert signing.verify(secret, KEY, query["exp"][0], query["sig"][0], query["name"][0], now=NOW)


async def test_local_signed_url_uses_api_url(services: Services, tmp_path: Path) -> None:
    settings = storage_settings(services, tmp_path, API_URL="https://api.example.test/")
    storage = build_storage(settings)
    assert isinstance(storage, LocalStorage)
    url = await storage.signed_url(KEY, ttl_seconds=60)
    assert url.startswith(f"https://api.example.test/api/media/{KEY}?exp=")
    relative = build_storage(storage_settings(services, tmp_path))
    assert (await relative.signed_url(KEY, ttl_seconds=60)).startswith(f"/api/media/{KEY}?exp=")
