"""EvolutionProvider against a local server speaking Evolution API v2: paths, headers, bodies, shapes."""

from __future__ import annotations

import base64
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
    QrCode,
    QuotedMessage,
    WhatsAppProvider,
)
from evoai.whatsapp.providers.evolution import EvolutionProvider
from evoai.whatsapp.providers.http import HttpGateway
from tests.whatsapp.providers.support import FakeGateway, Reply, load

KEY = "B6D711FCDE4D4FD5936544120E713976"
REF = InstanceRef("vendas principal", token="instance-token")  # a space: the name must be URL-encoded
PATH_NAME = "vendas%20principal"
QR_IMAGE = "data:image/png;base64,iVBORw0KGgo="
QR = {"pairingCode": None, "code": "2@abc", "base64": QR_IMAGE, "count": 1}
SENT = load("evolution_send_message.json")["data"]


async def _noop_sleep(_: float) -> None:
    return None


@pytest.fixture
async def evo(gateway: FakeGateway) -> AsyncIterator[EvolutionProvider]:
    config = GatewayConfig(gateway.url, KEY, timeout_seconds=2.0)
    provider = EvolutionProvider(config, http=HttpGateway(config, retry_base_delay=0.001), sleep=_noop_sleep)
    yield provider
    await provider.aclose()


def test_make_provider_builds_a_protocol_implementation() -> None:
    provider: WhatsAppProvider = make_provider("EVOLUTION", GatewayConfig("http://evo.test", KEY))
    assert provider.name == "EVOLUTION"
    assert isinstance(provider, EvolutionProvider)


async def test_check_credentials(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    gateway.on("GET", "/instance/fetchInstances", Reply(200, []))
    await evo.check_credentials()
    assert gateway.requests[0].headers["apikey"] == KEY
    gateway.on(
        "GET",
        "/instance/fetchInstances",
        Reply(401, {"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}),
    )
    with pytest.raises(GatewayAuthError):
        await evo.check_credentials()


async def test_create_instance_sends_the_nested_webhook(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    created = {
        "instance": {"instanceName": "vendas principal", "instanceId": "u-1", "status": "connecting"},
        "hash": "TOKEN-1",
    }
    gateway.on("POST", "/instance/create", Reply(201, created))
    result = await evo.create_instance(
        "vendas principal", webhook_url="https://crm.test/api/whatsapp/webhook/x", webhook_secret="s3"
    )
    assert (result.gateway_name, result.token, result.qr) == ("vendas principal", "TOKEN-1", None)
    (call,) = gateway.calls("POST", "/instance/create")
    assert call.headers["apikey"] == KEY
    assert call.body == {
        "instanceName": "vendas principal",
        "integration": "WHATSAPP-BAILEYS",
        "qrcode": False,
        "webhook": {
            "url": "https://crm.test/api/whatsapp/webhook/x",
            "byEvents": False,
            "base64": True,
            "headers": {"X-Webhook-Token": "s3"},
            "events": [
                "MESSAGES_UPSERT",
                "MESSAGES_UPDATE",
                "MESSAGES_DELETE",
                "SEND_MESSAGE",
                "CONNECTION_UPDATE",
                "QRCODE_UPDATED",
                "CONTACTS_UPSERT",
            ],
        },
    }


async def test_create_with_a_taken_name_is_rejected(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    taken = {
        "status": 403,
        "error": "Forbidden",
        "response": {"message": ['This name "vendas" is already in use.']},
    }
    gateway.on("POST", "/instance/create", Reply(403, taken))
    with pytest.raises(GatewayRejected, match="already in use"):
        await evo.create_instance("vendas", webhook_url="https://crm.test/h", webhook_secret="s")


async def test_connect_polls_past_count_zero(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    path = f"/instance/connect/{PATH_NAME}"
    gateway.on("GET", path, Reply(200, {"count": 0}), Reply(200, {"count": 0}), Reply(200, QR))
    result = await evo.connect(REF, phone="+55 (11) 94002-8922")
    assert result.state == "qrcode"
    assert result.qr == QrCode(data_url=QR_IMAGE, code="2@abc", pairing_code=None)
    calls = gateway.calls("GET", path)
    assert len(calls) == 3
    assert calls[0].query == {"number": "5511940028922"}


async def test_connect_gives_up_polling_and_waits_for_the_webhook(
    gateway: FakeGateway, evo: EvolutionProvider
) -> None:
    path = f"/instance/connect/{PATH_NAME}"
    gateway.on("GET", path, Reply(200, {"count": 0}))
    result = await evo.connect(REF)
    assert (result.state, result.qr) == ("connecting", None)
    assert len(gateway.calls("GET", path)) == 4
    assert gateway.calls("GET", path)[0].query == {}


async def test_connect_when_already_open_or_failing(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    path = f"/instance/connect/{PATH_NAME}"
    gateway.on("GET", path, Reply(200, {"instance": {"instanceName": "vendas principal", "state": "open"}}))
    assert (await evo.connect(REF)).state == "open"
    gateway.on("GET", path, Reply(200, {"error": True, "message": "Error: proxy unreachable"}))
    with pytest.raises(GatewayRejected, match="proxy unreachable"):
        await evo.connect(REF)


async def test_status_reads_the_own_number_when_open(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    gateway.on(
        "GET",
        f"/instance/connectionState/{PATH_NAME}",
        Reply(200, {"instance": {"instanceName": "x", "state": "open"}}),
    )
    rows = [
        {"name": "other", "ownerJid": "5511000000000@s.whatsapp.net"},
        {
            "name": "vendas principal",
            "ownerJid": "5511940028922@s.whatsapp.net",
            "profileName": "Loja Exemplo",
            "connectionStatus": "open",
        },
    ]
    gateway.on("GET", "/instance/fetchInstances", Reply(200, rows))
    status = await evo.status(REF)
    assert (status.state, status.phone, status.profile_name) == ("open", "5511940028922", "Loja Exemplo")
    assert gateway.calls("GET", "/instance/fetchInstances")[0].query == {"instanceName": "vendas principal"}
    gateway.on("GET", f"/instance/connectionState/{PATH_NAME}", Reply(200, {"instance": {"state": "close"}}))
    assert (await evo.status(REF)).state == "close"
    assert len(gateway.calls("GET", "/instance/fetchInstances")) == 1


async def test_logout_and_delete_tolerate_the_already_done_cases(
    gateway: FakeGateway, evo: EvolutionProvider
) -> None:
    not_connected = {
        "status": 400,
        "error": "Bad Request",
        "response": {"message": ['The "x" instance is not connected']},
    }
    gateway.on("DELETE", f"/instance/logout/{PATH_NAME}", Reply(400, not_connected))
    await evo.logout(REF)
    gateway.on(
        "DELETE",
        f"/instance/delete/{PATH_NAME}",
        Reply(404, {"status": 404, "error": "Not Found", "response": {"message": ["gone"]}}),
    )
    await evo.delete_instance(REF)
    gateway.on(
        "DELETE",
        f"/instance/logout/{PATH_NAME}",
        Reply(400, {"status": 400, "response": {"message": ["other problem"]}}),
    )
    with pytest.raises(GatewayRejected, match="other problem"):
        await evo.logout(REF)


async def test_send_text_with_a_quote(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    gateway.on("POST", f"/message/sendText/{PATH_NAME}", Reply(201, SENT))
    quoted = QuotedMessage(
        MessageRef("5511987654321@s.whatsapp.net", "2FC21A05", from_me=False), "Pode ser amanhã?"
    )
    sent = await evo.send_text(REF, to="5511987654321", text="Combinado", quoted=quoted)
    assert (sent.message_id, sent.chat_jid) == ("3EB0B6E46529EAFAC45A16", "5511987654321@s.whatsapp.net")
    (call,) = gateway.calls("POST", f"/message/sendText/{PATH_NAME}")
    assert call.body == {
        "number": "5511987654321",
        "text": "Combinado",
        "quoted": {
            "key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": False, "id": "2FC21A05"},
            "message": {"conversation": "Pode ser amanhã?"},
        },
    }


async def test_number_not_on_whatsapp(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    body = {
        "status": 400,
        "error": "Bad Request",
        "response": {
            "message": [{"jid": "5511999999999@s.whatsapp.net", "exists": False, "number": "5511999999999"}]
        },
    }
    gateway.on("POST", f"/message/sendText/{PATH_NAME}", Reply(400, body))
    with pytest.raises(GatewayRejected, match="5511999999999 is not on WhatsApp") as caught:
        await evo.send_text(REF, to="5511999999999", text="oi")
    assert caught.value.status == 400
    assert len(gateway.requests) == 1


async def test_send_media_uses_raw_base64(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    gateway.on("POST", f"/message/sendMedia/{PATH_NAME}", Reply(201, SENT))
    media = OutboundMedia("document", b"%PDF-1.4", "application/pdf", "catalogo.pdf", caption="Catálogo")
    group_quote = QuotedMessage(MessageRef("1203@g.us", "ABC", from_me=False, participant="1987@lid"))
    await evo.send_media(REF, to="1203@g.us", media=media, quoted=group_quote)
    (call,) = gateway.calls("POST", f"/message/sendMedia/{PATH_NAME}")
    assert call.body == {
        "number": "1203@g.us",
        "mediatype": "document",
        "mimetype": "application/pdf",
        "media": base64.b64encode(b"%PDF-1.4").decode(),
        "fileName": "catalogo.pdf",
        "caption": "Catálogo",
        "quoted": {
            "key": {"remoteJid": "1203@g.us", "fromMe": False, "id": "ABC", "participant": "1987@lid"}
        },
    }


async def test_voice_notes_use_the_whatsapp_audio_endpoint(
    gateway: FakeGateway, evo: EvolutionProvider
) -> None:
    gateway.on("POST", f"/message/sendWhatsAppAudio/{PATH_NAME}", Reply(201, SENT))
    await evo.send_media(REF, to="5511987654321", media=OutboundMedia("ptt", b"OggS", "audio/ogg", "voz.ogg"))
    (call,) = gateway.calls("POST", f"/message/sendWhatsAppAudio/{PATH_NAME}")
    assert call.body == {"number": "5511987654321", "audio": "T2dnUw==", "encoding": True}


async def test_reaction_read_and_picture(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    gateway.on(
        "POST",
        f"/message/sendReaction/{PATH_NAME}",
        Reply(201, {"key": {"id": "R1", "remoteJid": "5511@s.whatsapp.net"}}),
    )
    gateway.on(
        "POST",
        f"/chat/markMessageAsRead/{PATH_NAME}",
        Reply(201, {"message": "Read messages", "read": "success"}),
    )
    gateway.on(
        "POST",
        f"/chat/fetchProfilePictureUrl/{PATH_NAME}",
        Reply(200, {"wuid": "x", "profilePictureUrl": "https://pps.whatsapp.net/p.jpg"}),
    )
    target = MessageRef("5511987654321@s.whatsapp.net", "3EB0", from_me=True)
    assert (await evo.send_reaction(REF, target=target, emoji="👍")).message_id == "R1"
    await evo.mark_read(REF, [MessageRef("5511987654321@s.whatsapp.net", "4E9B", from_me=False)])
    await evo.mark_read(REF, [])  # nothing to send
    assert await evo.profile_picture_url(REF, "5511987654321") == "https://pps.whatsapp.net/p.jpg"
    assert gateway.calls("POST", f"/message/sendReaction/{PATH_NAME}")[0].body == {
        "key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": True, "id": "3EB0"},
        "reaction": "👍",
    }
    assert gateway.calls("POST", f"/chat/markMessageAsRead/{PATH_NAME}")[0].body == {
        "readMessages": [{"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": False, "id": "4E9B"}]
    }
    assert len(gateway.calls("POST", f"/chat/markMessageAsRead/{PATH_NAME}")) == 1
    assert gateway.calls("POST", f"/chat/fetchProfilePictureUrl/{PATH_NAME}")[0].body == {
        "number": "5511987654321"
    }
    gateway.on(
        "POST",
        f"/chat/fetchProfilePictureUrl/{PATH_NAME}",
        Reply(200, {"wuid": "x", "profilePictureUrl": None}),
    )
    assert await evo.profile_picture_url(REF, "5511987654321") is None


async def test_download_media_inline_or_from_the_gateway(
    gateway: FakeGateway, evo: EvolutionProvider
) -> None:
    image = load("evolution_messages_upsert_image.json")["data"]
    inline = await evo.download_media(REF, image)
    assert inline.mimetype == "image/jpeg"
    assert inline.data.startswith(b"\xff\xd8")
    assert gateway.requests == []

    path = f"/chat/getBase64FromMediaMessage/{PATH_NAME}"
    gateway.on(
        "POST",
        path,
        Reply(
            201,
            {"mediaType": "audioMessage", "fileName": "x.ogg", "mimetype": "audio/ogg", "base64": "T2dnUw=="},
        ),
    )
    ptt = load("evolution_messages_upsert_ptt.json")["data"]
    del ptt["message"]["base64"]
    fetched = await evo.download_media(REF, ptt)
    assert (fetched.data, fetched.mimetype, fetched.file_name) == (b"OggS", "audio/ogg", "x.ogg")
    (call,) = gateway.calls("POST", path)
    assert call.body == {"message": {"key": ptt["key"], "message": ptt["message"]}, "convertToMp4": False}


async def test_recent_messages_filters_by_time_and_parses_records(
    gateway: FakeGateway, evo: EvolutionProvider
) -> None:
    path = f"/chat/findMessages/{PATH_NAME}"
    gateway.on("POST", path, Reply(200, load("evolution_find_messages_response.json")))
    since = datetime(2025, 12, 10, 14, 0, tzinfo=UTC)
    messages = await evo.recent_messages(REF, since=since, limit=50)
    (call,) = gateway.calls("POST", path)
    assert call.body["where"]["messageTimestamp"]["gte"] == "2025-12-10T14:00:00.000Z"
    assert call.body["where"]["messageTimestamp"]["lte"].endswith("Z")
    assert (call.body["page"], call.body["offset"]) == (1, 50)
    # The malformed record is skipped; the rest come oldest first.
    assert [m.message_id for m in messages] == ["4E9B61138C7160307450FAB1EE85B0C6", "3EB0B6E46529EAFAC45A16"]
    incoming, outgoing = messages
    assert (incoming.from_me, incoming.status, incoming.phone) == (False, "RECEIVED", "5511987654321")
    assert (outgoing.from_me, outgoing.status, outgoing.reply_to_id) == (
        True,
        "READ",
        "2FC21A05E3056F7FBDA03AFED8E63B43",
    )


async def test_recent_messages_walks_the_pages(gateway: FakeGateway, evo: EvolutionProvider) -> None:
    path = f"/chat/findMessages/{PATH_NAME}"
    page = load("evolution_find_messages_response.json")
    page["messages"]["pages"] = 2
    gateway.on("POST", path, Reply(200, page))
    await evo.recent_messages(REF, since=datetime(2025, 1, 1, tzinfo=UTC), limit=500)
    assert [c.body["page"] for c in gateway.calls("POST", path)] == [1, 2]
    assert gateway.calls("POST", path)[0].body["offset"] == 100
