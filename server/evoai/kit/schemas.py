"""Base pydantic models: camelCase on the wire, snake_case in Python; the response envelopes."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel

T = TypeVar("T")


class Schema(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, from_attributes=True)


class RequestSchema(Schema):
    """Input models refuse unknown fields, so a typo is an error instead of a silent no-op, and
    NUL characters, which PostgreSQL cannot store in text."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class Pagination(Schema):
    page: int
    limit: int
    total: int
    pages: int

    @classmethod
    def of(cls, *, page: int, limit: int, total: int) -> Pagination:
        return cls(page=page, limit=limit, total=total, pages=math.ceil(total / limit) if total else 0)


class Envelope(Schema, Generic[T]):
    success: bool = True
    data: T


class PageEnvelope(Schema, Generic[T]):
    success: bool = True
    data: list[T]
    pagination: Pagination
