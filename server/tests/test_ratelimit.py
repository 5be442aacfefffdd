from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from evoai.app import create_app
from tests.conftest import Services, make_settings, register


@pytest.fixture
async def limited(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app: Any = create_app(make_settings(services, RATE_LIMIT_MAX=5, RATE_LIMIT_WINDOW=60000))
    transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    state = app.other_asgi_app.state.evoai
    await state.redis.aclose()
    await state.engine.dispose()


async def test_default_tier_is_per_user_with_headers_and_the_spec_body(limited: httpx.AsyncClient) -> None:
    ana = await register(limited, "Ana")
    bia = await register(limited, "Bia")
    for expected_remaining in (4, 3, 2, 1, 0):
        response = await limited.get("/api/auth/me", headers=ana.headers)
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Limit"] == "5"
        assert response.headers["X-RateLimit-Remaining"] == str(expected_remaining)
        assert int(response.headers["X-RateLimit-Reset"]) > 0
    blocked = await limited.get("/api/auth/me", headers=ana.headers)
    assert blocked.status_code == 429
    body = blocked.json()
    assert body["success"] is False
    assert body["error"] == "Too many requests. Please try again later."
    assert int(blocked.headers["Retry-After"]) >= 1
    # Another agent of the same office (same IP) keeps their own budget.
    assert (await limited.get("/api/auth/me", headers=bia.headers)).status_code == 200


async def test_auth_tier_allows_30_per_minute_per_ip(limited: httpx.AsyncClient) -> None:
    statuses = []
    for _ in range(31):
        response = await limited.post("/api/auth/login", json={"email": "x@example.com", "password": "nope"})
        statuses.append(response.status_code)
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


async def test_health_is_never_rate_limited(limited: httpx.AsyncClient) -> None:
    for _ in range(10):
        response = await limited.get("/health/live")
        assert response.status_code == 200
        assert "X-RateLimit-Limit" not in response.headers
