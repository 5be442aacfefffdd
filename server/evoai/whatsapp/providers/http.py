"""The HTTP layer every adapter uses: timeouts, retries with backoff, a circuit breaker per gateway.

Retrying is only safe when the gateway surely did not act on the request. Sends are not idempotent
(WhatsApp would deliver the message twice), so for them only errors that happen before the request
reaches the gateway (connect errors) or that a proxy/limiter produces without running it
(429/502/503/504) are retried; a read timeout or a 500 on a send ends in GatewayOutcomeUnknown.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import random
import time
from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import Any, Literal

import httpx
import structlog

from evoai.kit.net import tls_context
from evoai.whatsapp.providers.base import (
    GatewayAuthError,
    GatewayConfig,
    GatewayError,
    GatewayRejected,
    GatewayUnavailable,
)
from evoai.whatsapp.providers.coerce import path, strip_data_url

log = structlog.get_logger(__name__)

# Statuses produced before the gateway's handler runs (rate limiter, reverse proxy, restarting app).
RETRY_ALWAYS = frozenset({429, 502, 503, 504})
BreakerState = Literal["closed", "open", "half_open"]


class GatewayOutcomeUnknown(GatewayUnavailable):
    """A non-idempotent call (a send) timed out or failed after reaching the gateway: it may have been
    carried out. Not retryable, or the contact could receive the message twice."""

    retryable = False


class CircuitBreaker:
    """Fails calls at once while a gateway is down, so a dead gateway does not tie up every worker for
    `attempts × timeout`. Opens after `failure_threshold` consecutive failed calls, stays open
    `reset_timeout` seconds, then lets one trial call through (half-open); its outcome closes or
    re-opens the breaker."""

    def __init__(
        self,
        *,
        failure_threshold: int = 5,
        reset_timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_timeout:
            return "half_open"
        return "open"

    def before_call(self, target: str) -> None:
        state = self.state
        if state == "open" or (state == "half_open" and self._trial_in_flight):
            raise GatewayUnavailable(f"circuit open for {target}: gateway failing, not calling it for now")
        if state == "half_open":
            self._trial_in_flight = True

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self._failures += 1
        reopen = self._trial_in_flight
        self._trial_in_flight = False
        if reopen or self._failures >= self.failure_threshold:
            if self._opened_at is None or reopen:
                log.warning("gateway_circuit_opened", failures=self._failures)
            self._opened_at = self._clock()

    def release(self) -> None:
        """The call ended without telling us anything (cancelled): let another trial through."""
        self._trial_in_flight = False


_breakers: dict[str, CircuitBreaker] = {}


def _breaker_key(base_url: str) -> str:
    return base_url.strip().rstrip("/").lower()


def breaker_for(base_url: str) -> CircuitBreaker:
    """The process-wide breaker of one gateway (all instances on it share its health)."""
    key = _breaker_key(base_url)
    if key not in _breakers:
        _breakers[key] = CircuitBreaker()
    return _breakers[key]


def set_breaker(base_url: str, breaker: CircuitBreaker) -> None:
    _breakers[_breaker_key(base_url)] = breaker


def reset_breakers() -> None:
    _breakers.clear()


def error_message(response: httpx.Response) -> str:
    """The gateway's own words from its error envelope, short enough for a UI message."""
    try:
        body: Any = response.json()
    except ValueError:
        text = response.text.strip()
        return text[:300] or f"HTTP {response.status_code}"
    parts: list[str] = []
    nested = path(body, "response", "message")  # Evolution {status, error, response: {message: [...]}}
    for item in nested if isinstance(nested, list) else [nested]:
        if isinstance(item, str) and item:
            parts.append(item)
        elif isinstance(item, dict) and item.get("exists") is False:
            number = item.get("number") or item.get("jid") or "?"
            parts.append(f"{number} is not on WhatsApp (exists:false)")
        elif isinstance(item, dict | list) and item:
            parts.append(str(item)[:200])
    if not parts and isinstance(body, dict):
        for key in ("error", "message", "response"):  # UAZAPI {error}
            value = body.get(key)
            if isinstance(value, str) and value:
                parts.append(value)
                break
    return "; ".join(parts)[:300] or f"HTTP {response.status_code}"


def decode_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise GatewayError(
            f"gateway answered {response.status_code} with a body that is not JSON",
            status=response.status_code,
        ) from exc


def decode_base64(value: str) -> bytes:
    """Media bytes from a gateway's base64 (raw or data: URL)."""
    try:
        return base64.b64decode(strip_data_url(value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise GatewayError("gateway returned media that is not valid base64") from exc


class HttpGateway:
    """One gateway's HTTP client. Callers pass auth headers per request (they differ per call in UAZAPI)."""

    def __init__(
        self,
        config: GatewayConfig,
        *,
        breaker: CircuitBreaker | None = None,
        attempts: int = 3,
        retry_base_delay: float = 0.5,
        max_retry_delay: float = 8.0,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.base_url = config.base_url.strip().rstrip("/")
        self.breaker = breaker or breaker_for(self.base_url)
        self.attempts = max(1, attempts)
        self.retry_base_delay = retry_base_delay
        self.max_retry_delay = max_retry_delay
        self._sleep = sleep
        self._client = httpx.AsyncClient(
            base_url=self.base_url, timeout=httpx.Timeout(config.timeout_seconds), verify=tls_context()
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        idempotent: bool = True,
        accept: Collection[int] = (),
        time_limit: float | None = None,
    ) -> httpx.Response:
        """Send, retrying what is safe to retry. 2xx and the statuses in `accept` are returned; anything
        else raises the matching GatewayError."""
        target = f"{method} {url}"
        self.breaker.before_call(self.base_url)
        try:
            response = await self._with_retries(
                method,
                url,
                headers=headers,
                json=json,
                params=params,
                idempotent=idempotent,
                accept=accept,
                time_limit=time_limit,
            )
        except GatewayUnavailable:
            self.breaker.record_failure()
            raise
        except GatewayError:
            self.breaker.record_success()  # it answered: the gateway is up
            raise
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()
        log.debug("gateway_call", call=target, status=response.status_code)
        return response

    async def _with_retries(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None,
        json: Any,
        params: Mapping[str, str] | None,
        idempotent: bool,
        accept: Collection[int],
        time_limit: float | None,
    ) -> httpx.Response:
        target = f"{method} {url}"
        failure = ""
        status: int | None = None
        for attempt in range(1, self.attempts + 1):
            retry_after: float | None = None
            try:
                response = await self._client.request(
                    method,
                    url,
                    headers=headers,
                    json=json,
                    params=params,
                    timeout=httpx.Timeout(time_limit) if time_limit else httpx.USE_CLIENT_DEFAULT,
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                failure, status = f"cannot connect to {self.base_url} ({type(exc).__name__})", None
            except httpx.TransportError as exc:
                # Read/write timeouts and dropped connections: the request may have been processed.
                if not idempotent:
                    raise GatewayOutcomeUnknown(
                        f"{target}: {type(exc).__name__} after the request was sent; it may have gone through"
                    ) from exc
                failure, status = f"{target}: {type(exc).__name__}", None
            else:
                code = response.status_code
                if 200 <= code < 300 or code in accept:
                    return response
                message = error_message(response)
                if code in RETRY_ALWAYS or (code >= 500 and idempotent):
                    failure, status = f"gateway answered {code}: {message}", code
                    retry_after = _retry_after(response)
                elif code >= 500:
                    raise GatewayOutcomeUnknown(
                        f"gateway answered {code} to {target}: {message}; it may have gone through",
                        status=code,
                    )
                elif code in (401, 403):
                    raise GatewayAuthError(
                        f"gateway refused the credentials ({code}): {message}", status=code
                    )
                else:
                    raise GatewayRejected(message, status=code)
            if attempt < self.attempts:
                delay = self._backoff(attempt, retry_after)
                log.warning(
                    "gateway_retry", call=target, attempt=attempt, reason=failure, delay=round(delay, 3)
                )
                await self._sleep(delay)
        raise GatewayUnavailable(f"{failure} (after {self.attempts} attempts)", status=status)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_delay)
        ceiling = min(self.retry_base_delay * 2 ** (attempt - 1), self.max_retry_delay)
        # Jitter so the workers that failed together do not retry in lockstep.
        return random.uniform(ceiling / 2, ceiling)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < 3600 else None
