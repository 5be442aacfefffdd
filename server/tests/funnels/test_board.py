"""The board, search within a funnel and funnel statistics."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Account
from tests.deals.helpers import default_funnel, make_contact, member, move, new_deal, sql, stage


def _column(board: dict[str, Any], stage_id: str) -> dict[str, Any]:
    return next(c for c in board["columns"] if c["stage"]["id"] == stage_id)


async def test_the_board(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    first, won, lost = stage(funnel, "Novo lead"), stage(funnel, "Ganho"), stage(funnel, "Perdido")
    contact_id = await make_contact(asgi_app, alice.company_id, name="Ana Lima", phone="5511911112222")
    card = await new_deal(client, alice.headers, first, title="Com contato", contactId=contact_id, value=10)
    await client.post(f"/api/deals/{card['id']}/notes", headers=alice.headers, json={"content": "nota"})
    await client.post(f"/api/deals/{card['id']}/notes", headers=alice.headers, json={"content": "outra"})
    await client.post(
        f"/api/deals/{card['id']}/attachments",
        headers=alice.headers,
        files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    )
    await new_deal(client, alice.headers, first, title="Sem contato", value=5.5)
    recent_win = await new_deal(client, alice.headers, won, title="Ganho agora", value=100)
    old_win = await new_deal(client, alice.headers, won, title="Ganho antigo", value=100)
    await sql(
        asgi_app, "UPDATE deals SET closed_at = now() - interval '31 days' WHERE id = :d", d=old_win["id"]
    )
    await new_deal(client, alice.headers, lost, title="Perdido agora")
    closed_elsewhere = await new_deal(client, alice.headers, first, title="Ganho sem mover")
    await client.put(f"/api/deals/{closed_elsewhere['id']}", headers=alice.headers, json={"status": "WON"})

    response = await client.get(f"/api/funnels/{funnel['id']}/board", headers=alice.headers)
    assert response.status_code == 200
    board = response.json()["data"]
    assert board["funnel"]["id"] == funnel["id"]
    assert [c["stage"]["name"] for c in board["columns"]] == [s["name"] for s in funnel["stages"]]
    column = _column(board, first)
    assert [d["title"] for d in column["deals"]] == ["Com contato", "Sem contato"]
    assert (column["total"], column["totalValue"]) == (2, 15.5)
    top = column["deals"][0]
    assert top["contact"] == {
        "id": contact_id,
        "name": "Ana Lima",
        "phoneNumber": "5511911112222",
        "avatarUrl": None,
    }
    assert (top["noteCount"], top["attachmentCount"]) == (2, 1)
    assert column["deals"][1]["contact"] is None
    assert column["stage"]["dealCount"] == 3
    assert column["stage"]["openDealCount"] == 2
    assert [d["id"] for d in _column(board, won)["deals"]] == [recent_win["id"]]
    assert [d["title"] for d in _column(board, lost)["deals"]] == ["Perdido agora"]

    filtered = (
        await client.get(f"/api/funnels/{funnel['id']}/board?search=ANA", headers=alice.headers)
    ).json()
    assert [d["title"] for c in filtered["data"]["columns"] for d in c["deals"]] == ["Com contato"]
    seller = await member(client, alice, "seller@example.com")
    await new_deal(client, seller, first, title="Do vendedor")
    mine = (await client.get(f"/api/funnels/{funnel['id']}/board?ownerOnly=true", headers=seller)).json()[
        "data"
    ]
    assert [d["title"] for c in mine["columns"] for d in c["deals"]] == ["Do vendedor"]
    assert (
        await client.get(f"/api/funnels/{funnel['id']}/board?ownerOnly=maybe", headers=seller)
    ).status_code == 400


async def test_a_column_shows_at_most_50_cards(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account
) -> None:
    funnel = await default_funnel(client, alice.headers)
    first = stage(funnel, "Novo lead")
    await sql(
        asgi_app,
        "INSERT INTO deals (id, company_id, funnel_id, stage_id, title, value, position) "
        "SELECT gen_random_uuid(), :c, :f, :s, 'Lote ' || n, 1, n FROM generate_series(1, 205) AS n",
        c=alice.company_id,
        f=funnel["id"],
        s=first,
    )
    board = (await client.get(f"/api/funnels/{funnel['id']}/board", headers=alice.headers)).json()["data"]
    column = _column(board, first)
    assert len(column["deals"]) == 50
    assert column["total"] == 205
    assert column["totalValue"] == 205.0
    assert column["deals"][0]["title"] == "Lote 1"
    assert column["deals"][-1]["title"] == "Lote 50"


async def test_search_in_a_funnel(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    contact_id = await make_contact(asgi_app, alice.company_id, name="José Conceição", phone="5521987654321")
    a = await new_deal(
        client, alice.headers, stage(funnel, "Proposta"), title="Implantação ERP", contactId=contact_id
    )
    b = await new_deal(client, alice.headers, stage(funnel, "Ganho"), title="SUPORTE ANUAL À DISTÂNCIA")
    other = (await client.post("/api/funnels", headers=alice.headers, json={"name": "Outro"})).json()["data"]
    await new_deal(client, alice.headers, other["stages"][0]["id"], title="Implantação CRM")

    async def titles(q: str) -> list[str]:
        response = await client.get(
            f"/api/funnels/{funnel['id']}/search", headers=alice.headers, params={"q": q}
        )
        assert response.status_code == 200, response.text
        return [d["title"] for d in response.json()["data"]]

    assert await titles("implantacao") == [a["title"]]
    assert await titles("CONCEIÇÃO") == [a["title"]]
    assert await titles("(21) 98765") == [a["title"]]
    assert await titles("suporte") == [b["title"]]
    assert await titles("a distancia") == [b["title"]]
    assert await titles("50%_") == []
    for q in ("", "a", " a "):
        response = await client.get(
            f"/api/funnels/{funnel['id']}/search", headers=alice.headers, params={"q": q}
        )
        assert response.status_code == 400


async def test_stats_on_a_known_dataset(client: httpx.AsyncClient, asgi_app: Any, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    novo, qual, prop, won, lost = (
        stage(funnel, n) for n in ("Novo lead", "Qualificação", "Proposta", "Ganho", "Perdido")
    )
    contact_id = await make_contact(asgi_app, alice.company_id)
    await client.post(
        "/api/funnels/move-to-stage", headers=alice.headers, json={"contactId": contact_id, "stageId": novo}
    )
    d1 = await new_deal(client, alice.headers, novo, value=100)
    d2 = await new_deal(client, alice.headers, novo, value=200)
    await new_deal(client, alice.headers, novo, value=0)  # stays in "Novo lead"
    d4 = await new_deal(client, alice.headers, novo, value=300)
    for deal, path in ((d1, (qual, prop, won)), (d2, (qual, lost)), (d4, (qual,))):
        for target in path:
            assert (await move(client, alice.headers, deal["id"], target)).status_code == 200
    # Known durations: two days in "Novo lead" for every deal, ten days from creation to the win.
    await sql(
        asgi_app,
        "UPDATE deal_stage_periods SET entered_at = entered_at - interval '2 days' WHERE stage_id = :s",
        s=novo,
    )
    await sql(
        asgi_app, "UPDATE deals SET created_at = closed_at - interval '10 days' WHERE id = :d", d=d1["id"]
    )
    # Created long ago: outside the default 90 days.
    old = await new_deal(client, alice.headers, novo, value=999)
    await sql(
        asgi_app, "UPDATE deals SET created_at = now() - interval '200 days' WHERE id = :d", d=old["id"]
    )

    response = await client.get(f"/api/funnels/{funnel['id']}/stats", headers=alice.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["totalDeals"] == 4
    assert data["totalValue"] == 600.0
    assert (data["wonDeals"], data["wonValue"]) == (1, 100.0)
    assert (data["lostDeals"], data["lostValue"]) == (1, 200.0)
    assert (data["openDeals"], data["openValue"]) == (2, 300.0)
    assert data["conversionRate"] == 25.0
    assert data["conversionBase"] == {"won": 1, "created": 4}
    assert data["averageDealValue"] == 200.0
    assert data["averageCycleTime"] == 10.0
    assert data["totalContacts"] == 1
    by_name = {s["stageName"]: s for s in data["stageStats"]}
    assert by_name["Novo lead"]["dealCount"] == 1
    assert by_name["Novo lead"]["contactCount"] == 1
    assert (by_name["Qualificação"]["dealCount"], by_name["Qualificação"]["dealValue"]) == (1, 300.0)
    assert by_name["Novo lead"]["conversionToNext"] == 75.0  # 3 of 4 went further
    assert by_name["Qualificação"]["conversionToNext"] == 33.33  # 1 of 3 (a loss is not "further")
    assert by_name["Proposta"]["conversionToNext"] == 100.0
    assert by_name["Negociação"]["conversionToNext"] is None  # nobody reached it
    assert by_name["Ganho"]["conversionToNext"] is None
    assert by_name["Perdido"]["averageDaysInStage"] is None
    assert by_name["Novo lead"]["averageDaysInStage"] == 2.0
    assert by_name["Qualificação"]["averageDaysInStage"] == 0.0
    assert by_name["Negociação"]["averageDaysInStage"] is None

    empty = await client.get(
        f"/api/funnels/{funnel['id']}/stats",
        headers=alice.headers,
        params={"from": "2020-01-01", "to": "2020-01-31"},
    )
    assert empty.json()["data"]["totalDeals"] == 0
    assert empty.json()["data"]["conversionRate"] == 0.0
    everything = await client.get(
        f"/api/funnels/{funnel['id']}/stats", headers=alice.headers, params={"from": "2000-01-01T00:00:00Z"}
    )
    assert everything.json()["data"]["totalDeals"] == 5
    # Bare dates are days in the company's time zone (America/Sao_Paulo, UTC-3).
    await sql(asgi_app, "UPDATE deals SET created_at = '2026-01-01T02:00:00Z' WHERE id = :d", d=old["id"])
    local_day = await client.get(
        f"/api/funnels/{funnel['id']}/stats",
        headers=alice.headers,
        params={"from": "2025-12-31", "to": "2025-12-31"},
    )
    assert local_day.json()["data"]["totalDeals"] == 1
    for params in ({"from": "ontem"}, {"from": "2026-02-30"}, {"from": "2026-03-01", "to": "2026-02-01"}):
        bad = await client.get(f"/api/funnels/{funnel['id']}/stats", headers=alice.headers, params=params)
        assert bad.status_code == 400, params
