from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from evoai.ai import service as ai_service
from evoai.company import service
from evoai.company.schemas import (
    AIUsageOut,
    CompanyOut,
    CompanyUpdate,
    MemberOut,
    MemberUpdate,
    Period,
    PlanLimits,
    PlanOut,
    UsageCounts,
    UsageOut,
)
from evoai.deps import AutoCommitRoute, CurrentMember, DbSession
from evoai.exceptions import Forbidden, NotFound
from evoai.kit.schemas import Envelope
from evoai.models import Company
from evoai.plans import PLANS, Plan, plan_for

router = APIRouter(tags=["company"], route_class=AutoCommitRoute)


def plan_out(plan: Plan) -> PlanOut:
    return PlanOut(
        type=plan.type,
        name=plan.name,
        limits=PlanLimits(
            instances=plan.instances, contacts=plan.contacts, messages_per_month=plan.messages_per_month
        ),
    )


@router.get("/plans", response_model=Envelope[list[PlanOut]])
async def list_plans() -> Any:
    return Envelope(data=[plan_out(p) for p in PLANS.values()])


async def _company(session: DbSession, member: CurrentMember) -> Company:
    company = await session.get(Company, member.company_id)
    if company is None:
        raise NotFound("Empresa não encontrada")
    return company


@router.get("/company", response_model=Envelope[CompanyOut])
async def get_company(member: CurrentMember, session: DbSession) -> Any:
    return Envelope(data=CompanyOut.model_validate(await _company(session, member)))


@router.patch("/company", response_model=Envelope[CompanyOut])
async def update_company(body: CompanyUpdate, member: CurrentMember, session: DbSession) -> Any:
    if not member.is_admin:
        raise Forbidden("Apenas administradores podem alterar a empresa")
    company = await _company(session, member)
    for field, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(company, field, value)
    await session.flush()
    await session.refresh(company)
    return Envelope(data=CompanyOut.model_validate(company))


@router.get("/company/usage", response_model=Envelope[UsageOut])
async def usage(member: CurrentMember, session: DbSession) -> Any:
    company = await _company(session, member)
    plan = plan_for(company.plan_type)
    start, end = service.month_period()
    counts = await service.usage_counts(session, company.id)
    ai = await ai_service.usage_this_month(session, company.id)
    return Envelope(
        data=UsageOut(
            plan=plan_out(plan),
            usage=UsageCounts(**counts),
            period=Period(start=start, end=end),
            ai=AIUsageOut.model_validate(ai),
        )
    )


@router.get("/company/members", response_model=Envelope[list[MemberOut]])
async def list_members(member: CurrentMember, session: DbSession) -> Any:
    return Envelope(data=await service.list_members(session, member.company_id))


@router.patch("/company/members/{membership_id}", response_model=Envelope[MemberOut])
async def update_member(
    membership_id: uuid.UUID, body: MemberUpdate, member: CurrentMember, session: DbSession
) -> Any:
    return Envelope(data=await service.update_member(session, member, membership_id, body))


@router.delete("/company/members/{membership_id}")
async def remove_member(membership_id: uuid.UUID, member: CurrentMember, session: DbSession) -> Any:
    await service.remove_member(session, member, membership_id)
    return {"success": True, "message": "Membro removido"}
