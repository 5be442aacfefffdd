"""Dashboard numbers on a small known dataset, and their validation and tenant isolation."""

from __future__ import annotations

import time
from typing import Any

import asyncpg
import httpx

from tests.conftest import Account, Services
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def _sql(services: Services, statement: str, *args: Any) -> None:
    connection = await asyncpg.connect(services.admin_url)
    try:
        await connection.execute(statement, *args)
    finally:
        await connection.close()


async def _metrics(client: httpx.AsyncClient, account: Account, **params: str) -> dict[str, Any]:
    response = await client.get("/api/dashboard/metrics", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]  # type: ignore[no-any-return]


async def test_metrics_count_messages_contacts_waiting_and_deals(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any, services: Services
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    for n, number in enumerate(("5511911110001", "5511911110002", "5511911110003")):
        body = text_upsert(gateway, message_id=f"IN-{n}", number=number, text="Olá")
        body["data"]["messageTimestamp"] = int(time.time()) - 60
        assert (await gateway.post(client, body)).status_code == 200
    # One conversation answered by the AI, one by a person; the third still waits.
    await _sql(
        services,
        """INSERT INTO whatsapp_messages
             (id, company_id, conversation_id, instance_id, direction, status, is_bot, sent_at)
           SELECT gen_random_uuid(), c.company_id, c.id, c.instance_id, 'SENT', 'SENT',
                  c.contact_number = '5511911110001', now()
           FROM whatsapp_conversations c WHERE c.contact_number <> '5511911110003'""",
    )
    await _sql(
        services,
        """UPDATE whatsapp_conversations c SET last_message_id = (
             SELECT id FROM whatsapp_messages m WHERE m.conversation_id = c.id
             ORDER BY sent_at DESC, public_id DESC LIMIT 1)""",
    )
    # Deals: two created this period in the default funnel, one of them won.
    await _sql(
        services,
        """INSERT INTO deals (id, company_id, funnel_id, stage_id, title, value, status, closed_at)
           SELECT gen_random_uuid(), f.company_id, f.id, s.id, 'D' || s.position, 100 * (s.position + 1),
                  CASE WHEN s.is_won_stage THEN 'WON' ELSE 'OPEN' END,
                  CASE WHEN s.is_won_stage THEN now() END
           FROM funnels f JOIN funnel_stages s ON s.funnel_id = f.id
           WHERE f.company_id = $1 AND (s.position = 0 OR s.is_won_stage)""",
        gateway.company_id,
    )

    data = await _metrics(client, alice, period="7d")
    assert data["messages"] == {
        "received": 3,
        "sent": 2,
        "aiSent": 1,
        "humanSent": 1,
        "aiResponseRate": 50.0,
    }
    assert data["conversations"]["active"] == 3
    assert data["conversations"]["waiting"] == 1
    assert data["conversations"]["longestWaitSeconds"] >= 0
    assert data["contacts"] == {"new": 3, "total": 3}
    assert data["deals"]["open"] == 1
    assert data["deals"]["openValue"] == 100.0
    assert data["deals"]["won"] == 1
    assert data["deals"]["conversionRate"] == 50.0
    assert data["deals"]["conversionBase"] == {"won": 1, "created": 2}
    assert data["ai"] == {"replies": 1, "handovers": 0}
    assert len(data["series"]) == 7
    assert sum(day["received"] for day in data["series"]) == 3
    assert sum(day["newContacts"] for day in data["series"]) == 3
    assert [stage["dealCount"] for stage in data["funnel"]][:1] == [1]

    # Another company sees none of it.
    other = await _metrics(client, bob, period="30d")
    assert other["messages"]["received"] == 0
    assert other["contacts"]["total"] == 0
    assert other["deals"]["open"] == 0
    assert len(other["series"]) == 30


async def test_an_explicit_range_and_bad_periods(client: httpx.AsyncClient, alice: Account) -> None:
    data = await _metrics(client, alice, **{"from": "2026-01-01", "to": "2026-01-31", "tz": "UTC"})
    assert len(data["series"]) == 31
    assert data["period"]["from"].startswith("2026-01-01T00:00:00")
    for params in (
        {"period": "1y"},
        {"from": "2026-01-01"},
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2020-01-01", "to": "2026-01-01"},
        {"tz": "Mars/Olympus"},
        {"from": "yesterday", "to": "today"},
    ):
        response = await client.get("/api/dashboard/metrics", headers=alice.headers, params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["success"] is False


async def test_recent_activities_and_conversations(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any, services: Services
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="A1", number="5511922220001", text="Oi"))
    await _sql(
        services,
        """INSERT INTO contact_events (id, company_id, contact_id, type, actor, payload)
           SELECT gen_random_uuid(), company_id, id, t, 'user', '{}'::jsonb
           FROM contacts, unnest(ARRAY['TAG_ADDED', 'NOTE_ADDED']) t""",
    )
    listed = (await client.get("/api/dashboard/activities", headers=alice.headers)).json()["data"]
    assert sorted(item["type"] for item in listed) == ["NOTE_ADDED", "TAG_ADDED"]
    assert all(item["subject"] for item in listed)
    only = await client.get("/api/dashboard/activities", headers=alice.headers, params={"type": "TAG_ADDED"})
    assert [item["type"] for item in only.json()["data"]] == ["TAG_ADDED"]
    bad = await client.get("/api/dashboard/activities", headers=alice.headers, params={"type": "x'; --"})
    assert bad.status_code == 400
    assert (await client.get("/api/dashboard/activities", headers=bob.headers)).json()["data"] == []

    recent = (await client.get("/api/dashboard/conversations/recent", headers=alice.headers)).json()["data"]
    assert [c["contactNumber"] for c in recent["conversations"]] == ["5511922220001"]
    assert recent["unreadTotal"] == 1
    assert (await client.get("/api/dashboard/conversations/recent", headers=bob.headers)).json()["data"][
        "conversations"
    ] == []
    assert (await client.get("/api/dashboard/metrics")).status_code == 401
