"""The funnel every company starts with."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from evoai.models import Funnel, Stage

DEFAULT_FUNNEL_NAME = "Funil de vendas"


@dataclass(frozen=True)
class StageTemplate:
    name: str
    color: str
    probability: int
    is_won_stage: bool = False
    is_lost_stage: bool = False


DEFAULT_STAGES = (
    StageTemplate("Novo lead", "#6B7280", 10),
    StageTemplate("Qualificação", "#3B82F6", 25),
    StageTemplate("Proposta", "#8B5CF6", 50),
    StageTemplate("Negociação", "#F59E0B", 75),
    StageTemplate("Ganho", "#10B981", 100, is_won_stage=True),
    StageTemplate("Perdido", "#EF4444", 0, is_lost_stage=True),
)


async def create_default_funnel(
    session: AsyncSession, company_id: uuid.UUID, user_id: uuid.UUID | None = None
) -> Funnel:
    funnel = Funnel(
        id=uuid.uuid4(),
        company_id=company_id,
        name=DEFAULT_FUNNEL_NAME,
        description="Funil criado com a empresa; renomeie e ajuste as etapas à vontade.",
        is_default=True,
        created_by=user_id,
    )
    session.add(funnel)
    await session.flush()
    session.add_all(
        Stage(
            id=uuid.uuid4(),
            company_id=company_id,
            funnel_id=funnel.id,
            name=template.name,
            color=template.color,
            position=position,
            probability=template.probability,
            is_won_stage=template.is_won_stage,
            is_lost_stage=template.is_lost_stage,
        )
        for position, template in enumerate(DEFAULT_STAGES)
    )
    await session.flush()
    return funnel
