"""Which network addresses the server may call on someone's behalf (gateway URLs, avatar links)."""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import ssl
from urllib.parse import urlsplit

import certifi


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every outgoing HTTP client: building one loads the CA bundle, which costs
    more CPU than a gateway call itself (httpx builds a new one per client otherwise). The same
    trust store httpx uses by default."""
    return ssl.create_default_context(cafile=certifi.where())


# AWS's instance metadata over IPv6 sits in a unique-local ("private") range.
_METADATA_V6 = ipaddress.ip_network("fd00:ec2::/32")


async def forbidden_address(url: str, *, allow_loopback: bool) -> str | None:
    """The first address `url`'s host resolves to that we must not call, or None when all are fine.

    Never link-local (cloud metadata lives there), multicast or unspecified addresses; loopback only
    when asked (development, the sandbox). Private networks stay allowed: a self-hosted gateway
    usually lives next to us. A name that does not resolve is not refused here: the call will fail
    with its own, clearer error."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return None
    for info in infos:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
            str(info[4][0]).split("%", 1)[0]
        )
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # ::ffff:169.254.169.254 is 169.254.169.254
        if address.is_link_local or address.is_multicast or address.is_unspecified or address in _METADATA_V6:
            return str(address)
        if address.is_loopback and not allow_loopback:
            return str(address)
    return None
