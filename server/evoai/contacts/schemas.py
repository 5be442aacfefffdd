"""Request bodies of the contacts and tags API (docs/api-crm.md). Responses are shaped in serialise.py."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator

from evoai.contacts import fields
from evoai.kit.schemas import RequestSchema


def _phone(value: str) -> str:
    digits = fields.phone_digits(value)
    if digits is None:
        raise ValueError(fields.PHONE_RULE)
    return digits


def _email(value: str | None) -> str | None:
    return fields.email_or_none(value)


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("não pode ficar em branco")
    return value


Phone = Annotated[str, Field(max_length=40), AfterValidator(_phone)]
Email = Annotated[str | None, Field(max_length=320), AfterValidator(_email)]
Name = Annotated[str | None, Field(max_length=fields.NAME_MAX), AfterValidator(fields.text_or_none)]
Notes = Annotated[str | None, Field(max_length=fields.NOTES_MAX), AfterValidator(fields.text_or_none)]
CustomFields = Annotated[dict[str, Any], AfterValidator(fields.check_custom_fields)]
HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$"), AfterValidator(str.upper)]
TagName = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_required_text)]


class ContactIn(RequestSchema):
    phone_number: Phone
    name: Name = None
    email: Email = None
    notes: Notes = None
    custom_fields: CustomFields = Field(default_factory=dict)


class ContactUpdate(RequestSchema):
    """Only the fields sent change; `null` clears name, e-mail and notes."""

    phone_number: Phone | None = None
    name: Name = None
    email: Email = None
    notes: Notes = None
    custom_fields: CustomFields | None = None

    @field_validator("phone_number", "custom_fields", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("não pode ser nulo")
        return value


class NoteIn(RequestSchema):
    content: Annotated[str, Field(min_length=1, max_length=fields.NOTES_MAX), AfterValidator(_required_text)]


class TagIn(RequestSchema):
    name: TagName
    color: HexColor = "#6B7280"
    description: Annotated[str | None, Field(max_length=500), AfterValidator(fields.text_or_none)] = None
    is_ai_managed: bool = False


class TagUpdate(RequestSchema):
    name: TagName | None = None
    color: HexColor | None = None
    description: Annotated[str | None, Field(max_length=500), AfterValidator(fields.text_or_none)] = None
    is_ai_managed: bool | None = None

    @field_validator("name", "color", "is_ai_managed", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("não pode ser nulo")
        return value


class TagMerge(RequestSchema):
    source_tag_ids: list[uuid.UUID] = Field(min_length=1, max_length=100)
    target_tag_id: uuid.UUID


class BulkTags(RequestSchema):
    contact_ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)
    tag_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


class EraseIn(RequestSchema):
    confirm: Annotated[str, Field(min_length=1, max_length=255)]
