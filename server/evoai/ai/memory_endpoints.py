"""Semantic search over the company's memory (docs/api-ai.md, "Semantic memory")."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from evoai.ai.llm import LLM, AIUnavailable, ModelFailed, model_access
from evoai.ai.memory import MAX_SEARCH_LIMIT, current_space, embed_query, search
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession, SettingsDep, app_state
from evoai.exceptions import ServiceUnavailable, ValidationFailed

router = APIRouter(prefix="/ai", tags=["ai"], route_class=AutoCommitRoute)


@router.get("/search")
async def search_memory(
    request: Request,
    member: CurrentMember,
    session: DbSession,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=1000)] = "",
    limit: Annotated[int, Query(ge=1, le=MAX_SEARCH_LIMIT)] = 10,
    instance_id: Annotated[uuid.UUID | None, Query(alias="instanceId")] = None,
    contact_id: Annotated[uuid.UUID | None, Query(alias="contactId")] = None,
) -> dict[str, Any]:
    """Any member: the company's messages, FAQ and knowledge nearest in meaning to `q`."""
    if not q.strip():
        raise ValidationFailed(
            "Informe o texto da busca",
            details=[{"field": "q", "code": "required", "message": "obrigatório"}],
        )
    if not settings.ENABLE_EMBEDDINGS:
        raise AIUnavailable("A memória semântica está desativada nesta plataforma (ENABLE_EMBEDDINGS=false).")
    access = await model_access(session, settings, member.company_id)
    try:
        vector = await embed_query(LLM(settings, app_state(request).factory), access, member.company_id, q)
    except ModelFailed as exc:
        raise ServiceUnavailable(f"O modelo de embeddings não respondeu ({exc}); tente de novo.") from exc
    space = current_space(settings)
    hits = await search(
        session,
        company_id=member.company_id,
        space=space,
        vector=vector,
        limit=limit,
        instance_id=instance_id,
        contact_id=contact_id,
    )
    return {"success": True, "data": {"results": [hit.out() for hit in hits], "model": space.model}}
