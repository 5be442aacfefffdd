"""The plan table of PRODUCT.md (seed 9.9), kept in this one place. None means unlimited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PlanType = Literal["free", "pro", "business", "enterprise"]


@dataclass(frozen=True)
class Plan:
    type: PlanType
    name: str
    instances: int | None
    contacts: int | None
    messages_per_month: int | None
    ai_enabled: bool = True


PLANS: dict[str, Plan] = {
    "free": Plan("free", "Free", instances=1, contacts=500, messages_per_month=5_000),
    "pro": Plan("pro", "Pro", instances=3, contacts=10_000, messages_per_month=50_000),
    "business": Plan("business", "Business", instances=10, contacts=50_000, messages_per_month=200_000),
    "enterprise": Plan("enterprise", "Enterprise", instances=None, contacts=None, messages_per_month=None),
}


def plan_for(plan_type: str) -> Plan:
    return PLANS.get(plan_type, PLANS["free"])
