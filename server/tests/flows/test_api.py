"""The flows API: CRUD, permission, tenant isolation, executions list/get/cancel."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import join, login_headers, register
from tests.flows.helpers import chain, create_flow, executions, node, run
from tests.followups.helpers import open_shop

WELCOME = [node("t", "MESSAGE_RECEIVED"), node("a", "SEND_MESSAGE", message="Oi {{contact.firstName}}!")]


async def test_crud_toggle_duplicate_delete(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    h = shop.headers
    flow = await create_flow(shop, WELCOME, chain(("t", "a")), active=False)
    assert flow["triggerType"] == "MESSAGE_RECEIVED"
    assert flow["isActive"] is False
    assert flow["nodeCount"] == 2
    assert flow["connections"][0]["sourceHandle"] == "output"
    assert "webhookUrl" not in flow
    listed = (await client.get("/api/flows", headers=h)).json()["data"]
    assert [f["id"] for f in listed] == [flow["id"]]
    assert "nodes" not in listed[0]
    assert listed[0]["executionCount"] == 0
    got = (await client.get(f"/api/flows/{flow['id']}", headers=h)).json()["data"]
    assert got["nodes"][1]["data"]["message"] == "Oi {{contact.firstName}}!"

    renamed = await client.put(f"/api/flows/{flow['id']}", headers=h, json={"name": "Novo", "id": flow["id"]})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["data"]["name"] == "Novo"
    other_id = await client.put(
        f"/api/flows/{flow['id']}", headers=h, json={"id": "00000000-0000-4000-8000-000000000000"}
    )
    assert other_id.status_code == 400
    broken = await client.put(f"/api/flows/{flow['id']}", headers=h, json={"connections": []})
    assert broken.status_code == 422
    assert broken.json()["code"] == "invalid_flow"
    assert broken.json()["details"] == [{"nodeId": "a", "message": "nó inalcançável a partir do gatilho"}]
    foreign_tag = await client.put(
        f"/api/flows/{flow['id']}",
        headers=h,
        json={
            "nodes": [*WELCOME, node("b", "ADD_TAG", tagId="00000000-0000-4000-8000-000000000001")],
            "connections": chain(("t", "a"), ("a", "b")),
        },
    )
    assert foreign_tag.status_code == 422
    assert foreign_tag.json()["details"][0]["nodeId"] == "b"

    toggled = await client.post(f"/api/flows/{flow['id']}/toggle", headers=h, json={"isActive": True})
    assert toggled.json()["data"]["isActive"] is True
    copy = await client.post(f"/api/flows/{flow['id']}/duplicate", headers=h)
    assert copy.status_code == 201
    assert copy.json()["data"]["name"] == "Novo (Cópia)"
    assert copy.json()["data"]["isActive"] is False
    assert [n["id"] for n in copy.json()["data"]["nodes"]] == ["t", "a"]

    await shop.customer_says("Olá")
    [execution] = await executions(shop, flow["id"])
    assert execution.status == "RUNNING"
    deleted = await client.delete(f"/api/flows/{flow['id']}", headers=h)
    assert deleted.status_code == 200
    assert deleted.json()["success"] is True
    [kept] = await executions(shop)
    assert kept.status == "CANCELLED"
    assert kept.flow_id is None
    assert kept.flow_name == "Novo"
    assert (await run(shop, kept.id)).status == "CANCELLED"
    assert await shop.bot_texts() == []
    assert (await client.get(f"/api/flows/{flow['id']}", headers=h)).status_code == 404
    types = (await client.get("/api/flows/node-types", headers=h)).json()["data"]
    assert {t["subtype"] for t in types} >= {"SEND_MESSAGE", "SPLIT", "WEBHOOK"}


async def test_members_read_but_cannot_change_and_other_companies_see_nothing(
    asgi_app: Any, client: httpx.AsyncClient
) -> None:
    shop = await open_shop(asgi_app, client)
    flow = await create_flow(shop, WELCOME, chain(("t", "a")))
    await join(client, shop.account, "seller@example.com", password="member-pass")
    member = await login_headers(client, "seller@example.com", "member-pass")
    assert (await client.get(f"/api/flows/{flow['id']}", headers=member)).status_code == 200
    body = {"name": "x", "nodes": WELCOME, "connections": chain(("t", "a"))}
    assert (await client.post("/api/flows", headers=member, json=body)).status_code == 403
    assert (
        await client.put(f"/api/flows/{flow['id']}", headers=member, json={"name": "y"})
    ).status_code == 403
    assert (
        await client.post(f"/api/flows/{flow['id']}/toggle", headers=member, json={"isActive": False})
    ).status_code == 403
    assert (await client.delete(f"/api/flows/{flow['id']}", headers=member)).status_code == 403

    stranger = await register(client, "Bia", "Bia Co")
    assert (await client.get("/api/flows", headers=stranger.headers)).json()["data"] == []
    for method, path in (
        ("GET", f"/api/flows/{flow['id']}"),
        ("PUT", f"/api/flows/{flow['id']}"),
        ("DELETE", f"/api/flows/{flow['id']}"),
        ("GET", f"/api/flows/{flow['id']}/executions"),
    ):
        response = await client.request(
            method, path, headers=stranger.headers, json={} if method == "PUT" else None
        )
        assert response.status_code == 404, (method, path, response.text)
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    assert (
        await client.get(f"/api/flows/executions/{execution.id}", headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.post(f"/api/flows/executions/{execution.id}/cancel", headers=stranger.headers)
    ).status_code == 404


async def test_executions_list_get_and_cancel(asgi_app: Any, client: httpx.AsyncClient) -> None:
    shop = await open_shop(asgi_app, client)
    nodes = [*WELCOME, node("w", "WAIT_RESPONSE", timeout=1, timeoutUnit="hours")]
    flow = await create_flow(shop, nodes, chain(("t", "a"), ("a", "w")))
    await shop.customer_says("Olá")
    [execution] = await executions(shop)
    assert (await run(shop, execution.id)).status == "WAITING"
    page = (await client.get(f"/api/flows/{flow['id']}/executions", headers=shop.headers)).json()
    assert page["pagination"]["total"] == 1
    shown = page["data"][0]
    assert shown["status"] == "WAITING"
    assert shown["currentNodeId"] == "w"
    assert shown["waitingUntil"] is not None
    assert shown["contact"]["name"] == "Maria Souza"
    assert [s["nodeId"] for s in shown["path"]] == ["t", "a", "w"]
    assert [s["result"] for s in shown["path"]] == ["success", "success", "waiting"]
    assert shown["path"][1]["detail"]["messageId"]
    one = (await client.get(f"/api/flows/executions/{execution.id}", headers=shop.headers)).json()["data"]
    assert one["id"] == str(execution.id)
    cancelled = await client.post(f"/api/flows/executions/{execution.id}/cancel", headers=shop.headers)
    assert cancelled.json()["data"]["status"] == "CANCELLED"
    again = await client.post(f"/api/flows/executions/{execution.id}/cancel", headers=shop.headers)
    assert again.status_code == 409
    listed = (await client.get("/api/flows", headers=shop.headers)).json()["data"][0]
    assert listed["executionCount"] == 1
    assert listed["lastExecutedAt"] is not None
