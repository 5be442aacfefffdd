"""The shared HTTP layer against a real local server: retries, timeouts, error mapping, circuit breaker."""

from __future__ import annotations

import pytest
from structlog.testing import capture_logs

from evoai.whatsapp.providers.base import (
    GatewayAuthError,
    GatewayConfig,
    GatewayRejected,
    GatewayUnavailable,
)
from evoai.whatsapp.providers.http import (
    CircuitBreaker,
    GatewayOutcomeUnknown,
    HttpGateway,
    breaker_for,
    reset_breakers,
)
from tests.whatsapp.providers.support import FakeGateway, Reply

SECRET = "GLOBAL-KEY-THAT-MUST-NOT-LEAK"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def state_of(breaker: CircuitBreaker) -> str:
    # A function, not the property, so mypy does not narrow the state across calls.
    return breaker.state


def make_http(
    url: str, *, timeout: float = 2.0, attempts: int = 3, breaker: CircuitBreaker | None = None
) -> HttpGateway:
    return HttpGateway(
        GatewayConfig(url, SECRET, timeout_seconds=timeout),
        attempts=attempts,
        retry_base_delay=0.001,
        breaker=breaker,
    )


def test_breaker_opens_after_five_failures_and_half_opens_after_its_timeout() -> None:
    clock = Clock()
    breaker = CircuitBreaker(reset_timeout=30.0, clock=clock)
    for _ in range(4):
        breaker.before_call("gw")
        breaker.record_failure()
    assert state_of(breaker) == "closed"
    breaker.before_call("gw")
    breaker.record_failure()
    assert state_of(breaker) == "open"
    with pytest.raises(GatewayUnavailable, match="circuit open"):
        breaker.before_call("gw")
    clock.now += 29.9
    assert state_of(breaker) == "open"
    clock.now += 0.1
    assert state_of(breaker) == "half_open"
    breaker.before_call("gw")  # the one trial call
    with pytest.raises(GatewayUnavailable, match="circuit open"):
        breaker.before_call("gw")  # everyone else waits for its outcome
    breaker.record_failure()
    assert state_of(breaker) == "open"  # a failed trial re-opens for another full period
    clock.now += 30
    breaker.before_call("gw")
    breaker.record_success()
    assert state_of(breaker) == "closed"


def test_a_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker()
    for _ in range(4):
        breaker.record_failure()
    breaker.record_success()
    for _ in range(4):
        breaker.record_failure()
    assert state_of(breaker) == "closed"


def test_one_breaker_per_gateway_url() -> None:
    reset_breakers()
    assert breaker_for("http://evo.example/") is breaker_for("HTTP://evo.example")
    assert breaker_for("http://evo.example") is not breaker_for("http://other.example")


async def test_retries_503_then_succeeds(gateway: FakeGateway) -> None:
    gateway.on("GET", "/x", Reply(503), Reply(503, {"error": "busy"}), Reply(200, {"ok": True}))
    http = make_http(gateway.url)
    response = await http.request("GET", "/x")
    await http.aclose()
    assert response.json() == {"ok": True}
    assert len(gateway.calls("GET", "/x")) == 3


async def test_exhausted_retries_are_unavailable(gateway: FakeGateway) -> None:
    gateway.on("GET", "/x", Reply(502, {"error": "bad gateway"}))
    http = make_http(gateway.url)
    with pytest.raises(GatewayUnavailable, match="502") as caught:
        await http.request("GET", "/x")
    await http.aclose()
    assert caught.value.status == 502
    assert caught.value.retryable
    assert len(gateway.calls("GET", "/x")) == 3


async def test_sends_are_retried_only_when_they_surely_did_not_go_through(gateway: FakeGateway) -> None:
    gateway.on("POST", "/send", Reply(503), Reply(201, {"key": {"id": "1"}}))
    http = make_http(gateway.url)
    assert (await http.request("POST", "/send", json={}, idempotent=False)).status_code == 201
    assert len(gateway.calls("POST", "/send")) == 2

    gateway.on("POST", "/send500", Reply(500, {"status": 500, "error": "Internal Server Error"}))
    with pytest.raises(GatewayOutcomeUnknown) as caught:
        await http.request("POST", "/send500", json={}, idempotent=False)
    assert not caught.value.retryable
    assert len(gateway.calls("POST", "/send500")) == 1
    await http.aclose()


async def test_no_retry_after_a_send_read_timeout(gateway: FakeGateway) -> None:
    gateway.on("POST", "/slow", Reply(201, {"key": {"id": "1"}}, delay=0.6))
    http = make_http(gateway.url, timeout=0.2)
    with pytest.raises(GatewayOutcomeUnknown, match="may have gone through") as caught:
        await http.request("POST", "/slow", json={"text": "oi"}, idempotent=False)
    assert isinstance(caught.value, GatewayUnavailable)
    assert not caught.value.retryable
    assert len(gateway.calls("POST", "/slow")) == 1
    # The same timeout on a read-only call is retried.
    gateway.on("GET", "/slow", Reply(200, {}, delay=0.6))
    with pytest.raises(GatewayUnavailable, match="ReadTimeout"):
        await http.request("GET", "/slow")
    assert len(gateway.calls("GET", "/slow")) == 3
    await http.aclose()


async def test_connection_refused_is_unavailable() -> None:
    http = make_http("http://127.0.0.1:9")  # discard port: nothing listens
    with pytest.raises(GatewayUnavailable, match="cannot connect"):
        await http.request("POST", "/send", idempotent=False)
    await http.aclose()


@pytest.mark.parametrize("status", [401, 403])
async def test_auth_errors(gateway: FakeGateway, status: int) -> None:
    gateway.on(
        "GET",
        "/x",
        Reply(status, {"status": status, "error": "Unauthorized", "response": {"message": "Unauthorized"}}),
    )
    http = make_http(gateway.url)
    with pytest.raises(GatewayAuthError) as caught:
        await http.request("GET", "/x")
    await http.aclose()
    assert caught.value.status == status
    assert len(gateway.calls("GET", "/x")) == 1


async def test_rejections_carry_the_gateway_message(gateway: FakeGateway) -> None:
    gateway.on("POST", "/uaz", Reply(400, {"error": "Invalid phone number"}))
    gateway.on("POST", "/text", Reply(404, body=None))
    http = make_http(gateway.url)
    with pytest.raises(GatewayRejected, match="Invalid phone number"):
        await http.request("POST", "/uaz")
    with pytest.raises(GatewayRejected, match="HTTP 404"):
        await http.request("POST", "/text")
    await http.aclose()


async def test_breaker_opens_on_a_failing_gateway_and_recovers(gateway: FakeGateway) -> None:
    clock = Clock()
    breaker = CircuitBreaker(reset_timeout=30.0, clock=clock)
    gateway.on("GET", "/x", Reply(503))
    http = make_http(gateway.url, attempts=1, breaker=breaker)
    for _ in range(5):
        with pytest.raises(GatewayUnavailable, match="503"):
            await http.request("GET", "/x")
    with pytest.raises(GatewayUnavailable, match="circuit open"):
        await http.request("GET", "/x")
    assert len(gateway.calls("GET", "/x")) == 5  # the open breaker did not call the gateway

    clock.now += 30
    gateway.on("GET", "/x", Reply(200, {"ok": True}))
    assert (await http.request("GET", "/x")).status_code == 200
    assert state_of(breaker) == "closed"
    await http.aclose()


async def test_rejections_do_not_trip_the_breaker(gateway: FakeGateway) -> None:
    breaker = CircuitBreaker()
    gateway.on("POST", "/x", Reply(400, {"error": "bad"}))
    http = make_http(gateway.url, breaker=breaker)
    for _ in range(6):
        with pytest.raises(GatewayRejected):
            await http.request("POST", "/x")
    assert state_of(breaker) == "closed"
    await http.aclose()


async def test_the_api_key_is_never_logged(gateway: FakeGateway) -> None:
    gateway.on("GET", "/x", Reply(503, {"error": "down"}))
    http = make_http(gateway.url)
    with capture_logs() as logs, pytest.raises(GatewayUnavailable) as caught:
        await http.request("GET", "/x", headers={"apikey": SECRET})
    await http.aclose()
    assert logs, "retries are logged"
    assert SECRET not in repr(logs)
    assert SECRET not in str(caught.value)
    assert gateway.requests[0].headers["apikey"] == SECRET
