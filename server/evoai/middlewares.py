"""Pure ASGI middlewares: request id + access log + security headers, body size limit, rate limits."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evoai import ratelimit
from evoai.exception_handlers import unexpected_response
from evoai.state import AppState

log = structlog.get_logger("evoai.http")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Spec 11.4. The CSP lets the SPA talk to its own origin (HTTP and WebSocket) only.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-XSS-Protection": "0",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: https: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
        "media-src 'self' blob: https:; frame-src 'none'; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'self'; form-action 'self'"
    ),
}
# Swagger UI loads its assets from a CDN; its page gets a looser policy of its own.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "frame-ancestors 'none'"
)


def json_error(status: int, error: str, code: str, **extra: Any) -> tuple[dict[str, Any], bytes]:
    body = {"success": False, "error": error, "code": code, **extra}
    return body, json.dumps(body).encode()


async def send_json(send: Send, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})


class RequestContextMiddleware:
    """X-Request-ID on every response, security headers, one structured access-log line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status = 500
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if path.startswith("/api/docs"):
                    headers["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if not path.startswith("/assets/"):
                log.info(
                    "http.request",
                    method=scope["method"],
                    path=path,
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    user_id=scope.get("state", {}).get("user_id"),
                )
            structlog.contextvars.unbind_contextvars("request_id")


class BodySizeLimitMiddleware:
    """Refuse bodies over the limit with 413, whether or not the client announced their length."""

    def __init__(self, app: ASGIApp, max_bytes: int, larger: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Paths allowed more (webhooks carrying inline media, uploads): regular expressions matched at
        # the start of the path, so a plain path is a prefix.
        self.larger = [(re.compile(pattern), limit) for pattern, limit in (larger or {}).items()]

    def _limit(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.match(path):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["path"])
        _, too_large = json_error(
            413, f"Request body too large (limit {max_bytes} bytes)", "payload_too_large"
        )
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            await send_json(send, 413, too_large)
            return
        received = 0
        response_started = refused = False

        async def limited_receive() -> Message:
            # Past the limit we answer 413 ourselves and tell the app the client went away, since
            # frameworks turn exceptions raised while reading a body into their own 400.
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes and not refused:
                    refused = True
                    if not response_started:
                        await send_json(send, 413, too_large)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, tracking_send)


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, state: AppState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        settings = self.state.settings
        tier = ratelimit.tier_for(scope["path"], settings)
        if tier is None:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = ratelimit.caller_key(
            tier,
            Headers(scope=scope).get("authorization"),
            client[0] if client else "?",
            settings,
            scope["path"],
        )
        verdict = await ratelimit.hit(self.state.redis, tier, key)
        if verdict is None:
            await self.app(scope, receive, send)
            return
        headers = {
            "X-RateLimit-Limit": str(verdict.limit),
            "X-RateLimit-Remaining": str(verdict.remaining),
            "X-RateLimit-Reset": str(verdict.reset_epoch),
        }
        if not verdict.allowed:
            _, payload = json_error(
                429,
                "Too many requests. Please try again later.",
                "rate_limited",
                retryAfter=verdict.retry_after,
            )
            await send_json(send, 429, payload, {**headers, "Retry-After": str(verdict.retry_after)})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                mutable = MutableHeaders(scope=message)
                for name, value in headers.items():
                    mutable[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class UnhandledErrorMiddleware:
    """Innermost: turns an unexpected exception into the 500 envelope before it leaves our stack."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        response_started = False

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if response_started:
                raise
            response = unexpected_response(scope["path"], exc)
            await response(scope, receive, send)
