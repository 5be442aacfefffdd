from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evoai.config import ConfigError, load_settings, parse_duration
from evoai.db import async_url

STRONG = {
    "NODE_ENV": "production",
    "JWT_SECRET": "x" * 40,
    "ENCRYPTION_KEY": "0f" * 32,
    "WEBHOOK_SECRET": "w" * 32,
    "DATABASE_URL": "postgresql://user:pass@db.example.com:5432/evoai?sslmode=require",
    "REDIS_URL": "redis://user:pass@redis.example.com:6379",
    "API_URL": "https://api.evoaiconnect.com",
    "FRONTEND_URL": "https://app.evoaiconnect.com",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name in STRONG or name.startswith(("S3_", "OPENAI_", "RATE_LIMIT", "JWT_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EVOAI_DATA_DIR", str(tmp_path))
    return monkeypatch


def test_durations() -> None:
    assert parse_duration("15m") == 900
    assert parse_duration("7d") == 604800
    assert parse_duration("3600") == 3600
    with pytest.raises(ValueError, match="duration"):
        parse_duration("fifteen minutes")


def test_the_seed_values_are_accepted_as_written(env: pytest.MonkeyPatch) -> None:
    for name, value in STRONG.items():
        env.setenv(name, value)
    env.setenv("JWT_EXPIRES_IN", "15m")
    env.setenv("RATE_LIMIT_WINDOW", "60000")
    settings = load_settings()
    assert settings.access_ttl_seconds == 900
    assert settings.RATE_LIMIT_WINDOW == 60000
    url, connect_args = async_url(settings.DATABASE_URL)
    assert url == "postgresql+asyncpg://user:pass@db.example.com:5432/evoai"
    assert connect_args == {"ssl": "require"}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JWT_SECRET", "short", "JWT_SECRET: must be set and at least 32 characters long"),
        ("JWT_SECRET", "", "JWT_SECRET: must be set and at least 32 characters long"),
        ("ENCRYPTION_KEY", "abc", "ENCRYPTION_KEY: must be exactly 64 hexadecimal digits"),
        ("ENCRYPTION_KEY", "z" * 64, "ENCRYPTION_KEY: must be exactly 64 hexadecimal digits"),
        ("DATABASE_URL", "mysql://db/evoai", "DATABASE_URL: must be a URL starting with postgresql://"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL: must be a URL starting with redis://"),
        ("FRONTEND_URL", "app.evoaiconnect.com", "FRONTEND_URL: must be a URL"),
        ("JWT_EXPIRES_IN", "soon", "JWT_EXPIRES_IN: must be a duration"),
        ("NODE_ENV", "prod", "NODE_ENV:"),
    ],
)
def test_outside_development_bad_values_stop_with_one_line(
    env: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    for key, good in STRONG.items():
        env.setenv(key, good)
    env.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_development_generates_secrets_once_and_keeps_them(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    env.setenv("NODE_ENV", "development")
    first = load_settings()
    second = load_settings()
    assert len(first.JWT_SECRET) >= 32
    assert len(first.ENCRYPTION_KEY) == 64
    assert (first.JWT_SECRET, first.ENCRYPTION_KEY) == (second.JWT_SECRET, second.ENCRYPTION_KEY)
    assert oct((tmp_path / "secrets.json").stat().st_mode)[-3:] == "600"


def test_the_process_refuses_to_start_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in STRONG}
    env.update({**STRONG, "JWT_SECRET": "weak", "EVOAI_DATA_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "evoai.cli", "api"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 78
    assert (
        result.stderr.strip()
        == "configuration error: JWT_SECRET: must be set and at least 32 characters long"
    )
