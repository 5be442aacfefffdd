from __future__ import annotations

import httpx

from tests.conftest import Account, join, login_headers


async def test_an_invited_person_joins_and_can_log_in(client: httpx.AsyncClient, alice: Account) -> None:
    member = await join(
        client, alice, "New.Seller@Example.com", name="Nina Vendas", password="first-password"
    )
    assert member["email"] == "new.seller@example.com"
    assert member["role"] == "member"
    assert member["permissions"]["canManageContacts"] is True
    assert member["permissions"]["canManageUsers"] is False
    headers = await login_headers(client, "new.seller@example.com", "first-password")
    me = (await client.get("/api/auth/me", headers=headers)).json()["data"]
    assert me["companyId"] == alice.company_id
    assert me["role"] == "member"
    listed = (await client.get("/api/company/members", headers=alice.headers)).json()["data"]
    assert [m["email"] for m in listed] == [alice.email, "new.seller@example.com"]


async def test_members_cannot_manage_the_team(client: httpx.AsyncClient, alice: Account) -> None:
    await join(client, alice, "m@example.com", password="member-pass")
    member = await login_headers(client, "m@example.com", "member-pass")
    assert (await client.get("/api/company/members", headers=member)).status_code == 200
    assert (await client.get("/api/company/invitations", headers=member)).status_code == 403
    forbidden = await client.post("/api/company/invitations", headers=member, json={"email": "x@example.com"})
    assert forbidden.status_code == 403
    admin_id = (await client.get("/api/company/members", headers=member)).json()["data"][0]["id"]
    assert (await client.delete(f"/api/company/members/{admin_id}", headers=member)).status_code == 403
    patched = await client.patch(f"/api/company/members/{admin_id}", headers=member, json={"role": "member"})
    assert patched.status_code == 403


async def test_role_and_permission_changes(client: httpx.AsyncClient, alice: Account) -> None:
    member = await join(client, alice, "c@example.com")
    response = await client.patch(
        f"/api/company/members/{member['id']}",
        headers=alice.headers,
        json={"role": "coordinator", "permissions": {"canManageFlows": False}},
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["role"] == "coordinator"
    assert data["permissions"]["canManageFlows"] is False
    assert data["permissions"]["canManageWhatsApp"] is True
    # A role change without explicit permissions starts from the new role's defaults.
    back = await client.patch(
        f"/api/company/members/{member['id']}", headers=alice.headers, json={"role": "member"}
    )
    assert back.json()["data"]["permissions"]["canManageWhatsApp"] is False
    bad = await client.patch(
        f"/api/company/members/{member['id']}", headers=alice.headers, json={"role": "owner"}
    )
    assert bad.status_code == 400


async def test_the_last_admin_cannot_be_removed_or_demoted(client: httpx.AsyncClient, alice: Account) -> None:
    me = (await client.get("/api/company/members", headers=alice.headers)).json()["data"][0]
    removed = await client.delete(f"/api/company/members/{me['id']}", headers=alice.headers)
    assert removed.status_code == 422
    assert "último administrador" in removed.json()["error"]
    demoted = await client.patch(
        f"/api/company/members/{me['id']}", headers=alice.headers, json={"role": "member"}
    )
    assert demoted.status_code == 422
    # With a second admin the first one may go.
    await join(client, alice, "second@example.com", role="admin")
    assert (await client.delete(f"/api/company/members/{me['id']}", headers=alice.headers)).status_code == 200


async def test_a_removed_member_loses_access_at_once(client: httpx.AsyncClient, alice: Account) -> None:
    member = await join(client, alice, "r@example.com", password="rui-pass")
    headers = await login_headers(client, "r@example.com", "rui-pass")
    await client.delete(f"/api/company/members/{member['id']}", headers=alice.headers)
    assert (await client.get("/api/auth/me", headers=headers)).status_code == 401


async def test_plans_and_usage(client: httpx.AsyncClient, alice: Account) -> None:
    plans = (await client.get("/api/plans")).json()["data"]
    assert [p["type"] for p in plans] == ["free", "pro", "business", "enterprise"]
    assert plans[0]["limits"] == {"instances": 1, "contacts": 500, "messagesPerMonth": 5000}
    assert plans[3]["limits"] == {"instances": None, "contacts": None, "messagesPerMonth": None}
    usage = (await client.get("/api/company/usage", headers=alice.headers)).json()["data"]
    assert usage["plan"]["type"] == "free"
    assert usage["usage"] == {"instances": 0, "contacts": 0, "messagesThisMonth": 0}
    assert usage["period"]["start"] < usage["period"]["end"]


async def test_company_settings_admin_only(client: httpx.AsyncClient, alice: Account) -> None:
    updated = await client.patch("/api/company", headers=alice.headers, json={"name": "Alice & Filhos"})
    assert updated.status_code == 200
    assert updated.json()["data"]["name"] == "Alice & Filhos"
    assert (await client.patch("/api/company", headers=alice.headers, json={"name": "A"})).status_code == 400
    assert (await client.patch("/api/company", headers=alice.headers, json={"bogus": 1})).status_code == 400
