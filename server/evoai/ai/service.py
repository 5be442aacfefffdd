"""AI settings per instance, prompt versions, onboarding answers, the company's own key, usage."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.ai.context import current_prompt
from evoai.ai.llm import AIUnavailable, model_access
from evoai.ai.memory import KNOWLEDGE_FIELDS, schedule_knowledge
from evoai.ai.schemas import AISettingsUpdate, CompanyKeySave, OnboardingData, OnboardingSave
from evoai.company.service import month_period
from evoai.config import Settings
from evoai.deps import Member
from evoai.exceptions import Forbidden, NotFound
from evoai.kit.crypto import encrypt
from evoai.models import CompanyAIKey, Onboarding, PromptVersion, Usage, User, WhatsAppInstance
from evoai.whatsapp.instances import get_instance

ONBOARDING_STEPS = 6


def require_prompt_manager(member: Member) -> None:
    if not member.can("canManagePrompt"):
        raise Forbidden("Você não tem permissão para configurar a IA")


def require_admin(member: Member) -> None:
    if not member.is_admin:
        raise Forbidden("Apenas administradores podem alterar a chave de IA da empresa")


async def status(session: AsyncSession, settings: Settings, company_id: uuid.UUID) -> dict[str, Any]:
    own = await session.get(CompanyAIKey, company_id)
    key = {"hint": own.key_hint, "model": own.model, "updatedAt": own.updated_at.isoformat()} if own else None
    try:
        access = await model_access(session, settings, company_id)
    except AIUnavailable as exc:
        return {"enabled": False, "reason": exc.message, "model": None, "keySource": None, "companyKey": key}
    return {
        "enabled": True,
        "reason": None,
        "model": access.model,
        "keySource": access.source,
        "companyKey": key,
    }


async def save_company_key(
    session: AsyncSession, settings: Settings, member: Member, data: CompanyKeySave
) -> dict[str, Any]:
    require_admin(member)
    key = data.api_key.strip()
    own = await session.get(CompanyAIKey, member.company_id)
    if own is None:
        own = CompanyAIKey(company_id=member.company_id)
        session.add(own)
    own.api_key_encrypted = encrypt(key, settings.encryption_key_bytes)
    own.key_hint = "…" + key[-4:]
    own.model = data.model.strip() if data.model and data.model.strip() else None
    own.updated_by = member.user_id
    own.updated_at = datetime.now(UTC)
    await session.flush()
    return await status(session, settings, member.company_id)


async def delete_company_key(session: AsyncSession, settings: Settings, member: Member) -> dict[str, Any]:
    require_admin(member)
    own = await session.get(CompanyAIKey, member.company_id)
    if own is not None:
        await session.delete(own)
        await session.flush()
    return await status(session, settings, member.company_id)


def settings_out(
    instance: WhatsAppInstance, onboarding: Onboarding | None, version: int | None
) -> dict[str, Any]:
    return {
        "instanceId": str(instance.id),
        "name": instance.name,
        "gatewayName": instance.gateway_name,
        "connectionStatus": instance.connection_status,
        "enabled": instance.ai_enabled,
        "autonomyLevel": instance.ai_autonomy,
        "quietWindowSeconds": instance.ai_quiet_seconds,
        "fallbackReply": instance.ai_fallback_reply,
        "promptVersion": version,
        "onboardingComplete": bool(onboarding and onboarding.is_complete),
        "onboardingStep": onboarding.current_step if onboarding else 0,
    }


async def list_settings(session: AsyncSession, company_id: uuid.UUID) -> list[dict[str, Any]]:
    versions = (
        select(PromptVersion.instance_id, func.max(PromptVersion.version).label("version"))
        .where(PromptVersion.company_id == company_id)
        .group_by(PromptVersion.instance_id)
        .subquery()
    )
    rows = (
        await session.execute(
            select(WhatsAppInstance, Onboarding, versions.c.version)
            .outerjoin(Onboarding, Onboarding.instance_id == WhatsAppInstance.id)
            .outerjoin(versions, versions.c.instance_id == WhatsAppInstance.id)
            .where(WhatsAppInstance.company_id == company_id, WhatsAppInstance.deleted_at.is_(None))
            .order_by(WhatsAppInstance.name)
        )
    ).all()
    return [settings_out(i, o, v) for i, o, v in rows]


async def instance_settings(session: AsyncSession, instance: WhatsAppInstance) -> dict[str, Any]:
    version = await session.scalar(
        select(func.max(PromptVersion.version)).where(PromptVersion.instance_id == instance.id)
    )
    return settings_out(instance, await session.get(Onboarding, instance.id), version)


async def update_settings(
    session: AsyncSession, member: Member, instance_id: uuid.UUID, data: AISettingsUpdate
) -> dict[str, Any]:
    require_prompt_manager(member)
    instance = await get_instance(session, member.company_id, instance_id)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("enabled") is not None:
        instance.ai_enabled = bool(changes["enabled"])
    if changes.get("autonomy_level") is not None:
        instance.ai_autonomy = int(changes["autonomy_level"])
    if changes.get("quiet_window_seconds") is not None:
        instance.ai_quiet_seconds = int(changes["quiet_window_seconds"])
    if "fallback_reply" in changes:
        instance.ai_fallback_reply = (changes["fallback_reply"] or "").strip() or None
    await session.flush()
    return await instance_settings(session, instance)


def version_out(version: PromptVersion, author: str | None) -> dict[str, Any]:
    return {
        "version": version.version,
        "content": version.content,
        "source": version.source,
        "restoredFrom": version.restored_from,
        "createdAt": version.created_at.isoformat(),
        "createdBy": author,
    }


async def prompt_view(session: AsyncSession, instance: WhatsAppInstance) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(PromptVersion, User.email)
            .outerjoin(User, User.id == PromptVersion.created_by)
            .where(PromptVersion.instance_id == instance.id)
            .order_by(PromptVersion.version.desc())
            .limit(50)
        )
    ).all()
    versions = [version_out(v, email) for v, email in rows]
    return {
        "instanceId": str(instance.id),
        "current": versions[0] if versions else None,
        "effective": await current_prompt(session, instance),
        "versions": versions,
    }


async def save_prompt(
    session: AsyncSession,
    member: Member,
    instance: WhatsAppInstance,
    content: str,
    *,
    source: str = "manual",
    restored_from: int | None = None,
) -> dict[str, Any]:
    require_prompt_manager(member)
    # Versions of one instance are numbered one at a time (the unique index backs this up).
    await session.execute(
        select(WhatsAppInstance.id).where(WhatsAppInstance.id == instance.id).with_for_update()
    )
    last = await session.scalar(
        select(func.max(PromptVersion.version)).where(PromptVersion.instance_id == instance.id)
    )
    session.add(
        PromptVersion(
            id=uuid.uuid4(),
            company_id=instance.company_id,
            instance_id=instance.id,
            version=(last or 0) + 1,
            content=content.strip(),
            source=source,
            restored_from=restored_from,
            created_by=member.user_id,
        )
    )
    await session.flush()
    return await prompt_view(session, instance)


async def restore_prompt(
    session: AsyncSession, member: Member, instance: WhatsAppInstance, version: int
) -> dict[str, Any]:
    old = await session.scalar(
        select(PromptVersion).where(
            PromptVersion.instance_id == instance.id, PromptVersion.version == version
        )
    )
    if old is None:
        raise NotFound(f"A versão {version} do prompt não existe")
    return await save_prompt(session, member, instance, old.content, source="restored", restored_from=version)


def onboarding_out(instance: WhatsAppInstance, onboarding: Onboarding | None) -> dict[str, Any]:
    data = OnboardingData.model_validate(onboarding.data if onboarding else {})
    return {
        "instanceId": str(instance.id),
        **data.model_dump(by_alias=True, mode="json"),
        "currentStep": onboarding.current_step if onboarding else 0,
        "totalSteps": ONBOARDING_STEPS,
        "isComplete": bool(onboarding and onboarding.is_complete),
        "completedAt": onboarding.completed_at.isoformat()
        if onboarding and onboarding.completed_at
        else None,
        "updatedAt": onboarding.updated_at.isoformat() if onboarding else None,
    }


async def save_onboarding(
    session: AsyncSession, member: Member, instance: WhatsAppInstance, data: OnboardingSave
) -> dict[str, Any]:
    """Merge the answers sent (a step sends only its own) into what was saved before."""
    require_prompt_manager(member)
    onboarding = await session.get(Onboarding, instance.id, with_for_update=True)
    if onboarding is None:
        onboarding = Onboarding(
            instance_id=instance.id, company_id=instance.company_id, data={}, current_step=0
        )
        session.add(onboarding)
    answers = data.model_dump(exclude_unset=True, exclude={"current_step", "is_complete"}, mode="json")
    merged = {**(onboarding.data or {}), **answers}
    onboarding.data = OnboardingData.model_validate(merged).model_dump(exclude_none=True, mode="json")
    if data.current_step is not None:
        onboarding.current_step = data.current_step
    if data.is_complete is not None:
        onboarding.is_complete = data.is_complete
        onboarding.completed_at = datetime.now(UTC) if data.is_complete else None
    onboarding.updated_at = datetime.now(UTC)
    await session.flush()
    if {"faq", *KNOWLEDGE_FIELDS} & answers.keys():
        await schedule_knowledge(session, instance.company_id, instance.id)
    return onboarding_out(instance, onboarding)


async def usage_this_month(session: AsyncSession, company_id: uuid.UUID) -> dict[str, Any]:
    start, end = month_period()
    row = (
        await session.execute(
            select(
                func.count(),
                func.coalesce(func.sum(Usage.prompt_tokens), 0),
                func.coalesce(func.sum(Usage.completion_tokens), 0),
                func.coalesce(func.sum(Usage.cost_usd), 0),
                func.count().filter(Usage.ok.is_(False)),
            ).where(Usage.company_id == company_id, Usage.created_at >= start, Usage.created_at < end)
        )
    ).one()
    calls, prompt_tokens, completion_tokens, cost, failed = row
    return {
        "calls": int(calls),
        "failedCalls": int(failed),
        "promptTokens": int(prompt_tokens),
        "completionTokens": int(completion_tokens),
        "tokens": int(prompt_tokens) + int(completion_tokens),
        "costUsd": str(Decimal(cost).quantize(Decimal("0.000001"))),
    }
