"""WhatsApp instances: create at the gateway with our webhook, connect by QR, check, delete."""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from typing import Any

from pydantic import Field, field_validator
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.config import Settings
from evoai.exceptions import Conflict, NotFound, Unprocessable
from evoai.kit.crypto import decrypt, encrypt
from evoai.kit.schemas import RequestSchema
from evoai.models import Company, ProviderCredential, WhatsAppInstance
from evoai.plans import plan_for
from evoai.whatsapp import events, serialise
from evoai.whatsapp.credentials import active_credential
from evoai.whatsapp.gateways import as_http_error, instance_ref, open_gateway, webhook_url
from evoai.whatsapp.identity import digits
from evoai.whatsapp.providers.base import GatewayError, GatewayRejected, ProviderName, QrCode

NAME_RULE = re.compile(r"^[\w\- ]{3,50}$")


class InstanceIn(RequestSchema):
    instance_name: str = Field(min_length=3, max_length=50)
    provider: ProviderName = "EVOLUTION"

    @field_validator("instance_name", mode="before")
    @classmethod
    def _collapse(cls, value: object) -> object:
        # Length limits apply to the name as it will be stored, after collapsing spaces.
        return " ".join(value.split()) if isinstance(value, str) else value

    @field_validator("instance_name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME_RULE.match(value):
            raise ValueError("use de 3 a 50 letras, números, espaços, '-' ou '_'")
        return value


class ConnectIn(RequestSchema):
    phone_number: str | None = Field(default=None, max_length=20)

    @field_validator("phone_number")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        number = digits(value)
        if not 10 <= len(number) <= 15:
            raise ValueError("informe o número com DDI e DDD, 10 a 15 dígitos")
        return number


def gateway_name_for(name: str) -> str:
    """Unique across companies (one gateway serves many), still recognisable in the gateway's panel."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "instancia"
    return f"{slug}-{secrets.token_hex(4)}"


def detail_out(settings: Settings, instance: WhatsAppInstance, *, admin: bool) -> dict[str, Any]:
    out = serialise.instance_out(instance)
    if admin:
        out["webhook"] = {
            "url": webhook_url(settings, instance.gateway_name),
            "secret": decrypt(instance.webhook_secret_encrypted, settings.encryption_key_bytes),
            "header": "X-Webhook-Token",
        }
    return out


async def list_instances(session: AsyncSession, company_id: uuid.UUID) -> list[WhatsAppInstance]:
    rows = await session.scalars(
        select(WhatsAppInstance)
        .where(WhatsAppInstance.company_id == company_id, WhatsAppInstance.deleted_at.is_(None))
        .order_by(WhatsAppInstance.created_at)
    )
    return list(rows.all())


async def get_instance(
    session: AsyncSession, company_id: uuid.UUID, instance_id: uuid.UUID
) -> WhatsAppInstance:
    instance = await session.scalar(
        select(WhatsAppInstance).where(
            WhatsAppInstance.id == instance_id,
            WhatsAppInstance.company_id == company_id,
            WhatsAppInstance.deleted_at.is_(None),
        )
    )
    if instance is None:
        raise NotFound("Instância não encontrada")
    return instance


async def _check_plan(session: AsyncSession, company_id: uuid.UUID) -> None:
    # Serialise concurrent creations for this company so the limit is exact.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('instances:' || :c))"), {"c": str(company_id)}
    )
    plan_type = await session.scalar(select(Company.plan_type).where(Company.id == company_id))
    plan = plan_for(plan_type or "free")
    if plan.instances is None:
        return
    count = await session.scalar(
        select(func.count())
        .select_from(WhatsAppInstance)
        .where(WhatsAppInstance.company_id == company_id, WhatsAppInstance.deleted_at.is_(None))
    )
    if (count or 0) >= plan.instances:
        raise Unprocessable(
            f"O plano {plan.name} permite {plan.instances} instância(s) de WhatsApp e você já tem {count}. "
            "Faça upgrade do plano para conectar mais números."
        )


async def create_instance(
    session: AsyncSession, settings: Settings, *, company_id: uuid.UUID, user_id: uuid.UUID, data: InstanceIn
) -> WhatsAppInstance:
    await _check_plan(session, company_id)
    taken = await session.scalar(
        select(WhatsAppInstance.id).where(
            WhatsAppInstance.company_id == company_id,
            func.lower(WhatsAppInstance.name) == data.instance_name.lower(),
            WhatsAppInstance.deleted_at.is_(None),
        )
    )
    if taken is not None:
        raise Conflict(f"Já existe uma instância chamada {data.instance_name}")
    credential = await active_credential(session, company_id, data.provider)
    if credential is None:
        raise Unprocessable(
            f"Cadastre uma credencial ativa do provedor {data.provider} "
            "em Configurações → Provedores WhatsApp"
        )
    key = settings.encryption_key_bytes
    secret = secrets.token_urlsafe(32)
    gateway_name = gateway_name_for(data.instance_name)
    url = webhook_url(settings, gateway_name)
    if data.provider == "UAZAPI":
        # UAZAPI cannot add headers to its deliveries; the secret travels in the URL instead.
        url = f"{url}?token={secret}"
    async with open_gateway(settings, credential) as gateway:
        try:
            created = await gateway.create_instance(gateway_name, webhook_url=url, webhook_secret=secret)
        except GatewayError as exc:
            raise as_http_error(exc, "criar a instância") from exc
    instance = WhatsAppInstance(
        id=uuid.uuid4(),
        company_id=company_id,
        credential_id=credential.id,
        provider=data.provider,
        name=data.instance_name,
        gateway_name=created.gateway_name,
        gateway_token_encrypted=encrypt(created.token, key) if created.token else None,
        webhook_secret_encrypted=encrypt(secret, key),
        connection_status="close",
        created_by=user_id,
    )
    _apply_qr(instance, created.qr)
    session.add(instance)
    await session.flush()
    await session.refresh(instance)
    return instance


def _apply_qr(instance: WhatsAppInstance, qr: QrCode | None) -> None:
    if qr is not None and (qr.data_url or qr.pairing_code):
        instance.connection_status = "qrcode"
        instance.qr_code = qr.data_url
        instance.pairing_code = qr.pairing_code


async def _credential_for(session: AsyncSession, instance: WhatsAppInstance) -> ProviderCredential:
    credential = await session.scalar(
        select(ProviderCredential).where(ProviderCredential.id == instance.credential_id)
    )
    if credential is None:
        raise Unprocessable("A credencial do provedor desta instância foi excluída; cadastre-a novamente")
    return credential


async def connect_instance(
    session: AsyncSession, settings: Settings, instance: WhatsAppInstance, *, phone: str | None
) -> dict[str, Any]:
    credential = await _credential_for(session, instance)
    async with open_gateway(settings, credential) as gateway:
        try:
            result = await gateway.connect(instance_ref(settings, instance), phone=phone)
        except GatewayError as exc:
            raise as_http_error(exc, "conectar") from exc
    instance.connection_status = result.state
    if result.state == "open":
        instance.qr_code = instance.pairing_code = None
    _apply_qr(instance, result.qr)
    await session.flush()
    await session.refresh(instance)
    await events.instance_status(session, instance)
    return {
        "qrcode": instance.qr_code,
        "pairingCode": instance.pairing_code,
        "status": instance.connection_status,
    }


async def check_instance(
    session: AsyncSession, settings: Settings, instance: WhatsAppInstance
) -> dict[str, Any]:
    credential = await _credential_for(session, instance)
    async with open_gateway(settings, credential) as gateway:
        try:
            status = await gateway.status(instance_ref(settings, instance))
        except GatewayError as exc:
            raise as_http_error(exc, "verificar a conexão") from exc
    # The gateway does not know "waiting for a scan"; keep our qrcode state while it says connecting.
    if not (status.state == "connecting" and instance.connection_status == "qrcode"):
        instance.connection_status = status.state
    if status.state == "open":
        instance.qr_code = instance.pairing_code = None
        instance.phone_number = status.phone or instance.phone_number
        instance.profile_name = status.profile_name or instance.profile_name
    await session.flush()
    await session.refresh(instance)
    await events.instance_status(session, instance)
    return {
        "isConnected": instance.connection_status == "open",
        "connectionStatus": instance.connection_status,
        "phoneNumber": instance.phone_number,
    }


async def delete_instance(session: AsyncSession, settings: Settings, instance: WhatsAppInstance) -> bool:
    """Log out and delete at the gateway, then here (softly: conversations keep their history).
    Returns whether the gateway confirmed; an unreachable gateway does not keep a user from deleting."""
    cleaned = True
    credential = await _credential_for(session, instance) if instance.credential_id else None
    if credential is not None:
        async with open_gateway(settings, credential) as gateway:
            ref = instance_ref(settings, instance)
            try:
                await gateway.logout(ref)
            except GatewayRejected:
                pass  # not connected: nothing to log out
            except GatewayError:
                cleaned = False
            try:
                await gateway.delete_instance(ref)
            except GatewayError:
                cleaned = False
    instance.deleted_at = func.now()
    instance.connection_status = "close"
    instance.qr_code = instance.pairing_code = None
    await session.flush()
    return cleaned
