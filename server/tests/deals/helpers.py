"""Helpers for the funnel and deal tests: the default funnel, deals made through the API, contacts and
rows made or read straight in the database (the contacts API is another domain's)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import text

from evoai.db import system_session
from evoai.models import Contact
from tests.conftest import Account, join, login_headers


def state_of(asgi_app: Any) -> Any:
    return asgi_app.other_asgi_app.state.evoai


async def sql(asgi_app: Any, statement: str, **params: Any) -> list[Any]:
    """Run SQL across tenants; the rows of a SELECT (as mappings), [] otherwise."""
    async with system_session(state_of(asgi_app).factory) as session:
        result = await session.execute(text(statement), params)
        if not statement.lstrip().upper().startswith("SELECT"):
            return []
        return [dict(row) for row in result.mappings().all()]


async def make_contact(
    asgi_app: Any,
    company_id: str,
    *,
    name: str | None = "Maria Souza",
    phone: str | None = "5511988887777",
    push_name: str | None = None,
) -> str:
    contact_id = uuid.uuid4()
    async with system_session(state_of(asgi_app).factory) as session:
        session.add(
            Contact(
                id=contact_id,
                company_id=uuid.UUID(company_id),
                name=name,
                push_name=push_name,
                phone_number=phone,
                phone_key=phone,
                source="manual",
            )
        )
    return str(contact_id)


async def default_funnel(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/api/funnels", headers=headers)
    assert response.status_code == 200, response.text
    return next(f for f in response.json()["data"] if f["isDefault"])


def stage(funnel: dict[str, Any], name: str) -> str:
    return str(next(s["id"] for s in funnel["stages"] if s["name"] == name))


async def new_deal(
    client: httpx.AsyncClient, headers: dict[str, str], stage_id: str, **fields: Any
) -> dict[str, Any]:
    body = {"title": "Proposta", "stageId": stage_id, **fields}
    response = await client.post("/api/deals", headers=headers, json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def move(
    client: httpx.AsyncClient, headers: dict[str, str], deal_id: str, stage_id: str, **fields: Any
) -> httpx.Response:
    return await client.post(
        "/api/deals/move", headers=headers, json={"dealId": deal_id, "stageId": stage_id, **fields}
    )


async def set_wip(
    client: httpx.AsyncClient, headers: dict[str, str], stage_id: str, limit: int | None
) -> None:
    response = await client.put(f"/api/funnels/stages/{stage_id}", headers=headers, json={"wipLimit": limit})
    assert response.status_code == 200, response.text


async def member(
    client: httpx.AsyncClient,
    admin: Account,
    email: str,
    *,
    role: str = "member",
    permissions: dict[str, bool] | None = None,
) -> dict[str, str]:
    """Headers of a new member of the admin's company."""
    await join(client, admin, email, role=role, permissions=permissions, password="member-password")
    return await login_headers(client, email, "member-password")


async def events_named(asgi_app: Any, name: str) -> list[dict[str, Any]]:
    rows = await sql(
        asgi_app, "SELECT payload FROM outbox WHERE kind = 'event' AND name = :n ORDER BY id", n=name
    )
    return [row["payload"] for row in rows]
