"""Moving deals: the one move service (API, AI, automations), positions in a column, won/lost stages,
WIP limits under concurrency."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from evoai.db import system_session
from evoai.deals import moves
from tests.conftest import Account
from tests.deals.helpers import (
    default_funnel,
    events_named,
    make_contact,
    move,
    new_deal,
    set_wip,
    sql,
    stage,
    state_of,
)


async def test_a_move_is_logged_on_the_deal_and_the_contact(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"), contactId=contact_id)
    response = await move(client, alice.headers, deal["id"], stage(funnel, "Qualificação"))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["stageId"] == stage(funnel, "Qualificação")
    assert data["stage"] == {
        "id": stage(funnel, "Qualificação"),
        "name": "Qualificação",
        "order": 2,
        "funnel": {"id": funnel["id"], "name": funnel["name"]},
    }
    assert data["stageEnteredAt"] > deal["stageEnteredAt"]
    activity = data["activities"][0]
    assert activity["type"] == "STAGE_CHANGED"
    assert activity["description"] == "Movido de 'Novo lead' para 'Qualificação'"
    assert activity["metadata"]["fromStageId"] == stage(funnel, "Novo lead")
    assert activity["metadata"]["toStageName"] == "Qualificação"
    history = await sql(
        asgi_app,
        "SELECT type, actor, payload FROM contact_events WHERE contact_id = :c ORDER BY created_at, id",
        c=contact_id,
    )
    assert [h["type"] for h in history] == ["DEAL_CREATED", "DEAL_STAGE_CHANGED"]
    assert history[1]["payload"]["toStageId"] == stage(funnel, "Qualificação")
    periods = await sql(
        asgi_app,
        "SELECT stage_id, exited_at FROM deal_stage_periods WHERE deal_id = :d ORDER BY entered_at",
        d=deal["id"],
    )
    assert [str(p["stage_id"]) for p in periods] == [
        stage(funnel, "Novo lead"),
        stage(funnel, "Qualificação"),
    ]
    assert periods[0]["exited_at"] is not None
    assert periods[1]["exited_at"] is None
    events = await events_named(asgi_app, "deal-updated")
    assert events[-1]["fromStageId"] == stage(funnel, "Novo lead")
    assert events[-1]["deal"]["stageId"] == stage(funnel, "Qualificação")


async def test_moving_into_won_and_lost_stages_closes_the_deal(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    winner = await new_deal(client, alice.headers, stage(funnel, "Negociação"), value=1234.5)
    won = (await move(client, alice.headers, winner["id"], stage(funnel, "Ganho"))).json()["data"]
    assert won["status"] == "WON"
    assert won["closedAt"] is not None
    assert [a["type"] for a in won["activities"][:2]] == ["STATUS_CHANGED", "STAGE_CHANGED"]
    alerts = [n for n in (await client.get("/api/notifications", headers=alice.headers)).json()["data"]]
    assert any(n["type"] == "deal_won" and n["data"]["dealId"] == winner["id"] for n in alerts)

    loser = await new_deal(client, alice.headers, stage(funnel, "Proposta"))
    lost = (await move(client, alice.headers, loser["id"], stage(funnel, "Perdido"))).json()["data"]
    assert lost["status"] == "LOST"
    assert lost["lostReason"] == "Movido para Perdido"
    other = await new_deal(client, alice.headers, stage(funnel, "Proposta"))
    explained = await move(
        client, alice.headers, other["id"], stage(funnel, "Perdido"), lostReason="Sem verba"
    )
    assert explained.json()["data"]["lostReason"] == "Sem verba"
    # The won stage's stay ends with the win.
    periods = await sql(
        asgi_app,
        "SELECT count(*) AS n FROM deal_stage_periods WHERE exited_at IS NULL AND deal_id = :d",
        d=winner["id"],
    )
    assert periods[0]["n"] == 0


async def test_stage_must_be_of_the_same_funnel(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"))
    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Outro"})).json()["data"]
    response = await move(client, alice.headers, deal["id"], other["stages"][0]["id"])
    assert response.status_code == 400
    assert response.json()["details"][0]["field"] == "stageId"
    assert (await move(client, alice.headers, deal["id"], str(uuid.uuid4()))).status_code == 404
    assert (await move(client, alice.headers, str(uuid.uuid4()), other["stages"][0]["id"])).status_code == 404
    for body in ({"dealId": deal["id"]}, {"dealId": deal["id"], "stageId": other["id"], "position": -1}):
        assert (await client.post("/api/deals/move", headers=alice.headers, json=body)).status_code == 400


async def _column(
    client: httpx.AsyncClient, headers: dict[str, str], funnel_id: str, stage_id: str
) -> list[str]:
    board = (await client.get(f"/api/funnels/{funnel_id}/board", headers=headers)).json()["data"]
    column = next(c for c in board["columns"] if c["stage"]["id"] == stage_id)
    return [d["title"] for d in column["deals"]]


async def test_positions_in_a_column(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    first, second = stage(funnel, "Novo lead"), stage(funnel, "Qualificação")
    deals = {t: await new_deal(client, alice.headers, first, title=t) for t in ("A", "B", "C")}
    assert await _column(client, alice.headers, funnel["id"], first) == ["A", "B", "C"]
    # Reordering in the same stage is not a stage change.
    reordered = await move(client, alice.headers, deals["C"]["id"], first, position=0)
    assert reordered.status_code == 200
    assert reordered.json()["data"]["activities"][0]["type"] == "CREATED"
    assert await _column(client, alice.headers, funnel["id"], first) == ["C", "A", "B"]
    await move(client, alice.headers, deals["B"]["id"], first, position=1)
    assert await _column(client, alice.headers, funnel["id"], first) == ["C", "B", "A"]
    await move(client, alice.headers, deals["C"]["id"], first, position=99)
    assert await _column(client, alice.headers, funnel["id"], first) == ["B", "A", "C"]
    # Into another column, between two cards.
    x = await new_deal(client, alice.headers, second, title="X")
    await new_deal(client, alice.headers, second, title="Y")
    await move(client, alice.headers, deals["A"]["id"], second, position=1)
    assert await _column(client, alice.headers, funnel["id"], second) == ["X", "A", "Y"]
    # Cards carry their index in the column (the stored ordering key stays internal), on the board
    # and in the live event that tells other screens where the card went.
    board = (await client.get(f"/api/funnels/{funnel['id']}/board", headers=alice.headers)).json()["data"]
    column = next(c for c in board["columns"] if c["stage"]["id"] == second)
    assert [d["position"] for d in column["deals"]] == [0, 1, 2]
    moved = (await events_named(asgi_app, "deal-updated"))[-1]["deal"]
    assert (moved["title"], moved["position"]) == ("A", 1)
    # Neighbours too close for a midpoint: the column is renumbered and the order kept.
    await sql(asgi_app, "UPDATE deals SET position = 5 WHERE stage_id = :s", s=second)
    await sql(asgi_app, "UPDATE deals SET position = 5.0000000001 WHERE id = :d", d=x["id"])
    await move(client, alice.headers, deals["B"]["id"], second, position=1)
    column = await _column(client, alice.headers, funnel["id"], second)
    assert column[1] == "B"
    assert len(column) == 4
    positions = await sql(
        asgi_app, "SELECT position FROM deals WHERE stage_id = :s ORDER BY position", s=second
    )
    values = [p["position"] for p in positions]
    assert len(set(values)) == 4


async def test_wip_counts_only_open_deals(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    target = stage(funnel, "Proposta")
    sitting = await new_deal(client, alice.headers, target)
    assert (
        await client.put(f"/api/deals/{sitting['id']}", headers=alice.headers, json={"status": "WON"})
    ).status_code == 200
    await set_wip(client, alice.headers, target, 1)
    mover = await new_deal(client, alice.headers, stage(funnel, "Novo lead"))
    assert (await move(client, alice.headers, mover["id"], target)).status_code == 200
    blocked = await new_deal(client, alice.headers, stage(funnel, "Novo lead"))
    refused = await move(client, alice.headers, blocked["id"], target)
    assert refused.status_code == 409
    assert refused.json()["code"] == "wip_limit"
    assert refused.json()["error"] == "A etapa Proposta está no limite de 1 negócios em aberto"
    assert refused.json()["details"][0]["wipLimit"] == 1
    # A limit below the current count is accepted; only new entries are refused.
    await set_wip(client, alice.headers, target, None)
    await move(client, alice.headers, blocked["id"], target)
    lowered = await client.put(f"/api/funnels/stages/{target}", headers=alice.headers, json={"wipLimit": 1})
    assert lowered.status_code == 200
    assert lowered.json()["data"]["openDealCount"] == 2


async def test_concurrent_moves_into_the_last_free_slot(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    target, source = stage(funnel, "Negociação"), stage(funnel, "Novo lead")
    for title in ("já 1", "já 2"):
        await new_deal(client, alice.headers, target, title=title)
    await set_wip(client, alice.headers, target, 3)
    movers = [await new_deal(client, alice.headers, source, title=f"m{i}") for i in range(10)]

    responses = await asyncio.gather(*(move(client, alice.headers, d["id"], target) for d in movers))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 9, [r.text for r in responses if r.status_code not in (200, 409)]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"wip_limit"}
    open_in_target = await sql(
        asgi_app, "SELECT count(*) AS n FROM deals WHERE stage_id = :s AND status = 'OPEN'", s=target
    )
    assert open_in_target[0]["n"] == 3


async def test_the_service_records_who_moved(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"), contactId=contact_id)
    state = state_of(asgi_app)
    company_id = uuid.UUID(alice.company_id)
    async with system_session(state.factory, company_id=company_id) as session:
        result = await moves.move_deal(
            session,
            state.settings,
            company_id=company_id,
            deal_id=uuid.UUID(deal["id"]),
            stage_id=uuid.UUID(stage(funnel, "Proposta")),
            actor="ai",
            reason="Cliente pediu proposta",
        )
        assert result.changed_stage
        assert result.from_stage.name == "Novo lead"
    activity = (await client.get(f"/api/deals/{deal['id']}/activities", headers=alice.headers)).json()[
        "data"
    ][0]
    assert (activity["type"], activity["actor"], activity["createdBy"]) == ("STAGE_CHANGED", "ai", None)
    assert activity["metadata"]["reason"] == "Cliente pediu proposta"
    history = await sql(
        asgi_app,
        "SELECT actor FROM contact_events WHERE contact_id = :c AND type = 'DEAL_STAGE_CHANGED'",
        c=contact_id,
    )
    assert history == [{"actor": "ai"}]


async def test_activities_page_with_a_cursor(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    deal = await new_deal(client, alice.headers, stage(funnel, "Novo lead"))
    for name in ("Qualificação", "Proposta", "Negociação"):
        await move(client, alice.headers, deal["id"], stage(funnel, name))
    url = f"/api/deals/{deal['id']}/activities"
    first = (await client.get(f"{url}?limit=2", headers=alice.headers)).json()["data"]
    assert [a["metadata"].get("toStageName") for a in first] == ["Negociação", "Proposta"]
    rest = (await client.get(f"{url}?limit=10&before={first[-1]['id']}", headers=alice.headers)).json()[
        "data"
    ]
    assert [a["type"] for a in rest] == ["STAGE_CHANGED", "CREATED"]
    assert (await client.get(f"{url}?before={uuid.uuid4()}", headers=alice.headers)).status_code == 400
    assert (await client.get(f"{url}?limit=0", headers=alice.headers)).status_code == 400
