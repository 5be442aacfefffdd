from __future__ import annotations

import time

import httpx
import jwt

from evoai.config import Settings
from tests.conftest import Account, join, register


async def test_register_returns_tokens_company_and_admin_role(client: httpx.AsyncClient) -> None:
    account = await register(client, "Carla", "Carla Imóveis")
    me = (await client.get("/api/auth/me", headers=account.headers)).json()["data"]
    assert me["email"] == account.email
    assert me["role"] == "admin"
    assert me["company"] == {
        "id": account.company_id,
        "name": "Carla Imóveis",
        "planType": "free",
        "maxWhatsappInstances": 1,
    }
    assert me["companies"] == [{"id": account.company_id, "name": "Carla Imóveis", "role": "admin"}]
    assert all(me["permissions"].values())
    assert me["roles"] == ["USER"]


async def test_access_token_carries_the_spec_claims(client: httpx.AsyncClient, settings: Settings) -> None:
    account = await register(client)
    claims = jwt.decode(account.access, settings.JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == account.user_id
    assert claims["email"] == account.email
    assert claims["role"] == "admin"
    assert claims["companyId"] == account.company_id
    assert claims["exp"] - claims["iat"] == 900


async def test_register_validation_and_duplicate(client: httpx.AsyncClient, alice: Account) -> None:
    response = await client.post("/api/auth/register", json={"email": "not-an-email", "password": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["code"] == "validation_error"
    fields = {d["field"] for d in body["details"]}
    assert {"email", "password", "fullName", "companyName"} <= fields

    response = await client.post(
        "/api/auth/register",
        json={
            "email": alice.email.upper(),
            "password": "another-password",
            "fullName": "Eve",
            "companyName": "Eve Co",
        },
    )
    assert response.status_code == 409
    assert response.json()["error"] == "Email já cadastrado"


async def test_login_success_and_failures(client: httpx.AsyncClient, alice: Account) -> None:
    ok = await client.post("/api/auth/login", json={"email": alice.email, "password": alice.password})
    assert ok.status_code == 200
    data = ok.json()["data"]
    assert data["user"]["companyId"] == alice.company_id
    assert data["expiresIn"] == 900
    wrong = await client.post("/api/auth/login", json={"email": alice.email, "password": "wrong-password"})
    unknown = await client.post(
        "/api/auth/login", json={"email": "nobody@example.com", "password": "whatever"}
    )
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json() == {
            "success": False,
            "error": "Email ou senha incorretos",
            "code": "unauthorized",
        }


async def test_refresh_rotates_and_a_reused_token_revokes_the_session(
    client: httpx.AsyncClient, alice: Account
) -> None:
    first = await client.post("/api/auth/refresh", json={"token": alice.refresh})
    assert first.status_code == 200
    rotated = first.json()["data"]
    assert rotated["refreshToken"] != alice.refresh
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {rotated['accessToken']}"})
    ).status_code == 200

    reuse = await client.post("/api/auth/refresh", json={"token": alice.refresh})
    assert reuse.status_code == 401
    # The theft signal ends the whole session: the newest tokens stop working too.
    after = await client.post("/api/auth/refresh", json={"token": rotated["refreshToken"]})
    assert after.status_code == 401
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {rotated['accessToken']}"})
    assert me.status_code == 401


async def test_logout_stops_the_session_tokens_at_once(client: httpx.AsyncClient, alice: Account) -> None:
    other = await client.post("/api/auth/login", json={"email": alice.email, "password": alice.password})
    other_token = other.json()["data"]["accessToken"]
    response = await client.post("/api/auth/logout", headers=alice.headers)
    assert response.json() == {"success": True, "message": "Logout realizado com sucesso"}
    assert (await client.get("/api/auth/me", headers=alice.headers)).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"token": alice.refresh})).status_code == 401
    # Another device's session is untouched.
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {other_token}"})
    ).status_code == 200
    # Logging out again, or with garbage, still succeeds (spec auth.md).
    assert (
        await client.post("/api/auth/logout", headers={"Authorization": "Bearer nonsense"})
    ).status_code == 200


async def test_bad_tokens_are_401_in_the_envelope(
    client: httpx.AsyncClient, alice: Account, settings: Settings
) -> None:
    expired = jwt.encode(
        {
            "sub": alice.user_id,
            "sid": "00000000-0000-0000-0000-000000000000",
            "typ": "access",
            "iat": int(time.time()) - 1000,
            "exp": int(time.time()) - 10,
        },
        settings.JWT_SECRET,
        algorithm="HS256",
    )
    forged = jwt.encode(
        jwt.decode(alice.access, options={"verify_signature": False}),
        "another-secret-of-at-least-32-characters!!",
        algorithm="HS256",
    )
    for headers in (
        {},
        {"Authorization": "Bearer garbage"},
        {"Authorization": f"Bearer {expired}"},
        {"Authorization": f"Bearer {forged}"},
        {"Authorization": f"Basic {alice.access}"},
    ):
        response = await client.get("/api/auth/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.json()["success"] is False
        assert "Traceback" not in response.text


async def test_switch_company_moves_the_session(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    await join(client, bob, alice.email, existing=alice)
    switched = await client.post(
        "/api/auth/switch-company", headers=alice.headers, json={"companyId": bob.company_id}
    )
    assert switched.status_code == 200, switched.text
    token = switched.json()["data"]["accessToken"]
    me = (await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})).json()["data"]
    assert me["companyId"] == bob.company_id
    assert me["role"] == "member"
    assert {c["id"] for c in me["companies"]} == {alice.company_id, bob.company_id}
    # The old token belonged to the session that moved, so it no longer works.
    assert (await client.get("/api/auth/me", headers=alice.headers)).status_code == 401
    # The next login lands in the company used last.
    login = await client.post("/api/auth/login", json={"email": alice.email, "password": alice.password})
    assert login.json()["data"]["user"]["companyId"] == bob.company_id


async def test_switch_to_a_company_you_do_not_belong_to_is_404(
    client: httpx.AsyncClient, alice: Account, bob: Account
) -> None:
    response = await client.post(
        "/api/auth/switch-company", headers=alice.headers, json={"companyId": bob.company_id}
    )
    assert response.status_code == 404


async def test_secrets_never_appear_in_responses(client: httpx.AsyncClient) -> None:
    # Logs are covered by test_review_regressions.test_request_logs_never_contain_passwords_or_tokens.
    account = await register(client, "Dora")
    me = await client.get("/api/auth/me", headers=account.headers)
    assert "password" not in me.text.lower()
    assert "hash" not in me.text.lower()
    members = await client.get("/api/company/members", headers=account.headers)
    assert "password" not in members.text.lower()
