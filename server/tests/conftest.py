"""Test fixtures: a real PostgreSQL (+pgvector) and a real Redis, migrations applied once per run.

Without TEST_DATABASE_URL / TEST_REDIS_URL (or the seed's DATABASE_URL / REDIS_URL, as in the GitHub
workflow) the embedded stack is started in a temporary directory. Each test starts from empty tables
and an empty Redis database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from redis.asyncio import Redis

from evoai.app import create_app
from evoai.config import Settings
from evoai.ops import migrate
from evoai.ops.embedded import APP_ROLE, EmbeddedStack, free_port

APP_PASSWORD = "evoai_app_test"  # trust auth ignores it; password-authenticated servers (CI) need it


@dataclass
class Services:
    admin_url: str
    app_url: str
    redis_url: str
    data_dir: Path


def _with_database(url: str, database: str, user: str | None = None, password: str | None = None) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if user is not None:
        host = netloc.rsplit("@", 1)[-1]
        netloc = f"{user}:{password}@{host}" if password else f"{user}@{host}"
    return urlunsplit((parts.scheme, netloc, f"/{database}", parts.query, ""))


async def _prepare_database(server_admin_url: str) -> tuple[str, str]:
    """A fresh database per run, owned by the admin, used by the non-owner application role."""
    database = f"evoai_test_{os.getpid()}_{secrets.token_hex(3)}"
    connection = await asyncpg.connect(server_admin_url)
    try:
        await connection.execute(f"CREATE DATABASE {database}")
        exists = await connection.fetchval("SELECT 1 FROM pg_roles WHERE rolname=$1", APP_ROLE)
        if not exists:
            await connection.execute(
                f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{APP_PASSWORD}' NOSUPERUSER NOBYPASSRLS"
            )
        await connection.execute(f"GRANT CONNECT ON DATABASE {database} TO {APP_ROLE}")
    finally:
        await connection.close()
    return _with_database(server_admin_url, database), _with_database(
        server_admin_url, database, APP_ROLE, APP_PASSWORD
    )


@pytest.fixture(scope="session")
def tmp_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="evoai-tests-") as directory:
        yield Path(directory)


@pytest.fixture(scope="session")
async def services(tmp_root: Path) -> AsyncIterator[Services]:
    database_url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    redis_url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    stack = None
    if not database_url or not redis_url:
        stack = EmbeddedStack.in_dir(tmp_root / "stack")
        stack.postgres.port = free_port()
        stack.redis.port = free_port()
        stack.start()
    server_admin = database_url or _with_database(stack.postgres.admin_url, "postgres")  # type: ignore[union-attr]
    admin_url, app_url = await _prepare_database(server_admin)
    await asyncio.to_thread(migrate.upgrade, admin_url)
    try:
        yield Services(admin_url, app_url, redis_url or stack.redis.url, tmp_root)  # type: ignore[union-attr]
    finally:
        if stack is not None:
            stack.stop()


def make_settings(services: Services, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "NODE_ENV": "development",
        "DATABASE_URL": services.app_url,
        "REDIS_URL": services.redis_url,
        "JWT_SECRET": "test-jwt-secret-that-is-long-enough-0123456789",
        "ENCRYPTION_KEY": "ab" * 32,
        "WEBHOOK_SECRET": "test-webhook-secret-0123456789",
        "EVOAI_DATA_DIR": services.data_dir / "data",
        "FRONTEND_URL": "http://app.example.test",
        "LOG_LEVEL": "warning",
        "RATE_LIMIT_MAX": 1000,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def settings(services: Services) -> Settings:
    return make_settings(services)


@pytest.fixture(scope="session")
async def asgi_app(settings: Settings) -> AsyncIterator[Any]:
    app = create_app(settings)
    yield app
    state = app.other_asgi_app.state.evoai
    await state.relay.close()
    await state.redis.aclose()
    await state.engine.dispose()


TABLES = [
    "flow_executions",
    "automation_flows",
    "followups",
    "followup_rules",
    "company_holidays",
    "ai_embeddings",
    "privacy_erasures",
    "quick_replies",
    "deal_stage_periods",
    "deal_activities",
    "deal_attachments",
    "deal_notes",
    "deals",
    "contact_events",
    "contact_notes",
    "contact_tag_assignments",
    "contact_tags",
    "whatsapp_pending_receipts",
    "whatsapp_messages",
    "whatsapp_conversations",
    "whatsapp_instances",
    "whatsapp_provider_credentials",
    "contacts",
    "funnel_stages",
    "funnels",
    "outbox",
    "notifications",
    "refresh_tokens",
    "sessions",
    "memberships",
    "profiles",
    "users",
    "companies",
]


@pytest.fixture(autouse=True)
async def clean_state(services: Services) -> AsyncIterator[None]:
    yield
    connection = await asyncpg.connect(services.admin_url)
    try:
        await connection.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()
    redis = Redis.from_url(services.redis_url)
    await redis.flushdb()
    await redis.aclose()


@pytest.fixture
async def client(asgi_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=asgi_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@dataclass
class Account:
    email: str
    password: str
    user_id: str
    company_id: str
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


async def register(client: httpx.AsyncClient, name: str = "Ana", company: str = "Acme") -> Account:
    email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    password = "correct-horse-battery"
    response = await client.post(
        "/api/auth/register",
        json={"email": email, "password": password, "fullName": name, "companyName": company},
    )
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    return Account(
        email, password, data["user"]["id"], data["company"]["id"], data["accessToken"], data["refreshToken"]
    )


@pytest.fixture
async def alice(client: httpx.AsyncClient) -> Account:
    return await register(client, "Alice", "Alice Co")


@pytest.fixture
async def bob(client: httpx.AsyncClient) -> Account:
    return await register(client, "Bob", "Bob Ltda")


async def join(
    client: httpx.AsyncClient,
    admin: Account,
    email: str,
    *,
    role: str = "member",
    password: str = "member-password",
    name: str = "New Member",
    permissions: dict[str, bool] | None = None,
    existing: Account | None = None,
) -> dict[str, Any]:
    """Invite `email` into the admin's company and accept it, as a new account or as `existing`.
    Returns the new member as the members list shows it."""
    body: dict[str, Any] = {"email": email, "role": role}
    if permissions is not None:
        body["permissions"] = permissions
    invited = await client.post("/api/company/invitations", headers=admin.headers, json=body)
    assert invited.status_code == 201, invited.text
    token = invited.json()["data"]["token"]
    if existing is not None:
        accepted = await client.post(f"/api/invitations/{token}/accept", headers=existing.headers, json={})
        assert accepted.status_code == 200, accepted.text
    else:
        accepted = await client.post(
            f"/api/invitations/{token}/accept", json={"fullName": name, "password": password}
        )
        assert accepted.status_code == 201, accepted.text
    members = (await client.get("/api/company/members", headers=admin.headers)).json()["data"]
    return next(m for m in members if m["email"] == email.lower())


async def login_headers(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['data']['accessToken']}"}
