"""`GET /metrics` in Prometheus text format, for Prometheus inside the cluster only.

Without METRICS_TOKEN: answered only to a loopback or private address that reached us directly (a
request that carries proxy headers came through an ingress or a proxy, i.e. from outside). With
METRICS_TOKEN: answered only to `Authorization: Bearer <token>`, from anywhere.
"""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from evoai.deps import app_state
from evoai.exception_handlers import envelope
from evoai.observability import metrics
from evoai.observability.collect import ScrapeReader

router = APIRouter(tags=["observability"])
PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")


def _reader(request: Request) -> ScrapeReader:
    found: ScrapeReader | None = getattr(request.app.state, "metrics_reader", None)
    if found is None:
        state = app_state(request)
        found = ScrapeReader(state.redis, state.factory)
        request.app.state.metrics_reader = found
    return found


def _internal_peer(request: Request) -> bool:
    if any(name in request.headers for name in PROXY_HEADERS):
        return False
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def may_scrape(request: Request, token: str) -> bool:
    if token:
        given = request.headers.get("authorization", "")
        scheme, _, credentials = given.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(credentials.encode(), token.encode())
    return _internal_peer(request)


@router.get("/metrics", include_in_schema=False, response_model=None)
async def scrape(request: Request) -> Response:
    if not may_scrape(request, app_state(request).settings.METRICS_TOKEN):
        return envelope(403, "Métricas disponíveis apenas na rede interna ou com token", "forbidden")
    await _reader(request).refresh()
    return Response(generate_latest(metrics.REGISTRY), media_type=CONTENT_TYPE_LATEST)
