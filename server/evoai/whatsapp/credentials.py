"""Provider credentials: one active per provider per company, key encrypted, checked when created."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.exceptions import Conflict, NotFound, Unprocessable, ValidationFailed
from evoai.kit.crypto import encrypt
from evoai.kit.net import forbidden_address
from evoai.kit.schemas import RequestSchema
from evoai.models import ProviderCredential, WhatsAppInstance
from evoai.whatsapp.gateways import open_gateway
from evoai.whatsapp.providers.base import GatewayAuthError, GatewayError, GatewayUnavailable, ProviderName


class CredentialIn(RequestSchema):
    provider: ProviderName
    api_url: str = Field(min_length=8, max_length=500)
    api_key: str = Field(min_length=1, max_length=500)

    @field_validator("api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("deve ser uma URL http:// ou https://")
        if parts.query or parts.fragment or parts.username:
            raise ValueError("não pode ter usuário, parâmetros ou fragmento")
        return value

    @field_validator("api_key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("não pode ser vazia")
        return value.strip()


async def _refuse_forbidden_address(settings: Settings, url: str) -> None:
    """The server calls this URL on the user's behalf (see kit/net.py for what is refused)."""
    address = await forbidden_address(url, allow_loopback=settings.may_call_loopback)
    if address is not None:
        raise ValidationFailed(
            f"Dados inválidos — apiUrl: o endereço {address} não é permitido",
            details=[{"field": "apiUrl", "message": "endereço não permitido"}],
        )


def credential_out(credential: ProviderCredential) -> dict[str, Any]:
    return {
        "id": str(credential.id),
        "provider": credential.provider,
        "apiUrl": credential.api_url,
        "isActive": credential.is_active,
        "createdAt": credential.created_at.isoformat() if credential.created_at else None,
    }


async def list_credentials(session: AsyncSession, company_id: uuid.UUID) -> list[ProviderCredential]:
    rows = await session.scalars(
        select(ProviderCredential)
        .where(ProviderCredential.company_id == company_id)
        .order_by(ProviderCredential.created_at)
    )
    return list(rows.all())


async def active_credential(
    session: AsyncSession, company_id: uuid.UUID, provider: str
) -> ProviderCredential | None:
    return await session.scalar(
        select(ProviderCredential).where(
            ProviderCredential.company_id == company_id,
            ProviderCredential.provider == provider,
            ProviderCredential.is_active.is_(True),
        )
    )


async def create_credential(
    session: AsyncSession,
    settings: Settings,
    *,
    company_id: uuid.UUID,
    user_id: uuid.UUID,
    data: CredentialIn,
) -> ProviderCredential:
    await _refuse_forbidden_address(settings, data.api_url)
    if await active_credential(session, company_id, data.provider) is not None:
        raise Conflict(
            f"Já existe uma credencial ativa para {data.provider}; exclua-a antes de cadastrar outra"
        )
    credential = ProviderCredential(
        id=uuid.uuid4(),
        company_id=company_id,
        provider=data.provider,
        api_url=data.api_url,
        api_key_encrypted=encrypt(data.api_key, settings.encryption_key_bytes),
        is_active=True,
        created_by=user_id,
    )
    async with open_gateway(settings, credential) as gateway:
        try:
            await gateway.check_credentials()
        except GatewayAuthError as exc:
            raise Unprocessable(
                "A chave da API foi recusada pelo gateway",
                details=[{"field": "apiKey", "message": exc.message}],
            ) from exc
        except GatewayUnavailable as exc:
            raise Unprocessable(
                f"Não foi possível acessar {data.api_url}: {exc.message}",
                details=[{"field": "apiUrl", "message": exc.message}],
            ) from exc
        except GatewayError as exc:
            # The status only: the body of whatever answers at that address is not ours to echo.
            raise Unprocessable(
                f"O gateway em {data.api_url} respondeu com erro (HTTP {exc.status or '?'})"
            ) from exc
    session.add(credential)
    await session.flush()
    await session.refresh(credential)
    return credential


async def delete_credential(
    session: AsyncSession, *, company_id: uuid.UUID, credential_id: uuid.UUID
) -> None:
    credential = await session.scalar(
        select(ProviderCredential).where(
            ProviderCredential.id == credential_id, ProviderCredential.company_id == company_id
        )
    )
    if credential is None:
        raise NotFound("Credencial não encontrada")
    in_use = await session.scalar(
        select(WhatsAppInstance.id).where(
            WhatsAppInstance.credential_id == credential.id, WhatsAppInstance.deleted_at.is_(None)
        )
    )
    if in_use is not None:
        raise Conflict("Esta credencial é usada por instâncias; exclua as instâncias primeiro")
    await session.delete(credential)
    await session.flush()
