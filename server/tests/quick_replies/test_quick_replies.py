"""Quick replies: validation, unique shortcuts per scope, who may see and change what, tenancy."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import Account, join, login_headers

URL = "/api/quick-replies"


def reply(shortcut: str = "preco", scope: str = "personal", **extra: Any) -> dict[str, Any]:
    return {"shortcut": shortcut, "title": "Preço", "content": "Custa R$ 10", "scope": scope, **extra}


async def create(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await client.post(URL, headers=headers, json=reply(**body))
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def member_headers(client: httpx.AsyncClient, admin: Account, email: str, role: str) -> dict[str, str]:
    await join(client, admin, email, role=role, password="member-password")
    return await login_headers(client, email, "member-password")


async def shortcuts(
    client: httpx.AsyncClient, headers: dict[str, str], search: str | None = None
) -> list[str]:
    response = await client.get(URL, headers=headers, params={"search": search} if search else None)
    assert response.status_code == 200, response.text
    return [r["shortcut"] for r in response.json()["data"]]


async def test_create_normalises_the_shortcut_and_answers_the_contract_shape(
    client: httpx.AsyncClient, alice: Account
) -> None:
    created = await create(client, alice.headers, shortcut="  /Boas-Vindas_2 ", scope="company")
    assert set(created) == {"id", "shortcut", "title", "content", "scope", "createdBy", "updatedAt"}
    assert created["shortcut"] == "Boas-Vindas_2"
    assert created["scope"] == "company"
    assert created["createdBy"] is None
    mine = await create(client, alice.headers, shortcut="/preço")
    assert mine["shortcut"] == "preço"
    assert mine["scope"] == "personal"
    assert mine["createdBy"] == alice.user_id


@pytest.mark.parametrize(
    "body",
    [
        reply(shortcut=""),
        reply(shortcut="/"),
        reply(shortcut="two words"),
        reply(shortcut="a" * 41),
        reply(shortcut="preço!"),
        reply(shortcut="a/b"),
        reply(title=""),
        reply(title="   "),
        reply(title="t" * 101),
        reply(content=""),
        reply(content="  \n "),
        reply(content="c" * 4097),
        reply(scope="team"),
        reply(bogus=1),
        {"shortcut": "x", "title": "t"},
    ],
)
async def test_create_validates_its_input(
    client: httpx.AsyncClient, alice: Account, body: dict[str, Any]
) -> None:
    response = await client.post(URL, headers=alice.headers, json=body)
    assert response.status_code == 400, (body, response.text)
    assert response.json()["success"] is False
    assert response.json()["details"]


async def test_limits_are_inclusive(client: httpx.AsyncClient, alice: Account) -> None:
    created = await create(
        client, alice.headers, shortcut="/" + "a" * 40, title="t" * 100, content="c" * 4096
    )
    assert created["shortcut"] == "a" * 40
    assert (await create(client, alice.headers, shortcut="1"))["shortcut"] == "1"


async def test_a_shortcut_is_unique_per_scope_ignoring_case(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await create(client, alice.headers, shortcut="preco", scope="company")
    taken = await client.post(URL, headers=alice.headers, json=reply(shortcut="/PRECO", scope="company"))
    assert taken.status_code == 409
    assert taken.json()["code"] == "conflict"
    assert "/PRECO" in taken.json()["error"]
    # The other scope, another member's personal set and another company are separate name spaces.
    await create(client, alice.headers, shortcut="preco", scope="personal")
    again = await client.post(URL, headers=alice.headers, json=reply(shortcut="Preco", scope="personal"))
    assert again.status_code == 409
    colleague = await member_headers(client, alice, "m@example.com", "member")
    await create(client, colleague, shortcut="preco")


async def test_two_simultaneous_creates_of_one_shortcut_give_one_conflict(
    client: httpx.AsyncClient, alice: Account
) -> None:
    # No check-then-insert: the unique index decides, so a race cannot produce duplicates.
    responses = await asyncio.gather(
        *(
            client.post(URL, headers=alice.headers, json=reply(shortcut=s, scope="company"))
            for s in ("x", "X")
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await shortcuts(client, alice.headers) in (["x"], ["X"])


async def test_another_company_may_use_the_same_shortcut(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    await create(client, alice.headers, shortcut="preco", scope="company")
    await create(client, bob.headers, shortcut="preco", scope="company")


async def test_list_shows_company_replies_and_only_the_callers_own(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await create(client, alice.headers, shortcut="empresa", scope="company")
    await create(client, alice.headers, shortcut="da-alice")
    colleague = await member_headers(client, alice, "m@example.com", "member")
    await create(client, colleague, shortcut="do-colega")
    assert await shortcuts(client, alice.headers) == ["da-alice", "empresa"]
    assert await shortcuts(client, colleague) == ["do-colega", "empresa"]


async def test_search_folds_case_and_accents_over_shortcut_title_and_content(
    client: httpx.AsyncClient, alice: Account
) -> None:
    await create(client, alice.headers, shortcut="preco", title="Tabela", content="valores")
    await create(client, alice.headers, shortcut="horario", title="Horário de ATENDIMENTO", content="8h")
    await create(client, alice.headers, shortcut="pix", title="Pagamento", content="Chave: ação@loja.com")
    await create(client, alice.headers, shortcut="desc_50", title="Desconto", content="50% off")
    assert await shortcuts(client, alice.headers, "PRE") == ["preco"]
    assert await shortcuts(client, alice.headers, "/pre") == ["preco"]
    assert await shortcuts(client, alice.headers, "horario de atendimento") == ["horario"]
    assert await shortcuts(client, alice.headers, "ACAO") == ["pix"]
    # LIKE's wildcards are taken literally.
    assert await shortcuts(client, alice.headers, "%") == ["desc_50"]
    assert await shortcuts(client, alice.headers, "c_5") == ["desc_50"]
    assert await shortcuts(client, alice.headers, "nada") == []
    too_long = await client.get(URL, headers=alice.headers, params={"search": "x" * 101})
    assert too_long.status_code == 400


async def test_only_admins_and_coordinators_manage_company_replies(
    client: httpx.AsyncClient, alice: Account
) -> None:
    company_reply = await create(client, alice.headers, shortcut="empresa", scope="company")
    url = f"{URL}/{company_reply['id']}"
    member = await member_headers(client, alice, "m@example.com", "member")
    refused = await client.post(URL, headers=member, json=reply(scope="company"))
    assert refused.status_code == 403
    assert "coordenadores" in refused.json()["error"]
    assert (await client.put(url, headers=member, json={"title": "x"})).status_code == 403
    assert (await client.delete(url, headers=member)).status_code == 403
    # Nor may a member publish a personal reply to the company.
    own = await create(client, member, shortcut="minha")
    promoted = await client.put(f"{URL}/{own['id']}", headers=member, json={"scope": "company"})
    assert promoted.status_code == 403

    coordinator = await member_headers(client, alice, "c@example.com", "coordinator")
    await create(client, coordinator, shortcut="do-coordenador", scope="company")
    updated = await client.put(
        url, headers=coordinator, json={"title": "Novo título", "shortcut": "/empresa2"}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["title"] == "Novo título"
    assert updated.json()["data"]["shortcut"] == "empresa2"
    assert (await client.delete(url, headers=coordinator)).status_code == 200
    assert await shortcuts(client, alice.headers) == ["do-coordenador"]  # not the member's own


async def test_personal_replies_are_invisible_to_other_members_even_admins(
    client: httpx.AsyncClient, alice: Account
) -> None:
    member = await member_headers(client, alice, "m@example.com", "member")
    private = await create(client, member, shortcut="segredo", content="só meu")
    url = f"{URL}/{private['id']}"
    assert await shortcuts(client, alice.headers) == []
    assert (await client.put(url, headers=alice.headers, json={"title": "x"})).status_code == 404
    assert (await client.delete(url, headers=alice.headers)).status_code == 404
    assert (await client.post(f"{url}/render", headers=alice.headers, json={})).status_code == 404
    # The owner keeps full control of it.
    assert (await client.put(url, headers=member, json={"content": "ainda meu"})).status_code == 200
    assert (await client.post(f"{url}/render", headers=member, json={})).json()["data"]["text"] == "ainda meu"
    assert (await client.delete(url, headers=member)).status_code == 200
    assert await shortcuts(client, member) == []


async def test_another_companys_replies_are_not_found(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    theirs = await create(client, bob.headers, shortcut="bob", scope="company")
    url = f"{URL}/{theirs['id']}"
    assert await shortcuts(client, alice.headers) == []
    assert (await client.put(url, headers=alice.headers, json={"title": "x"})).status_code == 404
    assert (await client.delete(url, headers=alice.headers)).status_code == 404
    assert (await client.post(f"{url}/render", headers=alice.headers, json={})).status_code == 404
    assert await shortcuts(client, bob.headers) == ["bob"]
    missing = await client.put(f"{URL}/{uuid.uuid4()}", headers=alice.headers, json={"title": "x"})
    assert missing.status_code == 404
    assert (await client.delete(f"{URL}/not-a-uuid", headers=alice.headers)).status_code == 400


async def test_update_validates_and_keeps_shortcuts_unique(client: httpx.AsyncClient, alice: Account) -> None:
    first = await create(client, alice.headers, shortcut="um", scope="company")
    second = await create(client, alice.headers, shortcut="dois", scope="company")
    url = f"{URL}/{second['id']}"
    clash = await client.put(url, headers=alice.headers, json={"shortcut": "UM"})
    assert clash.status_code == 409
    for body in ({"shortcut": "com espaço"}, {"title": ""}, {"content": "x" * 4097}, {"owner": "x"}):
        assert (await client.put(url, headers=alice.headers, json=body)).status_code == 400, body
    # Renaming to its own shortcut in another case is not a clash with itself.
    same = await client.put(f"{URL}/{first['id']}", headers=alice.headers, json={"shortcut": "UM"})
    assert same.status_code == 200
    assert same.json()["data"]["updatedAt"] >= first["updatedAt"]
    listed = (await client.get(URL, headers=alice.headers)).json()["data"]
    assert [(r["shortcut"], r["title"]) for r in listed] == [("dois", "Preço"), ("UM", "Preço")]


async def test_moving_a_reply_between_scopes(client: httpx.AsyncClient, alice: Account) -> None:
    company_reply = await create(client, alice.headers, shortcut="oi", scope="company")
    await create(client, alice.headers, shortcut="oi", scope="personal")
    url = f"{URL}/{company_reply['id']}"
    # The personal set already has /oi.
    assert (await client.put(url, headers=alice.headers, json={"scope": "personal"})).status_code == 409
    moved = await client.put(url, headers=alice.headers, json={"scope": "personal", "shortcut": "ola"})
    assert moved.status_code == 200
    assert moved.json()["data"]["scope"] == "personal"
    assert moved.json()["data"]["createdBy"] == alice.user_id
    member = await member_headers(client, alice, "m@example.com", "member")
    assert await shortcuts(client, member) == []
    back = await client.put(url, headers=alice.headers, json={"scope": "company"})
    assert back.json()["data"]["scope"] == "company"
    assert await shortcuts(client, member) == ["ola"]
