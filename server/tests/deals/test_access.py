"""Tenancy and permissions on every funnel and deal endpoint: another company's ids are 404s, the
board never shows them, and members without canManageContacts cannot change deals."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.conftest import Account
from tests.deals.helpers import default_funnel, make_contact, member, new_deal, stage

PDF = b"%PDF-1.4\n%%EOF\n"


async def _bob_world(client: httpx.AsyncClient, asgi_app: Any, bob: Account) -> dict[str, str]:
    funnel = await default_funnel(client, bob.headers)
    contact_id = await make_contact(asgi_app, bob.company_id, name="Cliente do Bob", phone="5511977776666")
    deal = await new_deal(
        client, bob.headers, stage(funnel, "Proposta"), title="Segredo do Bob", contactId=contact_id
    )
    note = await client.post(f"/api/deals/{deal['id']}/notes", headers=bob.headers, json={"content": "nota"})
    attachment = await client.post(
        f"/api/deals/{deal['id']}/attachments",
        headers=bob.headers,
        files={"file": ("a.pdf", PDF, "application/pdf")},
    )
    return {
        "funnel": funnel["id"],
        "stage": stage(funnel, "Proposta"),
        "deal": deal["id"],
        "contact": contact_id,
        "note": note.json()["data"]["id"],
        "attachment": attachment.json()["data"]["id"],
    }


async def test_another_companys_ids_are_not_found(
    client: httpx.AsyncClient, asgi_app: Any, alice: Account, bob: Account
) -> None:
    b = await _bob_world(client, asgi_app, bob)
    mine = await default_funnel(client, alice.headers)
    my_stage = stage(mine, "Novo lead")
    my_deal = await new_deal(client, alice.headers, my_stage)
    my_contact = await make_contact(asgi_app, alice.company_id, phone="5511900009999")
    attempts: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", f"/api/funnels/{b['funnel']}", None),
        ("PUT", f"/api/funnels/{b['funnel']}", {"name": "Tomado"}),
        ("DELETE", f"/api/funnels/{b['funnel']}", None),
        ("GET", f"/api/funnels/{b['funnel']}/board", None),
        ("GET", f"/api/funnels/{b['funnel']}/search?q=segredo", None),
        ("GET", f"/api/funnels/{b['funnel']}/stats", None),
        ("GET", f"/api/funnels/{b['funnel']}/stages", None),
        ("POST", f"/api/funnels/{b['funnel']}/stages", {"name": "Intrusa"}),
        ("POST", f"/api/funnels/{b['funnel']}/stages/reorder", {"stageIds": [b["stage"]]}),
        ("GET", f"/api/funnels/{b['funnel']}/available-contacts", None),
        ("PUT", f"/api/funnels/stages/{b['stage']}", {"name": "Tomada"}),
        ("DELETE", f"/api/funnels/stages/{b['stage']}", None),
        ("POST", "/api/funnels/move-to-stage", {"contactId": b["contact"], "stageId": my_stage}),
        ("POST", "/api/funnels/move-to-stage", {"contactId": my_contact, "stageId": b["stage"]}),
        ("POST", "/api/funnels/move-to-funnel", {"contactId": my_contact, "funnelId": b["funnel"]}),
        ("POST", "/api/deals", {"title": "x", "stageId": b["stage"]}),
        ("POST", "/api/deals", {"title": "x", "stageId": my_stage, "contactId": b["contact"]}),
        ("GET", f"/api/deals/{b['deal']}", None),
        ("PUT", f"/api/deals/{b['deal']}", {"title": "Tomado"}),
        ("DELETE", f"/api/deals/{b['deal']}", None),
        ("POST", f"/api/deals/{b['deal']}/reopen", {"reason": "x"}),
        ("POST", "/api/deals/move", {"dealId": b["deal"], "stageId": my_stage}),
        ("POST", "/api/deals/move", {"dealId": my_deal["id"], "stageId": b["stage"]}),
        ("POST", "/api/deals/duplicate", {"dealId": b["deal"], "funnelId": mine["id"], "stageId": my_stage}),
        (
            "POST",
            "/api/deals/duplicate",
            {"dealId": my_deal["id"], "funnelId": b["funnel"], "stageId": b["stage"]},
        ),
        ("GET", f"/api/deals/{b['deal']}/activities", None),
        ("GET", f"/api/deals/{b['deal']}/notes", None),
        ("POST", f"/api/deals/{b['deal']}/notes", {"content": "x"}),
        ("PUT", f"/api/deals/{b['deal']}/notes/{b['note']}", {"content": "x"}),
        ("DELETE", f"/api/deals/{b['deal']}/notes/{b['note']}", None),
        ("PUT", f"/api/deals/{my_deal['id']}/notes/{b['note']}", {"content": "x"}),
        ("GET", f"/api/deals/{b['deal']}/attachments", None),
        ("DELETE", f"/api/deals/{b['deal']}/attachments/{b['attachment']}", None),
        ("DELETE", f"/api/deals/{my_deal['id']}/attachments/{b['attachment']}", None),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, headers=alice.headers, json=body)
        assert response.status_code == 404, (method, url, response.status_code, response.text)
    upload = await client.post(
        f"/api/deals/{b['deal']}/attachments",
        headers=alice.headers,
        files={"file": ("a.pdf", PDF, "application/pdf")},
    )
    assert upload.status_code == 404

    board = (await client.get(f"/api/funnels/{mine['id']}/board", headers=alice.headers)).json()["data"]
    assert [d["id"] for c in board["columns"] for d in c["deals"]] == [my_deal["id"]]
    listed = (await client.get("/api/deals?search=segredo", headers=alice.headers)).json()["data"]
    assert listed["deals"] == []
    assert [f["id"] for f in (await client.get("/api/funnels", headers=alice.headers)).json()["data"]] == [
        mine["id"]
    ]
    assert all(
        s["funnel"]["id"] == mine["id"]
        for s in (await client.get("/api/funnels/stages", headers=alice.headers)).json()["data"]
    )
    available = (
        await client.get(f"/api/funnels/{mine['id']}/available-contacts", headers=alice.headers)
    ).json()["data"]
    assert [c["id"] for c in available] == [my_contact]
    # Bob's world is untouched.
    kept = (await client.get(f"/api/deals/{b['deal']}", headers=bob.headers)).json()["data"]
    assert (kept["title"], kept["noteCount"], kept["attachmentCount"]) == ("Segredo do Bob", 1, 1)


async def test_deal_writes_need_can_manage_contacts(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = await default_funnel(client, alice.headers)
    first = stage(funnel, "Novo lead")
    deal = await new_deal(client, alice.headers, first)
    note = (
        await client.post(f"/api/deals/{deal['id']}/notes", headers=alice.headers, json={"content": "n"})
    ).json()
    attachment = (
        await client.post(
            f"/api/deals/{deal['id']}/attachments",
            headers=alice.headers,
            files={"file": ("a.pdf", PDF, "application/pdf")},
        )
    ).json()
    viewer = await member(client, alice, "viewer@example.com", permissions={"canManageContacts": False})
    deal_url = f"/api/deals/{deal['id']}"
    attempts: list[tuple[str, str, dict[str, Any] | None]] = [
        ("POST", "/api/deals", {"title": "x", "stageId": first}),
        ("PUT", deal_url, {"title": "x"}),
        ("DELETE", deal_url, None),
        ("POST", "/api/deals/move", {"dealId": deal["id"], "stageId": stage(funnel, "Proposta")}),
        ("POST", "/api/deals/duplicate", {"dealId": deal["id"], "funnelId": funnel["id"], "stageId": first}),
        ("POST", f"{deal_url}/notes", {"content": "x"}),
        ("PUT", f"{deal_url}/notes/{note['data']['id']}", {"content": "x"}),
        ("DELETE", f"{deal_url}/notes/{note['data']['id']}", None),
        ("DELETE", f"{deal_url}/attachments/{attachment['data']['id']}", None),
        ("POST", f"{deal_url}/reopen", {"reason": "x"}),
    ]
    for method, url, body in attempts:
        response = await client.request(method, url, headers=viewer, json=body)
        assert response.status_code == 403, (method, url, response.text)
        assert response.json()["code"] == "forbidden"
    upload = await client.post(
        f"{deal_url}/attachments", headers=viewer, files={"file": ("a.pdf", PDF, "application/pdf")}
    )
    assert upload.status_code == 403
    for url in (
        deal_url,
        "/api/deals",
        f"{deal_url}/notes",
        f"{deal_url}/attachments",
        f"{deal_url}/activities",
    ):
        assert (await client.get(url, headers=viewer)).status_code == 200, url


async def test_malformed_input_is_400_never_500(client: httpx.AsyncClient, alice: Account) -> None:
    funnel = (await default_funnel(client, alice.headers))["id"]
    urls = [
        "/api/deals/123",
        "/api/funnels/abc",
        "/api/funnels/abc/board",
        "/api/deals/x/notes",
        "/api/deals?search=a%00b",
        f"/api/funnels/{funnel}/board?search=%00",
        f"/api/funnels/{funnel}/search?q=ab%00",
        f"/api/funnels/{funnel}/available-contacts?search=%00",
        f"/api/funnels/{funnel}/stats?to=9999-12-31",
        f"/api/funnels/{funnel}/stats?to=0001-01-01",
        f"/api/funnels/{funnel}/stats?from=2026-01-01T25:00",
        f"/api/funnels/{funnel}/stats?from=0001-01-01T00:00:00%2B14:00",
    ]
    for url in urls:
        response = await client.get(url, headers=alice.headers)
        assert response.status_code == 400, (url, response.text)
    assert (await client.get(f"/api/deals/{uuid.uuid4()}", headers=alice.headers)).status_code == 404
    not_json = await client.post(
        "/api/deals", headers={**alice.headers, "content-type": "application/json"}, content=b"{"
    )
    assert not_json.status_code == 400
