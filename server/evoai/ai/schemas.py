"""Request and response shapes of the AI API (spec ai.md, plus per-instance settings and prompts)."""

from __future__ import annotations

import re
import uuid
from typing import Literal

from pydantic import Field, field_validator

from evoai.ai.schedule import MAX_QUIET_SECONDS
from evoai.kit.schemas import RequestSchema

Tone = Literal["formal", "professional_friendly", "casual", "enthusiastic"]
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class FaqItem(RequestSchema):
    question: str = Field(min_length=1, max_length=500)
    answer: str = Field(min_length=1, max_length=2000)


class WorkingHours(RequestSchema):
    start: str = "09:00"
    end: str = "18:00"
    timezone: str = Field(default="America/Sao_Paulo", max_length=64)
    work_days: list[int] = Field(default_factory=lambda: [1, 2, 3, 4, 5], max_length=7)

    @field_validator("start", "end")
    @classmethod
    def _time(cls, value: str) -> str:
        if not HHMM.match(value):
            raise ValueError("use HH:MM (00:00 a 23:59)")
        return value

    @field_validator("work_days")
    @classmethod
    def _days(cls, value: list[int]) -> list[int]:
        if any(d < 0 or d > 6 for d in value):
            raise ValueError("dias de 0 (domingo) a 6 (sábado)")
        return sorted(set(value))

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("fuso horário desconhecido (ex.: America/Sao_Paulo)") from None
        return value


class OnboardingData(RequestSchema):
    """Every answer of the guided onboarding; all optional, so it can be saved step by step."""

    business_name: str | None = Field(default=None, max_length=200)
    business_type: str | None = Field(default=None, max_length=60)
    business_description: str | None = Field(default=None, max_length=2000)
    target_audience: str | None = Field(default=None, max_length=1000)
    tone: Tone | None = None
    main_products: list[str] | None = Field(default=None, max_length=50)
    faq: list[FaqItem] | None = Field(default=None, max_length=50)
    restrictions: list[str] | None = Field(default=None, max_length=30)
    working_hours: WorkingHours | None = None
    promotions: str | None = Field(default=None, max_length=2000)

    @field_validator("main_products", "restrictions")
    @classmethod
    def _items(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [item.strip() for item in value if item.strip()]
        if any(len(item) > 300 for item in cleaned):
            raise ValueError("cada item pode ter até 300 caracteres")
        return cleaned


class OnboardingSave(OnboardingData):
    current_step: int | None = Field(default=None, ge=0, le=20)
    is_complete: bool | None = None


class GenerateRequest(RequestSchema):
    onboarding_data: OnboardingData | None = None
    instance_id: str | None = None


class AISettingsUpdate(RequestSchema):
    enabled: bool | None = None
    autonomy_level: int | None = Field(default=None, ge=0, le=2)
    quiet_window_seconds: int | None = Field(default=None, ge=0, le=MAX_QUIET_SECONDS)
    fallback_reply: str | None = Field(default=None, max_length=1000)


class PromptSave(RequestSchema):
    content: str = Field(min_length=1, max_length=20_000)
    source: Literal["manual", "generated"] = "manual"

    @field_validator("content")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("o prompt não pode ficar em branco")
        return value


class PreviewRequest(RequestSchema):
    message: str = Field(min_length=1, max_length=4000)
    prompt: str | None = Field(default=None, max_length=20_000)  # try a draft before saving it


class CompanyKeySave(RequestSchema):
    api_key: str = Field(min_length=8, max_length=300)
    model: str | None = Field(default=None, max_length=80)


class AnalyzeRequest(RequestSchema):
    conversation_id: uuid.UUID
    force: bool = False


class StatesRequest(RequestSchema):
    conversation_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)


class AssistantTurn(RequestSchema):
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1, max_length=8000)


class AssistantChat(RequestSchema):
    message: str = Field(min_length=1, max_length=4000)
    conversation_id: uuid.UUID | None = None
    history: list[AssistantTurn] = Field(default_factory=list, max_length=40)

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a mensagem não pode ficar em branco")
        return value
