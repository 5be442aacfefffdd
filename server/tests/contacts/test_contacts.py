"""Contacts: create, read, change, block, delete; validation, duplicates, permissions, tenancy."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from tests.conftest import Account, Services
from tests.contacts.helpers import create, reader, seller, sql
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def test_create_and_read_a_contact(client: httpx.AsyncClient, alice: Account) -> None:
    created = await create(
        client,
        alice,
        "+55 (11) 98765-4321",
        name="  Mariana Costa ",
        email="Mariana@Example.COM",
        notes="Cliente VIP",
        customFields={"empresa": "Acme", "cargo": "Gerente"},
    )
    assert created["phoneNumber"] == "5511987654321"
    assert created["name"] == "Mariana Costa"
    assert created["displayName"] == "Mariana Costa"
    assert created["email"] == "Mariana@example.com"
    assert created["source"] == "manual"
    assert created["isBlocked"] is False
    assert created["tags"] == []
    assert created["conversations"] == []
    assert created["deals"] == []
    assert created["customFields"] == {"empresa": "Acme", "cargo": "Gerente"}
    assert created["currentStage"] is None
    assert created["aiProfile"] is None
    assert isinstance(created["publicId"], int)
    fetched = await client.get(f"/api/contacts/{created['id']}", headers=alice.headers)
    assert fetched.status_code == 200
    assert fetched.json()["data"] == created
    events = (await client.get(f"/api/contacts/{created['id']}/timeline", headers=alice.headers)).json()
    [event] = events["data"]["items"]
    assert (event["type"], event["actor"], event["user"]["id"]) == ("CREATED", "user", alice.user_id)


async def test_invalid_bodies_are_400_with_details(client: httpx.AsyncClient, alice: Account) -> None:
    cases: list[tuple[Any, str]] = [
        ({}, "phoneNumber"),
        ({"phoneNumber": "1234567"}, "phoneNumber"),  # 7 digits
        ({"phoneNumber": "1234567890123456"}, "phoneNumber"),  # 16 digits
        ({"phoneNumber": "55 11 9876x4321"}, "phoneNumber"),
        ({"phoneNumber": "５５１１９８７６５４３２１"}, "phoneNumber"),  # full-width digits
        ({"phoneNumber": "5511987654321", "email": "not-an-email"}, "email"),
        ({"phoneNumber": "5511987654321", "name": "x" * 256}, "name"),
        ({"phoneNumber": "5511987654321", "notes": "x" * 10_001}, "notes"),
        ({"phoneNumber": "5511987654321", "customFields": [1]}, "customFields"),
        ({"phoneNumber": "5511987654321", "customFields": {str(i): i for i in range(51)}}, "customFields"),
        ({"phoneNumber": "5511987654321", "bogus": 1}, "bogus"),
        ({"phoneNumber": "5511987654321", "name": "a\x00b"}, "name"),
    ]
    for body, field in cases:
        response = await client.post("/api/contacts", headers=alice.headers, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["details"][0]["field"] == field, (body, response.text)
    not_json = await client.post(
        "/api/contacts", headers={**alice.headers, "content-type": "application/json"}, content=b"{"
    )
    assert not_json.status_code == 400
    assert (await client.get("/api/contacts", headers=alice.headers)).json()["data"]["pagination"][
        "total"
    ] == 0


async def test_same_number_or_its_9th_digit_variant_is_409(client: httpx.AsyncClient, alice: Account) -> None:
    first = await create(client, alice, "5511999999999", name="Primeiro")
    for variant in ("5511999999999", "+55 11 99999-9999", "551199999999"):
        response = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": variant})
        assert response.status_code == 409, variant
        body = response.json()
        assert body["code"] == "contact_exists"
        assert body["error"] == "Já existe um contato com este número: Primeiro"
        assert body["details"][0]["field"] == "phoneNumber"
        assert body["details"][0]["contactId"] == first["id"]


async def test_concurrent_creates_of_one_number_give_one_contact(
    client: httpx.AsyncClient, alice: Account
) -> None:
    async def attempt(phone: str) -> int:
        response = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": phone})
        return response.status_code

    codes = await asyncio.gather(*(attempt(p) for p in ["5511988887777", "551188887777"] * 3))
    assert sorted(codes) == [201, 409, 409, 409, 409, 409]
    listing = (await client.get("/api/contacts", headers=alice.headers)).json()["data"]
    assert listing["pagination"]["total"] == 1


async def test_a_number_whatsapp_created_is_a_duplicate(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    body = text_upsert(gateway, message_id="M1", number="5511987654321", text="Oi")
    assert (await gateway.post(client, body)).status_code == 200
    response = await client.post("/api/contacts", headers=alice.headers, json={"phoneNumber": "551187654321"})
    assert response.status_code == 409
    assert response.json()["error"].endswith("Mariana Costa")


async def test_update_changes_only_what_was_sent(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321", name="Ana", email="ana@example.com", notes="n")
    url = f"/api/contacts/{contact['id']}"
    updated = await client.put(
        url, headers=alice.headers, json={"name": "Ana Maria", "customFields": {"a": 1}}
    )
    assert updated.status_code == 200, updated.text
    data = updated.json()["data"]
    assert (data["name"], data["email"], data["notes"], data["customFields"]) == (
        "Ana Maria",
        "ana@example.com",
        "n",
        {"a": 1},
    )
    cleared = (await client.put(url, headers=alice.headers, json={"email": None, "notes": ""})).json()["data"]
    assert cleared["email"] is None
    assert cleared["notes"] is None
    assert cleared["name"] == "Ana Maria"
    phone = (await client.put(url, headers=alice.headers, json={"phoneNumber": "5521912345678"})).json()[
        "data"
    ]
    assert phone["phoneNumber"] == "5521912345678"
    for body in ({"phoneNumber": None}, {"phoneNumber": "12"}, {"customFields": None}, {"email": "x@"}):
        assert (await client.put(url, headers=alice.headers, json=body)).status_code == 400, body
    timeline = (await client.get(f"{url}/timeline", headers=alice.headers)).json()["data"]["items"]
    assert [i["type"] for i in timeline] == ["UPDATED", "UPDATED", "UPDATED", "CREATED"]
    assert timeline[-2]["payload"] == {"fields": ["name", "customFields"]}


async def test_update_refuses_a_number_of_another_contact(client: httpx.AsyncClient, alice: Account) -> None:
    other = await create(client, alice, "5511911112222", name="Outro")
    contact = await create(client, alice, "5511933334444")
    response = await client.put(
        f"/api/contacts/{contact['id']}", headers=alice.headers, json={"phoneNumber": "551111112222"}
    )
    assert response.status_code == 409
    assert response.json()["details"][0]["contactId"] == other["id"]


async def test_the_number_of_a_contact_with_conversations_is_locked(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="M1", number="5511987654321", text="Oi"))
    [contact] = (await client.get("/api/contacts", headers=alice.headers)).json()["data"]["contacts"]
    url = f"/api/contacts/{contact['id']}"
    locked = await client.put(url, headers=alice.headers, json={"phoneNumber": "5511900001111"})
    assert locked.status_code == 409
    assert locked.json()["code"] == "phone_locked"
    # Writing the same person's number the other way (9th digit) is not a change of identity.
    same = await client.put(url, headers=alice.headers, json={"phoneNumber": "551187654321"})
    assert same.status_code == 200
    detail = same.json()["data"]
    assert detail["phoneNumber"] == "551187654321"
    assert [c["unreadCount"] for c in detail["conversations"]] == [1]
    assert detail["conversations"][0]["instanceName"] == gateway.name


async def test_toggle_block(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    url = f"/api/contacts/{contact['id']}/toggle-block"
    blocked = (await client.post(url, headers=alice.headers)).json()["data"]
    assert blocked["id"] == contact["id"]
    assert blocked["isBlocked"] is True
    assert blocked["updatedAt"]
    assert (await client.post(url, headers=alice.headers)).json()["data"]["isBlocked"] is False
    timeline = (await client.get(f"/api/contacts/{contact['id']}/timeline", headers=alice.headers)).json()
    assert [i["type"] for i in timeline["data"]["items"]][:2] == ["UNBLOCKED", "BLOCKED"]


async def test_delete_keeps_conversations_and_deals(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, text_upsert(gateway, message_id="M1", number="5511987654321", text="Oi"))
    [contact] = (await client.get("/api/contacts", headers=alice.headers)).json()["data"]["contacts"]
    await sql(
        services,
        """INSERT INTO deals (id, company_id, funnel_id, stage_id, contact_id, title)
           SELECT gen_random_uuid(), s.company_id, s.funnel_id, s.id, $1, 'Proposta'
           FROM funnel_stages s WHERE s.company_id = $2 AND s.position = 0""",
        uuid.UUID(contact["id"]),
        uuid.UUID(alice.company_id),
    )
    url = f"/api/contacts/{contact['id']}"
    await client.post(f"{url}/notes", headers=alice.headers, json={"content": "nota"})
    deleted = await client.delete(url, headers=alice.headers)
    assert deleted.json() == {"success": True, "message": "Contato removido"}
    assert (await client.get(url, headers=alice.headers)).status_code == 404
    assert (await client.delete(url, headers=alice.headers)).status_code == 404
    [conversation] = await sql(services, "SELECT contact_id FROM whatsapp_conversations")
    assert conversation["contact_id"] is None
    assert len(await sql(services, "SELECT 1 FROM whatsapp_messages")) == 1
    [deal] = await sql(services, "SELECT contact_id, title FROM deals")
    assert (deal["contact_id"], deal["title"]) == (None, "Proposta")
    assert await sql(services, "SELECT 1 FROM contact_notes UNION ALL SELECT 1 FROM contact_events") == []


async def test_changes_are_announced_to_the_company(
    client: httpx.AsyncClient, alice: Account, services: Services
) -> None:
    contact = await create(client, alice, "5511987654321")
    await client.post(f"/api/contacts/{contact['id']}/toggle-block", headers=alice.headers)
    rows = await sql(
        services, "SELECT queue, name, payload FROM outbox WHERE name = 'contact-updated' ORDER BY id"
    )
    assert [(r["queue"], r["payload"]) for r in rows] == [
        (f"company:{alice.company_id}", f'{{"id": "{contact["id"]}"}}'),
    ] * 2


async def test_members_without_the_permission_only_read(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    tag = (await client.post("/api/contacts/tags", headers=alice.headers, json={"name": "VIP"})).json()[
        "data"
    ]
    headers = await reader(client, alice)
    url = f"/api/contacts/{contact['id']}"
    assert (await client.get("/api/contacts", headers=headers)).status_code == 200
    assert (await client.get(url, headers=headers)).status_code == 200
    assert (await client.get(f"{url}/timeline", headers=headers)).status_code == 200
    assert (await client.get("/api/contacts/tags/list", headers=headers)).status_code == 200
    writes = [
        ("POST", "/api/contacts", {"phoneNumber": "5511911112222"}),
        ("PUT", url, {"name": "x"}),
        ("DELETE", url, None),
        ("POST", f"{url}/toggle-block", None),
        ("POST", f"{url}/notes", {"content": "x"}),
        ("POST", f"{url}/tags/{tag['id']}", None),
        ("DELETE", f"{url}/tags/{tag['id']}", None),
        ("POST", "/api/contacts/tags", {"name": "Nova"}),
        ("PUT", f"/api/contacts/tags/{tag['id']}", {"name": "y"}),
        ("DELETE", f"/api/contacts/tags/{tag['id']}", None),
        ("POST", "/api/contacts/tags/merge", {"sourceTagIds": [tag["id"]], "targetTagId": tag["id"]}),
        ("POST", "/api/contacts/tags/assign", {"contactIds": [contact["id"]], "tagIds": [tag["id"]]}),
        ("POST", "/api/contacts/tags/unassign", {"contactIds": [contact["id"]], "tagIds": [tag["id"]]}),
        ("POST", f"{url}/erase", {"confirm": "5511987654321"}),
    ]
    for method, path, body in writes:
        response = await client.request(method, path, headers=headers, json=body)
        assert response.status_code == 403, (method, path, response.text)
    imported = await client.post(
        "/api/contacts/import",
        headers=headers,
        files={"file": ("c.csv", b"phone\n5511900000000\n", "text/csv")},
    )
    assert imported.status_code == 403
    # A plain member manages contacts (the role's default) but erasing is for admins only.
    member = await seller(client, alice)
    assert (await client.put(url, headers=member, json={"name": "Z"})).status_code == 200
    assert (await client.post(f"{url}/erase", headers=member, json={"confirm": "Z"})).status_code == 403


async def test_other_companies_contacts_do_not_exist(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    theirs = await create(client, bob, "5511987654321", name="Do Bob")
    note = (
        await client.post(f"/api/contacts/{theirs['id']}/notes", headers=bob.headers, json={"content": "x"})
    ).json()["data"]
    tag = (await client.post("/api/contacts/tags", headers=bob.headers, json={"name": "Bob"})).json()["data"]
    # The same number is free in another company.
    mine = await create(client, alice, "5511987654321", name="Da Alice")
    url = f"/api/contacts/{theirs['id']}"
    calls = [
        ("GET", url, None),
        ("PUT", url, {"name": "x"}),
        ("DELETE", url, None),
        ("POST", f"{url}/toggle-block", None),
        ("GET", f"{url}/notes", None),
        ("POST", f"{url}/notes", {"content": "x"}),
        ("DELETE", f"{url}/notes/{note['id']}", None),
        ("DELETE", f"/api/contacts/{mine['id']}/notes/{note['id']}", None),
        ("GET", f"{url}/history", None),
        ("GET", f"{url}/timeline", None),
        ("GET", f"{url}/export", None),
        ("POST", f"{url}/erase", {"confirm": "5511987654321"}),
        ("POST", f"{url}/tags/{tag['id']}", None),
        ("POST", f"/api/contacts/{mine['id']}/tags/{tag['id']}", None),
        ("DELETE", f"/api/contacts/{mine['id']}/tags/{tag['id']}", None),
        ("PUT", f"/api/contacts/tags/{tag['id']}", {"name": "x"}),
        ("DELETE", f"/api/contacts/tags/{tag['id']}", None),
        ("POST", "/api/contacts/tags/assign", {"contactIds": [mine["id"]], "tagIds": [tag["id"]]}),
        ("POST", "/api/contacts/tags/unassign", {"contactIds": [theirs["id"]], "tagIds": [tag["id"]]}),
        ("POST", "/api/contacts/tags/merge", {"sourceTagIds": [tag["id"]], "targetTagId": tag["id"]}),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, headers=alice.headers, json=body)
        assert response.status_code == 404, (method, path, response.text)
    listing = (await client.get("/api/contacts", headers=alice.headers)).json()["data"]
    assert [c["id"] for c in listing["contacts"]] == [mine["id"]]
    assert (await client.get("/api/contacts/tags/list", headers=alice.headers)).json()["data"] == []
    search = await client.get("/api/contacts", headers=alice.headers, params={"search": "Bob"})
    assert search.json()["data"]["contacts"] == []
    theirs_again = (await client.get(url, headers=bob.headers)).json()["data"]
    assert theirs_again["name"] == "Do Bob"


async def test_bad_ids_are_400_and_unknown_ids_404(client: httpx.AsyncClient, alice: Account) -> None:
    for path in ("/api/contacts/not-a-uuid", "/api/contacts/123/notes", "/api/contacts/x/timeline"):
        response = await client.get(path, headers=alice.headers)
        assert response.status_code == 400, path
        assert response.json()["details"][0]["field"] == "contact_id"
    missing = uuid.uuid4()
    for path in (f"/api/contacts/{missing}", f"/api/contacts/{missing}/history"):
        assert (await client.get(path, headers=alice.headers)).status_code == 404
    contact = await create(client, alice, "5511987654321")
    bad_note = await client.delete(f"/api/contacts/{contact['id']}/notes/{missing}", headers=alice.headers)
    assert bad_note.status_code == 404
    assert (await client.get("/api/contacts", headers={})).status_code == 401


async def test_odd_inputs_are_never_a_server_error(client: httpx.AsyncClient, alice: Account) -> None:
    contact = await create(client, alice, "5511987654321")
    url = f"/api/contacts/{contact['id']}"
    expected: list[tuple[str, str, dict[str, Any], Any, int]] = [
        ("GET", "/api/contacts", {"search": "a\x00b"}, None, 400),
        ("GET", "/api/contacts", {"createdTo": "9999-12-31"}, None, 400),
        ("GET", "/api/contacts", {"createdFrom": "9999-12-31T23:59:59+14:00"}, None, 200),
        ("GET", "/api/contacts", {"activityFrom": "2025-02-30"}, None, 400),
        ("GET", "/api/contacts", {"page": 100_000}, None, 200),
        ("GET", "/api/contacts", {"search": "()+-"}, None, 200),
        ("GET", "/api/contacts", {"tagIds": ",,"}, None, 200),
        ("GET", f"{url}/timeline", {"before": "a\x00"}, None, 400),
        ("PUT", url, {}, [], 400),
        ("PUT", url, {}, {"customFields": {"a": {"b": "\x00"}}}, 400),
        ("POST", "/api/contacts", {}, {"phoneNumber": 5511987654322}, 400),
        ("POST", f"{url}/notes", {}, None, 400),
        ("POST", "/api/contacts/tags/merge", {}, {"sourceTagIds": [], "targetTagId": str(uuid.uuid4())}, 400),
        ("POST", f"{url}/erase", {}, {"confirm": "x" * 256}, 400),
    ]
    for method, path, params, body, status in expected:
        response = await client.request(method, path, headers=alice.headers, params=params, json=body)
        assert response.status_code == status, (method, path, params, body, response.text)
    noise = bytes(range(256)) * 40
    garbage = await client.post(
        "/api/contacts/import", headers=alice.headers, files={"file": ("x.csv", noise, "text/csv")}
    )
    assert garbage.status_code == 400
    huge = b"phone\n" + b"5511900000000\n" * 400_000  # ~5.6 MB
    too_big = await client.post(
        "/api/contacts/import", headers=alice.headers, files={"file": ("big.csv", huge, "text/csv")}
    )
    assert too_big.status_code == 413
