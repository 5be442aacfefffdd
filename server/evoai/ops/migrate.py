"""Alembic, driven from Python so `evoai migrate` and `evoai up` share one path."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config


def alembic_ini() -> Path:
    candidates = [
        Path(os.environ.get("EVOAI_ALEMBIC_INI", "")),
        Path(__file__).resolve().parents[2] / "alembic.ini",
        Path.cwd() / "alembic.ini",
    ]
    for candidate in candidates:
        if candidate.name == "alembic.ini" and candidate.is_file():
            return candidate
    raise FileNotFoundError("alembic.ini not found; set EVOAI_ALEMBIC_INI")


def _config(url: str) -> Config:
    config = Config(str(alembic_ini()))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(_config(url), revision)


def downgrade(url: str, revision: str = "-1") -> None:
    command.downgrade(_config(url), revision)


def current(url: str) -> None:
    command.current(_config(url))
