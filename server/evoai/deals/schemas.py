"""Request bodies of the deals API. Unknown fields are refused (RequestSchema), as everywhere."""

from __future__ import annotations

import re
import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from evoai.exceptions import ValidationFailed
from evoai.kit.schemas import RequestSchema

Priority = Literal["low", "medium", "high"]
Status = Literal["OPEN", "WON", "LOST"]
# numeric(14, 2)
MAX_VALUE = Decimal("999999999999.99")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _currency(value: str | None) -> str | None:
    if value is None:
        return None
    upper = value.strip().upper()
    if not _CURRENCY.match(upper):
        raise ValueError("use um código de moeda ISO 4217 de 3 letras, como BRL")
    return upper


def _text(value: str | None) -> str | None:
    """Trimmed; blank means absent."""
    if value is None:
        return None
    trimmed = value.strip()
    return trimmed or None


class DealCreate(RequestSchema):
    title: str = Field(min_length=1, max_length=255)
    stage_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    value: Decimal = Field(default=Decimal("0"), ge=0, le=MAX_VALUE)
    currency: str = "BRL"
    expected_close_date: date | None = None
    description: str | None = Field(default=None, max_length=10_000)
    priority: Priority | None = None

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("o título não pode ficar em branco")
        return value.strip()

    @field_validator("value")
    @classmethod
    def _value(cls, value: Decimal) -> Decimal:
        return _money(value) or Decimal("0")

    @field_validator("currency")
    @classmethod
    def _cur(cls, value: str) -> str:
        return _currency(value) or "BRL"

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return _text(value)


_NOT_NULL = ("title", "value", "currency", "status")


class DealUpdate(RequestSchema):
    """Every field optional; an explicit null clears the nullable ones (description, priority,
    expectedCloseDate)."""

    title: str | None = Field(default=None, min_length=1, max_length=255)
    value: Decimal | None = Field(default=None, ge=0, le=MAX_VALUE)
    currency: str | None = None
    expected_close_date: date | None = None
    description: str | None = Field(default=None, max_length=10_000)
    priority: Priority | None = None
    status: Status | None = None
    lost_reason: str | None = Field(default=None, max_length=500)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("o título não pode ficar em branco")
        return value.strip() if value is not None else None

    @field_validator("value")
    @classmethod
    def _value(cls, value: Decimal | None) -> Decimal | None:
        return _money(value)

    @field_validator("currency")
    @classmethod
    def _cur(cls, value: str | None) -> str | None:
        return _currency(value)

    @field_validator("description", "lost_reason")
    @classmethod
    def _texts(cls, value: str | None) -> str | None:
        return _text(value)

    @model_validator(mode="after")
    def _no_null_required(self) -> DealUpdate:
        for name in _NOT_NULL:
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} não pode ser nulo")
        return self


class MoveIn(RequestSchema):
    deal_id: uuid.UUID
    stage_id: uuid.UUID
    # Index in the target board column; absent = last.
    position: int | None = Field(default=None, ge=0, le=1_000_000)
    lost_reason: str | None = Field(default=None, max_length=500)


class DuplicateIn(RequestSchema):
    deal_id: uuid.UUID
    funnel_id: uuid.UUID
    stage_id: uuid.UUID


class ReopenIn(RequestSchema):
    reason: str = Field(min_length=1, max_length=500)

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("informe o motivo da reabertura")
        return value.strip()


class NoteIn(RequestSchema):
    """At least one of title, content and contentHtml must say something (checked after sanitising)."""

    title: str | None = Field(default=None, max_length=200)
    content: str | None = Field(default=None, max_length=50_000)
    content_html: str | None = Field(default=None, max_length=200_000)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return _text(value)


def search_term(value: str | None, field: str = "search") -> str | None:
    """A trimmed search term (None when blank); NUL cannot reach PostgreSQL (400)."""
    if value is None:
        return None
    if "\x00" in value:
        raise ValidationFailed(
            f"Dados inválidos — {field}: não pode conter o caractere NUL",
            details=[{"field": field, "message": "must not contain NUL characters"}],
        )
    return value.strip() or None
