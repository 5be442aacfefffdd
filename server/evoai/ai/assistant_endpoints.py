"""The internal assistant's API (spec ai.md, "Assistente Interno")."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request

from evoai.ai import assistant
from evoai.ai.llm import LLM
from evoai.ai.schemas import AssistantChat
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, app_state

router = APIRouter(prefix="/ai/assistant", tags=["ai"], route_class=AutoCommitRoute)


@router.post("/chat")
async def chat(
    data: AssistantChat, request: Request, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    state = app_state(request)
    llm = LLM(state.settings, state.factory)
    return {"success": True, "data": await assistant.chat(session, llm, member, data)}


@router.get("/conversations")
async def list_conversations(member: CurrentMember, session: DbSession) -> dict[str, Any]:
    return {"success": True, "data": await assistant.list_conversations(session, member)}


@router.get("/conversations/{conversation_id}/messages")
async def list_messages(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    return {"success": True, "data": await assistant.list_messages(session, member, conversation_id)}


@router.delete("/conversations/{conversation_id}")
async def delete_conversation(
    conversation_id: uuid.UUID, member: CurrentMember, session: DbSession
) -> dict[str, Any]:
    await assistant.delete_conversation(session, member, conversation_id)
    return {"success": True}
