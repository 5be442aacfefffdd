"""Local backend: round trips, idempotent delete, keys that could escape the root, atomic writes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from evoai.storage import InvalidKey, Storage, StorageError, StorageNotFound
from evoai.storage.local import LocalStorage

KEY = "companies/c1/media/2025/01/abc.png"


async def test_put_get_exists_delete(local: LocalStorage) -> None:
    assert isinstance(local, Storage)
    stored = await local.put(KEY, b"hello", "image/png")
    assert stored.key == KEY
    assert stored.size == 5
    assert stored.content_type == "image/png"
    assert stored.sha256 == hashlib.sha256(b"hello").hexdigest()
    assert await local.exists(KEY)
    assert await local.get(KEY) == b"hello"
    assert (local.root / KEY).read_bytes() == b"hello"

    await local.delete(KEY)
    assert not await local.exists(KEY)
    await local.delete(KEY)  # idempotent
    with pytest.raises(StorageNotFound):
        await local.get(KEY)


async def test_overwrite_replaces_content(local: LocalStorage) -> None:
    await local.put(KEY, b"first", "image/png")
    await local.put(KEY, b"second", "image/png")
    assert await local.get(KEY) == b"second"


async def test_a_directory_is_not_an_object(local: LocalStorage) -> None:
    await local.put(KEY, b"x", "image/png")
    assert not await local.exists("companies/c1")
    with pytest.raises(StorageNotFound):
        await local.get("companies/c1")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../secrets.json",
        "a/../../secrets.json",
        "a/..",
        "./a",
        "/etc/passwd",
        "a//b",
        "a/",
        "a\\..\\b",
        "a b",
        "relatório.pdf",
        "a?b",
        "a%2e%2e",
        "x" * 513,
    ],
)
async def test_keys_that_could_escape_are_refused(local: LocalStorage, key: str) -> None:
    with pytest.raises(InvalidKey):
        await local.put(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        await local.get(key)
    with pytest.raises(InvalidKey):
        await local.exists(key)
    with pytest.raises(InvalidKey):
        await local.delete(key)
    with pytest.raises(InvalidKey):
        await local.signed_url(key, ttl_seconds=60)


async def test_symlink_out_of_the_root_is_not_followed(local: LocalStorage, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret")
    local.root.mkdir(parents=True)
    (local.root / "link").symlink_to(outside)
    with pytest.raises(StorageNotFound):
        await local.get("link/secret.txt")


async def test_write_is_atomic(local: LocalStorage, monkeypatch: pytest.MonkeyPatch) -> None:
    await local.put(KEY, b"old", "image/png")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(StorageError):
        await local.put(KEY, b"new" * 1000, "image/png")
    monkeypatch.undo()

    assert await local.get(KEY) == b"old"
    folder = (local.root / KEY).parent
    assert sorted(p.name for p in folder.iterdir()) == ["abc.png"]  # no temporary file left behind


async def test_content_type_follows_the_extension(local: LocalStorage) -> None:
    assert local.content_type_for("a/b.png") == "image/png"
    assert local.content_type_for("a/b.pdf") == "application/pdf"
    assert local.content_type_for("a/b.ogg") == "audio/ogg"
    assert local.content_type_for("a/b.vcf") == "text/vcard"
    assert local.content_type_for("a/b.html") == "application/octet-stream"
    assert local.content_type_for("a/noextension") == "application/octet-stream"
