"""Notification jobs."""

from __future__ import annotations

import uuid
from typing import Any

from evoai.notifications import service
from evoai.worker.context import JobContext


async def welcome(ctx: JobContext, data: dict[str, Any]) -> dict[str, Any]:
    company_id, user_id = uuid.UUID(data["companyId"]), uuid.UUID(data["userId"])
    async with ctx.transaction(company_id=company_id) as session:
        created = await service.notify(
            session,
            company_id=company_id,
            user_ids=[user_id],
            type="welcome",
            title="Bem-vindo ao Evo AI Connect!",
            body="Conecte seu WhatsApp em Conexões para começar a atender com IA.",
            dedupe_key=f"welcome:{company_id}",
        )
    return {"created": len(created)}
