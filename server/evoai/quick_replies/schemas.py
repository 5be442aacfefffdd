"""Request and response shapes of the quick-replies API."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from evoai.kit.schemas import RequestSchema, Schema

Scope = Literal["company", "personal"]

# Letters (accented ones too: "/preço"), digits, "-" and "_"; the picker's trigger uses the same set.
SHORTCUT = re.compile(r"[^\W_]|[-_]")
SHORTCUT_MAX = 40


def normalise_shortcut(value: str) -> str:
    shortcut = value.strip().removeprefix("/")
    if not 1 <= len(shortcut) <= SHORTCUT_MAX or not all(SHORTCUT.fullmatch(c) for c in shortcut):
        raise ValueError("use de 1 a 40 letras, números, - ou _ (sem espaços)")
    return shortcut


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("não pode ficar em branco")
    return value


class QuickReplyIn(RequestSchema):
    shortcut: str = Field(max_length=SHORTCUT_MAX + 20)
    title: str = Field(min_length=1, max_length=100)
    content: str = Field(min_length=1, max_length=4096)
    scope: Scope = "personal"

    _shortcut = field_validator("shortcut")(normalise_shortcut)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _not_blank(value).strip()

    @field_validator("content")
    @classmethod
    def _content(cls, value: str) -> str:
        return _not_blank(value)


class QuickReplyUpdate(RequestSchema):
    shortcut: str | None = Field(default=None, max_length=SHORTCUT_MAX + 20)
    title: str | None = Field(default=None, min_length=1, max_length=100)
    content: str | None = Field(default=None, min_length=1, max_length=4096)
    scope: Scope | None = None

    @field_validator("shortcut")
    @classmethod
    def _shortcut(cls, value: str | None) -> str | None:
        return None if value is None else normalise_shortcut(value)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value).strip()

    @field_validator("content")
    @classmethod
    def _content(cls, value: str | None) -> str | None:
        return None if value is None else _not_blank(value)


class RenderIn(RequestSchema):
    conversation_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None


class QuickReplyOut(Schema):
    id: uuid.UUID
    shortcut: str
    title: str
    content: str
    scope: Scope
    # The owner of a personal reply; company-wide replies record no author (the table has none).
    created_by: uuid.UUID | None
    updated_at: datetime


class RenderedOut(Schema):
    text: str
