from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from evoai.kit.schemas import RequestSchema, Schema

Role = Literal["admin", "coordinator", "member"]


class MemberOut(Schema):
    id: uuid.UUID
    user_id: uuid.UUID
    email: str
    full_name: str
    role: str
    permissions: dict[str, bool]
    created_at: datetime


class MemberUpdate(RequestSchema):
    role: Role | None = None
    permissions: dict[str, bool] | None = None


class CompanyOut(Schema):
    id: uuid.UUID
    public_id: int
    name: str
    plan_type: str
    timezone: str
    created_at: datetime


class CompanyUpdate(RequestSchema):
    name: str | None = Field(default=None, min_length=2, max_length=100)
    timezone: str | None = Field(default=None, min_length=3, max_length=64)


class PlanLimits(Schema):
    instances: int | None
    contacts: int | None
    messages_per_month: int | None


class PlanOut(Schema):
    type: str
    name: str
    limits: PlanLimits


class UsageCounts(Schema):
    instances: int
    contacts: int
    messages_this_month: int


class Period(Schema):
    start: datetime
    end: datetime


class AIUsageOut(Schema):
    """This month's model calls, tokens and cost (US dollars, as a decimal string)."""

    calls: int
    failed_calls: int
    prompt_tokens: int
    completion_tokens: int
    tokens: int
    cost_usd: str


class UsageOut(Schema):
    plan: PlanOut
    usage: UsageCounts
    period: Period
    ai: AIUsageOut
