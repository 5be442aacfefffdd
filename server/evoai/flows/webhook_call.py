"""CALL_WEBHOOK: one HTTP call on a flow's behalf, refused when it would reach our own network.

The host is resolved here and every address checked (a name may point at 127.0.0.1; `2130706433`
is 127.0.0.1 too): private, loopback and link-local addresses (cloud metadata) are refused unless
FLOW_WEBHOOK_ALLOW_PRIVATE; link-local, multicast and unspecified ones always (kit/net.py). The call
then goes to the address that was checked (the Host header and TLS name keep the hostname), so a
second DNS answer cannot swap it; redirects are not followed. At least once: a retried step calls
again with the same Idempotency-Key."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from evoai.kit.net import forbidden_address, tls_context

MAX_RESPONSE = 64 * 1024


class Refused(Exception):
    """The call must not be made (retrying will not help)."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any


async def resolve(url: str, *, allow_private: bool) -> str:
    """The address to connect to; Refused when any address the host has is not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("URL inválida")
    if await forbidden_address(url, allow_loopback=allow_private):
        raise Refused("Endereço não permitido (rede interna)")
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443)
    except OSError as exc:
        raise ConnectionError(f"Não foi possível resolver {parts.hostname}") from exc
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        internal = address.is_private or address.is_loopback or address.is_reserved or not address.is_global
        if internal and not allow_private:
            raise Refused("Endereço não permitido (rede interna)")
        addresses.append(address)
    if not addresses:
        raise ConnectionError(f"Não foi possível resolver {parts.hostname}")
    return str(addresses[0])


def _pinned(url: str, address: str) -> tuple[str, str, dict[str, Any]]:
    """(URL to the checked address, Host header, request extensions keeping the TLS name)."""
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    pinned = urlunsplit(parts._replace(netloc=f"{host}:{parts.port}" if parts.port else host))
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return pinned, parts.netloc.rsplit("@", 1)[-1], extensions


def _client(timeout_seconds: float) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=timeout_seconds, follow_redirects=False, verify=tls_context(), trust_env=False
    )


async def call(
    url: str,
    *,
    method: str,
    headers: dict[str, str],
    body: Any,
    timeout_seconds: float,
    idempotency_key: str,
    allow_private: bool,
) -> Answer:
    pinned, host, extensions = _pinned(url, await resolve(url, allow_private=allow_private))
    sent = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
    sent["Host"] = host
    sent["Idempotency-Key"] = idempotency_key
    content = None
    if body is not None and method != "GET":
        content = json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    async with _client(timeout_seconds) as client:
        response = await client.request(method, pinned, headers=sent, content=content, extensions=extensions)
    raw = response.content[:MAX_RESPONSE]
    try:
        parsed: Any = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode(errors="replace")
    return Answer(response.status_code, parsed)


class TooLarge(Exception):
    pass


async def fetch(
    url: str, *, allow_private: bool, timeout_seconds: float, max_bytes: int
) -> tuple[bytes, str | None]:
    """SEND_MEDIA's download, with CALL_WEBHOOK's address checks: (content, declared content type).
    A non-2xx answer raises httpx.HTTPStatusError; more than `max_bytes` raises TooLarge."""
    pinned, host, extensions = _pinned(url, await resolve(url, allow_private=allow_private))
    async with _client(timeout_seconds) as client:
        request = client.build_request("GET", pinned, headers={"Host": host}, extensions=extensions)
        response = await client.send(request, stream=True)
        try:
            response.raise_for_status()
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"A mídia passa de {max_bytes // (1024 * 1024)} MB")
                chunks.append(chunk)
        finally:
            await response.aclose()
    mime = response.headers.get("content-type", "").split(";", 1)[0].strip() or None
    return b"".join(chunks), mime
