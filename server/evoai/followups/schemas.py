"""Request shapes of the follow-up API (docs/api-followups.md)."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from evoai.followups.hours import DAYS
from evoai.kit.schemas import RequestSchema

TriggerType = Literal[
    "NO_RESPONSE", "STAGE_ENTERED", "STAGE_CHANGED", "TAG_ADDED", "DEAL_CREATED", "SENTIMENT_DETECTED"
]
TriggerUnit = Literal["minutes", "hours", "days"]
ActionType = Literal["TEMPLATE", "AI_GENERATED"]
Sentiment = Literal["positive", "neutral", "negative"]
HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
UNIT_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}
MAX_DELAY_MINUTES = 90 * 1440


class TriggerConfig(RequestSchema):
    stage_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    funnel_id: uuid.UUID | None = None
    sentiments: list[Sentiment] = Field(default_factory=list, max_length=3)


class ActionConfig(RequestSchema):
    tone: str | None = Field(default=None, max_length=60)
    max_tokens: int = Field(default=200, ge=20, le=1000)
    custom_instructions: str | None = Field(default=None, max_length=2000)
    use_conversation_context: bool = True


class Conditions(RequestSchema):
    include_stage_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    exclude_tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)


class PostActions(RequestSchema):
    add_tag_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    move_to_stage_id: uuid.UUID | None = None


class RuleFields(RequestSchema):
    """Every field of a rule, all optional: the update shape; RuleIn adds what creation requires."""

    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=1000)
    instance_id: uuid.UUID | None = None
    trigger_type: TriggerType | None = None
    trigger_value: int | None = Field(default=None, ge=0, le=MAX_DELAY_MINUTES)
    trigger_unit: TriggerUnit | None = None
    trigger_config: TriggerConfig | None = None
    action_type: ActionType | None = None
    message: str | None = Field(default=None, max_length=4096)
    action_config: ActionConfig | None = None
    conditions: Conditions | None = None
    post_actions: PostActions | None = None
    max_followups_per_contact: int | None = Field(default=None, ge=1, le=20)
    min_interval_hours: int | None = Field(default=None, ge=0, le=720)
    min_hours_since_response: int | None = Field(default=None, ge=0, le=720)
    respect_business_hours: bool | None = None
    business_hours_start: str | None = None
    business_hours_end: str | None = None
    allowed_days: list[str] | None = Field(default=None, min_length=1, max_length=7)
    ai_validation_enabled: bool | None = None
    ai_validation_prompt: str | None = Field(default=None, max_length=2000)
    priority: int | None = Field(default=None, ge=0, le=100)
    max_attempts: int | None = Field(default=None, ge=1, le=10)
    is_active: bool | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("não pode ficar em branco")
        return value.strip() if value else value

    @field_validator("business_hours_start", "business_hours_end")
    @classmethod
    def _hhmm(cls, value: str | None) -> str | None:
        if value is not None and not HHMM.fullmatch(value):
            raise ValueError("use HH:MM, de 00:00 a 23:59")
        return value

    @field_validator("allowed_days")
    @classmethod
    def _days(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        days = [d.strip().lower()[:3] for d in value]
        unknown = [d for d in days if d not in DAYS]
        if unknown:
            raise ValueError(f"dias válidos: {', '.join(DAYS)}")
        return sorted(set(days), key=DAYS.index)


class RuleIn(RuleFields):
    name: str = Field(min_length=1, max_length=120)
    trigger_type: TriggerType
    trigger_value: int = Field(default=0, ge=0, le=MAX_DELAY_MINUTES)
    trigger_unit: TriggerUnit = "hours"

    @model_validator(mode="after")
    def _complete(self) -> RuleIn:
        action = self.action_type or "TEMPLATE"
        if action == "TEMPLATE" and not (self.message or "").strip():
            raise ValueError("message: obrigatória quando actionType é TEMPLATE")
        if self.trigger_type == "NO_RESPONSE" and self.trigger_value == 0:
            raise ValueError("triggerValue: NO_RESPONSE precisa de um tempo maior que zero")
        return self


class ScheduleIn(RequestSchema):
    rule_id: uuid.UUID
    conversation_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    scheduled_for: datetime

    @field_validator("scheduled_for")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("inclua o fuso horário (ISO 8601, ex.: 2026-01-20T14:00:00Z)")
        return value


class ConversationIdsIn(RequestSchema):
    conversation_ids: list[uuid.UUID] = Field(min_length=1, max_length=200)


class CancelIn(RequestSchema):
    reason: str | None = Field(default=None, max_length=200)


class HolidayIn(RequestSchema):
    day: date = Field(alias="date")
    name: str = Field(min_length=1, max_length=120)
