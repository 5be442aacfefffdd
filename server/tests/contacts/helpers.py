"""Helpers for the contacts tests: contacts made through the API, rows made straight in the database."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.conftest import Account, Services, join, login_headers


async def create(client: httpx.AsyncClient, account: Account, phone: str, **fields: Any) -> dict[str, Any]:
    response = await client.post(
        "/api/contacts", headers=account.headers, json={"phoneNumber": phone, **fields}
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def make_tag(client: httpx.AsyncClient, account: Account, name: str, **fields: Any) -> dict[str, Any]:
    response = await client.post("/api/contacts/tags", headers=account.headers, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def sql(services: Services, query: str, *args: Any) -> list[asyncpg.Record]:
    """Run SQL as the database owner (past row-level security), for set-ups the API cannot make."""
    connection = await asyncpg.connect(services.admin_url)
    try:
        rows: list[asyncpg.Record] = await connection.fetch(query, *args)
        return rows
    finally:
        await connection.close()


async def fill_contacts(services: Services, company_id: str, count: int) -> None:
    """`count` contacts in one statement (plan-limit tests need hundreds)."""
    await sql(
        services,
        """INSERT INTO contacts (id, company_id, name, phone_number, phone_key, source, custom_fields)
           SELECT gen_random_uuid(), $1, 'Filler ' || n, (4400000000000 + n)::text,
                  (4400000000000 + n)::text, 'manual', '{}'
           FROM generate_series(
               (SELECT count(*) + 1 FROM contacts WHERE company_id = $1),
               (SELECT count(*) FROM contacts WHERE company_id = $1) + $2
           ) AS n""",
        company_id,
        count,
    )


async def reader(
    client: httpx.AsyncClient, admin: Account, email: str = "reader@example.com"
) -> dict[str, str]:
    """Headers of a member of the admin's company without canManageContacts."""
    await join(client, admin, email, password="reader-pass", permissions={"canManageContacts": False})
    return await login_headers(client, email, "reader-pass")


async def seller(
    client: httpx.AsyncClient, admin: Account, email: str = "seller@example.com"
) -> dict[str, str]:
    """Headers of a plain member (members may manage contacts by default)."""
    await join(client, admin, email, password="seller-pass")
    return await login_headers(client, email, "seller-pass")
