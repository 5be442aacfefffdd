from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, field_validator

from evoai.kit.schemas import RequestSchema, Schema


def strip_text(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _bcrypt_limit(value: str) -> str:
    # bcrypt uses at most 72 bytes; refuse longer input instead of silently ignoring the rest.
    if len(value.encode()) > 72:
        raise ValueError("must be at most 72 bytes (about 72 letters, fewer with accents)")
    return value


Password = Annotated[str, Field(min_length=8, max_length=72), AfterValidator(_bcrypt_limit)]


class RegisterIn(RequestSchema):
    email: EmailStr = Field(max_length=255)
    password: Password
    full_name: str = Field(min_length=2, max_length=100)
    company_name: str = Field(min_length=2, max_length=100)

    _strip_names = field_validator("full_name", "company_name", mode="before")(strip_text)


class LoginIn(RequestSchema):
    email: EmailStr = Field(max_length=255)
    password: Annotated[str, Field(min_length=1, max_length=72), AfterValidator(_bcrypt_limit)]


class RefreshIn(RequestSchema):
    token: str = Field(min_length=10, max_length=200)


class LogoutIn(RequestSchema):
    token: str | None = Field(default=None, max_length=200)


class SwitchCompanyIn(RequestSchema):
    company_id: uuid.UUID


class UserOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    company_id: uuid.UUID | None = None


class CompanyRef(Schema):
    id: uuid.UUID
    name: str


class TokensOut(Schema):
    access_token: str
    refresh_token: str
    expires_in: int
    company_id: uuid.UUID | None = None


class RegisterOut(TokensOut):
    user: UserOut
    company: CompanyRef


class LoginOut(TokensOut):
    user: UserOut


class CompanySummary(Schema):
    id: uuid.UUID
    name: str
    plan_type: str
    max_whatsapp_instances: int | None


class CompanyMembershipOut(Schema):
    id: uuid.UUID
    name: str
    role: str


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    phone: str | None
    timezone: str
    # All null / empty for a user who belongs to no company (e.g. removed from their only one).
    company_id: uuid.UUID | None
    active_company_id: uuid.UUID | None
    role: str | None
    permissions: dict[str, bool]
    company: CompanySummary | None
    company_features: dict[str, object]
    roles: list[str]
    is_active: bool
    companies: list[CompanyMembershipOut]
