"""Gateway adapters: the only code that speaks a WhatsApp gateway's HTTP protocol or reads its payloads.

`make_provider` gives the client for outbound calls, `parse_webhook` turns an inbound body into
normalised events; both dispatch on the provider name stored with the instance.
"""

from __future__ import annotations

from evoai.whatsapp.providers import evolution, uazapi
from evoai.whatsapp.providers.base import (
    PROVIDERS,
    GatewayConfig,
    MalformedPayload,
    ParsedWebhook,
    ProviderName,
    WhatsAppProvider,
)
from evoai.whatsapp.providers.http import GatewayOutcomeUnknown

__all__ = ["PROVIDERS", "GatewayOutcomeUnknown", "make_provider", "parse_webhook"]


def make_provider(provider: ProviderName, config: GatewayConfig) -> WhatsAppProvider:
    """A client for one gateway server; close it with `aclose()` (it owns an HTTP connection pool)."""
    if provider == "EVOLUTION":
        return evolution.EvolutionProvider(config)
    if provider == "UAZAPI":
        return uazapi.UazapiProvider(config)
    raise ValueError(f"unknown WhatsApp provider {provider!r}")


def parse_webhook(provider: ProviderName, body: object, *, event_hint: str | None = None) -> ParsedWebhook:
    """Normalise a webhook body. Raises MalformedPayload (only) for a body that is not a valid event.

    `event_hint` is the URL suffix of Evolution's byEvents mode (`messages-upsert`), used when the body
    has no `event`.
    """
    if provider == "EVOLUTION":
        return evolution.parse(body, event_hint)
    if provider == "UAZAPI":
        return uazapi.parse(body, event_hint)
    raise MalformedPayload(f"unknown WhatsApp provider {provider!r}")
