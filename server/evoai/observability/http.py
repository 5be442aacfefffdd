"""HTTP request metrics, labelled by route template so a path full of ids stays one series."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from starlette.routing import Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evoai.observability import metrics

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _template_of(route: Any) -> str | None:
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) and path else None


def _candidates(routes: Iterable[Any]) -> Iterator[Any]:
    """Every endpoint with its full path. FastAPI keeps included routers as one entry each, whose
    effective routes carry the prefixes."""
    for route in routes:
        effective = getattr(route, "effective_route_contexts", None)
        if callable(effective):
            yield from effective()
        else:
            yield route


def route_template(scope: Scope, router: Router) -> str:
    """The template of the route that served (or would have served) the request.

    FastAPI records the matched route with its full path in the scope; a request answered before
    routing (a 429 from the rate limiter, a 413 from the body limit) is matched here instead.
    Anything else is `unmatched`."""
    context = scope.get("fastapi", {}).get("effective_route_context")
    found = _template_of(context) or _template_of(scope.get("route"))
    if found:
        return found
    for candidate in _candidates(router.routes):
        match, _ = candidate.matches(scope)
        if match is not Match.NONE:
            return _template_of(candidate) or UNMATCHED
    return UNMATCHED


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            route = route_template(scope, self.router)
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            metrics.http_requests.labels(route=route, method=method, status=str(status)).inc()
            metrics.http_duration.labels(route=route, method=method).observe(time.perf_counter() - started)
