"""UAZAPI through our API: credential, instance with the webhook configured, QR, and deliveries
authenticated by the instance token in the body or the secret in the URL."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import Account
from tests.whatsapp.providers.support import FakeGateway, Reply
from tests.whatsapp.wa_helpers import fixture

QR = "data:image/png;base64,iVBORw0KGgo="


@pytest.fixture
async def uazapi() -> AsyncIterator[FakeGateway]:
    server = FakeGateway()
    await server.start()
    server.on("GET", "/instance/all", Reply(200, []))
    server.on(
        "POST",
        "/instance/init",
        Reply(200, {"response": "Instance created successfully", "token": "UAZ-TOKEN"}),
    )
    server.on("POST", "/webhook", Reply(200, [{"id": "w1", "enabled": True}]))
    server.on(
        "POST",
        "/instance/connect",
        Reply(200, {"connected": False, "instance": {"status": "connecting", "qrcode": QR, "paircode": ""}}),
    )
    yield server
    await server.stop()


async def test_uazapi_instance_and_webhook(
    client: httpx.AsyncClient, alice: Account, uazapi: FakeGateway
) -> None:
    credential = await client.post(
        "/api/whatsapp/provider-credentials",
        headers=alice.headers,
        json={"provider": "UAZAPI", "apiUrl": uazapi.url, "apiKey": "admin-token"},
    )
    assert credential.status_code == 201, credential.text
    assert uazapi.calls("GET", "/instance/all")[0].headers["admintoken"] == "admin-token"
    created = await client.post(
        "/api/whatsapp/instances",
        headers=alice.headers,
        json={"instanceName": "Loja UAZ", "provider": "UAZAPI"},
    )
    assert created.status_code == 201, created.text
    instance = created.json()["data"]
    detail = (await client.get(f"/api/whatsapp/instances/{instance['id']}", headers=alice.headers)).json()[
        "data"
    ]
    [webhook] = uazapi.calls("POST", "/webhook")
    # UAZAPI cannot add headers: the secret travels in the URL we registered.
    assert webhook.body["url"] == f"{detail['webhook']['url']}?token={detail['webhook']['secret']}"
    connect = await client.post(f"/api/whatsapp/instances/{instance['id']}/connect", headers=alice.headers)
    assert connect.json()["data"] == {"qrcode": QR, "pairingCode": None, "status": "qrcode"}

    path = detail["webhook"]["url"].removeprefix("http://127.0.0.1:3000")
    body = copy.deepcopy(fixture("uazapi_messages_text"))
    body["token"] = "wrong"
    assert (await client.post(path, json=body)).status_code == 401
    body["token"] = "UAZ-TOKEN"  # the instance token UAZAPI puts in every body
    stored = await client.post(path, json=body)
    assert stored.status_code == 200, stored.text
    assert stored.json()["reason"] == "message_created"
    by_url = await client.post(f"{path}?token={detail['webhook']['secret']}", json={**body, "token": "x"})
    assert by_url.json()["reason"] == "duplicate"
    listing = (await client.get("/api/whatsapp/conversations", headers=alice.headers)).json()["data"]
    [conversation] = listing["conversations"]
    assert conversation["contactNumber"] == "5511987654321"
    assert conversation["instanceName"] == "Loja UAZ"
