"""UazapiProvider against a local server speaking uazapiGO v2: tokens, paths, bodies and shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from evoai.whatsapp.providers import make_provider
from evoai.whatsapp.providers.base import (
    GatewayAuthError,
    GatewayConfig,
    GatewayRejected,
    InstanceRef,
    MessageRef,
    OutboundMedia,
    QuotedMessage,
)
from evoai.whatsapp.providers.http import HttpGateway
from evoai.whatsapp.providers.uazapi import UazapiProvider
from tests.whatsapp.providers.support import FakeGateway, Reply, load

ADMIN = "admin-token-123"
REF = InstanceRef("vendas", token="cf9e2a4b-7d31-4c58-9e6a-2b0d8f1c3a77")
SENT = {
    "id": "5511940028922:3EB0AA",
    "messageid": "3EB0AA",
    "chatid": "5511987654321@s.whatsapp.net",
    "response": {"status": "success"},
}
QR = "data:image/png;base64,iVBORw0KGgo="


async def _noop_sleep(_: float) -> None:
    return None


@pytest.fixture
async def uaz(gateway: FakeGateway) -> AsyncIterator[UazapiProvider]:
    config = GatewayConfig(gateway.url, ADMIN, timeout_seconds=2.0)
    provider = UazapiProvider(config, http=HttpGateway(config, retry_base_delay=0.001), sleep=_noop_sleep)
    yield provider
    await provider.aclose()


def test_make_provider() -> None:
    assert isinstance(make_provider("UAZAPI", GatewayConfig("http://uaz.test", ADMIN)), UazapiProvider)


async def test_check_credentials_uses_the_admin_token(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("GET", "/instance/all", Reply(200, []))
    await uaz.check_credentials()
    assert gateway.requests[0].headers["admintoken"] == ADMIN
    assert "token" not in gateway.requests[0].headers
    gateway.on("GET", "/instance/all", Reply(401, {"error": "Unauthorized"}))
    with pytest.raises(GatewayAuthError):
        await uaz.check_credentials()


async def test_create_instance_then_configures_the_webhook(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on(
        "POST",
        "/instance/init",
        Reply(
            200,
            {
                "response": "Instance created successfully",
                "name": "vendas",
                "token": "T-1",
                "instance": {"id": "r1"},
            },
        ),
    )
    gateway.on("POST", "/webhook", Reply(200, [{"id": "w1", "enabled": True}]))
    created = await uaz.create_instance(
        "vendas", webhook_url="https://crm.test/hook/vendas?token=s3", webhook_secret="s3"
    )
    assert (created.gateway_name, created.token) == ("vendas", "T-1")
    init, webhook = gateway.requests
    assert (init.path, init.headers["admintoken"], init.body) == ("/instance/init", ADMIN, {"name": "vendas"})
    assert webhook.headers["token"] == "T-1"
    assert "admintoken" not in webhook.headers
    assert webhook.body == {
        "enabled": True,
        "url": "https://crm.test/hook/vendas?token=s3",
        "events": ["messages", "messages_update", "connection", "contacts"],
        "excludeMessages": [],
        "addUrlEvents": False,
        "addUrlTypesMessages": False,
    }


async def test_a_failed_webhook_setup_removes_the_instance(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("POST", "/instance/init", Reply(200, {"name": "vendas", "token": "T-1"}))
    gateway.on("POST", "/webhook", Reply(400, {"error": "invalid url"}))
    gateway.on("DELETE", "/instance", Reply(200, {"response": "Instance Deleted"}))
    with pytest.raises(GatewayRejected, match="invalid url"):
        await uaz.create_instance("vendas", webhook_url="ftp://x", webhook_secret="s")
    (deleted,) = gateway.calls("DELETE", "/instance")
    assert deleted.headers["token"] == "T-1"


async def test_connect_returns_the_qr_or_pairing_code(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on(
        "POST",
        "/instance/connect",
        Reply(200, {"connected": False, "instance": {"status": "connecting", "qrcode": QR, "paircode": ""}}),
    )
    result = await uaz.connect(REF)
    assert result.state == "qrcode"
    assert result.qr is not None
    assert result.qr.data_url == QR
    assert gateway.requests[0].body == {}
    assert gateway.requests[0].headers["token"] == REF.token
    gateway.on(
        "POST",
        "/instance/connect",
        Reply(200, {"connected": False, "instance": {"status": "connecting", "paircode": "1234-5678"}}),
    )
    paired = await uaz.connect(REF, phone="+55 11 94002-8922")
    assert paired.qr is not None
    assert paired.qr.pairing_code == "1234-5678"
    assert gateway.calls("POST", "/instance/connect")[-1].body == {"phone": "5511940028922"}


async def test_connect_polls_status_until_a_code_shows_up(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on(
        "POST", "/instance/connect", Reply(200, {"connected": False, "instance": {"status": "connecting"}})
    )
    gateway.on(
        "GET",
        "/instance/status",
        Reply(200, {"instance": {"status": "connecting"}, "status": {"connected": False}}),
        Reply(200, {"instance": {"status": "connecting", "qrcode": QR}, "status": {"connected": False}}),
    )
    result = await uaz.connect(REF)
    assert result.state == "qrcode"
    assert len(gateway.calls("GET", "/instance/status")) == 2


async def test_status(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    connected = {
        "instance": {"status": "connected", "profileName": "Loja Exemplo"},
        "status": {
            "connected": True,
            "loggedIn": True,
            "jid": {"user": "5511940028922", "agent": 0, "device": 0, "server": "s.whatsapp.net"},
        },
    }
    gateway.on("GET", "/instance/status", Reply(200, connected))
    status = await uaz.status(REF)
    assert (status.state, status.phone, status.profile_name) == ("open", "5511940028922", "Loja Exemplo")
    gateway.on(
        "GET",
        "/instance/status",
        Reply(200, {"instance": {"status": "disconnected"}, "status": {"connected": False, "jid": None}}),
    )
    assert (await uaz.status(REF)).state == "close"


async def test_logout_and_delete(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("POST", "/instance/disconnect", Reply(200, {"response": "Disconnected"}))
    gateway.on("DELETE", "/instance", Reply(404, {"error": "instance not found"}))
    await uaz.logout(REF)
    await uaz.delete_instance(REF)
    assert [r.path for r in gateway.requests] == ["/instance/disconnect", "/instance"]


async def test_sends(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("POST", "/send/text", Reply(200, SENT))
    gateway.on("POST", "/send/media", Reply(200, SENT))
    quoted = QuotedMessage(MessageRef("5511987654321@s.whatsapp.net", "2FC21A05", from_me=False))
    sent = await uaz.send_text(REF, to="5511987654321", text="Combinado", quoted=quoted)
    assert (sent.message_id, sent.chat_jid) == ("3EB0AA", "5511987654321@s.whatsapp.net")
    assert gateway.calls("POST", "/send/text")[0].body == {
        "number": "5511987654321",
        "text": "Combinado",
        "replyid": "2FC21A05",
    }
    media = OutboundMedia("document", b"%PDF", "application/pdf", "catalogo.pdf", caption="Catálogo")
    await uaz.send_media(REF, to="5511987654321", media=media)
    await uaz.send_media(REF, to="5511987654321", media=OutboundMedia("ptt", b"OggS", "audio/ogg", "v.ogg"))
    document, voice = gateway.calls("POST", "/send/media")
    assert document.body == {
        "number": "5511987654321",
        "type": "document",
        "file": "JVBERg==",
        "mimetype": "application/pdf",
        "docName": "catalogo.pdf",
        "text": "Catálogo",
    }
    assert voice.body == {
        "number": "5511987654321",
        "type": "ptt",
        "file": "T2dnUw==",
        "mimetype": "audio/ogg",
    }
    assert all(r.headers["token"] == REF.token for r in gateway.requests)


async def test_send_errors_carry_the_message(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("POST", "/send/text", Reply(400, {"error": "the number 5511999999999 is not on WhatsApp"}))
    with pytest.raises(GatewayRejected, match="not on WhatsApp"):
        await uaz.send_text(REF, to="5511999999999", text="oi")


async def test_reaction_read_picture(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on(
        "POST",
        "/message/react",
        Reply(200, {"id": "5511940028922:R1", "messageid": "R1", "messageType": "reaction"}),
    )
    gateway.on(
        "POST", "/message/markread", Reply(200, {"results": [{"message_id": "4E9B", "status": "success"}]})
    )
    gateway.on(
        "POST",
        "/chat/details",
        Reply(200, {"wa_chatid": "5511987654321@s.whatsapp.net", "image": "https://pps.whatsapp.net/p.jpg"}),
    )
    target = MessageRef("5511987654321@s.whatsapp.net", "4E9B", from_me=False)
    assert (await uaz.send_reaction(REF, target=target, emoji="👍")).message_id == "R1"
    await uaz.mark_read(REF, [target])
    assert await uaz.profile_picture_url(REF, "5511987654321") == "https://pps.whatsapp.net/p.jpg"
    react, read, details = gateway.requests
    assert react.body == {"number": "5511987654321@s.whatsapp.net", "text": "👍", "id": "4E9B"}
    assert read.body == {"id": ["4E9B"]}
    assert details.body == {"number": "5511987654321", "preview": False}


async def test_download_media(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    raw = load("uazapi_messages_document.json")["message"]
    gateway.on(
        "POST",
        "/message/download",
        Reply(
            200,
            {
                "fileURL": f"{gateway.url}/files/doc.pdf",
                "mimetype": "application/pdf",
                "base64Data": "JVBERg==",
            },
        ),
    )
    media = await uaz.download_media(REF, raw)
    assert (media.data, media.mimetype, media.file_name) == (b"%PDF", "application/pdf", "catalogo-2026.pdf")
    assert gateway.requests[0].body == {
        "id": "9A7C3E5F1B6D8C0E2F4A5B6C7D8E9F0A",
        "return_base64": True,
        "generate_mp3": False,
    }
    # Only a link: fetched without the instance token.
    gateway.on(
        "POST",
        "/message/download",
        Reply(200, {"fileURL": f"{gateway.url}/files/doc.pdf", "mimetype": "application/pdf"}),
    )
    gateway.on("GET", "/files/doc.pdf", Reply(200, {"pdf": True}))
    linked = await uaz.download_media(REF, raw)
    assert linked.data == b'{"pdf": true}'
    assert "token" not in gateway.calls("GET", "/files/doc.pdf")[0].headers


async def test_recent_messages(gateway: FakeGateway, uaz: UazapiProvider) -> None:
    gateway.on("POST", "/message/find", Reply(200, load("uazapi_message_find_response.json")))
    messages = await uaz.recent_messages(REF, since=datetime(2025, 12, 10, 14, 0, tzinfo=UTC), limit=20)
    # Newest first from the server; stops at the first message older than `since`.
    assert [m.message_id for m in messages] == ["AC429C9CDF29E4C66D35EB8F8546C675", "3EB0B6E46529EAFAC45A16"]
    assert (messages[1].from_me, messages[1].sent_by_api, messages[1].status) == (True, True, "READ")
    (call,) = gateway.calls("POST", "/message/find")
    assert call.body == {"limit": 20, "offset": 0}
