"""Abuse cases: each one was a real hole or a 500 before it was fixed."""

from __future__ import annotations

import asyncio
import io
import json
from typing import Any

import httpx
import jwt
import structlog
from fastapi import FastAPI

from evoai.config import Settings
from evoai.logging import configure_logging
from tests.conftest import Account, join, login_headers, register


async def test_a_removed_member_cannot_refresh_back_in(client: httpx.AsyncClient, alice: Account) -> None:
    member = await join(client, alice, "gone@example.com", password="gone-password")
    login = await client.post(
        "/api/auth/login", json={"email": "gone@example.com", "password": "gone-password"}
    )
    await client.delete(f"/api/company/members/{member['id']}", headers=alice.headers)
    refreshed = await client.post("/api/auth/refresh", json={"token": login.json()["data"]["refreshToken"]})
    assert refreshed.status_code == 401


async def test_refreshed_tokens_keep_the_role_claim(
    client: httpx.AsyncClient, alice: Account, settings: Settings
) -> None:
    refreshed = (await client.post("/api/auth/refresh", json={"token": alice.refresh})).json()["data"]
    claims = jwt.decode(refreshed["accessToken"], settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["role"] == "admin"
    assert claims["companyId"] == alice.company_id


async def test_a_non_admin_manager_cannot_escalate(client: httpx.AsyncClient, alice: Account) -> None:
    manager = await join(
        client, alice, "coord@example.com", password="coord-password", permissions={"canManageUsers": True}
    )
    headers = await login_headers(client, "coord@example.com", "coord-password")
    everything = dict.fromkeys(manager["permissions"], True)
    own = await client.patch(
        f"/api/company/members/{manager['id']}", headers=headers, json={"permissions": everything}
    )
    assert own.status_code == 403
    for permissions in ({"canManageUsers": True}, {"canManageFlows": True}):
        invite = await client.post(
            "/api/company/invitations",
            headers=headers,
            json={"email": "crony@example.com", "permissions": permissions},
        )
        assert invite.status_code == 403, permissions
    admin_invite = await client.post(
        "/api/company/invitations", headers=headers, json={"email": "crony@example.com", "role": "admin"}
    )
    assert admin_invite.status_code == 403
    plain = await client.post(
        "/api/company/invitations", headers=headers, json={"email": "plain@example.com"}
    )
    assert plain.status_code == 201


async def test_auth_tier_ignores_the_bearer_token(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    statuses = []
    for attempt in range(31):
        token = (alice if attempt % 2 else bob).headers
        response = await client.post(
            "/api/auth/login", headers=token, json={"email": "victim@example.com", "password": "guess"}
        )
        statuses.append(response.status_code)
    # alice and bob registered from this IP too (2 of the 30 auth requests per minute).
    assert statuses.count(429) >= 3


async def test_long_passwords_and_nul_bytes_are_400(client: httpx.AsyncClient, alice: Account) -> None:
    long_login = await client.post("/api/auth/login", json={"email": alice.email, "password": "x" * 80})
    assert long_login.status_code == 400
    accented = await client.post(
        "/api/auth/register",
        json={"email": "e@example.com", "password": "é" * 40, "fullName": "Élio", "companyName": "Élio Co"},
    )
    assert accented.status_code == 400
    assert "72 bytes" in accented.text
    nul = await client.post(
        "/api/auth/register",
        json={
            "email": "n@example.com",
            "password": "password123",
            "fullName": "Nu\x00ll",
            "companyName": "Null",
        },
    )
    assert nul.status_code == 400
    company = await client.patch("/api/company", headers=alice.headers, json={"name": "A\x00B"})
    assert company.status_code == 400


async def test_concurrent_duplicate_registration_is_one_account(client: httpx.AsyncClient) -> None:
    body = {
        "email": "race@example.com",
        "password": "race-password",
        "fullName": "Race",
        "companyName": "Race",
    }
    responses = await asyncio.gather(*(client.post("/api/auth/register", json=body) for _ in range(3)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201, 409, 409], [r.text for r in responses]


async def test_unexpected_errors_keep_headers_and_envelope(client: httpx.AsyncClient, asgi_app: Any) -> None:
    fastapi_app: FastAPI = asgi_app.other_asgi_app

    async def boom() -> None:
        raise RuntimeError("token=eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl should never leak")

    if not any(getattr(r, "path", "") == "/api/test-boom" for r in fastapi_app.router.routes):
        fastapi_app.add_api_route("/api/test-boom", boom, methods=["POST"])
    response = await client.post("/api/test-boom")
    assert response.status_code == 500
    assert response.json() == {
        "success": False,
        "error": "Erro interno. Tente novamente.",
        "code": "internal_error",
    }
    assert response.headers["X-Request-ID"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "eyJ" not in response.text


def test_log_redaction_covers_fields_text_and_exceptions() -> None:
    stream = io.StringIO()
    configure_logging("info", json=True, stream=stream)
    log = structlog.get_logger("test")
    log.info(
        "login",
        password="hunter22",
        authorization="Bearer abc.def",
        url="redis://:s3cret@cache:6379/0",
        note="hash $2b$12$abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
    )
    try:
        raise ValueError("bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature_x in query")
    except ValueError:
        log.exception("failed")
    configure_logging("warning", json=True)
    text = stream.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["password"] == "[REDACTED]"
    assert lines[0]["authorization"] == "[REDACTED]"
    assert "s3cret" not in text
    assert "hunter22" not in text
    assert "$2b$12$" not in text
    assert "eyJhbGciOiJIUzI1NiJ9" not in text
    assert "[REDACTED_JWT]" in lines[1]["exception"]


async def test_request_logs_never_contain_passwords_or_tokens(client: httpx.AsyncClient) -> None:
    stream = io.StringIO()
    configure_logging("debug", json=True, stream=stream)
    try:
        account = await register(client, "Lia")
        await client.get("/api/auth/me", headers=account.headers)
        await client.post("/api/auth/login", json={"email": account.email, "password": "wrong-password"})
    finally:
        configure_logging("warning", json=True)
    text = stream.getvalue()
    assert "http.request" in text  # the capture really saw the request logs
    assert account.password not in text
    assert account.access not in text
    assert account.refresh not in text
    assert "wrong-password" not in text
