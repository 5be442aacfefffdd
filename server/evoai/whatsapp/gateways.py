"""From our rows to a live provider client: decrypt the keys, build the adapter, map its errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from evoai.config import Settings
from evoai.exceptions import ServiceUnavailable, Unprocessable
from evoai.kit.crypto import decrypt
from evoai.models import ProviderCredential, WhatsAppInstance
from evoai.whatsapp.providers import make_provider
from evoai.whatsapp.providers.base import (
    GatewayAuthError,
    GatewayConfig,
    GatewayError,
    GatewayUnavailable,
    InstanceRef,
    ProviderName,
    WhatsAppProvider,
)


@asynccontextmanager
async def open_gateway(settings: Settings, credential: ProviderCredential) -> AsyncIterator[WhatsAppProvider]:
    api_key = decrypt(credential.api_key_encrypted, settings.encryption_key_bytes)
    provider_name: ProviderName = "UAZAPI" if credential.provider == "UAZAPI" else "EVOLUTION"
    provider = make_provider(provider_name, GatewayConfig(base_url=credential.api_url, api_key=api_key))
    try:
        yield provider
    finally:
        await provider.aclose()


def instance_ref(settings: Settings, instance: WhatsAppInstance) -> InstanceRef:
    token = (
        decrypt(instance.gateway_token_encrypted, settings.encryption_key_bytes)
        if instance.gateway_token_encrypted
        else ""
    )
    return InstanceRef(gateway_name=instance.gateway_name, token=token)


def public_api_base(settings: Settings) -> str:
    """Where gateways reach us: WEBHOOK_BASE_URL, else API_URL, else this machine (development)."""
    return (settings.WEBHOOK_BASE_URL or settings.API_URL or f"http://127.0.0.1:{settings.PORT}").rstrip("/")


def webhook_url(settings: Settings, gateway_name: str) -> str:
    return f"{public_api_base(settings)}/api/whatsapp/webhook/{gateway_name}"


def as_http_error(exc: GatewayError, action: str) -> Exception:
    """A gateway failure as the error our API answers with (503 when retrying later may help)."""
    if isinstance(exc, GatewayUnavailable):
        return ServiceUnavailable(f"O gateway do WhatsApp não respondeu ao {action}: {exc.message}")
    if isinstance(exc, GatewayAuthError):
        return Unprocessable(f"O gateway recusou a chave da API ao {action}")
    return Unprocessable(f"O gateway recusou o pedido ao {action}: {exc.message}")
