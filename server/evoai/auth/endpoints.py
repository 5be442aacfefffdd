from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select

from evoai.auth import service
from evoai.auth.schemas import (
    CompanyMembershipOut,
    CompanyRef,
    CompanySummary,
    LoginIn,
    LoginOut,
    LogoutIn,
    MeOut,
    RefreshIn,
    RegisterIn,
    RegisterOut,
    SwitchCompanyIn,
    TokensOut,
    UserOut,
)
from evoai.auth.tokens import decode_access_token
from evoai.deps import (
    AutoCommitRoute,
    CurrentCaller,
    DbSession,
    SettingsDep,
    app_state,
    bearer_token,
)
from evoai.exceptions import Unauthorized
from evoai.kit.schemas import Envelope
from evoai.models import Company, Membership, Profile
from evoai.permissions import merged_permissions
from evoai.plans import plan_for
from evoai.worker.enqueue import committed_outbox_ids

router = APIRouter(prefix="/auth", tags=["auth"], route_class=AutoCommitRoute)


def _client(request: Request) -> tuple[str | None, str | None]:
    return request.headers.get("user-agent"), request.client.host if request.client else None


@router.post("/register", status_code=201, response_model=Envelope[RegisterOut])
async def register(body: RegisterIn, request: Request, session: DbSession, settings: SettingsDep) -> Any:
    agent, ip = _client(request)
    user, company, tokens = await service.register(
        session,
        settings,
        email=body.email,
        password=body.password,
        full_name=body.full_name,
        company_name=body.company_name,
        user_agent=agent,
        ip=ip,
    )
    return Envelope(
        data=RegisterOut(
            user=UserOut(id=user.id, email=user.email, full_name=body.full_name, company_id=company.id),
            company=CompanyRef(id=company.id, name=company.name),
            **vars(tokens),
        )
    )


@router.post("/login", response_model=Envelope[LoginOut])
async def login(body: LoginIn, request: Request, session: DbSession, settings: SettingsDep) -> Any:
    agent, ip = _client(request)
    user, tokens = await service.login(
        session, settings, email=body.email, password=body.password, user_agent=agent, ip=ip
    )
    profile = await session.get(Profile, user.id)
    return Envelope(
        data=LoginOut(
            user=UserOut(
                id=user.id,
                email=user.email,
                full_name=profile.full_name if profile else "",
                company_id=tokens.company_id,
            ),
            **vars(tokens),
        )
    )


@router.post("/refresh", response_model=Envelope[TokensOut])
async def refresh(body: RefreshIn, request: Request, session: DbSession, settings: SettingsDep) -> Any:
    try:
        tokens = await service.refresh(session, settings, body.token)
    except service.RefreshReuse:
        # The revocation must survive the 401, so commit it here rather than roll it back.
        await session.commit()
        app_state(request).relay.relay_soon(committed_outbox_ids(session))
        return JSONResponse(
            {
                "success": False,
                "error": "Token já utilizado; a sessão foi encerrada por segurança",
                "code": "unauthorized",
            },
            status_code=401,
        )
    return Envelope(data=TokensOut(**vars(tokens)))


@router.post("/logout")
async def logout(
    request: Request, session: DbSession, settings: SettingsDep, body: LogoutIn | None = None
) -> Any:
    session_id = None
    token = bearer_token(request)
    if token:
        try:
            session_id = decode_access_token(settings, token).session_id
        except Unauthorized:
            session_id = None  # logout always succeeds (spec auth.md)
    await service.logout(session, session_id=session_id, refresh_token=body.token if body else None)
    return {"success": True, "message": "Logout realizado com sucesso"}


@router.post("/switch-company", response_model=Envelope[TokensOut])
async def switch_company(
    body: SwitchCompanyIn, caller: CurrentCaller, session: DbSession, settings: SettingsDep
) -> Any:
    tokens = await service.switch_company(
        session, settings, user=caller.user, session_id=caller.session_id, company_id=body.company_id
    )
    return Envelope(data=TokensOut(**vars(tokens)))


@router.get("/me", response_model=Envelope[MeOut])
async def me(caller: CurrentCaller, session: DbSession) -> Any:
    """The caller's profile and companies; works without a company too, so such a user can still
    see who they are and accept an invitation."""
    user = caller.user
    profile = await session.get(Profile, user.id)
    rows = (
        await session.execute(
            select(Company, Membership)
            .join(Membership, Membership.company_id == Company.id)
            .where(Membership.user_id == user.id)
            .order_by(Company.name)
        )
    ).all()
    current = next(((c, m) for c, m in rows if c.id == caller.company_id), None)
    company, membership = current if current else (None, None)
    plan = plan_for(company.plan_type) if company else None
    return Envelope(
        data=MeOut(
            id=user.id,
            email=user.email,
            full_name=profile.full_name if profile else "",
            phone=profile.phone if profile else None,
            timezone=profile.timezone if profile else "America/Sao_Paulo",
            company_id=company.id if company else None,
            active_company_id=company.id if company else None,
            role=membership.role if membership else None,
            permissions=merged_permissions(membership.role, membership.permissions) if membership else {},
            company=CompanySummary(
                id=company.id,
                name=company.name,
                plan_type=company.plan_type,
                max_whatsapp_instances=plan.instances,
            )
            if company and plan
            else None,
            company_features={
                "maxContacts": plan.contacts,
                "maxMessagesPerMonth": plan.messages_per_month,
                "aiEnabled": plan.ai_enabled,
                **company.features,
            }
            if company and plan
            else {},
            roles=["USER", "SUPER_ADMIN"] if user.is_super_admin else ["USER"],
            is_active=user.is_active,
            companies=[CompanyMembershipOut(id=c.id, name=c.name, role=m.role) for c, m in rows],
        )
    )
