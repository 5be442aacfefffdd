"""Settings read from exactly the seed's environment variables (spec 9.3, 11.10), validated at boot."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]
_DURATION = re.compile(r"^(\d+)\s*(ms|s|m|h|d)?$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class ConfigError(Exception):
    """A configuration problem, reported as one line naming the variable and the rule."""


def parse_duration(value: str) -> int:
    """'15m' -> 900 seconds; a bare number is seconds (as jsonwebtoken's expiresIn)."""
    match = _DURATION.match(value.strip())
    if not match:
        raise ValueError("must be a duration such as 900, 15m, 12h or 7d")
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ValueError("must be greater than zero")
    return int(seconds)


def _check_url(value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.hostname or "host=" in parts.query):
        raise ValueError(f"must be a URL starting with {' or '.join(s + '://' for s in schemes)}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=REPO_ROOT / ".env", extra="ignore", case_sensitive=True)

    NODE_ENV: Literal["development", "staging", "production"] = "development"
    PORT: int = Field(default=3000, ge=1, le=65535)
    API_URL: str = ""
    FRONTEND_URL: str = ""
    # Base URL WhatsApp gateways use to reach our webhooks (defaults to API_URL).
    WEBHOOK_BASE_URL: str = ""
    DATABASE_URL: str = ""
    # Owner/admin URL for migrations only, so the app itself can run as a role that RLS applies to.
    EVOAI_MIGRATION_URL: str = ""
    REDIS_URL: str = ""
    JWT_SECRET: str = ""
    JWT_EXPIRES_IN: str = "15m"
    JWT_REFRESH_EXPIRES_IN: str = "7d"
    OPENAI_API_KEY: str = ""
    OPENAI_MODEL: str = "gpt-4o-mini"
    OPENAI_BASE_URL: str = ""
    # One model call: timeout, retries on 429/5xx/timeouts (with backoff), and the circuit breaker
    # (this many failed calls in a row open it for AI_CIRCUIT_OPEN_SECONDS; spec 7.5: 3 and 60 s).
    AI_TIMEOUT_SECONDS: float = Field(default=30.0, gt=0, le=300)
    AI_MAX_RETRIES: int = Field(default=2, ge=0, le=10)
    AI_CIRCUIT_FAILURES: int = Field(default=3, ge=1, le=100)
    AI_CIRCUIT_OPEN_SECONDS: float = Field(default=60.0, gt=0, le=3600)
    # Sent when the model cannot answer (circuit open, errors); an instance may set its own.
    AI_FALLBACK_REPLY: str = "Recebemos sua mensagem! Em instantes alguém da nossa equipe vai responder."
    # Pause between the parts of a long answer, per character typed, capped (a human-like rhythm).
    AI_TYPING_MS_PER_CHAR: int = Field(default=25, ge=0, le=1000)
    AI_TYPING_MAX_MS: int = Field(default=4000, ge=0, le=60000)
    STORAGE_PROVIDER: Literal["local", "s3"] = "local"
    S3_BUCKET: str = ""
    S3_REGION: str = "us-east-1"
    S3_ACCESS_KEY: str = ""
    S3_SECRET_KEY: str = ""
    S3_ENDPOINT: str = ""
    LOG_LEVEL: Literal["fatal", "error", "warn", "warning", "info", "debug", "trace"] = "info"
    RATE_LIMIT_WINDOW: int = Field(default=60000, ge=1000)
    RATE_LIMIT_MAX: int = Field(default=100, ge=1)
    MESSAGE_WORKER_CONCURRENCY: int = Field(default=10, ge=1, le=200)
    FOLLOWUP_WORKER_CONCURRENCY: int = Field(default=5, ge=1, le=200)
    EMBEDDING_WORKER_CONCURRENCY: int = Field(default=3, ge=1, le=200)
    FLOW_WORKER_CONCURRENCY: int = Field(default=5, ge=1, le=200)
    # Follow-ups (docs/decisions.md, "Follow-ups"): one overdue by more than this when it can finally
    # go out (the platform was down) is skipped and logged; newer overdue ones leave at this rate.
    FOLLOWUP_CATCHUP_MINUTES: int = Field(default=60, ge=1, le=10080)
    FOLLOWUP_CATCHUP_PER_SECOND: int = Field(default=20, ge=1, le=10000)
    # Flows' CALL_WEBHOOK may reach private and loopback addresses (a self-hosted service next to us).
    # Off by default: a flow's URL is typed by a customer (docs/decisions.md, "Flows").
    FLOW_WEBHOOK_ALLOW_PRIVATE: bool = False
    ENABLE_AI_ANALYSIS: bool = True
    ENABLE_EMBEDDINGS: bool = True
    # Semantic memory (docs/decisions.md, "Semantic memory"): the embedding model and its vector size.
    # Changing either re-embeds stored texts in the background; search uses only the current pair.
    EMBEDDING_MODEL: str = Field(default="text-embedding-3-small", min_length=1, max_length=80)
    EMBEDDING_DIMENSIONS: int = Field(default=1536, ge=8, le=16000)
    ENCRYPTION_KEY: str = ""
    WEBHOOK_SECRET: str = ""
    EVOAI_DATA_DIR: Path = REPO_ROOT / ".evoai"
    # Largest request body accepted (bytes); webhooks carry media metadata, not media.
    MAX_BODY_BYTES: int = Field(default=1_048_576, ge=1024)
    # PostgreSQL connections per API process: steady pool, plus short-lived extra ones under bursts.
    DB_POOL_SIZE: int = Field(default=20, ge=1, le=500)
    DB_POOL_OVERFLOW: int = Field(default=5, ge=0, le=500)
    # Bounded drain on SIGTERM so rollouts finish in-flight requests (seed 9.6).
    SHUTDOWN_GRACE_SECONDS: int = Field(default=20, ge=0, le=300)
    # Seconds the API keeps serving after SIGTERM with readiness at 503, before it stops accepting
    # connections, so load balancers take it out of rotation first (0: stop accepting at once).
    SHUTDOWN_DRAIN_SECONDS: float = Field(default=0, ge=0, le=60)
    # --- Observability (docs/operations.md, "Observability") ---
    # /metrics: without a token only loopback/private peers reaching the pod directly; with one,
    # only `Authorization: Bearer <token>`.
    METRICS_TOKEN: str = ""
    # Workers serve their metrics on this port (0: off).
    METRICS_PORT: int = Field(default=0, ge=0, le=65535)
    # OTLP/HTTP collector base URL (spans go to <url>/v1/traces); unset: no tracing at all.
    OTEL_EXPORTER_OTLP_ENDPOINT: str = ""
    OTEL_SERVICE_NAME: str = ""
    # Sandbox gateway (speaks Evolution API v2, with a phone page): on by default in development only.
    EVOAI_SANDBOX: bool | None = None
    SANDBOX_PORT: int = Field(default=8085, ge=1, le=65535)
    SANDBOX_API_KEY: str = ""
    # Largest inbound or outbound media file kept (bytes); bigger ones are refused, the message is kept.
    MEDIA_MAX_BYTES: int = Field(default=16 * 1024 * 1024, ge=1024)
    # Largest file attached to a deal (bytes).
    DEAL_ATTACHMENT_MAX_BYTES: int = Field(default=50 * 1024 * 1024, ge=1024)
    # Webhook bodies may carry a media file inline as base64 (spec: 50 MB).
    WEBHOOK_MAX_BODY_BYTES: int = Field(default=50 * 1024 * 1024, ge=1024)
    # Webhook deliveries allowed per instance and minute (spec 7.4: 1000).
    WEBHOOK_RATE_LIMIT_MAX: int = Field(default=1000, ge=1)
    # How often every connected instance is reconciled with its gateway (backfills lost webhooks).
    WHATSAPP_RECONCILE_SECONDS: int = Field(default=300, ge=10)
    # Seconds a signed media URL stays valid.
    MEDIA_URL_TTL_SECONDS: int = Field(default=3600, ge=10, le=86400)
    # --- Backups (docs/operations.md, "Backups and recovery") ---
    # The scheduler runs the daily dump, the 6-hourly base backup and the daily Redis snapshot.
    BACKUP_ENABLED: bool = True
    # Owner or superuser URL for pg_dump / pg_basebackup (default: EVOAI_MIGRATION_URL, then DATABASE_URL).
    BACKUP_DATABASE_URL: str = ""
    # Where pg_dump & co. live when not the pgserver wheel's or on PATH (the newest matching one wins).
    PG_BIN_DIR: str = ""
    # Backups go to this bucket (default S3_BUCKET) under backups/; with local storage to this directory.
    BACKUP_S3_BUCKET: str = ""
    BACKUP_LOCAL_DIR: Path | None = None
    # Daily times (HH:MM, UTC) and the base backup interval.
    BACKUP_DUMP_AT: str = "00:00"
    BACKUP_REDIS_AT: str = "00:30"
    BACKUP_BASE_EVERY_HOURS: int = Field(default=6, ge=1, le=24)
    BACKUP_DUMP_RETENTION_DAYS: int = Field(default=30, ge=1)
    BACKUP_PITR_RETENTION_DAYS: int = Field(default=7, ge=1)
    BACKUP_REDIS_RETENTION_DAYS: int = Field(default=7, ge=1)
    # Continuous WAL archiving for point-in-time recovery (PostgreSQL on this machine only).
    BACKUP_WAL_ARCHIVE: bool = False
    BACKUP_WAL_SPOOL_DIR: Path | None = None
    BACKUP_ARCHIVE_TIMEOUT_SECONDS: int = Field(default=30, ge=5, le=3600)
    BACKUP_WAL_SHIP_SECONDS: int = Field(default=10, ge=1, le=3600)
    # Prometheus text file (node_exporter textfile collector) with the backup metrics.
    BACKUP_METRICS_FILE: Path | None = None

    @field_validator("JWT_EXPIRES_IN", "JWT_REFRESH_EXPIRES_IN")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator(
        "API_URL",
        "FRONTEND_URL",
        "WEBHOOK_BASE_URL",
        "OPENAI_BASE_URL",
        "S3_ENDPOINT",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_url(value, ("http", "https")) if value else value

    @field_validator("DATABASE_URL", "EVOAI_MIGRATION_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value:
            return value
        return _check_url(value, ("postgresql", "postgres", "postgresql+asyncpg"))

    @field_validator("BACKUP_DUMP_AT", "BACKUP_REDIS_AT")
    @classmethod
    def _time_of_day(cls, value: str) -> str:
        if not re.match(r"^([01]\d|2[0-3]):[0-5]\d$", value):
            raise ValueError("must be a UTC time of day such as 00:00 or 23:30")
        return value

    @field_validator("BACKUP_DATABASE_URL")
    @classmethod
    def _backup_database_url(cls, value: str) -> str:
        return _check_url(value, ("postgresql", "postgres", "postgresql+asyncpg")) if value else value

    @field_validator("REDIS_URL")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        return _check_url(value, ("redis", "rediss")) if value else value

    @property
    def is_development(self) -> bool:
        return self.NODE_ENV == "development"

    @property
    def sandbox_enabled(self) -> bool:
        return self.is_development if self.EVOAI_SANDBOX is None else self.EVOAI_SANDBOX

    @property
    def may_call_loopback(self) -> bool:
        """Whether the server may call this machine on a user's behalf (gateway URLs, photo links)."""
        return self.is_development or self.sandbox_enabled

    @property
    def sandbox_url(self) -> str:
        return f"http://127.0.0.1:{self.SANDBOX_PORT}"

    @property
    def access_ttl_seconds(self) -> int:
        return parse_duration(self.JWT_EXPIRES_IN)

    @property
    def refresh_ttl_seconds(self) -> int:
        return parse_duration(self.JWT_REFRESH_EXPIRES_IN)

    @property
    def encryption_key_bytes(self) -> bytes:
        return bytes.fromhex(self.ENCRYPTION_KEY)

    @property
    def frontend_origins(self) -> list[str]:
        if not self.FRONTEND_URL:
            return []
        parts = urlsplit(self.FRONTEND_URL)
        return [f"{parts.scheme}://{parts.netloc}"]


def _dev_secrets(data_dir: Path) -> dict[str, str]:
    """Development only: generate missing secrets once and keep them in the data directory."""
    path = data_dir / "secrets.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    wanted: dict[str, Callable[[], str]] = {
        "JWT_SECRET": lambda: secrets.token_urlsafe(48),
        "ENCRYPTION_KEY": lambda: secrets.token_hex(32),
        "WEBHOOK_SECRET": lambda: secrets.token_urlsafe(32),
        "SANDBOX_API_KEY": lambda: secrets.token_hex(16),
    }
    changed = False
    for name, make in wanted.items():
        if name not in stored:
            stored[name] = make()
            changed = True
    if changed:
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


def _enforce_secrets(settings: Settings) -> None:
    if len(settings.JWT_SECRET) < 32:
        raise ConfigError("JWT_SECRET: must be set and at least 32 characters long")
    if not _HEX64.match(settings.ENCRYPTION_KEY):
        raise ConfigError("ENCRYPTION_KEY: must be exactly 64 hexadecimal digits (32 bytes, AES-256)")
    if not settings.WEBHOOK_SECRET or len(settings.WEBHOOK_SECRET) < 16:
        raise ConfigError("WEBHOOK_SECRET: must be set and at least 16 characters long")


def load_settings() -> Settings:
    """Read and validate the environment. Raises ConfigError with one line naming the variable."""
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{name}: {first['msg'].removeprefix('Value error, ')}") from None
    if settings.is_development:
        generated = _dev_secrets(settings.EVOAI_DATA_DIR)
        for name, value in generated.items():
            if not getattr(settings, name):
                setattr(settings, name, value)
    else:
        _enforce_secrets(settings)
        for name in ("DATABASE_URL", "REDIS_URL", "API_URL", "FRONTEND_URL"):
            if not getattr(settings, name):
                raise ConfigError(f"{name}: must be set when NODE_ENV={settings.NODE_ENV}")
        if settings.sandbox_enabled and len(settings.SANDBOX_API_KEY) < 16:
            raise ConfigError("SANDBOX_API_KEY: must be at least 16 characters when EVOAI_SANDBOX is on")
        if settings.STORAGE_PROVIDER == "s3" and not settings.S3_BUCKET:
            raise ConfigError("S3_BUCKET: must be set when STORAGE_PROVIDER=s3")
    _enforce_secrets(settings)
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
