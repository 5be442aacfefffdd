"""Storage tests need settings pointing at a private data directory, not the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evoai.config import Settings
from evoai.storage.local import LocalStorage
from evoai.storage.signing import derive_signing_key
from tests.conftest import Services, make_settings

ENCRYPTION_KEY = "cd" * 32


def storage_settings(services: Services, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "EVOAI_DATA_DIR": data_dir,
        "ENCRYPTION_KEY": ENCRYPTION_KEY,
        "STORAGE_PROVIDER": "local",
        "API_URL": "",
    }
    values.update(overrides)
    return make_settings(services, **values)


@pytest.fixture
def local_settings(services: Services, tmp_path: Path) -> Settings:
    return storage_settings(services, tmp_path)


@pytest.fixture
def secret() -> bytes:
    return derive_signing_key(bytes.fromhex(ENCRYPTION_KEY))


@pytest.fixture
def local(tmp_path: Path, secret: bytes) -> LocalStorage:
    return LocalStorage(tmp_path / "storage", signing_secret=secret)
