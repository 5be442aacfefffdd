"""The plan's contact limit: refused for people (422), only warned about for WhatsApp."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.conftest import Account, Services
from tests.contacts.helpers import fill_contacts, sql
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def _warnings(client: httpx.AsyncClient, account: Account) -> list[dict[str, Any]]:
    response = await client.get("/api/notifications", headers=account.headers)
    return [n for n in response.json()["data"] if n["type"] == "quota_warning"]


async def test_the_free_plan_stops_manual_creation_at_500(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await fill_contacts(services, alice.company_id, 498)
    created = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000001"})
    assert created.status_code == 201
    last = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000002"})
    assert last.status_code == 201
    refused = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000003"})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "plan_limit_reached"
    assert body["error"].startswith("O plano Free permite 500 contatos")
    # Another plan, another limit.
    await sql(services, "UPDATE companies SET plan_type = 'pro' WHERE id = $1", uuid.UUID(alice.company_id))
    again = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000003"})
    assert again.status_code == 201


async def test_concurrent_creations_cannot_pass_the_limit(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await fill_contacts(services, alice.company_id, 497)

    async def attempt(n: int) -> int:
        body = {"phoneNumber": f"55119000000{n:02d}"}
        return (await client.post("/api/contacts", headers=alice.headers, json=body)).status_code

    codes = await asyncio.gather(*(attempt(n) for n in range(8)))
    assert sorted(codes) == [201] * 3 + [422] * 5
    [row] = await sql(services, "SELECT count(*) AS n FROM contacts")
    assert row["n"] == 500


async def test_admins_are_warned_at_80_and_100_percent_once(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await fill_contacts(services, alice.company_id, 398)
    await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000001"})
    assert await _warnings(client, alice) == []
    await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000002"})  # 400
    await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000003"})  # 401
    [eighty] = await _warnings(client, alice)
    assert eighty["data"] == {"resource": "contacts", "percent": 80, "limit": 500, "used": 400}
    await fill_contacts(services, alice.company_id, 98)  # 499
    await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000004"})  # 500
    warnings = await _warnings(client, alice)
    assert [w["data"]["percent"] for w in warnings] == [100, 80]
    assert warnings[0]["data"]["used"] == 500


async def test_whatsapp_contacts_pass_the_limit_and_warn_once(
    client: httpx.AsyncClient, alice: Account, services: Services, asgi_app: Any
) -> None:
    await fill_contacts(services, alice.company_id, 500)
    gateway = await make_instance(asgi_app, alice.company_id)
    for n, number in enumerate(("5511987650001", "5511987650002", "5511987650001")):
        body = text_upsert(gateway, message_id=f"M{n}", number=number, text="Oi")
        assert (await gateway.post(client, body)).status_code == 200
    [row] = await sql(services, "SELECT count(*) AS n FROM contacts")
    assert row["n"] == 502  # never refused
    [warning] = await _warnings(client, alice)
    assert warning["data"] == {"resource": "contacts", "percent": 100, "limit": 500, "used": 501}


async def test_unlimited_plans_are_never_refused_nor_warned(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await sql(
        services, "UPDATE companies SET plan_type = 'enterprise' WHERE id = $1", uuid.UUID(alice.company_id)
    )
    await fill_contacts(services, alice.company_id, 600)
    created = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "5511900000001"})
    assert created.status_code == 201
    assert await _warnings(client, alice) == []
