from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import EmailStr, Field, field_validator

from evoai.auth.schemas import CompanyRef, Password, RegisterOut, strip_text
from evoai.company.schemas import Role
from evoai.kit.schemas import RequestSchema, Schema


class InvitationCreate(RequestSchema):
    email: EmailStr = Field(max_length=255)
    role: Role = "member"
    permissions: dict[str, bool] | None = None


class Inviter(Schema):
    id: uuid.UUID | None
    full_name: str


class InvitationOut(Schema):
    id: uuid.UUID
    email: str
    role: str
    permissions: dict[str, bool]
    invited_by: Inviter
    expires_at: datetime
    created_at: datetime


class InvitationCreated(InvitationOut):
    token: str
    invite_url: str


class InvitationPreview(Schema):
    email: str
    company_name: str
    role: str
    invited_by: str
    expires_at: datetime


class AcceptNewAccount(RequestSchema):
    full_name: str = Field(min_length=2, max_length=100)
    password: Password

    _strip_name = field_validator("full_name", mode="before")(strip_text)


class AcceptEmpty(RequestSchema):
    pass


class Accepted(Schema):
    company: CompanyRef
    role: str


AcceptedNewAccount = RegisterOut
