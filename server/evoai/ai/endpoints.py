"""The AI API (docs/api-ai.md): status and the company's key, settings and prompts per instance,
the guided onboarding, the preview, a conversation's AI state."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from evoai.ai import service
from evoai.ai.analysis import analyze, state_out
from evoai.ai.preview import preview
from evoai.ai.prompting import generate_prompt
from evoai.ai.schemas import (
    AISettingsUpdate,
    AnalyzeRequest,
    CompanyKeySave,
    GenerateRequest,
    OnboardingData,
    OnboardingSave,
    PreviewRequest,
    PromptSave,
    StatesRequest,
)
from evoai.ai.state import conversation_state
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, SettingsDep, app_state
from evoai.exceptions import ValidationFailed
from evoai.models import Conversation, Onboarding
from evoai.whatsapp.inbox import get_conversation
from evoai.whatsapp.instances import get_instance
from evoai.whatsapp.webhook import directory
from evoai.worker.context import JobContext

router = APIRouter(prefix="/ai", tags=["ai"], route_class=AutoCommitRoute)


def _own_transactions(request: Request) -> JobContext:
    """For calls that wait on the model: their writes go in short transactions of their own."""
    state = app_state(request)
    return JobContext(state.settings, state.factory, state.relay)


def _ok(data: Any) -> dict[str, Any]:
    return {"success": True, "data": data}


@router.get("/status")
async def ai_status(member: CurrentMember, session: DbSession, settings: SettingsDep) -> dict[str, Any]:
    return _ok(await service.status(session, settings, member.company_id))


@router.put("/company-key")
async def save_company_key(
    data: CompanyKeySave, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return _ok(await service.save_company_key(session, settings, member, data))


@router.delete("/company-key")
async def delete_company_key(
    member: CurrentMember, session: DbSession, settings: SettingsDep
) -> dict[str, Any]:
    return _ok(await service.delete_company_key(session, settings, member))


@router.get("/usage")
async def ai_usage(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return _ok(await service.usage_this_month(session, member.company_id))


@router.get("/instances")
async def list_instance_settings(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return _ok(await service.list_settings(session, member.company_id))


@router.get("/instances/{instance_id}")
async def get_instance_settings(
    instance_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(await service.instance_settings(session, instance))


@router.patch("/instances/{instance_id}")
async def update_instance_settings(
    instance_id: uuid.UUID,
    data: AISettingsUpdate,
    request: Request,
    member: CurrentMember,
    session: DbSession,
) -> dict[str, Any]:
    updated = await service.update_settings(session, member, instance_id, data)
    # This process's webhook learns it at once; others within their cache's 10 seconds.
    directory(request).forget(updated["gatewayName"])
    return _ok(updated)


@router.get("/instances/{instance_id}/prompt")
async def get_prompt(instance_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(await service.prompt_view(session, instance))


@router.post("/instances/{instance_id}/prompt", status_code=201)
async def save_prompt(
    instance_id: uuid.UUID, data: PromptSave, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(await service.save_prompt(session, member, instance, data.content, source=data.source))


@router.post("/instances/{instance_id}/prompt/versions/{version}/restore", status_code=201)
async def restore_prompt(
    instance_id: uuid.UUID, version: int, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(await service.restore_prompt(session, member, instance, version))


@router.post("/instances/{instance_id}/preview")
async def preview_reply(
    instance_id: uuid.UUID, data: PreviewRequest, request: Request, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    ctx = _own_transactions(request)
    return _ok(await preview(session, ctx, instance, data.message, data.prompt))


@router.get("/onboarding/{instance_id}")
async def get_onboarding(instance_id: uuid.UUID, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(service.onboarding_out(instance, await session.get(Onboarding, instance.id)))


@router.post("/onboarding/generate")
async def generate(data: GenerateRequest, member: CurrentMember, session: DbSession) -> dict[str, Any]:
    answers = data.onboarding_data
    if answers is None and data.instance_id:
        try:
            instance_id = uuid.UUID(data.instance_id)
        except ValueError:
            raise ValidationFailed(
                "Dados inválidos — instanceId: não é um UUID",
                details=[{"field": "instanceId", "message": "invalid uuid"}],
            ) from None
        instance = await get_instance(session, member.company_id, instance_id)
        saved = await session.scalar(select(Onboarding.data).where(Onboarding.instance_id == instance.id))
        answers = OnboardingData.model_validate(saved or {})
    if answers is None:
        raise ValidationFailed(
            "Informe onboardingData ou instanceId",
            details=[{"field": "onboardingData", "message": "required without instanceId"}],
        )
    text = generate_prompt(answers)
    return _ok(
        {"generatedPrompt": text, "promptLength": len(text), "estimatedTokens": max(1, len(text) // 4)}
    )


@router.post("/onboarding/{instance_id}")
async def save_onboarding(
    instance_id: uuid.UUID, data: OnboardingSave, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    instance = await get_instance(session, member.company_id, instance_id)
    return _ok(await service.save_onboarding(session, member, instance, data))


@router.post("/analyze")
async def analyze_conversation(
    data: AnalyzeRequest, request: Request, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    # Its own transactions around the model call: the request's only checks the conversation is ours.
    await get_conversation(session, member.company_id, data.conversation_id)
    ctx = _own_transactions(request)
    analysis = await analyze(ctx, member.company_id, data.conversation_id, force=data.force)
    return {"success": True, "data": {"analysis": analysis}}


@router.post("/conversations/states")
async def conversation_states(
    data: StatesRequest, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    rows = (
        await session.execute(
            select(Conversation.id, Conversation.ai_state).where(
                Conversation.company_id == member.company_id, Conversation.id.in_(data.conversation_ids)
            )
        )
    ).all()
    found = {conversation_id: state_out(conversation_id, state) for conversation_id, state in rows}
    return _ok({str(i): found.get(i) for i in data.conversation_ids})


@router.get("/conversations/{conversation_id}/state")
async def get_conversation_state(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    return _ok(await conversation_state(session, member.company_id, conversation_id))
