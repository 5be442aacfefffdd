"""Validation, permissions, tenant isolation and plan quotas of the WhatsApp API."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from tests.conftest import Account, Services, join, login_headers
from tests.whatsapp.wa_helpers import make_instance, text_upsert


async def _conversation(client: httpx.AsyncClient, account: Account, asgi_app: Any, **kwargs: Any) -> str:
    gateway = await make_instance(asgi_app, account.company_id, **kwargs)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    listing = await client.get("/api/whatsapp/conversations", headers=account.headers)
    return str(listing.json()["data"]["conversations"][0]["id"])


async def test_send_validates_its_input(client: httpx.AsyncClient, alice: Account, asgi_app: Any) -> None:
    conversation_id = await _conversation(client, alice, asgi_app)
    cases: list[dict[str, Any]] = [
        {},
        {"conversationId": conversation_id},
        {"conversationId": conversation_id, "text": "   "},
        {"conversationId": conversation_id, "text": "x" * 4097},
        {"instanceId": str(uuid.uuid4()), "text": "oi"},
        {"instanceId": str(uuid.uuid4()), "to": "123", "text": "oi"},
        {"conversationId": "not-a-uuid", "text": "oi"},
    ]
    for body in cases:
        response = await client.post("/api/whatsapp/send", headers=alice.headers, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["success"] is False
    unknown = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": str(uuid.uuid4()), "text": "oi"}
    )
    assert unknown.status_code == 404
    reaction = await client.post(
        "/api/whatsapp/send-reaction",
        headers=alice.headers,
        json={"messageId": str(uuid.uuid4()), "reaction": "ok"},
    )
    assert reaction.status_code == 400
    ok = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": conversation_id, "text": "Olá!"}
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["data"]["status"] == "PENDING"
    empty_file = await client.post(
        "/api/whatsapp/send-media",
        headers=alice.headers,
        data={"conversationId": conversation_id},
        files={"file": ("a.png", b"", "image/png")},
    )
    assert empty_file.status_code == 400
    executable = await client.post(
        "/api/whatsapp/send-media",
        headers=alice.headers,
        data={"conversationId": conversation_id, "mediaType": "document"},
        files={"file": ("run.exe", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream")},
    )
    assert executable.status_code == 400
    assert "recusado" in executable.json()["error"].lower()


async def test_sending_needs_a_connected_instance_and_an_open_conversation(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    closed = await _conversation(client, alice, asgi_app, status="close")
    response = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": closed, "text": "oi"}
    )
    assert response.status_code == 409
    assert "não está conectada" in response.json()["error"]


async def test_archived_conversations_refuse_sends_until_unarchived(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    conversation_id = await _conversation(client, alice, asgi_app)
    archived = await client.post(
        f"/api/whatsapp/conversations/{conversation_id}/archive", headers=alice.headers
    )
    assert archived.json()["data"] == {"id": conversation_id, "isArchived": True}
    listing = await client.get("/api/whatsapp/conversations", headers=alice.headers)
    assert listing.json()["data"]["conversations"] == []
    assert (
        await client.get("/api/whatsapp/conversations", headers=alice.headers, params={"isArchived": "true"})
    ).json()["data"]["pagination"]["total"] == 1
    refused = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": conversation_id, "text": "oi"}
    )
    assert refused.status_code == 409
    await client.post(f"/api/whatsapp/conversations/{conversation_id}/unarchive", headers=alice.headers)
    paused = await client.post(
        f"/api/whatsapp/conversations/{conversation_id}/toggle-pause", headers=alice.headers
    )
    assert paused.json()["data"]["isPaused"] is True
    filtered = await client.get(
        "/api/whatsapp/conversations", headers=alice.headers, params={"status": "paused"}
    )
    assert filtered.json()["data"]["pagination"]["total"] == 1
    read = await client.post(f"/api/whatsapp/conversations/{conversation_id}/read", headers=alice.headers)
    assert read.status_code == 200
    unread = await client.get(
        "/api/whatsapp/conversations", headers=alice.headers, params={"unreadOnly": "true"}
    )
    assert unread.json()["data"]["conversations"] == []
    deleted = await client.delete(f"/api/whatsapp/conversations/{conversation_id}", headers=alice.headers)
    assert deleted.json()["data"] == {"deleted": True}
    assert (
        await client.get(f"/api/whatsapp/conversations/{conversation_id}", headers=alice.headers)
    ).status_code == 404


async def test_monthly_message_quota_blocks_sends_but_not_inbound(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    listing = await client.get("/api/whatsapp/conversations", headers=alice.headers)
    conversation_id = listing.json()["data"]["conversations"][0]["id"]
    connection = await asyncpg.connect(services.admin_url)
    try:
        # Fill the Free plan's 5,000 messages of this month.
        await connection.execute(
            """INSERT INTO whatsapp_messages
                 (id, company_id, conversation_id, instance_id, direction, status, sent_at)
               SELECT gen_random_uuid(), m.company_id, m.conversation_id, m.instance_id, 'SENT', 'SENT', now()
               FROM whatsapp_messages m, generate_series(1, 4999)""",
        )
    finally:
        await connection.close()
    refused = await client.post(
        "/api/whatsapp/send", headers=alice.headers, json={"conversationId": conversation_id, "text": "oi"}
    )
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert "Free" in error
    assert "5000" in error
    # Inbound messages are always stored, and counted.
    later = gateway.evolution("evolution_messages_upsert_text")
    later["data"]["key"]["id"] = "AFTER-QUOTA"
    assert (await gateway.post(client, later)).json()["reason"] == "message_created"
    usage = (await client.get("/api/company/usage", headers=alice.headers)).json()["data"]["usage"]
    assert usage["messagesThisMonth"] == 5001


async def test_members_cannot_manage_gateways_or_see_secrets(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    email = f"member-{uuid.uuid4().hex[:6]}@example.com"
    await join(client, alice, email, role="member")
    member = await login_headers(client, email, "member-password")
    assert (await client.get("/api/whatsapp/provider-credentials", headers=member)).status_code == 403
    assert (
        await client.post(
            "/api/whatsapp/provider-credentials",
            headers=member,
            json={"provider": "EVOLUTION", "apiUrl": "http://127.0.0.1:1", "apiKey": "k"},
        )
    ).status_code == 403
    assert (
        await client.post("/api/whatsapp/instances", headers=member, json={"instanceName": "Nova"})
    ).status_code == 403
    assert (
        await client.delete(f"/api/whatsapp/instances/{gateway.instance_id}", headers=member)
    ).status_code == 403
    detail = await client.get(f"/api/whatsapp/instances/{gateway.instance_id}", headers=member)
    assert detail.status_code == 200
    assert "webhook" not in detail.json()["data"]
    listed = await client.get("/api/whatsapp/instances", headers=member)
    assert [i["id"] for i in listed.json()["data"]] == [str(gateway.instance_id)]


async def test_other_companies_get_404_for_instances_and_credentials(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    for method, path in (
        ("GET", f"/api/whatsapp/instances/{gateway.instance_id}"),
        ("POST", f"/api/whatsapp/instances/{gateway.instance_id}/connect"),
        ("POST", f"/api/whatsapp/instances/{gateway.instance_id}/check"),
        ("DELETE", f"/api/whatsapp/instances/{gateway.instance_id}"),
        ("DELETE", f"/api/whatsapp/provider-credentials/{uuid.uuid4()}"),
    ):
        response = await client.request(method, path, headers=bob.headers)
        assert response.status_code == 404, (path, response.text)
    assert (await client.get("/api/whatsapp/instances", headers=bob.headers)).json()["data"] == []


async def test_credential_and_instance_bodies_are_validated(
    client: httpx.AsyncClient, alice: Account
) -> None:
    for body in (
        {"provider": "TWILIO", "apiUrl": "https://x.example.com", "apiKey": "k"},
        {"provider": "EVOLUTION", "apiUrl": "ftp://x.example.com", "apiKey": "k"},
        {"provider": "EVOLUTION", "apiUrl": "https://x.example.com", "apiKey": "  "},
        {"provider": "EVOLUTION", "apiUrl": "https://user:pw@x.example.com", "apiKey": "k"},
    ):
        response = await client.post("/api/whatsapp/provider-credentials", headers=alice.headers, json=body)
        assert response.status_code == 400, (body, response.text)
    for name in ("ab", "x" * 51, "nome<script>", ""):
        response = await client.post(
            "/api/whatsapp/instances", headers=alice.headers, json={"instanceName": name}
        )
        assert response.status_code == 400, (name, response.text)
    no_credential = await client.post(
        "/api/whatsapp/instances", headers=alice.headers, json={"instanceName": "São Paulo"}
    )
    assert no_credential.status_code == 422
    assert "credencial" in no_credential.json()["error"]
    for url in ("http://169.254.169.254", "http://[fe80::1]:8080", "http://0.0.0.0:8080"):
        metadata = await client.post(
            "/api/whatsapp/provider-credentials",
            headers=alice.headers,
            json={"provider": "EVOLUTION", "apiUrl": url, "apiKey": "k"},
        )
        assert metadata.status_code == 400, (url, metadata.text)
        assert "não é permitido" in metadata.json()["error"]
    sandbox = await client.get("/api/whatsapp/sandbox", headers=alice.headers)
    assert sandbox.status_code in (200, 404)


async def test_admins_are_warned_at_80_and_100_percent_of_the_message_quota(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any, services: Services
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    await gateway.post(client, gateway.evolution("evolution_messages_upsert_text"))
    listing = await client.get("/api/whatsapp/conversations", headers=alice.headers)
    conversation_id = listing.json()["data"]["conversations"][0]["id"]

    async def fill_to(total: int) -> None:
        connection = await asyncpg.connect(services.admin_url)
        try:
            await connection.execute(
                "UPDATE whatsapp_instances SET connection_status = 'open' WHERE id = $1",
                gateway.instance_id,
            )
            await connection.execute(
                """INSERT INTO whatsapp_messages
                     (id, company_id, conversation_id, instance_id, direction, status, sent_at)
                   SELECT gen_random_uuid(), m.company_id, m.conversation_id, m.instance_id, 'SENT', 'SENT',
                          now()
                   FROM (SELECT * FROM whatsapp_messages LIMIT 1) m,
                        generate_series(1, $1 - (SELECT count(*) FROM whatsapp_messages))""",
                total,
            )
        finally:
            await connection.close()

    async def warnings() -> list[int]:
        listed = (await client.get("/api/notifications", headers=alice.headers)).json()["data"]
        return sorted(n["data"]["percent"] for n in listed if n["type"] == "quota_warning")

    async def send() -> None:
        sent = await client.post(
            "/api/whatsapp/send",
            headers=alice.headers,
            json={"conversationId": conversation_id, "text": "oi"},
        )
        assert sent.status_code == 201, sent.text

    await fill_to(3998)
    await send()  # the 3,999th message: below 80 %
    assert await warnings() == []
    await send()  # the 4,000th: 80 % of the Free plan's 5,000
    await send()  # still 80 %: no second warning
    assert await warnings() == [80]
    await fill_to(4999)
    await send()  # the last allowed message
    assert await warnings() == [80, 100]


async def test_the_inbox_shows_tags_and_filters_by_tag_funnel_and_stage(
    client: httpx.AsyncClient, alice: Account, asgi_app: Any
) -> None:
    gateway = await make_instance(asgi_app, alice.company_id)
    for n, number in enumerate(("5511933330001", "5511933330002")):
        await gateway.post(client, text_upsert(gateway, message_id=f"T-{n}", number=number, text="Oi"))
    listed = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    by_number = {c["contactNumber"]: c for c in listed["conversations"]}
    vip_contact = by_number["5511933330001"]["contact"]["id"]
    tag = (
        await client.post(
            "/api/contacts/tags", headers=alice.headers, json={"name": "VIP", "color": "#FF0000"}
        )
    ).json()["data"]
    assert (
        await client.post(f"/api/contacts/{vip_contact}/tags/{tag['id']}", headers=alice.headers)
    ).status_code == 200
    funnel = (await client.get("/api/funnels", headers=alice.headers)).json()["data"][0]
    stage = funnel["stages"][1]
    deal = await client.post(
        "/api/deals",
        headers=alice.headers,
        json={
            "title": "Proposta",
            "contactId": by_number["5511933330002"]["contact"]["id"],
            "stageId": stage["id"],
        },
    )
    assert deal.status_code == 201, deal.text

    async def numbers(**params: str) -> list[str]:
        response = await client.get("/api/whatsapp/conversations", headers=alice.headers, params=params)
        return sorted(c["contactNumber"] for c in response.json()["data"]["conversations"])

    conversations = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    tags = {c["contactNumber"]: c["contact"]["tags"] for c in conversations["conversations"]}
    assert tags == {
        "5511933330001": [{"id": tag["id"], "name": "VIP", "color": "#FF0000"}],
        "5511933330002": [],
    }
    assert await numbers(tagIds=tag["id"]) == ["5511933330001"]
    assert await numbers(stageId=stage["id"]) == ["5511933330002"]
    assert await numbers(funnelId=funnel["id"]) == ["5511933330002"]
    assert await numbers(tagIds=tag["id"], stageId=stage["id"]) == []
    assert await numbers(tagIds=tag["id"], stageId=stage["id"], match="any") == [
        "5511933330001",
        "5511933330002",
    ]
