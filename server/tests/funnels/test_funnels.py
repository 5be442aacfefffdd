"""Funnels and stages (docs/api-crm.md, Funnels and stages): the default funnel, structure changes and
who may make them, deleting stages and funnels."""

from __future__ import annotations

import asyncio
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


async def test_every_company_starts_with_the_default_funnel(
    client: httpx.AsyncClient, alice: Account
) -> None:
    response = await client.get("/api/funnels", headers=alice.headers)
    assert response.status_code == 200
    [funnel] = response.json()["data"]
    assert funnel["isDefault"] is True
    assert funnel["name"] == "Funil de vendas"
    assert [s["name"] for s in funnel["stages"]] == [
        "Novo lead",
        "Qualificação",
        "Proposta",
        "Negociação",
        "Ganho",
        "Perdido",
    ]
    assert [s["order"] for s in funnel["stages"]] == [1, 2, 3, 4, 5, 6]
    assert funnel["stages"][4]["isWonStage"]
    assert funnel["stages"][5]["isLostStage"]
    assert funnel["stageCount"] == 6
    assert funnel["dealCount"] == 0
    assert funnel["totalValue"] == 0.0
    stage_keys = set(funnel["stages"][0])
    assert {
        "id",
        "publicId",
        "funnelId",
        "name",
        "description",
        "color",
        "order",
        "probability",
        "wipLimit",
        "isWonStage",
        "isLostStage",
        "dealCount",
        "openDealCount",
        "dealValue",
        "contactCount",
    } <= stage_keys


async def test_create_rename_and_make_default(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    created = await client.post(
        "/api/funnels", headers=alice.headers, json={"name": "  Vendas   B2B ", "color": "#10b981"}
    )
    assert created.status_code == 201, created.text
    funnel = created.json()["data"]
    assert funnel["name"] == "Vendas B2B"
    assert funnel["color"] == "#10B981"
    assert funnel["isDefault"] is False
    assert [(s["name"], s["order"]) for s in funnel["stages"]] == [("Novo", 1)]
    assert funnel["order"] == 2
    assert await events_named(asgi_app, "funnel-updated") == [{"id": funnel["id"]}]

    duplicate = await client.post("/api/funnels", headers=alice.headers, json={"name": "vendas b2b"})
    assert duplicate.status_code == 409
    for body in (
        {"name": "x"},
        {"name": "  "},
        {"name": "ok", "color": "red"},
        {"name": "ok", "nope": 1},
        {},
    ):
        assert (await client.post("/api/funnels", headers=alice.headers, json=body)).status_code == 400, body

    url = f"/api/funnels/{funnel['id']}"
    clash = await client.put(url, headers=alice.headers, json={"name": "FUNIL DE VENDAS"})
    assert clash.status_code == 409
    renamed = await client.put(
        url, headers=alice.headers, json={"name": "Vendas Corporativas", "description": "B2B"}
    )
    assert renamed.json()["data"]["name"] == "Vendas Corporativas"
    assert (await client.put(url, headers=alice.headers, json={"isDefault": False})).status_code == 400
    assert (await client.put(url, headers=alice.headers, json={})).status_code == 400
    made_default = await client.put(url, headers=alice.headers, json={"isDefault": True})
    assert made_default.json()["data"]["isDefault"] is True
    listed = (await client.get("/api/funnels", headers=alice.headers)).json()["data"]
    assert [f["isDefault"] for f in listed] == [False, True]

    # A company without funnels: the first one created becomes the default.
    await sql(asgi_app, "DELETE FROM funnels WHERE company_id = :c", c=alice.company_id)
    first = await client.post("/api/funnels", headers=alice.headers, json={"name": "Recomeço"})
    assert first.json()["data"]["isDefault"] is True


async def test_deleting_funnels(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    default = await default_funnel(client, alice.headers)
    refused = await client.delete(f"/api/funnels/{default['id']}", headers=alice.headers)
    assert refused.status_code == 409
    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Pós-venda"})).json()[
        "data"
    ]
    deal = await new_deal(client, alice.headers, other["stages"][0]["id"])
    second = await new_deal(client, alice.headers, other["stages"][0]["id"])
    holding = await client.delete(f"/api/funnels/{other['id']}", headers=alice.headers)
    assert holding.status_code == 409
    assert "2 negócios" in holding.json()["error"]
    for held in (deal, second):
        assert (await client.delete(f"/api/deals/{held['id']}", headers=alice.headers)).status_code == 200
    contact_id = await make_contact(asgi_app, alice.company_id)
    await client.post(
        "/api/funnels/move-to-stage",
        headers=alice.headers,
        json={"contactId": contact_id, "stageId": other["stages"][0]["id"]},
    )
    removed = await client.delete(f"/api/funnels/{other['id']}", headers=alice.headers)
    assert removed.status_code == 200, removed.text
    assert (await client.get(f"/api/funnels/{other['id']}", headers=alice.headers)).status_code == 404
    [row] = await sql(asgi_app, "SELECT funnel_id, stage_id FROM contacts WHERE id = :c", c=contact_id)
    assert row == {"funnel_id": None, "stage_id": None}
    history = await sql(
        asgi_app,
        "SELECT payload FROM contact_events WHERE contact_id = :c ORDER BY created_at, id",
        c=contact_id,
    )
    assert history[-1]["payload"]["reason"] == "funnel_deleted"


async def test_stage_changes(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    url = f"/api/funnels/{funnel['id']}/stages"
    created = await client.post(
        url,
        headers=alice.headers,
        json={
            "name": "Demonstração",
            "order": 3,
            "probability": 40,
            "wipLimit": 5,
            "description": "Demo feita",
        },
    )
    assert created.status_code == 201, created.text
    demo = created.json()["data"]
    assert (demo["order"], demo["probability"], demo["wipLimit"]) == (3, 40, 5)
    names = [s["name"] for s in (await client.get(url, headers=alice.headers)).json()["data"]]
    assert names == [
        "Novo lead",
        "Qualificação",
        "Demonstração",
        "Proposta",
        "Negociação",
        "Ganho",
        "Perdido",
    ]
    last = (await client.post(url, headers=alice.headers, json={"name": "Arquivo", "order": 99})).json()[
        "data"
    ]
    assert last["order"] == 8

    stage_url = f"/api/funnels/stages/{demo['id']}"
    cleared = await client.put(stage_url, headers=alice.headers, json={"wipLimit": None, "color": "#123abc"})
    assert cleared.json()["data"]["wipLimit"] is None
    assert cleared.json()["data"]["color"] == "#123ABC"
    moved = await client.put(stage_url, headers=alice.headers, json={"order": 1})
    assert moved.json()["data"]["order"] == 1
    bad_bodies: list[dict[str, Any]] = [
        {"isWonStage": True, "isLostStage": True},
        {"probability": 101},
        {"wipLimit": 0},
        {"name": None},
        {"order": 0},
        {},
    ]
    for body in bad_bodies:
        assert (await client.put(stage_url, headers=alice.headers, json=body)).status_code == 400, body
    won_id = stage(funnel, "Ganho")
    both = await client.put(
        f"/api/funnels/stages/{won_id}", headers=alice.headers, json={"isLostStage": True}
    )
    assert both.status_code == 400

    stages = (await client.get(url, headers=alice.headers)).json()["data"]
    ids = [s["id"] for s in stages]
    assert (
        await client.post(f"{url}/reorder", headers=alice.headers, json={"stageIds": ids[1:]})
    ).status_code == 400
    assert (
        await client.post(f"{url}/reorder", headers=alice.headers, json={"stageIds": [*ids, ids[0]]})
    ).status_code == 400
    reordered = await client.post(
        f"{url}/reorder", headers=alice.headers, json={"stageIds": list(reversed(ids))}
    )
    assert reordered.status_code == 200
    assert [s["id"] for s in (await client.get(url, headers=alice.headers)).json()["data"]] == list(
        reversed(ids)
    )

    everything = (await client.get("/api/funnels/stages", headers=alice.headers)).json()["data"]
    assert len(everything) == 8
    assert everything[0]["funnel"] == {"id": funnel["id"], "name": funnel["name"]}


async def test_deleting_a_stage_moves_its_deals_and_contacts(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    first, second, third = (stage(funnel, n) for n in ("Novo lead", "Qualificação", "Proposta"))
    contact_id = await make_contact(asgi_app, alice.company_id)
    in_third = [await new_deal(client, alice.headers, third, title=f"p{i}") for i in range(2)]
    await client.post(
        "/api/funnels/move-to-stage", headers=alice.headers, json={"contactId": contact_id, "stageId": third}
    )
    await set_wip(client, alice.headers, second, 1)
    await new_deal(client, alice.headers, second, title="q")

    removed = await client.delete(f"/api/funnels/stages/{third}", headers=alice.headers)
    assert removed.status_code == 200, removed.text
    assert removed.json()["data"] == {"movedDeals": 2, "movedContacts": 1, "targetStageId": second}
    for deal in in_third:
        data = (await client.get(f"/api/deals/{deal['id']}", headers=alice.headers)).json()["data"]
        assert data["stageId"] == second
        change = data["activities"][0]
        assert change["type"] == "STAGE_CHANGED"
        assert change["metadata"]["forced"] is True
        assert change["metadata"]["wipLimitIgnored"] is True
    [contact] = await sql(asgi_app, "SELECT stage_id FROM contacts WHERE id = :c", c=contact_id)
    assert str(contact["stage_id"]) == second
    orders = [
        s["order"]
        for s in (await client.get(f"/api/funnels/{funnel['id']}/stages", headers=alice.headers)).json()[
            "data"
        ]
    ]
    assert orders == [1, 2, 3, 4, 5]

    # The first stage has no previous one: its deals go to the next.
    deal = await new_deal(client, alice.headers, first)
    await client.delete(f"/api/funnels/stages/{first}", headers=alice.headers)
    assert (await client.get(f"/api/deals/{deal['id']}", headers=alice.headers)).json()["data"][
        "stageId"
    ] == second

    single = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Simples"})).json()[
        "data"
    ]
    only = await client.delete(f"/api/funnels/stages/{single['stages'][0]['id']}", headers=alice.headers)
    assert only.status_code == 409


async def test_structure_needs_admin_or_coordinator(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    seller = await member(client, alice, "seller@example.com")
    stage_id = stage(funnel, "Proposta")
    attempts = [
        ("POST", "/api/funnels", {"name": "Meu funil"}),
        ("PUT", f"/api/funnels/{funnel['id']}", {"name": "Outro nome"}),
        ("DELETE", f"/api/funnels/{funnel['id']}", None),
        ("POST", f"/api/funnels/{funnel['id']}/stages", {"name": "Nova"}),
        ("PUT", f"/api/funnels/stages/{stage_id}", {"wipLimit": 2}),
        ("DELETE", f"/api/funnels/stages/{stage_id}", None),
        (
            "POST",
            f"/api/funnels/{funnel['id']}/stages/reorder",
            {"stageIds": [s["id"] for s in funnel["stages"]]},
        ),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, headers=seller, json=body)
        assert response.status_code == 403, (method, url, response.text)
    for url in (
        "/api/funnels",
        f"/api/funnels/{funnel['id']}",
        "/api/funnels/stages",
        f"/api/funnels/{funnel['id']}/board",
    ):
        assert (await client.get(url, headers=seller)).status_code == 200
    # Members may still work the board.
    deal = await new_deal(client, seller, stage_id)
    assert (await move(client, seller, deal["id"], stage(funnel, "Negociação"))).status_code == 200

    coordinator = await member(client, alice, "coord@example.com", role="coordinator")
    allowed = await client.post(
        f"/api/funnels/{funnel['id']}/stages", headers=coordinator, json={"name": "Nova"}
    )
    assert allowed.status_code == 201


async def test_deleting_a_stage_while_the_board_is_busy(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    """Moves, creations, duplicates and contact moves racing a stage deletion end in answers (200,
    201, 404, 409), never in a deadlock or a 500, and nothing is left in the deleted stage."""
    funnel = await default_funnel(client, alice.headers)
    doomed, target, other = (stage(funnel, n) for n in ("Proposta", "Qualificação", "Negociação"))
    contacts = [await make_contact(asgi_app, alice.company_id, phone=f"55119000000{i:02d}") for i in range(4)]
    in_doomed = [
        await new_deal(client, alice.headers, doomed, title=f"d{i}", contactId=contacts[i]) for i in range(3)
    ]
    elsewhere = [await new_deal(client, alice.headers, other, title=f"o{i}") for i in range(3)]
    for contact_id in contacts[:2]:
        await client.post(
            "/api/funnels/move-to-stage",
            headers=alice.headers,
            json={"contactId": contact_id, "stageId": doomed},
        )

    calls = [
        client.delete(f"/api/funnels/stages/{doomed}", headers=alice.headers),
        *(move(client, alice.headers, d["id"], target) for d in in_doomed[:2]),
        *(move(client, alice.headers, d["id"], doomed) for d in elsewhere[:2]),
        move(client, alice.headers, elsewhere[2]["id"], target),
        client.post("/api/deals", headers=alice.headers, json={"title": "novo", "stageId": doomed}),
        client.post("/api/deals", headers=alice.headers, json={"title": "novo", "stageId": target}),
        client.post(
            "/api/deals/duplicate",
            headers=alice.headers,
            json={"dealId": in_doomed[2]["id"], "funnelId": funnel["id"], "stageId": target},
        ),
        client.post(f"/api/deals/{in_doomed[2]['id']}/notes", headers=alice.headers, json={"content": "oi"}),
        *(
            client.post(
                "/api/funnels/move-to-stage", headers=alice.headers, json={"contactId": c, "stageId": s}
            )
            for c, s in zip(contacts, (target, other, doomed, target), strict=True)
        ),
    ]
    responses = await asyncio.gather(*calls)
    assert responses[0].status_code == 200, responses[0].text
    assert {r.status_code for r in responses} <= {200, 201, 404, 409}, " ".join(
        f"{i}:{r.status_code}" for i, r in enumerate(responses)
    )
    left = await sql(asgi_app, "SELECT count(*) AS n FROM deals WHERE stage_id = :s", s=doomed)
    assert left[0]["n"] == 0
    stageless = await sql(asgi_app, "SELECT count(*) AS n FROM contacts WHERE stage_id = :s", s=doomed)
    assert stageless[0]["n"] == 0
