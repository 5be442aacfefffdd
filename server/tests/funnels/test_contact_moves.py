"""Contacts in funnels: move-to-stage, move-to-funnel and the contacts available to a funnel."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Account
from tests.deals.helpers import default_funnel, events_named, make_contact, member, sql, stage


async def test_moving_a_contact_between_stages_and_funnels(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(
        asgi_app, alice.company_id, name=None, push_name="Zé", phone="5511900001111"
    )
    response = await client.post(
        "/api/funnels/move-to-stage",
        headers=alice.headers,
        json={"contactId": contact_id, "stageId": stage(funnel, "Qualificação")},
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["id"] == contact_id
    assert data["name"] == "Zé"
    assert data["currentStage"] == {
        "id": stage(funnel, "Qualificação"),
        "name": "Qualificação",
        "color": "#3B82F6",
        "funnelId": funnel["id"],
        "funnelName": funnel["name"],
    }
    [row] = await sql(
        asgi_app, "SELECT funnel_id, stage_id, stage_entered_at FROM contacts WHERE id = :c", c=contact_id
    )
    assert await events_named(asgi_app, "contact-updated") == [{"id": contact_id}]
    assert str(row["funnel_id"]) == funnel["id"]
    assert row["stage_entered_at"] is not None
    # The same stage again changes nothing and logs nothing.
    await client.post(
        "/api/funnels/move-to-stage",
        headers=alice.headers,
        json={"contactId": contact_id, "stageId": stage(funnel, "Qualificação")},
    )

    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Suporte"})).json()[
        "data"
    ]
    moved = await client.post(
        "/api/funnels/move-to-funnel",
        headers=alice.headers,
        json={"contactId": contact_id, "funnelId": other["id"]},
    )
    assert moved.status_code == 200
    assert moved.json()["data"]["currentStage"]["id"] == other["stages"][0]["id"]
    wrong = await client.post(
        "/api/funnels/move-to-funnel",
        headers=alice.headers,
        json={"contactId": contact_id, "funnelId": other["id"], "stageId": stage(funnel, "Proposta")},
    )
    assert wrong.status_code == 400

    history = await sql(
        asgi_app,
        "SELECT type, payload FROM contact_events WHERE contact_id = :c ORDER BY created_at, id",
        c=contact_id,
    )
    assert [h["type"] for h in history] == ["STAGE_CHANGED", "STAGE_CHANGED"]
    assert history[0]["payload"]["fromStageId"] is None
    assert history[1]["payload"]["fromStageName"] == "Qualificação"
    assert history[1]["payload"]["toStageName"] == "Novo"

    for body in (
        {"contactId": contact_id},
        {"contactId": "x", "stageId": stage(funnel, "Proposta")},
        {"contactId": contact_id, "stageId": stage(funnel, "Proposta"), "funnelId": funnel["id"]},
    ):
        assert (
            await client.post("/api/funnels/move-to-stage", headers=alice.headers, json=body)
        ).status_code == 400
    no_rights = await member(client, alice, "viewer@example.com", permissions={"canManageContacts": False})
    forbidden = await client.post(
        "/api/funnels/move-to-stage",
        headers=no_rights,
        json={"contactId": contact_id, "stageId": stage(funnel, "Proposta")},
    )
    assert forbidden.status_code == 403


async def test_available_contacts(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    inside = await make_contact(asgi_app, alice.company_id, name="Dentro", phone="5511900000001")
    outside = await make_contact(asgi_app, alice.company_id, name="Fora", phone="5511900000002")
    elsewhere = await make_contact(asgi_app, alice.company_id, name="Noutro Funil", phone="5511900000003")
    await client.post(
        "/api/funnels/move-to-stage",
        headers=alice.headers,
        json={"contactId": inside, "stageId": stage(funnel, "Proposta")},
    )
    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Suporte"})).json()[
        "data"
    ]
    await client.post(
        "/api/funnels/move-to-funnel",
        headers=alice.headers,
        json={"contactId": elsewhere, "funnelId": other["id"]},
    )
    url = f"/api/funnels/{funnel['id']}/available-contacts"
    listed = (await client.get(url, headers=alice.headers)).json()["data"]
    assert {c["id"] for c in listed} == {outside, elsewhere}
    noutro = next(c for c in listed if c["id"] == elsewhere)
    assert noutro["currentStage"]["funnelName"] == "Suporte"
    assert next(c for c in listed if c["id"] == outside)["currentStage"] is None
    searched = (await client.get(url, headers=alice.headers, params={"search": "FORA"})).json()["data"]
    assert [c["id"] for c in searched] == [outside]
    assert (await client.get(url, headers=alice.headers, params={"limit": 0})).status_code == 400
