"""Webhook retries and ordering, persistence across restarts, and the `evoai sandbox` command."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from evoai.cli import app as cli
from tests.sandbox.conftest import GLOBAL_KEY, Receiver, create_instance, start_sandbox, stop_sandbox


async def test_retries_on_503_until_accepted(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver, byEvents=True, events=["QRCODE_UPDATED"])
    receiver.fail["/hooks/qrcode-updated"] = [503, 503]
    await http.get(f"/instance/connect/{name}")
    hits = await receiver.wait(lambda: receiver.events("qrcode.updated", name), count=3)
    assert len({json.dumps(h.body, sort_keys=True) for h in hits}) == 1  # the same body, re-sent
    # The receiver has answered the third attempt; the sandbox records its outcome just after.
    for _ in range(50):
        deliveries = (await http.get("/sandbox/deliveries")).json()
        latest = next(d for d in deliveries if d["event"] == "qrcode.updated" and d["attempts"] == 3)
        if latest["finished"]:
            break
        await asyncio.sleep(0.02)
    assert latest["outcome"] == "200"
    assert latest["finished"] is True


async def test_no_retry_on_non_retryable_status(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver, byEvents=True, events=["CONNECTION_UPDATE"])
    receiver.fail["/hooks/connection-update"] = [404, 404, 404]
    await http.get(f"/instance/connect/{name}")
    await receiver.wait(lambda: receiver.events("connection.update", name))
    await http.post(f"/sandbox/instances/{name}/scan")
    hits = await receiver.wait(lambda: receiver.events("connection.update", name), count=2)
    assert [h.body["data"]["state"] for h in hits] == ["connecting", "open"]  # each refused once, not retried
    receiver.fail.pop("/hooks/connection-update", None)


async def test_deliveries_of_an_instance_arrive_in_order(http: httpx.AsyncClient, receiver: Receiver) -> None:
    name, _ = await create_instance(http, receiver, events=["MESSAGES_UPSERT", "CONNECTION_UPDATE"])
    await http.get(f"/instance/connect/{name}")
    await http.post(f"/sandbox/instances/{name}/scan")
    for number in range(10):
        body = {"from": "5511987654321", "name": "Ana", "text": f"mensagem {number}"}
        await http.post(f"/sandbox/instances/{name}/customer-messages", json=body)
    hits = await receiver.wait(lambda: receiver.events("messages.upsert", name), count=10)
    assert [h.body["data"]["message"]["conversation"] for h in hits] == [f"mensagem {n}" for n in range(10)]


async def test_state_survives_a_restart(tmp_path: Path, receiver: Receiver) -> None:
    running, server, thread = start_sandbox(tmp_path)
    async with httpx.AsyncClient(base_url=running.url, headers={"apikey": GLOBAL_KEY}) as http:
        name, token = await create_instance(http, receiver)
        await http.get(f"/instance/connect/{name}")
        await http.post(f"/sandbox/instances/{name}/scan")
        body = {"from": "5511987654321", "name": "Ana", "text": "guardada"}
        await http.post(f"/sandbox/instances/{name}/customer-messages", json=body)
    stop_sandbox(server, thread)
    assert (tmp_path / "sandbox" / "state.json").exists()

    running, server, thread = start_sandbox(tmp_path)
    try:
        async with httpx.AsyncClient(base_url=running.url, headers={"apikey": token}) as http:
            state = await http.get(f"/instance/connectionState/{name}")
            assert state.json()["instance"]["state"] == "open"
            found = await http.post(f"/chat/findMessages/{name}", json={})
            assert found.json()["messages"]["records"][0]["message"]["conversation"] == "guardada"
    finally:
        stop_sandbox(server, thread)


def test_command_refuses_when_disabled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVOAI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NODE_ENV", "development")
    monkeypatch.setenv("EVOAI_SANDBOX", "false")
    result = CliRunner().invoke(cli, ["sandbox"])
    assert result.exit_code == 78
    assert "sandbox is disabled" in result.output
