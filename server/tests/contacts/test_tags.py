"""Tags: CRUD, uniqueness ignoring case, merge, assigning one or in bulk (idempotent), counts."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.conftest import Account, Services
from tests.contacts.helpers import create, make_tag, sql


async def _tags(client: httpx.AsyncClient, account: Account) -> dict[str, dict[str, Any]]:
    listed = (await client.get("/api/contacts/tags/list", headers=account.headers)).json()["data"]
    return {t["name"]: t for t in listed}


async def test_tag_crud(client: httpx.AsyncClient, alice: Account) -> None:
    vip = await make_tag(client, alice, " VIP ", color="#ff0000", description="Clientes premium")
    assert vip["name"] == "VIP"
    assert vip["color"] == "#FF0000"
    assert vip["description"] == "Clientes premium"
    assert vip["isAiManaged"] is False
    assert vip["contactCount"] == 0
    lead = await make_tag(client, alice, "lead", isAiManaged=True)
    assert lead["color"] == "#6B7280"
    assert lead["isAiManaged"] is True
    listed = (await client.get("/api/contacts/tags/list", headers=alice.headers)).json()["data"]
    assert [t["name"] for t in listed] == ["lead", "VIP"]  # by name, ignoring case
    alias = (await client.get("/api/contacts/tags", headers=alice.headers)).json()["data"]
    assert alias == listed
    url = f"/api/contacts/tags/{vip['id']}"
    updated = (await client.put(url, headers=alice.headers, json={"name": "Cliente VIP"})).json()["data"]
    assert updated["name"] == "Cliente VIP"
    assert updated["color"] == "#FF0000"
    cleared = (await client.put(url, headers=alice.headers, json={"description": None})).json()["data"]
    assert cleared["description"] is None
    deleted = await client.delete(url, headers=alice.headers)
    assert deleted.json() == {"success": True, "message": "Tag removida"}
    assert list(await _tags(client, alice)) == ["lead"]
    assert (await client.put(url, headers=alice.headers, json={"name": "x"})).status_code == 404


async def test_names_are_unique_ignoring_case(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    await make_tag(client, alice, "VIP")
    other = await make_tag(client, alice, "Lead")
    duplicate = await client.post("/api/contacts/tags", headers=alice.headers, json={"name": "vip"})
    assert duplicate.status_code == 409
    assert duplicate.json()["error"] == "Já existe uma tag com este nome"
    assert duplicate.json()["code"] == "tag_exists"
    renamed = await client.put(
        f"/api/contacts/tags/{other['id']}", headers=alice.headers, json={"name": "Vip"}
    )
    assert renamed.status_code == 409
    await make_tag(client, bob, "VIP")  # another company may use the same name

    async def attempt() -> int:
        response = await client.post("/api/contacts/tags", headers=alice.headers, json={"name": "Quente"})
        return response.status_code

    assert sorted(await asyncio.gather(*(attempt() for _ in range(4)))) == [201, 409, 409, 409]


async def test_tag_validation(client: httpx.AsyncClient, alice: Account) -> None:
    bad: list[dict[str, Any]] = [
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "ok", "color": "red"},
        {"name": "ok", "color": "#12345"},
        {"name": "ok", "description": "x" * 501},
        {"name": "ok", "isAiManaged": "sometimes"},
    ]
    for body in bad:
        response = await client.post("/api/contacts/tags", headers=alice.headers, json=body)
        assert response.status_code == 400, body
    tag = await make_tag(client, alice, "ok")
    for body in ({"name": None}, {"color": None}, {"color": "#GGGGGG"}):
        response = await client.put(f"/api/contacts/tags/{tag['id']}", headers=alice.headers, json=body)
        assert response.status_code == 400, body
    assert (await client.put("/api/contacts/tags/nope", headers=alice.headers, json={})).status_code == 400


async def test_assign_and_unassign_one_are_idempotent(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    tag = await make_tag(client, alice, "VIP")
    url = f"/api/contacts/{contact['id']}/tags/{tag['id']}"
    for _ in range(2):
        response = await client.post(url, headers=alice.headers)
        assert response.json() == {"success": True, "message": "Tag atribuída"}
    detail = (await client.get(f"/api/contacts/{contact['id']}", headers=alice.headers)).json()["data"]
    assert detail["tags"] == [{"id": tag["id"], "name": "VIP", "color": "#6B7280"}]
    assert (await _tags(client, alice))["VIP"]["contactCount"] == 1
    for _ in range(2):
        response = await client.delete(url, headers=alice.headers)
        assert response.json() == {"success": True, "message": "Tag removida do contato"}
    assert (await _tags(client, alice))["VIP"]["contactCount"] == 0
    timeline = (await client.get(f"/api/contacts/{contact['id']}/timeline", headers=alice.headers)).json()
    items = timeline["data"]["items"]
    assert [i["type"] for i in items] == ["TAG_REMOVED", "TAG_ADDED", "CREATED"]  # no repeats
    assert items[1]["payload"] == {"tagId": tag["id"], "tagName": "VIP"}
    assert items[1]["summary"] == "Tag VIP adicionada"
    assert (
        await client.post(f"/api/contacts/{contact['id']}/tags/{uuid.uuid4()}", headers=alice.headers)
    ).status_code == 404


async def test_bulk_assign_and_unassign(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    contacts = [await create(client, alice, f"55119000000{n:02d}") for n in range(3)]
    vip, lead = await make_tag(client, alice, "VIP"), await make_tag(client, alice, "Lead")
    ids = [c["id"] for c in contacts]
    await client.post(f"/api/contacts/{ids[0]}/tags/{vip['id']}", headers=alice.headers)
    body = {"contactIds": [*ids, ids[0]], "tagIds": [vip["id"], lead["id"]]}
    first = await client.post("/api/contacts/tags/assign", headers=alice.headers, json=body)
    assert first.json() == {"success": True, "data": {"changed": 5}}  # 6 pairs, one already there
    again = await client.post("/api/contacts/tags/assign", headers=alice.headers, json=body)
    assert again.json()["data"] == {"changed": 0}
    counts = {name: t["contactCount"] for name, t in (await _tags(client, alice)).items()}
    assert counts == {"VIP": 3, "Lead": 3}
    removed = await client.post(
        "/api/contacts/tags/unassign",
        headers=alice.headers,
        json={"contactIds": ids[:2], "tagIds": [lead["id"]]},
    )
    assert removed.json()["data"] == {"changed": 2}
    assert (await _tags(client, alice))["Lead"]["contactCount"] == 1
    [events] = await sql(services, "SELECT count(*) AS n FROM contact_events WHERE type LIKE 'TAG_%'")
    assert events["n"] == 1 + 5 + 2
    # Anything unknown refuses the whole request, and nothing changes.
    unknown = await client.post(
        "/api/contacts/tags/assign",
        headers=alice.headers,
        json={"contactIds": [ids[0], str(uuid.uuid4())], "tagIds": [lead["id"]]},
    )
    assert unknown.status_code == 404
    assert (await _tags(client, alice))["Lead"]["contactCount"] == 1
    limits: list[dict[str, Any]] = [
        {"contactIds": [], "tagIds": [vip["id"]]},
        {"contactIds": ids, "tagIds": []},
        {"contactIds": [str(uuid.uuid4()) for _ in range(1001)], "tagIds": [vip["id"]]},
        {"contactIds": ids, "tagIds": [str(uuid.uuid4()) for _ in range(21)]},
        {"contactIds": ["x"], "tagIds": [vip["id"]]},
    ]
    for limit in limits:
        assert (
            await client.post("/api/contacts/tags/assign", headers=alice.headers, json=limit)
        ).status_code == 400


async def test_merge(client: httpx.AsyncClient, alice: Account) -> None:
    a, b, c = [await create(client, alice, f"55119000000{n:02d}") for n in range(3)]
    hot, warm, target = [await make_tag(client, alice, n) for n in ("Quente", "Morno", "Interessado")]
    await client.post(
        "/api/contacts/tags/assign",
        headers=alice.headers,
        json={"contactIds": [a["id"], b["id"]], "tagIds": [hot["id"]]},
    )
    await client.post(
        "/api/contacts/tags/assign",
        headers=alice.headers,
        json={"contactIds": [b["id"], c["id"]], "tagIds": [warm["id"]]},
    )
    await client.post(f"/api/contacts/{a['id']}/tags/{target['id']}", headers=alice.headers)
    merged = await client.post(
        "/api/contacts/tags/merge",
        headers=alice.headers,
        json={"sourceTagIds": [hot["id"], warm["id"], target["id"]], "targetTagId": target["id"]},
    )
    assert merged.status_code == 200, merged.text
    data = merged.json()["data"]
    assert data["merged"] == 2
    assert data["contactsUpdated"] == 3
    assert data["targetTag"]["id"] == target["id"]
    assert data["targetTag"]["contactCount"] == 3
    assert list(await _tags(client, alice)) == ["Interessado"]
    missing = await client.post(
        "/api/contacts/tags/merge",
        headers=alice.headers,
        json={"sourceTagIds": [str(uuid.uuid4())], "targetTagId": target["id"]},
    )
    assert missing.status_code == 404


async def test_deleting_a_tag_keeps_its_contacts(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    tag = await make_tag(client, alice, "VIP")
    await client.post(f"/api/contacts/{contact['id']}/tags/{tag['id']}", headers=alice.headers)
    await client.delete(f"/api/contacts/tags/{tag['id']}", headers=alice.headers)
    detail = (await client.get(f"/api/contacts/{contact['id']}", headers=alice.headers)).json()["data"]
    assert detail["tags"] == []
