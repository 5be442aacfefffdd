"""Deals: creation, reading, listing, updates and the OPEN → WON | LOST state machine, reopening,
duplication and deletion (docs/api-crm.md, Deals)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Account
from tests.deals.helpers import (
    default_funnel,
    events_named,
    make_contact,
    member,
    move,
    new_deal,
    set_wip,
    sql,
    stage,
)


async def test_create_and_read_a_deal(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id, name="João Silva", phone="5511999990000")
    created = await new_deal(
        client,
        alice.headers,
        stage(funnel, "Proposta"),
        title="  Sistema CRM  ",
        contactId=contact_id,
        value=15000.456,
        currency="brl",
        expectedCloseDate="2026-02-15",
        description="Implantação",
        priority="high",
    )
    assert created["title"] == "Sistema CRM"
    assert created["value"] == 15000.46
    assert created["currency"] == "BRL"
    assert created["status"] == "OPEN"
    assert created["priority"] == "high"
    assert created["expectedCloseDate"] == "2026-02-15"
    assert created["contact"] == {
        "id": contact_id,
        "name": "João Silva",
        "phoneNumber": "5511999990000",
        "avatarUrl": None,
    }
    assert created["stage"]["name"] == "Proposta"
    assert created["stage"]["order"] == 3
    assert created["stage"]["funnel"] == {"id": funnel["id"], "name": funnel["name"]}
    assert created["funnelId"] == funnel["id"]
    assert created["createdBy"]["fullName"] == "Alice"
    assert created["closedAt"] is None
    assert [a["type"] for a in created["activities"]] == ["CREATED"]
    assert created["noteCount"] == 0
    assert created["attachmentCount"] == 0

    fetched = await client.get(f"/api/deals/{created['id']}", headers=alice.headers)
    assert fetched.status_code == 200
    assert fetched.json()["data"]["publicId"] == created["publicId"]

    history = await sql(
        asgi_app, "SELECT type, payload FROM contact_events WHERE contact_id = :c", c=contact_id
    )
    assert [h["type"] for h in history] == ["DEAL_CREATED"]
    periods = await sql(
        asgi_app, "SELECT stage_id, exited_at FROM deal_stage_periods WHERE deal_id = :d", d=created["id"]
    )
    assert [(str(p["stage_id"]), p["exited_at"]) for p in periods] == [(stage(funnel, "Proposta"), None)]
    [event] = await events_named(asgi_app, "deal-updated")
    assert event["deal"]["id"] == created["id"]
    assert event["fromStageId"] is None


async def test_creation_input_is_validated(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    first = stage(funnel, "Novo lead")
    bad_bodies: list[dict[str, Any]] = [
        {"title": "x", "stageId": "not-a-uuid"},
        {"title": "", "stageId": first},
        {"title": "   ", "stageId": first},
        {"title": "x" * 256, "stageId": first},
        {"title": "x", "stageId": first, "value": -1},
        {"title": "x", "stageId": first, "value": 1e15},
        {"title": "x", "stageId": first, "value": "NaN"},
        {"title": "x", "stageId": first, "expectedCloseDate": "2026-13-45"},
        {"title": "x", "stageId": first, "priority": "urgent"},
        {"title": "x", "stageId": first, "currency": "REAL"},
        {"title": "x", "stageId": first, "unknownField": 1},
        {"title": "x\x00y", "stageId": first},
        {"stageId": first},
    ]
    for body in bad_bodies:
        response = await client.post("/api/deals", headers=alice.headers, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["success"] is False
    missing_stage = await client.post(
        "/api/deals",
        headers=alice.headers,
        json={"title": "x", "stageId": "00000000-0000-0000-0000-000000000000"},
    )
    assert missing_stage.status_code == 404
    missing_contact = await client.post(
        "/api/deals",
        headers=alice.headers,
        json={"title": "x", "stageId": first, "contactId": "00000000-0000-0000-0000-000000000000"},
    )
    assert missing_contact.status_code == 404
    assert (await sql(asgi_app, "SELECT count(*) AS n FROM deals"))[0]["n"] == 0


async def test_creating_into_won_or_lost_stage_closes_the_deal(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    won = await new_deal(client, alice.headers, stage(funnel, "Ganho"), value=500)
    assert won["status"] == "WON"
    assert won["closedAt"] is not None
    lost = await new_deal(client, alice.headers, stage(funnel, "Perdido"))
    assert lost["status"] == "LOST"
    assert lost["lostReason"] == "Criado em Perdido"
    notifications = (await client.get("/api/notifications", headers=alice.headers)).json()["data"]
    won_alert = next(n for n in notifications if n["type"] == "deal_won")
    assert won_alert["data"] == {"dealId": won["id"], "title": "Proposta", "value": 500.0}


async def test_creating_into_a_full_stage_is_refused(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    first = stage(funnel, "Novo lead")
    await set_wip(client, alice.headers, first, 1)
    await new_deal(client, alice.headers, first)
    refused = await client.post("/api/deals", headers=alice.headers, json={"title": "x", "stageId": first})
    assert refused.status_code == 409
    body = refused.json()
    assert body["code"] == "wip_limit"
    assert body["error"] == "A etapa Novo lead está no limite de 1 negócios em aberto"


async def test_list_filters_search_and_pagination(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(
        asgi_app, alice.company_id, name="Conceição Araújo", phone="5511912345678"
    )
    a = await new_deal(
        client, alice.headers, stage(funnel, "Novo lead"), title="Licenças anuais", contactId=contact_id
    )
    b = await new_deal(client, alice.headers, stage(funnel, "Proposta"), title="Consultoria")
    c = await new_deal(client, alice.headers, stage(funnel, "Ganho"), title="Treinamento")

    async def ids(query: str) -> list[str]:
        response = await client.get(f"/api/deals?{query}", headers=alice.headers)
        assert response.status_code == 200, response.text
        return [d["id"] for d in response.json()["data"]["deals"]]

    assert await ids("") == [c["id"], b["id"], a["id"]]
    assert await ids(f"stageId={stage(funnel, 'Proposta')}") == [b["id"]]
    assert await ids("status=WON") == [c["id"]]
    assert await ids(f"contactId={contact_id}") == [a["id"]]
    assert await ids("search=licencas") == [a["id"]]
    assert await ids("search=conceicao") == [a["id"]]
    assert await ids("search=(11) 91234") == [a["id"]]
    page = (await client.get("/api/deals?limit=2&page=2", headers=alice.headers)).json()["data"]
    assert [d["id"] for d in page["deals"]] == [a["id"]]
    assert page["pagination"] == {"page": 2, "limit": 2, "total": 3, "totalPages": 2}
    for query in ("status=DONE", "limit=101", "page=0", "funnelId=nope"):
        assert (await client.get(f"/api/deals?{query}", headers=alice.headers)).status_code == 400


async def test_updates_log_what_changed(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"), value=100)
    response = await client.put(
        f"/api/deals/{deal['id']}",
        headers=alice.headers,
        json={"title": "Nova proposta", "value": 250.5, "priority": "low", "expectedCloseDate": None},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["title"] == "Nova proposta"
    assert data["value"] == 250.5
    assert data["priority"] == "low"
    types = [a["type"] for a in data["activities"]]
    assert types[:2] == ["VALUE_CHANGED", "UPDATED"]
    value_change = data["activities"][0]
    assert value_change["metadata"] == {"from": 100.0, "to": 250.5}
    assert value_change["createdBy"]["fullName"] == "Alice"
    assert value_change["actor"] == "user"
    assert (await client.put(f"/api/deals/{deal['id']}", headers=alice.headers, json={})).status_code == 400
    assert (
        await client.put(f"/api/deals/{deal['id']}", headers=alice.headers, json={"title": None})
    ).status_code == 400
    assert (
        await client.put(f"/api/deals/{deal['id']}", headers=alice.headers, json={"lostReason": "caro"})
    ).status_code == 400


async def test_won_and_lost_are_final_until_an_admin_reopens(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id)
    deal = await new_deal(client, alice.headers, stage(funnel, "Proposta"), contactId=contact_id, value=900)
    url = f"/api/deals/{deal['id']}"

    needs_reason = await client.put(url, headers=alice.headers, json={"status": "LOST"})
    assert needs_reason.status_code == 400
    assert needs_reason.json()["details"][0]["field"] == "lostReason"

    won = await client.put(url, headers=alice.headers, json={"status": "WON"})
    assert won.status_code == 200
    assert won.json()["data"]["status"] == "WON"
    assert won.json()["data"]["closedAt"] is not None
    for body in ({"status": "OPEN"}, {"status": "LOST", "lostReason": "x"}):
        refused = await client.put(url, headers=alice.headers, json=body)
        assert refused.status_code == 409
        assert refused.json()["code"] == "deal_closed"
    moved = await move(client, alice.headers, deal["id"], stage(funnel, "Negociação"))
    assert moved.status_code == 409
    assert "reabri" in moved.json()["error"]
    # Other fields of a closed deal may still be corrected; repeating its status is no change.
    edit = await client.put(url, headers=alice.headers, json={"title": "Corrigido", "status": "WON"})
    assert edit.status_code == 200

    seller = await member(client, alice, "seller@example.com")
    not_admin = await client.post(f"{url}/reopen", headers=seller, json={"reason": "engano"})
    assert not_admin.status_code == 403
    assert (
        await client.post(f"{url}/reopen", headers=alice.headers, json={"reason": " "})
    ).status_code == 400
    reopened = await client.post(
        f"{url}/reopen", headers=alice.headers, json={"reason": "Cliente voltou atrás"}
    )
    assert reopened.status_code == 200, reopened.text
    data = reopened.json()["data"]
    assert data["status"] == "OPEN"
    assert data["closedAt"] is None
    assert data["stage"]["name"] == "Proposta"  # an ordinary stage: it stays there
    assert data["activities"][0]["type"] == "REOPENED"
    assert data["activities"][0]["metadata"]["reason"] == "Cliente voltou atrás"
    again = await client.post(f"{url}/reopen", headers=alice.headers, json={"reason": "de novo"})
    assert again.status_code == 409

    lost = await client.put(url, headers=alice.headers, json={"status": "LOST", "lostReason": "Preço"})
    assert lost.json()["data"]["lostReason"] == "Preço"
    history = await sql(
        asgi_app,
        "SELECT payload->>'toStatus' AS status FROM contact_events "
        "WHERE contact_id = :c AND type = 'DEAL_STATUS_CHANGED' ORDER BY created_at, id",
        c=contact_id,
    )
    assert [h["status"] for h in history] == ["WON", "OPEN", "LOST"]
    periods = await sql(
        asgi_app,
        "SELECT exited_at IS NULL AS open FROM deal_stage_periods WHERE deal_id = :d ORDER BY entered_at",
        d=deal["id"],
    )
    assert [p["open"] for p in periods] == [False, False]


async def test_reopening_from_a_won_stage_goes_to_the_first_open_stage_and_respects_wip(
    client: httpx.AsyncClient, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    first = stage(funnel, "Novo lead")
    deal = await new_deal(client, alice.headers, stage(funnel, "Negociação"))
    assert (await move(client, alice.headers, deal["id"], stage(funnel, "Ganho"))).status_code == 200
    await set_wip(client, alice.headers, first, 1)
    await new_deal(client, alice.headers, first)
    full = await client.post(
        f"/api/deals/{deal['id']}/reopen", headers=alice.headers, json={"reason": "erro"}
    )
    assert full.status_code == 409
    assert full.json()["code"] == "wip_limit"
    await set_wip(client, alice.headers, first, None)
    reopened = await client.post(
        f"/api/deals/{deal['id']}/reopen", headers=alice.headers, json={"reason": "erro"}
    )
    assert reopened.status_code == 200
    assert reopened.json()["data"]["stageId"] == first
    assert reopened.json()["data"]["status"] == "OPEN"


async def test_duplicate_into_another_funnel(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id)
    source = await new_deal(
        client, alice.headers, stage(funnel, "Proposta"), contactId=contact_id, value=70, priority="medium"
    )
    note = await client.post(
        f"/api/deals/{source['id']}/notes",
        headers=alice.headers,
        json={"title": "Reunião", "content": "Ligar"},
    )
    assert note.status_code == 201
    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Pós-venda"})).json()[
        "data"
    ]
    target_stage = other["stages"][0]["id"]

    wrong = await client.post(
        "/api/deals/duplicate",
        headers=alice.headers,
        json={"dealId": source["id"], "funnelId": other["id"], "stageId": stage(funnel, "Novo lead")},
    )
    assert wrong.status_code == 400
    response = await client.post(
        "/api/deals/duplicate",
        headers=alice.headers,
        json={"dealId": source["id"], "funnelId": other["id"], "stageId": target_stage},
    )
    assert response.status_code == 201, response.text
    clone = response.json()["data"]
    assert clone["id"] != source["id"]
    assert clone["clonedFromDealId"] == source["id"]
    assert clone["funnelId"] == other["id"]
    assert clone["stageId"] == target_stage
    assert (clone["title"], clone["value"], clone["priority"]) == ("Proposta", 70.0, "medium")
    assert clone["contact"]["id"] == contact_id
    assert clone["noteCount"] == 1
    assert clone["activities"][0]["type"] == "CLONED"
    copied = (await client.get(f"/api/deals/{clone['id']}/notes", headers=alice.headers)).json()["data"]
    assert [(n["title"], n["content"]) for n in copied] == [("Reunião", "Ligar")]
    original = (await client.get(f"/api/deals/{source['id']}", headers=alice.headers)).json()["data"]
    assert original["activities"][0]["type"] == "CLONED"
    assert original["activities"][0]["metadata"]["clonedDealId"] == clone["id"]
    assert original["stageId"] == source["stageId"]
    assert original["funnelId"] == funnel["id"]

    await set_wip(client, alice.headers, target_stage, 1)
    full = await client.post(
        "/api/deals/duplicate",
        headers=alice.headers,
        json={"dealId": source["id"], "funnelId": other["id"], "stageId": target_stage},
    )
    assert full.status_code == 409
    assert full.json()["code"] == "wip_limit"


async def test_delete_a_deal(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"))
    removed = await client.delete(f"/api/deals/{deal['id']}", headers=alice.headers)
    assert removed.status_code == 200
    assert removed.json() == {"success": True, "message": "Negócio removido"}
    assert (await client.get(f"/api/deals/{deal['id']}", headers=alice.headers)).status_code == 404
    assert (await client.delete(f"/api/deals/{deal['id']}", headers=alice.headers)).status_code == 404
    [event] = await events_named(asgi_app, "deal-deleted")
    assert event == {"id": deal["id"], "stageId": deal["stageId"]}
    left = await sql(asgi_app, "SELECT count(*) AS n FROM deal_stage_periods")
    assert left[0]["n"] == 0
