"""Platform super admin: every company, and changing a company's plan."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from sqlalchemy import func, select

from evoai.company.service import month_period
from evoai.deps import AutoCommitRoute, DbSession, SuperAdmin
from evoai.exceptions import NotFound
from evoai.kit.pagination import PageParams, page_params
from evoai.kit.schemas import Envelope, PageEnvelope, Pagination, RequestSchema, Schema
from evoai.models import Company, Membership, Usage

router = APIRouter(prefix="/admin", tags=["admin"], route_class=AutoCommitRoute)


class AdminCompanyOut(Schema):
    id: uuid.UUID
    public_id: int
    name: str
    plan_type: str
    is_active: bool
    created_at: datetime
    members_count: int = 0
    # This month's model usage (issue 5): what the platform pays for this company.
    ai_tokens_this_month: int = 0
    ai_cost_usd_this_month: str = "0"


class PlanChange(RequestSchema):
    plan_type: Literal["free", "pro", "business", "enterprise"]


@router.get("/companies", response_model=PageEnvelope[AdminCompanyOut])
async def list_companies(
    admin: SuperAdmin, session: DbSession, params: Annotated[PageParams, Depends(page_params)]
) -> Any:
    field, descending = params.sort_column({"created_at", "name", "plan_type"}, "-created_at")
    members = (
        select(func.count()).where(Membership.company_id == Company.id).correlate(Company).scalar_subquery()
    )
    start, end = month_period()
    usage = (
        select(
            Usage.company_id,
            func.sum(Usage.prompt_tokens + Usage.completion_tokens).label("tokens"),
            func.sum(Usage.cost_usd).label("cost"),
        )
        .where(Usage.created_at >= start, Usage.created_at < end)
        .group_by(Usage.company_id)
        .subquery()
    )
    searched = [Company.name.ilike(f"%{params.search}%")] if params.search else []
    query = (
        select(Company, members.label("members"), usage.c.tokens, usage.c.cost)
        .outerjoin(usage, usage.c.company_id == Company.id)
        .where(*searched)
    )
    # Counted without the page's per-company sums.
    total = await session.scalar(select(func.count()).select_from(Company).where(*searched)) or 0
    column = getattr(Company, field)
    rows = (
        await session.execute(
            query.order_by(column.desc() if descending else column.asc(), Company.id)
            .offset(params.offset)
            .limit(params.limit)
        )
    ).all()
    data = [
        AdminCompanyOut.model_validate(c).model_copy(
            update={
                "members_count": n,
                "ai_tokens_this_month": int(tokens or 0),
                "ai_cost_usd_this_month": str(Decimal(cost or 0).quantize(Decimal("0.000001"))),
            }
        )
        for c, n, tokens, cost in rows
    ]
    return PageEnvelope(
        data=data, pagination=Pagination.of(page=params.page, limit=params.limit, total=total)
    )


@router.patch("/companies/{company_id}/plan", response_model=Envelope[AdminCompanyOut])
async def change_plan(company_id: uuid.UUID, body: PlanChange, admin: SuperAdmin, session: DbSession) -> Any:
    company = await session.get(Company, company_id)
    if company is None:
        raise NotFound("Empresa não encontrada")
    company.plan_type = body.plan_type
    company.plan_changed_at = func.now()
    await session.flush()
    await session.refresh(company)
    return Envelope(data=AdminCompanyOut.model_validate(company))
