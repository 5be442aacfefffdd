"""Instance lifecycle, auth and webhook configuration against a running sandbox."""

from __future__ import annotations

import base64

import httpx

from tests.sandbox.conftest import Receiver, connect_and_scan, create_instance, unique_name


async def test_create_connect_scan_open(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name = unique_name()
    created = await http.post(
        "/instance/create",
        json={
            "instanceName": name,
            "integration": "WHATSAPP-BAILEYS",
            "webhook": {"url": receiver.url, "headers": {"x-webhook-secret": "s3cr3t"}, "events": []},
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["instance"]["instanceName"] == name
    assert body["instance"]["integration"] == "WHATSAPP-BAILEYS"
    assert body["instance"]["status"] == "close"
    assert body["webhook"] == {"webhookUrl": receiver.url, "webhookHeaders": {"x-webhook-secret": "s3cr3t"}}
    assert len(body["hash"]) == 36
    assert body["hash"] == body["hash"].upper()
    assert set(body) >= {"websocket", "rabbitmq", "nats", "sqs", "settings"}

    state = await http.get(f"/instance/connectionState/{name}")
    assert state.json() == {"instance": {"instanceName": name, "state": "close"}}

    qr = (await http.get(f"/instance/connect/{name}")).json()
    assert set(qr) == {"pairingCode", "code", "base64", "count"}
    assert qr["pairingCode"] is None
    assert qr["count"] == 1
    assert qr["code"].startswith("2@")
    prefix = "data:image/png;base64,"
    assert qr["base64"].startswith(prefix)
    assert base64.b64decode(qr["base64"][len(prefix) :]).startswith(b"\x89PNG\r\n\x1a\n")
    again = (await http.get(f"/instance/connect/{name}")).json()
    assert again["code"] == qr["code"]  # still connecting: the same QR
    updated = await receiver.wait(lambda: receiver.events("qrcode.updated", name))
    assert updated[0].body["data"]["qrcode"] == {
        "instance": name,
        "pairingCode": None,
        "code": qr["code"],
        "base64": qr["base64"],
    }
    connecting = await receiver.wait(lambda: receiver.events("connection.update", name))
    assert connecting[0].body["data"] == {"instance": name, "state": "connecting", "statusReason": 200}

    await http.post(f"/sandbox/instances/{name}/scan", json={"profileName": "Loja Teste"})
    updates = await receiver.wait(lambda: receiver.events("connection.update", name), count=2)
    opened = updates[1]
    assert opened.headers["x-webhook-secret"] == "s3cr3t"
    assert opened.headers["user-agent"] == "axios/1.7.9"
    assert opened.headers["content-type"].startswith("application/json")
    data = opened.body["data"]
    assert data["state"] == "open"
    assert data["statusReason"] == 200
    assert data["profileName"] == "Loja Teste"
    assert data["wuid"].startswith("55119")
    assert data["wuid"].endswith("@s.whatsapp.net")
    assert len(data["wuid"].split("@")[0]) == 13
    assert opened.body["sender"] == data["wuid"]
    assert list(opened.body) == [
        "event",
        "instance",
        "data",
        "destination",
        "date_time",
        "sender",
        "server_url",
        "apikey",
    ]
    assert (await http.get(f"/instance/connect/{name}")).json() == {
        "instance": {"instanceName": name, "state": "open"}
    }
    rows = (await http.get("/instance/fetchInstances", params={"instanceName": name})).json()
    assert rows[0]["name"] == name
    assert rows[0]["connectionStatus"] == "open"
    assert rows[0]["ownerJid"] == data["wuid"]
    assert rows[0]["profileName"] == "Loja Teste"
    assert rows[0]["token"] == body["hash"]


async def test_pairing_code_with_number(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver)
    qr = (await http.get(f"/instance/connect/{name}", params={"number": "5511999999999"})).json()
    assert len(qr["pairingCode"]) == 8


async def test_create_validation(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver)
    duplicate = await http.post(
        "/instance/create", json={"instanceName": name, "integration": "WHATSAPP-BAILEYS"}
    )
    assert duplicate.status_code == 403
    assert duplicate.json() == {
        "status": 403,
        "error": "Forbidden",
        "response": {"message": [f'This name "{name}" is already in use.']},
    }
    no_integration = await http.post("/instance/create", json={"instanceName": unique_name()})
    assert no_integration.status_code == 400
    assert no_integration.json()["response"]["message"] == ["Invalid integration"]
    no_events = await http.post(
        "/instance/create",
        json={
            "instanceName": unique_name(),
            "integration": "WHATSAPP-BAILEYS",
            "webhook": {"url": receiver.url},
        },
    )
    assert no_events.status_code == 400


async def test_auth_order_and_tokens(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, token = await create_instance(http, receiver)
    other, _ = await create_instance(http, receiver)
    missing = await http.get("/instance/connectionState/nope", headers={"apikey": "wrong"})
    assert missing.status_code == 404
    assert missing.json()["response"]["message"] == ['The "nope" instance does not exist']
    wrong = await http.get(f"/instance/connectionState/{name}", headers={"apikey": "wrong"})
    assert wrong.status_code == 401
    assert wrong.json() == {"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}
    absent = await httpx.AsyncClient(base_url=str(http.base_url)).get(f"/instance/connectionState/{name}")
    assert absent.status_code == 401
    own = await http.get(f"/instance/connectionState/{name}", headers={"apikey": token})
    assert own.status_code == 200
    foreign = await http.get(f"/instance/connectionState/{other}", headers={"apikey": token})
    assert foreign.status_code == 401
    create_with_token = await http.post(
        "/instance/create",
        headers={"apikey": token},
        json={"instanceName": unique_name(), "integration": "WHATSAPP-BAILEYS"},
    )
    assert create_with_token.status_code == 401
    mine = await http.get("/instance/fetchInstances", headers={"apikey": token})
    assert [row["name"] for row in mine.json()] == [name]
    unknown = await http.get("/instance/nothing-here")
    assert unknown.status_code == 404
    assert unknown.json()["response"]["message"] == ["Cannot GET /instance/nothing-here"]


async def test_webhook_set_find_logout_delete(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver)
    stored = await http.post(
        f"/webhook/set/{name}",
        json={
            "webhook": {
                "enabled": True,
                "url": receiver.url,
                "events": ["CONNECTION_UPDATE"],
                "byEvents": True,
            }
        },
    )
    assert stored.status_code == 201
    row = stored.json()
    assert row["events"] == ["CONNECTION_UPDATE"]
    assert row["webhookByEvents"] is True
    assert set(row) == {
        "id",
        "url",
        "headers",
        "enabled",
        "events",
        "webhookByEvents",
        "webhookBase64",
        "createdAt",
        "updatedAt",
        "instanceId",
    }
    assert (await http.get(f"/webhook/find/{name}")).json() == row

    not_connected = await http.delete(f"/instance/logout/{name}")
    assert not_connected.status_code == 400
    await connect_and_scan(http, name)
    suffixed = await receiver.wait(
        lambda: [
            h for h in receiver.events("connection.update", name) if h.path == "/hooks/connection-update"
        ],
        count=2,
    )
    assert suffixed[0].body["destination"] == receiver.url
    assert not receiver.events("qrcode.updated", name)  # not subscribed

    logged_out = await http.delete(f"/instance/logout/{name}")
    assert logged_out.json() == {
        "status": "SUCCESS",
        "error": False,
        "response": {"message": "Instance logged out"},
    }
    closed = await receiver.wait(lambda: receiver.events("connection.update", name), count=3)
    assert closed[2].body["data"] == {"instance": name, "state": "close", "statusReason": 401}
    deleted = await http.delete(f"/instance/delete/{name}")
    assert deleted.json()["response"]["message"] == "Instance deleted"
    assert (await http.get(f"/instance/connectionState/{name}")).status_code == 404


async def test_phone_side_disconnect(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver)
    await connect_and_scan(http, name)
    response = await http.post(f"/sandbox/instances/{name}/disconnect")
    assert response.json()["state"] == "close"
    updates = await receiver.wait(lambda: receiver.events("connection.update", name), count=3)
    assert updates[-1].body["data"]["statusReason"] == 401
