"""Tenant isolation, enforced twice: in every query and by PostgreSQL row-level security."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import httpx

from evoai.db import system_session
from evoai.notifications import service
from evoai.ops.embedded import APP_ROLE
from tests.conftest import Account, Services, _with_database


async def _notification_id(asgi_app: Any, account: Account) -> str:
    factory = asgi_app.other_asgi_app.state.evoai.factory
    company_id = uuid.UUID(account.company_id)
    async with system_session(factory, company_id=company_id) as session:
        created = await service.notify(
            session, company_id=company_id, user_ids=[uuid.UUID(account.user_id)], type="test", title="Olá"
        )
    return str(created[0].id)


async def test_other_company_ids_are_404_everywhere(
    client: httpx.AsyncClient, alice: Account, bob: Account, asgi_app: Any
) -> None:
    bob_member = (await client.get("/api/company/members", headers=bob.headers)).json()["data"][0]["id"]
    bob_notification = await _notification_id(asgi_app, bob)
    calls = [
        client.patch(f"/api/company/members/{bob_member}", headers=alice.headers, json={"role": "member"}),
        client.delete(f"/api/company/members/{bob_member}", headers=alice.headers),
        client.post(f"/api/notifications/{bob_notification}/read", headers=alice.headers),
        client.post("/api/auth/switch-company", headers=alice.headers, json={"companyId": bob.company_id}),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 404, response.text
    listed = (await client.get("/api/company/members", headers=alice.headers)).json()["data"]
    assert [m["email"] for m in listed] == [alice.email]
    notifications = (await client.get("/api/notifications", headers=alice.headers)).json()["data"]
    assert bob_notification not in {n["id"] for n in notifications}
    # Bob's data is untouched.
    still = (await client.get("/api/company/members", headers=bob.headers)).json()["data"]
    assert still[0]["role"] == "admin"


async def test_admin_endpoints_are_for_the_platform_admin_only(
    client: httpx.AsyncClient, alice: Account, bob: Account, services: Services
) -> None:
    assert (await client.get("/api/admin/companies", headers=alice.headers)).status_code == 403
    assert (
        await client.patch(
            f"/api/admin/companies/{bob.company_id}/plan",
            headers=alice.headers,
            json={"planType": "enterprise"},
        )
    ).status_code == 403
    connection = await asyncpg.connect(services.admin_url)
    await connection.execute("UPDATE users SET is_super_admin = true WHERE email = $1", alice.email)
    await connection.close()
    listed = await client.get("/api/admin/companies?search=bob", headers=alice.headers)
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["data"]] == [bob.company_id]
    assert listed.json()["data"][0]["membersCount"] == 1
    changed = await client.patch(
        f"/api/admin/companies/{bob.company_id}/plan", headers=alice.headers, json={"planType": "pro"}
    )
    assert changed.status_code == 200
    assert changed.json()["data"]["planType"] == "pro"
    usage = (await client.get("/api/company/usage", headers=bob.headers)).json()["data"]
    assert usage["plan"]["limits"]["instances"] == 3
    bad = await client.patch(
        f"/api/admin/companies/{bob.company_id}/plan", headers=alice.headers, json={"planType": "platinum"}
    )
    assert bad.status_code == 400
    me = (await client.get("/api/auth/me", headers=alice.headers)).json()["data"]
    assert me["roles"] == ["USER", "SUPER_ADMIN"]


async def test_rls_hides_tenant_rows_from_a_query_without_tenant(
    alice: Account, bob: Account, services: Services
) -> None:
    app_url = _with_database(services.app_url, services.app_url.rsplit("/", 1)[1])
    connection = await asyncpg.connect(app_url)
    try:
        role = await connection.fetchrow(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert await connection.fetchval("SELECT current_user") == APP_ROLE
        assert role is not None
        assert not role["rolsuper"]
        assert not role["rolbypassrls"]
        # No tenant set: nothing of any company is visible, even with no WHERE clause at all.
        for table in ("companies", "memberships", "notifications"):
            assert await connection.fetchval(f"SELECT count(*) FROM {table}") == 0, table
        # With Alice's company set, only Alice's rows.
        async with connection.transaction():
            await connection.execute("SELECT set_config('app.company_id', $1, true)", alice.company_id)
            companies = await connection.fetch("SELECT id::text FROM companies")
            assert [r["id"] for r in companies] == [alice.company_id]
            members = await connection.fetch("SELECT company_id::text FROM memberships")
            assert {r["company_id"] for r in members} == {alice.company_id}
            # And writing into another company is refused by the policy's check.
            try:
                await connection.execute(
                    "INSERT INTO notifications (id, company_id, user_id, type, title) "
                    "VALUES (gen_random_uuid(), $1, $2, 't', 't')",
                    bob.company_id,
                    bob.user_id,
                )
                raise AssertionError("insert into another tenant was accepted")
            except asyncpg.InsufficientPrivilegeError:
                pass
    finally:
        await connection.close()
