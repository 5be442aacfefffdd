"""Customer messages, API sends, receipts, media and findMessages against a running sandbox."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import httpx

from tests.sandbox.conftest import Receiver, connect_and_scan, create_instance

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures" / "whatsapp"
CUSTOMER = "5511987654321"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def shape(value: Any) -> Any:
    """Keys and value types, recursively: what must match the real server."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value[:1]]
    return type(value).__name__


def fixture(name: str) -> dict[str, Any]:
    path = FIXTURES / name
    if not path.exists():
        path = Path("/work/shared/fixtures/whatsapp") / name
    body: dict[str, Any] = json.loads(path.read_text())
    return body


async def open_instance(http: httpx.AsyncClient, receiver: Receiver, **webhook: Any) -> tuple[str, str]:
    name, token = await create_instance(http, receiver, **webhook)
    await connect_and_scan(http, name)
    return name, token


async def customer_says(http: httpx.AsyncClient, name: str, **body: Any) -> dict[str, Any]:
    response = await http.post(
        f"/sandbox/instances/{name}/customer-messages",
        json={"from": CUSTOMER, "name": "Mariana Costa", **body},
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_customer_text_has_the_exact_upsert_shape(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, token = await open_instance(http, receiver)
    sent = await customer_says(http, name, text="Oi! Vocês ainda têm o modelo azul em estoque?")
    hits = await receiver.wait(lambda: receiver.events("messages.upsert", name))
    body = hits[0].body
    expected = fixture("evolution_messages_upsert_text.json")
    assert shape(body) == shape(expected)
    assert list(body["data"]) == list(expected["data"])
    assert list(body["data"]["key"]) == list(expected["data"]["key"])
    data = body["data"]
    assert data["key"]["remoteJid"] == f"{CUSTOMER}@s.whatsapp.net"
    assert data["key"]["remoteJidAlt"].endswith("@lid")
    assert len(data["key"]["remoteJidAlt"]) == 15 + 4
    assert data["key"]["id"] == sent["id"]
    assert len(sent["id"]) == 32
    assert data["status"] == "DELIVERY_ACK"
    assert data["source"] == "android"
    assert data["pushName"] == "Mariana Costa"
    assert data["messageType"] == "conversation"
    assert abs(data["messageTimestamp"] - time.time()) < 5
    assert body["apikey"] == token
    contact = await receiver.wait(lambda: receiver.events("contacts.upsert", name))
    assert contact[0].body["data"]["pushName"] == "Mariana Costa"


async def test_reply_lid_and_reaction_from_the_customer(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver)
    agent = await http.post(f"/message/sendText/{name}", json={"number": CUSTOMER, "text": "Temos sim!"})
    agent_id = agent.json()["key"]["id"]
    await customer_says(http, name, text="Ótimo", quotedId=agent_id)
    await customer_says(http, name, text="só LID", lid=True)
    await customer_says(http, name, reaction={"id": agent_id, "emoji": "👍"})
    upserts = await receiver.wait(lambda: receiver.events("messages.upsert", name), count=3)
    reply, lid_only, reaction = (hit.body["data"] for hit in upserts)
    owner = (await http.get("/instance/fetchInstances", params={"instanceName": name})).json()[0]["ownerJid"]
    assert reply["message"]["conversation"] == "Ótimo"
    assert reply["contextInfo"] == {
        "participant": owner,
        "stanzaId": agent_id,
        "quotedMessage": {"conversation": "Temos sim!"},
    }
    assert lid_only["key"]["remoteJid"].endswith("@lid")
    assert "remoteJidAlt" not in lid_only["key"]
    assert lid_only["key"]["addressingMode"] == "lid"
    assert reaction["messageType"] == "reactionMessage"
    assert "contextInfo" not in reaction
    inner = reaction["message"]["reactionMessage"]
    assert inner["key"] == {"remoteJid": f"{CUSTOMER}@s.whatsapp.net", "fromMe": True, "id": agent_id}
    assert inner["text"] == "👍"
    assert set(inner["senderTimestampMs"]) == {"low", "high", "unsigned"}
    # The agent can answer the LID-only chat by its LID.
    by_lid = await http.post(
        f"/message/sendText/{name}", json={"number": lid_only["key"]["remoteJid"], "text": "ok"}
    )
    assert by_lid.status_code == 201
    assert by_lid.json()["key"]["remoteJid"].endswith("@lid")
    chat = (await http.get(f"/sandbox/instances/{name}/chats/{CUSTOMER}")).json()
    agent_view = next(m for m in chat["messages"] if m["id"] == agent_id)
    assert agent_view["reactions"] == {"customer": "👍"}


async def test_send_text_echo_and_receipts(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver)
    customer = await customer_says(http, name, text="Pode ser amanhã às 10h?")
    response = await http.post(
        f"/message/sendText/{name}",
        json={
            "number": CUSTOMER,
            "text": "Combinado, amanhã às 10h então.",
            "quoted": {
                "key": {"id": customer["id"], "remoteJid": f"{CUSTOMER}@s.whatsapp.net", "fromMe": False}
            },
        },
    )
    assert response.status_code == 201
    sent = response.json()
    key_id = sent["key"]["id"]
    assert key_id.startswith("3EB0")
    assert len(key_id) == 22
    assert int(key_id[4:], 16) >= 0
    expected = fixture("evolution_send_message.json")
    assert shape(sent) == shape(expected["data"])
    assert sent["status"] == "PENDING"
    assert sent["pushName"] == "Você"
    assert sent["source"] == "web"
    assert sent["contextInfo"]["stanzaId"] == customer["id"]
    assert sent["contextInfo"]["participant"] == f"{CUSTOMER}@s.whatsapp.net"
    echo = await receiver.wait(lambda: receiver.events("send.message", name))
    assert echo[0].body["data"] == sent
    updates = await receiver.wait(lambda: receiver.events("messages.update", name), count=2)
    assert [u.body["data"]["status"] for u in updates] == ["SERVER_ACK", "DELIVERY_ACK"]
    expected_update = fixture("evolution_messages_update_read.json")["data"]
    assert shape(updates[1].body["data"]) == shape(expected_update)
    assert updates[1].body["data"]["keyId"] == key_id
    assert updates[1].body["data"]["fromMe"] is True

    read = await http.post(f"/sandbox/instances/{name}/chats/{CUSTOMER}/read")
    assert read.json() == {"read": [key_id]}
    read_hits = await receiver.wait(lambda: receiver.events("messages.update", name), count=3)
    assert read_hits[2].body["data"]["status"] == "READ"
    chat = (await http.get(f"/sandbox/instances/{name}/chats/{CUSTOMER}")).json()
    assert [m["author"] for m in chat["messages"]] == ["customer", "agent"]
    assert chat["messages"][1]["status"] == "READ"
    assert chat["messages"][1]["quoted"]["id"] == customer["id"]


async def test_mark_as_read_turns_customer_ticks_blue(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver)
    customer = await customer_says(http, name, text="Olá")
    keys = [{"remoteJid": f"{CUSTOMER}@s.whatsapp.net", "fromMe": False, "id": customer["id"]}]
    response = await http.post(f"/chat/markMessageAsRead/{name}", json={"readMessages": keys})
    assert response.status_code == 201
    assert response.json() == {"message": "Read messages", "read": "success"}
    chat = (await http.get(f"/sandbox/instances/{name}/chats/{CUSTOMER}")).json()
    assert chat["messages"][0]["status"] == "READ"


async def test_numbers_and_profile_picture(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver)
    bad = await http.post(f"/message/sendText/{name}", json={"number": "123", "text": "oi"})
    assert bad.status_code == 400
    assert bad.json()["response"]["message"] == [
        {"jid": "123@s.whatsapp.net", "exists": False, "number": "123"}
    ]
    checked = await http.post(f"/chat/whatsappNumbers/{name}", json={"numbers": ["5531988776655", "42"]})
    assert checked.json() == [
        {"jid": "553188776655@s.whatsapp.net", "exists": True, "number": "5531988776655"},
        {"jid": "42@s.whatsapp.net", "exists": False, "number": "42"},
    ]
    picture = await http.post(f"/chat/fetchProfilePictureUrl/{name}", json={"number": CUSTOMER})
    assert picture.json() == {"wuid": f"{CUSTOMER}@s.whatsapp.net", "profilePictureUrl": None}


async def test_media_both_ways(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver, base64=True)
    encoded = base64.b64encode(PNG).decode()
    await customer_says(
        http, name, text="Foto da etiqueta", media={"base64": encoded, "fileName": "foto.png"}
    )
    upsert = (await receiver.wait(lambda: receiver.events("messages.upsert", name)))[0].body["data"]
    assert upsert["messageType"] == "imageMessage"
    assert upsert["message"]["base64"] == encoded
    image = upsert["message"]["imageMessage"]
    assert image["caption"] == "Foto da etiqueta"
    assert image["mimetype"] == "image/png"
    assert image["fileLength"] == {"low": len(PNG), "high": 0, "unsigned": True}
    assert (image["width"], image["height"]) == (1, 1)
    assert set(image["mediaKey"]) == {str(i) for i in range(32)}
    expected = fixture("evolution_messages_upsert_image.json")["data"]["message"]["imageMessage"]
    assert set(image) == set(expected)
    fetched = await http.post(
        f"/chat/getBase64FromMediaMessage/{name}", json={"message": {"key": {"id": upsert["key"]["id"]}}}
    )
    assert fetched.status_code == 201
    assert fetched.json()["base64"] == encoded
    assert fetched.json()["mediaType"] == "imageMessage"

    data_url = await http.post(
        f"/message/sendMedia/{name}",
        json={"number": CUSTOMER, "mediatype": "image", "media": "data:image/png;base64," + encoded},
    )
    assert data_url.status_code == 400
    assert data_url.json()["response"]["message"] == ["Owned media must be a url or base64"]
    nameless = await http.post(
        f"/message/sendMedia/{name}", json={"number": CUSTOMER, "mediatype": "document", "media": encoded}
    )
    assert nameless.json()["response"]["message"] == ["For base64 the file name must be informed."]
    document = await http.post(
        f"/message/sendMedia/{name}",
        json={"number": CUSTOMER, "mediatype": "document", "media": encoded, "fileName": "tabela.pdf"},
    )
    assert document.status_code == 201
    sent = document.json()
    assert sent["messageType"] == "documentMessage"
    assert sent["message"]["base64"] == encoded
    assert sent["message"]["documentMessage"]["mimetype"] == "application/pdf"
    assert sent["message"]["documentMessage"]["fileName"] == "tabela.pdf"
    voice = await http.post(f"/message/sendWhatsAppAudio/{name}", json={"number": CUSTOMER, "audio": encoded})
    audio = voice.json()["message"]["audioMessage"]
    assert audio["ptt"] is True
    assert audio["mimetype"] == "audio/ogg; codecs=opus"
    reaction = await http.post(
        f"/message/sendReaction/{name}",
        json={
            "key": {"remoteJid": f"{CUSTOMER}@s.whatsapp.net", "fromMe": False, "id": upsert["key"]["id"]},
            "reaction": "❤️",
        },
    )
    assert reaction.status_code == 201
    assert reaction.json()["messageType"] == "reactionMessage"
    media = await http.get(f"/sandbox/instances/{name}/media/{upsert['key']['id']}")
    assert media.content == PNG
    assert media.headers["content-type"] == "image/png"


async def test_find_messages_filters_and_pages(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await open_instance(http, receiver)
    for text in ("um", "dois", "três"):
        await customer_says(http, name, text=text)
    await http.post(f"/message/sendText/{name}", json={"number": CUSTOMER, "text": "resposta"})
    everything = await http.post(f"/chat/findMessages/{name}", json={})
    assert everything.status_code == 200
    page = everything.json()["messages"]
    assert page["total"] == 4
    assert page["pages"] == 1
    assert page["currentPage"] == 1
    record = page["records"][0]
    assert set(record) == {
        "id",
        "key",
        "pushName",
        "messageType",
        "message",
        "messageTimestamp",
        "instanceId",
        "source",
        "contextInfo",
        "MessageUpdate",
    }
    paged = (await http.post(f"/chat/findMessages/{name}", json={"page": 2, "offset": 3})).json()["messages"]
    assert paged["pages"] == 2
    assert len(paged["records"]) == 1
    mine = await http.post(f"/chat/findMessages/{name}", json={"where": {"key": {"fromMe": True}}})
    assert [r["message"]["conversation"] for r in mine.json()["messages"]["records"]] == ["resposta"]
    jid = f"{CUSTOMER}@s.whatsapp.net"
    by_chat = await http.post(f"/chat/findMessages/{name}", json={"where": {"key": {"remoteJid": jid}}})
    assert by_chat.json()["messages"]["total"] == 4

    now = time.time()
    past = {"gte": "2020-01-01T00:00:00Z", "lte": "2020-12-31T23:59:59Z"}
    current = {"gte": _iso(now - 60), "lte": _iso(now + 60)}
    in_past = await http.post(f"/chat/findMessages/{name}", json={"where": {"messageTimestamp": past}})
    assert in_past.json()["messages"]["total"] == 0
    in_range = await http.post(f"/chat/findMessages/{name}", json={"where": {"messageTimestamp": current}})
    assert in_range.json()["messages"]["total"] == 4
    # Only one end given: Evolution ignores the range.
    half = await http.post(
        f"/chat/findMessages/{name}", json={"where": {"messageTimestamp": {"gte": past["gte"]}}}
    )
    assert half.json()["messages"]["total"] == 4
    as_millis = {"gte": int((now - 60) * 1000), "lte": int((now + 60) * 1000)}
    millis = await http.post(f"/chat/findMessages/{name}", json={"where": {"messageTimestamp": as_millis}})
    assert millis.json()["messages"]["total"] == 4


def _iso(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
