from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from evoai.auth.schemas import CompanyRef, RegisterOut, UserOut
from evoai.company.service import ensure_manager
from evoai.deps import (
    AutoCommitRoute,
    CurrentMember,
    DbSession,
    SettingsDep,
    bearer_token,
    current_caller,
)
from evoai.invitations import service
from evoai.invitations.schemas import (
    Accepted,
    AcceptNewAccount,
    InvitationCreate,
    InvitationCreated,
    InvitationOut,
    InvitationPreview,
)
from evoai.kit.schemas import Envelope

router = APIRouter(tags=["invitations"], route_class=AutoCommitRoute)


def _invite_url(request: Request, frontend_url: str, token: str) -> str:
    base = (frontend_url or str(request.base_url)).rstrip("/")
    return f"{base}/invite/{token}"


@router.get("/company/invitations", response_model=Envelope[list[InvitationOut]])
async def list_invitations(member: CurrentMember, session: DbSession) -> Any:
    ensure_manager(member)
    return Envelope(data=await service.list_pending(session, member.company_id))


@router.post("/company/invitations", status_code=201, response_model=Envelope[InvitationCreated])
async def create_invitation(
    body: InvitationCreate, request: Request, member: CurrentMember, session: DbSession, settings: SettingsDep
) -> Any:
    invitation, token = await service.create(session, member, body)
    created = InvitationCreated(
        **invitation.model_dump(), token=token, invite_url=_invite_url(request, settings.FRONTEND_URL, token)
    )
    return Envelope(data=created)


@router.delete("/company/invitations/{invitation_id}")
async def revoke_invitation(invitation_id: uuid.UUID, member: CurrentMember, session: DbSession) -> Any:
    await service.revoke(session, member, invitation_id)
    return {"success": True, "message": "Convite revogado"}


@router.get("/invitations/{token}", response_model=Envelope[InvitationPreview])
async def preview_invitation(token: str, session: DbSession) -> Any:
    return Envelope(data=InvitationPreview(**await service.preview(session, token)))


@router.post("/invitations/{token}/accept", response_model=None)
async def accept_invitation(
    token: str,
    request: Request,
    session: DbSession,
    settings: SettingsDep,
    body: dict[str, Any] | None = Body(default=None),
) -> Any:
    """Logged in (Bearer): join as yourself. Anonymous: create the invited account and join."""
    if bearer_token(request) is not None:
        caller = await current_caller(request, session)
        company, role = await service.accept_as(session, token, caller)
        return Envelope(data=Accepted(company=CompanyRef(id=company.id, name=company.name), role=role))
    try:
        fields = AcceptNewAccount.model_validate(body or {})
    except ValidationError as exc:
        # Rendered by the shared handler, like every other invalid body.
        raise RequestValidationError(exc.errors()) from None
    user, company, tokens = await service.accept_new_account(
        session,
        settings,
        token,
        full_name=fields.full_name,
        password=fields.password,
        user_agent=request.headers.get("user-agent"),
        ip=request.client.host if request.client else None,
    )
    data = RegisterOut(
        user=UserOut(id=user.id, email=user.email, full_name=fields.full_name, company_id=company.id),
        company=CompanyRef(id=company.id, name=company.name),
        **vars(tokens),
    )
    return JSONResponse(Envelope(data=data).model_dump(mode="json", by_alias=True), status_code=201)
