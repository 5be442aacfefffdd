"""Platform super admin: every company, and changing a company's plan."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from sqlalchemy import func, select

from evoai.deps import AutoCommitRoute, DbSession, SuperAdmin
from evoai.exceptions import NotFound
from evoai.kit.pagination import PageParams, page_params
from evoai.kit.schemas import Envelope, PageEnvelope, Pagination, RequestSchema, Schema
from evoai.models import Company, Membership

router = APIRouter(prefix="/admin", tags=["admin"], route_class=AutoCommitRoute)


class AdminCompanyOut(Schema):
    id: uuid.UUID
    public_id: int
    name: str
    plan_type: str
    is_active: bool
    created_at: datetime
    members_count: int = 0


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
    query = select(Company, members.label("members"))
    if params.search:
        query = query.where(Company.name.ilike(f"%{params.search}%"))
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    column = getattr(Company, field)
    rows = (
        await session.execute(
            query.order_by(column.desc() if descending else column.asc(), Company.id)
            .offset(params.offset)
            .limit(params.limit)
        )
    ).all()
    data = [AdminCompanyOut.model_validate(c).model_copy(update={"members_count": n}) for c, n in rows]
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
