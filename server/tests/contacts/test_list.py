"""The contact list: search, filters, sort, pagination."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import Account, Services, _with_database
from tests.contacts.helpers import create, fill_contacts, make_tag, sql


async def _ids(client: httpx.AsyncClient, account: Account, **params: Any) -> list[str]:
    response = await client.get("/api/contacts", headers=account.headers, params=params)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()["data"]["contacts"]]


async def test_search_ignores_accents_and_case(client: httpx.AsyncClient, alice: Account) -> None:
    joao = await create(client, alice, "5511911110000", name="João Ávila", email="joao@empresa.com.br")
    maria = await create(client, alice, "5521922220000", name="MARIA 100%_certa")
    for term in ("joao", "JOÃO", "avila", "ÁVILA", "ão Áv", "EMPRESA.com"):
        assert await _ids(client, alice, search=term) == [joao["id"]], term
    # Numbers are found however they are written.
    for term in ("5521922220000", "(21) 92222-0000", "92222", "+55 21"):
        assert await _ids(client, alice, search=term) == [maria["id"]], term
    # LIKE's wildcards are plain characters in a search.
    assert await _ids(client, alice, search="100%_") == [maria["id"]]
    assert await _ids(client, alice, search="%") == [maria["id"]]
    assert await _ids(client, alice, search="_") == [maria["id"]]
    assert await _ids(client, alice, search="nobody") == []
    assert len(await _ids(client, alice, search="   ")) == 2


async def test_filters(client: httpx.AsyncClient, alice: Account, services: Services) -> None:
    a = await create(client, alice, "5511900000001", name="A")
    b = await create(client, alice, "5511900000002", name="B")
    c = await create(client, alice, "5511900000003", name="C")
    vip, lead = await make_tag(client, alice, "VIP"), await make_tag(client, alice, "Lead")
    await client.post(
        "/api/contacts/tags/assign",
        headers=alice.headers,
        json={"contactIds": [a["id"], b["id"]], "tagIds": [vip["id"]]},
    )
    await client.post(f"/api/contacts/{a['id']}/tags/{lead['id']}", headers=alice.headers)
    both = f"{vip['id']},{lead['id']}"
    assert sorted(await _ids(client, alice, tagIds=both)) == sorted([a["id"], b["id"]])
    assert await _ids(client, alice, tagIds=both, tagMatch="all") == [a["id"]]
    assert await _ids(client, alice, tagIds=lead["id"]) == [a["id"]]
    assert await _ids(client, alice, tagIds=str(uuid.uuid4())) == []

    await client.post(f"/api/contacts/{c['id']}/toggle-block", headers=alice.headers)
    assert await _ids(client, alice, isBlocked="true") == [c["id"]]
    assert sorted(await _ids(client, alice, isBlocked="false")) == sorted([a["id"], b["id"]])

    stages = await sql(
        services,
        "SELECT id, funnel_id FROM funnel_stages WHERE company_id = $1 ORDER BY position",
        uuid.UUID(alice.company_id),
    )
    first, second, third = stages[0], stages[1], stages[2]
    funnel = first["funnel_id"]
    # A sits in the first stage itself; B has an OPEN deal in the second; C a WON deal there.
    await sql(
        services,
        "UPDATE contacts SET stage_id = $1, funnel_id = $2 WHERE id = $3",
        first["id"],
        funnel,
        uuid.UUID(a["id"]),
    )
    for contact, status in ((b, "OPEN"), (c, "WON")):
        await sql(
            services,
            """INSERT INTO deals (id, company_id, funnel_id, stage_id, contact_id, title, status)
               VALUES (gen_random_uuid(), $1, $2, $3, $4, 'Negócio', $5)""",
            uuid.UUID(alice.company_id),
            funnel,
            second["id"],
            uuid.UUID(contact["id"]),
            status,
        )
    assert await _ids(client, alice, stageId=str(first["id"])) == [a["id"]]
    assert await _ids(client, alice, stageId=str(second["id"])) == [b["id"]]
    assert await _ids(client, alice, stageId=str(third["id"])) == []
    assert sorted(await _ids(client, alice, funnelId=str(funnel))) == sorted([a["id"], b["id"]])
    assert await _ids(client, alice, funnelId=str(uuid.uuid4())) == []
    [listed] = (
        await client.get("/api/contacts", headers=alice.headers, params={"stageId": str(first["id"])})
    ).json()["data"]["contacts"]
    assert listed["currentStage"]["id"] == str(first["id"])
    assert listed["currentStage"]["name"] == "Novo lead"
    assert listed["currentStage"]["funnelName"] == "Funil de vendas"
    assert [t["name"] for t in listed["tags"]] == ["Lead", "VIP"]


async def test_date_filters(client: httpx.AsyncClient, alice: Account, services: Services) -> None:
    old = await create(client, alice, "5511900000001", name="Antigo")
    new = await create(client, alice, "5511900000002", name="Novo")
    await sql(
        services,
        "UPDATE contacts SET created_at = '2025-01-10T12:00:00-03:00', last_activity_at = NULL WHERE id = $1",
        uuid.UUID(old["id"]),
    )
    await sql(
        services,
        "UPDATE contacts SET created_at = '2025-03-01T02:00:00Z', last_activity_at = '2025-03-02T10:00:00Z'"
        " WHERE id = $1",
        uuid.UUID(new["id"]),
    )
    assert await _ids(client, alice, createdTo="2025-01-10") == [old["id"]]
    assert await _ids(client, alice, createdFrom="2025-01-11") == [new["id"]]
    # 02:00 UTC on 1 March is still 28 February in São Paulo (the company's time zone).
    assert await _ids(client, alice, createdFrom="2025-02-28", createdTo="2025-02-28") == [new["id"]]
    assert await _ids(client, alice, createdFrom="2025-03-01T00:00:00Z") == [new["id"]]
    assert await _ids(client, alice, activityFrom="2025-03-01", activityTo="2025-03-31") == [new["id"]]
    assert await _ids(client, alice, activityTo="2025-03-01") == []
    for field in ("createdFrom", "createdTo", "activityFrom", "activityTo"):
        response = await client.get("/api/contacts", headers=alice.headers, params={field: "31/12/2025"})
        assert response.status_code == 400
        assert response.json()["details"][0]["field"] == field


async def test_sort_and_pagination(client: httpx.AsyncClient, alice: Account, services: Services) -> None:
    names = ["bruno", "Álvaro", "carla", "Ana"]
    made = [await create(client, alice, f"55119000000{i:02d}", name=n) for i, n in enumerate(names)]
    by_name = {c["name"]: c["id"] for c in made}
    assert await _ids(client, alice, sort="name") == [by_name[n] for n in ("Álvaro", "Ana", "bruno", "carla")]
    assert await _ids(client, alice, sort="-name") == [
        by_name[n] for n in ("carla", "bruno", "Ana", "Álvaro")
    ]
    assert await _ids(client, alice) == [c["id"] for c in reversed(made)]  # -createdAt by default
    assert await _ids(client, alice, sort="createdAt") == [c["id"] for c in made]
    await sql(
        services, "UPDATE contacts SET last_activity_at = now() - interval '1 day' WHERE name = 'carla'"
    )
    await sql(services, "UPDATE contacts SET last_activity_at = now() WHERE name = 'Ana'")
    latest = await _ids(client, alice, sort="-lastActivityAt")
    assert latest[:2] == [by_name["Ana"], by_name["carla"]]  # never active last
    assert (await _ids(client, alice, sort="lastActivityAt"))[:2] == [by_name["carla"], by_name["Ana"]]
    page = (await client.get("/api/contacts", headers=alice.headers, params={"limit": 3, "page": 2})).json()[
        "data"
    ]
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 4, "totalPages": 2, "totalIsCapped": False}
    assert [c["id"] for c in page["contacts"]] == [made[0]["id"]]
    for params in (
        {"sort": "phone"},
        {"sort": "--name"},
        {"limit": 101},
        {"limit": 0},
        {"page": 0},
        {"tagIds": "x"},
        {"tagMatch": "some"},
        {"isBlocked": "maybe"},
        {"stageId": "x"},
    ):
        response = await client.get("/api/contacts", headers=alice.headers, params=params)
        assert response.status_code == 400, params


async def test_large_lists_count_up_to_a_cap_that_still_reaches_the_next_page(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    await fill_contacts(services, alice.company_id, 1100)

    async def pagination(page: int) -> dict[str, Any]:
        response = await client.get(
            "/api/contacts", headers=alice.headers, params={"limit": 50, "page": page}
        )
        assert len(response.json()["data"]["contacts"]) == 50
        return response.json()["data"]["pagination"]  # type: ignore[no-any-return]

    assert await pagination(1) == {
        "page": 1,
        "limit": 50,
        "total": 1000,
        "totalPages": 20,
        "totalIsCapped": True,
    }
    # Further on, the count reaches past the next page, so paging never stops early…
    assert await pagination(20) == {
        "page": 20,
        "limit": 50,
        "total": 1050,
        "totalPages": 21,
        "totalIsCapped": True,
    }
    # …and near the end it is exact.
    assert await pagination(22) == {
        "page": 22,
        "limit": 50,
        "total": 1100,
        "totalPages": 22,
        "totalIsCapped": False,
    }


async def test_searches_page_without_counting(client: httpx.AsyncClient, alice: Account) -> None:
    for n in range(3):
        await create(client, alice, f"551190000000{n}", name=f"Silva {n}")
    await create(client, alice, "5511900000009", name="Outro")

    async def page(number: int) -> dict[str, Any]:
        params: dict[str, str | int] = {"search": "silva", "limit": 2, "page": number}
        data = (await client.get("/api/contacts", headers=alice.headers, params=params)).json()["data"]
        return {"names": [c["name"] for c in data["contacts"]], **data["pagination"]}

    assert await page(1) == {
        "names": ["Silva 2", "Silva 1"],
        "page": 1,
        "limit": 2,
        "total": 3,
        "totalPages": 2,
        "totalIsCapped": True,
    }
    assert await page(2) == {
        "names": ["Silva 0"],
        "page": 2,
        "limit": 2,
        "total": 3,
        "totalPages": 2,
        "totalIsCapped": False,
    }


async def test_search_follows_renames_and_deletions(client: httpx.AsyncClient, alice: Account) -> None:
    """The searchable copy (private.contact_search, kept by triggers) changes with the contact."""
    contact = await create(client, alice, "5511933330000", name="Beatriz Lima")
    assert await _ids(client, alice, search="beatriz") == [contact["id"]]
    renamed = await client.put(
        f"/api/contacts/{contact['id']}", headers=alice.headers, json={"name": "Bia Conceição"}
    )
    assert renamed.status_code == 200, renamed.text
    assert await _ids(client, alice, search="beatriz") == []
    assert await _ids(client, alice, search="conceicao") == [contact["id"]]
    deleted = await client.delete(f"/api/contacts/{contact['id']}", headers=alice.headers)
    assert deleted.status_code in (200, 204), deleted.text
    assert await _ids(client, alice, search="conceicao") == []


async def test_search_sees_only_the_callers_company(
    client: httpx.AsyncClient, alice: Account, bob: Account, services: Services
) -> None:
    mine = await create(client, alice, "5511944440000", name="Rafaela Souza")
    theirs = await create(client, bob, "5511944440000", name="Rafaela Souza")
    assert await _ids(client, alice, search="rafaela") == [mine["id"]]
    assert await _ids(client, bob, search="rafaela") == [theirs["id"]]
    # In the database: the application role cannot read the copy, and the function answers only for
    # the transaction's own company, whatever company it is asked about.
    app_url = _with_database(services.app_url, services.app_url.rsplit("/", 1)[1])
    connection = await asyncpg.connect(app_url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.fetch("SELECT * FROM private.contact_search")
        ids = "SELECT array_agg(x::text) FROM contact_search_ids($1::uuid, '%rafaela%', 10) AS x"
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.company_id', $1, true)", alice.company_id)
            assert await connection.fetchval(ids, alice.company_id) == [mine["id"]]
            assert await connection.fetchval(ids, bob.company_id) is None
        assert await connection.fetchval(ids, bob.company_id) is None  # no tenant set
    finally:
        await connection.close()


async def test_a_common_term_and_a_rare_one_find_the_same_pages(
    client: httpx.AsyncClient, alice: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Up to SEARCH_BY_ID_MAX matches are read by primary key, more by the plain LIKE: same answers."""
    from evoai.contacts import criteria

    made = [await create(client, alice, f"55119555500{n:02d}", name=f"Otávio {n}") for n in range(5)]
    newest_first = [c["id"] for c in reversed(made)]
    for cap in (100, 2):  # by id; then too many matches for the cap
        monkeypatch.setattr(criteria, "SEARCH_BY_ID_MAX", cap)
        assert await _ids(client, alice, search="otavio") == newest_first, cap
        assert await _ids(client, alice, search="otavio", limit=2, page=2) == newest_first[2:4], cap
        assert await _ids(client, alice, search="otavio 3") == [made[3]["id"]], cap
