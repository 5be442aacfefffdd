"""API conventions of spec chapters 4, 7 and 11: envelopes, errors, headers, CORS, limits, OpenAPI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from sqlalchemy.exc import TimeoutError as PoolTimeout

from tests.conftest import Account


async def test_request_id_is_generated_or_echoed(client: httpx.AsyncClient) -> None:
    generated = await client.get("/health")
    assert len(generated.headers["X-Request-ID"]) == 36
    echoed = await client.get("/health", headers={"X-Request-ID": "trace-1234-abcd"})
    assert echoed.headers["X-Request-ID"] == "trace-1234-abcd"
    hostile = await client.get("/health", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert hostile.headers["X-Request-ID"] != "<script>alert(1)</script>"


async def test_security_headers(client: httpx.AsyncClient) -> None:
    headers = (await client.get("/health")).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "frame-src 'none'" in headers["Content-Security-Policy"]


async def test_unknown_routes_and_methods_are_json(client: httpx.AsyncClient) -> None:
    missing = await client.get("/api/does-not-exist")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "error": "Recurso não encontrado", "code": "not_found"}
    wrong_method = await client.delete("/api/auth/login")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "method_not_allowed"


async def test_malformed_and_mistyped_bodies_are_400_with_details(client: httpx.AsyncClient) -> None:
    malformed = await client.post(
        "/api/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert malformed.status_code == 400
    assert malformed.json()["error"] == "Corpo da requisição não é um JSON válido"
    mistyped = await client.post("/api/auth/login", json={"email": 42, "password": ["x"]})
    assert mistyped.status_code == 400
    assert {d["field"] for d in mistyped.json()["details"]} == {"email", "password"}
    not_object = await client.post("/api/auth/login", json=[1, 2])
    assert not_object.status_code == 400


async def test_oversized_bodies_are_refused(client: httpx.AsyncClient) -> None:
    big = b'{"email": "' + b"a" * 2_000_000 + b'"}'
    response = await client.post("/api/auth/login", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(40):
            yield b"x" * 65536

    streamed = await client.post(
        "/api/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


async def test_pagination_limits(client: httpx.AsyncClient, alice: Account) -> None:
    page = await client.get("/api/notifications?page=1&limit=5", headers=alice.headers)
    assert page.json()["pagination"] == {"page": 1, "limit": 5, "total": 0, "pages": 0}
    too_many = await client.get("/api/notifications?limit=101", headers=alice.headers)
    assert too_many.status_code == 400
    assert too_many.json()["details"][0]["field"] == "limit"
    bad_id = await client.post("/api/notifications/not-a-uuid/read", headers=alice.headers)
    assert bad_id.status_code == 400


async def test_cors_allows_only_the_frontend_and_localhost_in_development(client: httpx.AsyncClient) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = await client.options(
        "/api/auth/login", headers={"Origin": "http://app.example.test", **preflight}
    )
    assert allowed.headers["access-control-allow-origin"] == "http://app.example.test"
    local = await client.options("/api/auth/login", headers={"Origin": "http://localhost:5173", **preflight})
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    evil = await client.options("/api/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in evil.headers


async def test_openapi_is_published(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/openapi.json")).json()
    assert "/api/auth/register" in spec["paths"]
    assert "/api/company/usage" in spec["paths"]
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_an_exhausted_connection_pool_is_a_503_to_retry(
    client: httpx.AsyncClient, asgi_app: Any
) -> None:
    async def busy() -> None:
        raise PoolTimeout("QueuePool limit of size 10 overflow 5 reached, connection timed out")

    api = asgi_app.other_asgi_app
    api.add_api_route("/api/test-busy-pool", busy)
    api.router.routes.insert(0, api.router.routes.pop())  # ahead of the catch-all 404 for /api
    response = await client.get("/api/test-busy-pool")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["code"] == "service_unavailable"
