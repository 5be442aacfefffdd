"""Notes, the history summary and the timeline (messages and events merged, cursor pagination)."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Account, Services
from tests.contacts.helpers import create, make_tag, seller, sql
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def test_notes(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    url = f"/api/contacts/{contact['id']}/notes"
    first = await client.post(url, headers=alice.headers, json={"content": "  Pediu desconto  "})
    assert first.status_code == 201
    note = first.json()["data"]
    assert note["content"] == "Pediu desconto"
    assert note["createdBy"] == {"id": alice.user_id, "fullName": "Alice"}
    assert note["createdAt"]
    assert note["updatedAt"]
    member = await seller(client, alice)
    theirs = (await client.post(url, headers=member, json={"content": "Ligar amanhã"})).json()["data"]
    listed = (await client.get(url, headers=alice.headers)).json()["data"]
    assert [n["content"] for n in listed] == ["Ligar amanhã", "Pediu desconto"]  # newest first
    for body in ({"content": ""}, {"content": "   "}, {"content": "x" * 10_001}, {}):
        assert (await client.post(url, headers=alice.headers, json=body)).status_code == 400, body
    # Only the author or an admin deletes a note.
    refused = await client.delete(f"{url}/{note['id']}", headers=member)
    assert refused.status_code == 403
    assert (await client.delete(f"{url}/{theirs['id']}", headers=member)).json() == {
        "success": True,
        "message": "Nota removida",
    }
    assert (await client.delete(f"{url}/{note['id']}", headers=alice.headers)).status_code == 200
    assert (await client.get(url, headers=alice.headers)).json()["data"] == []
    timeline = (await client.get(f"/api/contacts/{contact['id']}/timeline", headers=alice.headers)).json()
    added = [i for i in timeline["data"]["items"] if i["type"] == "NOTE_ADDED"]
    assert [i["payload"]["excerpt"] for i in added] == ["Ligar amanhã", "Pediu desconto"]


async def _conversation_contact(client: httpx.AsyncClient, account: Account, asgi_app: Any) -> dict[str, Any]:
    gateway = await make_instance(asgi_app, account.company_id)
    base = 1_765_377_125
    for n, stamp in enumerate((base, base + 60, base + 60, base + 60, base + 120)):
        body = text_upsert(gateway, message_id=f"M{n}", number="5511987654321", text=f"mensagem {n}")
        body["data"]["messageTimestamp"] = stamp
        assert (await gateway.post(client, body)).status_code == 200
    [contact] = (await client.get("/api/contacts", headers=account.headers)).json()["data"]["contacts"]
    return dict(contact)


async def test_the_timeline_merges_messages_and_events_newest_first(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    contact = await _conversation_contact(client, alice, asgi_app)
    url = f"/api/contacts/{contact['id']}"
    tag = await make_tag(client, alice, "VIP")
    await client.post(f"{url}/tags/{tag['id']}", headers=alice.headers)
    await client.post(f"{url}/notes", headers=alice.headers, json={"content": "nota"})
    await client.post(f"{url}/toggle-block", headers=alice.headers)
    # Events at the very instant of a message, to exercise ties across kinds and within a kind.
    for kind in ("AI_ACTION", "STAGE_CHANGED"):
        await sql(
            services,
            """INSERT INTO contact_events (id, company_id, contact_id, type, actor, payload, created_at)
               VALUES (gen_random_uuid(), $1, $2, $3, 'ai', '{"description": "Classificou o lead"}',
                       to_timestamp($4))""",
            uuid.UUID(alice.company_id),
            uuid.UUID(contact["id"]),
            kind,
            1_765_377_185,
        )
    everything = (await client.get(f"{url}/timeline", headers=alice.headers)).json()["data"]
    assert everything["nextCursor"] is None
    items = everything["items"]
    assert [i["at"] for i in items] == sorted((i["at"] for i in items), reverse=True)
    assert [i["type"] for i in items][:3] == ["BLOCKED", "NOTE_ADDED", "TAG_ADDED"]
    messages = [i for i in items if i["kind"] == "message"]
    assert [m["payload"]["text"] for m in messages] == [f"mensagem {n}" for n in (4, 3, 2, 1, 0)]
    assert {(m["type"], m["actor"]) for m in messages} == {("MESSAGE_RECEIVED", "customer")}
    assert len(items) == 10
    ai = next(i for i in items if i["type"] == "AI_ACTION")
    assert (ai["actor"], ai["user"], ai["summary"]) == ("ai", None, "Classificou o lead")
    # Page by page (2 at a time) gives the same sequence, nothing twice, nothing lost.
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"before": cursor} if cursor else {})}
        page = (await client.get(f"{url}/timeline", headers=alice.headers, params=params)).json()["data"]
        seen += [i["id"] for i in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [i["id"] for i in items]
    for bad in ("nonsense", "MjAyNXww", "eA=="):
        response = await client.get(f"{url}/timeline", headers=alice.headers, params={"before": bad})
        assert response.status_code == 400, bad
    assert (
        await client.get(f"{url}/timeline", headers=alice.headers, params={"limit": 101})
    ).status_code == 400


async def test_history(client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services) -> None:
    contact = await _conversation_contact(client, alice, asgi_app)
    company, contact_id = uuid.UUID(alice.company_id), uuid.UUID(contact["id"])
    stages = await sql(
        services, "SELECT id, funnel_id FROM funnel_stages WHERE company_id = $1 ORDER BY position", company
    )
    funnel = stages[0]["funnel_id"]
    [deal] = await sql(
        services,
        """INSERT INTO deals
             (id, company_id, funnel_id, stage_id, contact_id, title, value, status, closed_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, 'Proposta', 5000, 'WON', now()) RETURNING id""",
        company,
        funnel,
        stages[4]["id"],
        contact_id,
    )
    await sql(
        services,
        """INSERT INTO deal_stage_periods
             (id, company_id, deal_id, funnel_id, stage_id, entered_at, exited_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, now() - interval '2 days', now() - interval '1 day')""",
        company,
        deal["id"],
        funnel,
        stages[1]["id"],
    )
    # Into the first stage, then the third, then out of the funnel (deleted): two stays, both ended.
    moves = [
        (3, f'{{"toStageId": "{stages[0]["id"]}"}}'),
        (1, f'{{"toStageId": "{stages[2]["id"]}", "toStageName": "Proposta"}}'),
        (0.5, '{"toStageId": null, "funnelName": "Funil de vendas", "reason": "funnel_deleted"}'),
    ]
    for offset, payload in moves:
        await sql(
            services,
            """INSERT INTO contact_events (id, company_id, contact_id, type, actor, payload, created_at)
               VALUES (gen_random_uuid(), $1, $2, 'STAGE_CHANGED', 'user', $3,
                       now() - $4 * interval '1 day')""",
            company,
            contact_id,
            payload,
            offset,
        )
    data = (await client.get(f"/api/contacts/{contact['id']}/history", headers=alice.headers)).json()["data"]
    [conversation] = data["conversations"]
    assert conversation["messageCount"] == 5
    assert conversation["instanceName"].startswith("test-")
    [won] = data["deals"]
    assert (won["title"], won["value"], won["status"]) == ("Proposta", 5000.0, "WON")
    assert won["closedAt"]
    assert data["followups"] == []
    history = data["stageHistory"]
    assert [(h["stage"], h["dealId"] is None) for h in history] == [
        ("Proposta", True),
        ("Qualificação", False),
        ("Novo lead", True),
    ]
    assert history[0]["exitedAt"] is not None
    assert history[2]["exitedAt"] == history[0]["enteredAt"]
    timeline = (await client.get(f"/api/contacts/{contact['id']}/timeline", headers=alice.headers)).json()
    assert timeline["data"]["items"][0]["summary"] == "Removido do funil Funil de vendas"
    assert {h["funnel"] for h in history} == {"Funil de vendas"}
