from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.conftest import Account, Services, join, login_headers


async def _invite(client: httpx.AsyncClient, admin: Account, email: str, **extra: object) -> httpx.Response:
    return await client.post(
        "/api/company/invitations", headers=admin.headers, json={"email": email, **extra}
    )


async def test_invitation_link_preview_and_pending_list(client: httpx.AsyncClient, alice: Account) -> None:
    invited = await _invite(client, alice, "Vera@Example.com", role="coordinator")
    assert invited.status_code == 201
    data = invited.json()["data"]
    assert data["email"] == "vera@example.com"
    assert data["inviteUrl"].endswith(f"/invite/{data['token']}")
    assert data["invitedBy"]["fullName"] == "Alice"
    preview = (await client.get(f"/api/invitations/{data['token']}")).json()["data"]
    assert preview["companyName"] == "Alice Co"
    assert preview["role"] == "coordinator"
    assert "accountExists" not in preview  # would tell any tenant which e-mails have accounts
    pending = (await client.get("/api/company/invitations", headers=alice.headers)).json()["data"]
    assert pending[0]["email"] == "vera@example.com"
    assert [p["email"] for p in pending] == ["vera@example.com"]
    assert "token" not in pending[0]


async def test_accepting_creates_the_account_and_logs_in(client: httpx.AsyncClient, alice: Account) -> None:
    token = (await _invite(client, alice, "nova@example.com")).json()["data"]["token"]
    accepted = await client.post(
        f"/api/invitations/{token}/accept", json={"fullName": "Nova", "password": "nova-pass"}
    )
    assert accepted.status_code == 201
    session = accepted.json()["data"]
    assert session["company"]["id"] == alice.company_id
    me = (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {session['accessToken']}"})
    ).json()
    assert me["data"]["companyId"] == alice.company_id
    assert me["data"]["role"] == "member"
    # A link works once.
    again = await client.post(
        f"/api/invitations/{token}/accept", json={"fullName": "Eve", "password": "eve-pass1"}
    )
    assert again.status_code == 404
    assert (await client.get(f"/api/invitations/{token}")).status_code == 404
    notifications = (await client.get("/api/notifications", headers=alice.headers)).json()["data"]
    assert any(n["type"] == "member_joined" for n in notifications)


async def test_an_existing_account_must_log_in_as_the_invited_email(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    token = (await _invite(client, alice, bob.email)).json()["data"]["token"]
    anonymous = await client.post(
        f"/api/invitations/{token}/accept", json={"fullName": "Bob", "password": "x" * 10}
    )
    assert anonymous.status_code == 409
    stranger = await join(client, alice, "stranger@example.com", password="stranger-pw")
    assert stranger["email"] == "stranger@example.com"
    stranger_headers = await login_headers(client, "stranger@example.com", "stranger-pw")
    wrong = await client.post(f"/api/invitations/{token}/accept", headers=stranger_headers, json={})
    assert wrong.status_code == 403
    assert bob.email in wrong.json()["error"]
    right = await client.post(f"/api/invitations/{token}/accept", headers=bob.headers, json={})
    assert right.status_code == 200
    assert right.json()["data"]["company"]["id"] == alice.company_id
    switched = await client.post(
        "/api/auth/switch-company", headers=bob.headers, json={"companyId": alice.company_id}
    )
    assert switched.status_code == 200


async def test_duplicates_revocation_and_expiry(
    client: httpx.AsyncClient, alice: Account, bob: Account, services: Services
) -> None:
    assert (await _invite(client, alice, alice.email)).status_code == 409  # already a member
    first = (await _invite(client, alice, "dup@example.com")).json()["data"]
    assert (await _invite(client, alice, "dup@example.com")).status_code == 409
    # Another company's admin cannot revoke it, and it does not show up there.
    assert (
        await client.delete(f"/api/company/invitations/{first['id']}", headers=bob.headers)
    ).status_code == 404
    assert (await client.get("/api/company/invitations", headers=bob.headers)).json()["data"] == []
    assert (
        await client.delete(f"/api/company/invitations/{first['id']}", headers=alice.headers)
    ).status_code == 200
    assert (await client.get(f"/api/invitations/{first['token']}")).status_code == 404
    second = (await _invite(client, alice, "dup@example.com")).json()["data"]
    connection = await asyncpg.connect(services.admin_url)
    await connection.execute(
        "UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1", second["id"]
    )
    await connection.close()
    assert (await client.get(f"/api/invitations/{second['token']}")).status_code == 404
    assert (await _invite(client, alice, "dup@example.com")).status_code == 201  # expiry frees the e-mail


async def test_invitation_input_errors(client: httpx.AsyncClient, alice: Account) -> None:
    assert (await _invite(client, alice, "not-an-email")).status_code == 400
    assert (await _invite(client, alice, "ok@example.com", role="owner")).status_code == 400
    token = (await _invite(client, alice, "weak@example.com")).json()["data"]["token"]
    weak = await client.post(f"/api/invitations/{token}/accept", json={"fullName": "W", "password": "short"})
    assert weak.status_code == 400
    assert {d["field"] for d in weak.json()["details"]} == {"fullName", "password"}
    assert (await client.get("/api/invitations/garbage")).status_code == 404


async def test_revoking_and_accepting_race_has_one_winner(client: httpx.AsyncClient, alice: Account) -> None:
    created = (await _invite(client, alice, "race@example.com")).json()["data"]
    accept = client.post(
        f"/api/invitations/{created['token']}/accept", json={"fullName": "Race", "password": "race-pass"}
    )
    revoke = client.delete(f"/api/company/invitations/{created['id']}", headers=alice.headers)
    accepted, revoked = await asyncio.gather(accept, revoke)
    members = (await client.get("/api/company/members", headers=alice.headers)).json()["data"]
    joined = any(m["email"] == "race@example.com" for m in members)
    # Exactly one of them took effect, and the answers say which.
    assert (accepted.status_code, revoked.status_code) in {(201, 404), (404, 200)}
    assert joined == (accepted.status_code == 201)


async def test_a_removed_or_demoted_inviter_takes_their_links_along(
    client: httpx.AsyncClient, alice: Account
) -> None:
    manager = await join(
        client, alice, "mgr@example.com", password="mgr-password", permissions={"canManageUsers": True}
    )
    headers = await login_headers(client, "mgr@example.com", "mgr-password")
    link = (
        await client.post("/api/company/invitations", headers=headers, json={"email": "alt@example.com"})
    ).json()["data"]
    await client.delete(f"/api/company/members/{manager['id']}", headers=alice.headers)
    assert (await client.get(f"/api/invitations/{link['token']}")).status_code == 404

    admin = await join(client, alice, "adm@example.com", role="admin", password="adm-password")
    admin_headers = await login_headers(client, "adm@example.com", "adm-password")
    admin_link = (
        await client.post(
            "/api/company/invitations",
            headers=admin_headers,
            json={"email": "boss@example.com", "role": "admin"},
        )
    ).json()["data"]
    await client.patch(f"/api/company/members/{admin['id']}", headers=alice.headers, json={"role": "member"})
    assert (await client.get(f"/api/invitations/{admin_link['token']}")).status_code == 404


async def test_admin_invitations_are_revoked_by_admins_only(
    client: httpx.AsyncClient, alice: Account
) -> None:
    admin_link = (await _invite(client, alice, "boss2@example.com", role="admin")).json()["data"]
    await join(
        client, alice, "mgr2@example.com", password="mgr2-password", permissions={"canManageUsers": True}
    )
    headers = await login_headers(client, "mgr2@example.com", "mgr2-password")
    denied = await client.delete(f"/api/company/invitations/{admin_link['id']}", headers=headers)
    assert denied.status_code == 403


async def test_names_are_trimmed_and_blank_names_refused(client: httpx.AsyncClient, alice: Account) -> None:
    token = (await _invite(client, alice, "blank@example.com")).json()["data"]["token"]
    blank = await client.post(
        f"/api/invitations/{token}/accept", json={"fullName": "   ", "password": "blank-pass"}
    )
    assert blank.status_code == 400


async def test_a_user_without_company_sees_themselves_and_can_accept(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    member = await join(client, alice, "solo@example.com", password="solo-password")
    await client.delete(f"/api/company/members/{member['id']}", headers=alice.headers)
    headers = await login_headers(client, "solo@example.com", "solo-password")
    me = (await client.get("/api/auth/me", headers=headers)).json()["data"]
    assert me["email"] == "solo@example.com"
    assert me["companyId"] is None
    assert me["company"] is None
    assert me["companies"] == []
    assert (await client.get("/api/company/members", headers=headers)).status_code == 403
    token = (await _invite(client, bob, "solo@example.com")).json()["data"]["token"]
    assert (
        await client.post(f"/api/invitations/{token}/accept", headers=headers, json={})
    ).status_code == 200
    switched = await client.post(
        "/api/auth/switch-company", headers=headers, json={"companyId": bob.company_id}
    )
    assert switched.status_code == 200


def test_invitation_tokens_are_masked_in_logs() -> None:
    from evoai.logging import redact

    assert redact("/api/invitations/abcDEF123_-x/accept") == "/api/invitations/[REDACTED]/accept"
    assert redact("GET /invite/abcDEF123_-x HTTP/1.1") == "GET /invite/[REDACTED] HTTP/1.1"
