"""Backup tests: the session's real PostgreSQL and Redis, backups into a private local storage root."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evoai.config import Settings
from evoai.ops.backup.catalogue import backup_storage
from evoai.storage.base import FileStorage
from tests.conftest import Services, make_settings


def backup_settings(services: Services, root: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "BACKUP_DATABASE_URL": services.admin_url,
        "BACKUP_LOCAL_DIR": root / "backups",
        "BACKUP_METRICS_FILE": root / "metrics" / "backup.prom",
        "EVOAI_DATA_DIR": root / "data",
    }
    values.update(overrides)
    return make_settings(services, **values)


@pytest.fixture
def ops_settings(services: Services, tmp_path: Path) -> Settings:
    return backup_settings(services, tmp_path)


@pytest.fixture
def storage(ops_settings: Settings) -> FileStorage:
    return backup_storage(ops_settings)
