"""Request dependencies: the request's transaction, the authenticated member, permission checks."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from evoai.auth.tokens import decode_access_token
from evoai.config import Settings
from evoai.db import use_tenant
from evoai.exceptions import Forbidden, Unauthorized
from evoai.models import AuthSession, Membership, User
from evoai.state import AppState
from evoai.worker.enqueue import committed_outbox_ids


def app_state(request: Request) -> AppState:
    return cast(AppState, request.app.state.evoai)


async def get_settings_dep(request: Request) -> Settings:  # async: sync dependencies cost a thread hop
    return app_state(request).settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request owns one transaction; AutoCommitRoute commits it before the response leaves."""
    async with app_state(request).factory() as session:
        request.state.db_session = session
        yield session


class AutoCommitRoute(APIRoute):
    """Commit after a successful endpoint, then relay the outbox rows it wrote (rule 1 and 2)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def commit_then_respond(request: Request) -> Response:
            response = await handler(request)
            session: AsyncSession | None = getattr(request.state, "db_session", None)
            if session is not None and session.in_transaction() and response.status_code < 400:
                await session.commit()
                ids = committed_outbox_ids(session)
                if ids:
                    app_state(request).relay.relay_soon(ids)
            return response

        return commit_then_respond


DbSession = Annotated[AsyncSession, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


@dataclass
class Member:
    """Who is calling and as which member of which company."""

    user: User
    session_id: uuid.UUID
    company_id: uuid.UUID
    role: str
    permissions: dict[str, bool] = field(default_factory=dict)

    @property
    def user_id(self) -> uuid.UUID:
        return self.user.id

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def can(self, permission: str) -> bool:
        return self.is_admin or bool(self.permissions.get(permission))


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _authenticated_user(
    request: Request, session: AsyncSession, *, with_membership: bool = False
) -> tuple[User, AuthSession, Membership | None]:
    """Resolve the bearer token to a live session and its user (and, when asked, the membership in
    the session's company) in one query.

    The tenant is taken from the verified token before that query runs, so RLS already scopes the
    membership; the query then confirms the session still points at that company.
    """
    token = bearer_token(request)
    if token is None:
        raise Unauthorized("Não autenticado")
    claims = decode_access_token(app_state(request).settings, token)
    await use_tenant(session, company_id=claims.company_id, user_id=claims.user_id)
    query = (
        select(User, AuthSession)
        .join(AuthSession, AuthSession.user_id == User.id)
        .where(AuthSession.id == claims.session_id, User.id == claims.user_id)
    )
    if with_membership:
        query = query.add_columns(Membership).outerjoin(
            Membership,
            and_(Membership.user_id == User.id, Membership.company_id == AuthSession.company_id),
        )
    row = (await session.execute(query)).first()
    if row is None:
        raise Unauthorized("Sessão inválida")
    columns: tuple[Any, ...] = tuple(row)
    user: User = columns[0]
    auth_session: AuthSession = columns[1]
    membership: Membership | None = columns[2] if with_membership else None
    if auth_session.revoked_at is not None or auth_session.expires_at <= datetime.now(UTC):
        raise Unauthorized("Sessão encerrada; faça login novamente")
    if auth_session.company_id != claims.company_id:
        raise Unauthorized("Token inválido ou expirado")
    if not user.is_active:
        raise Forbidden("Conta inativa")
    request.state.user_id = str(user.id)
    return user, auth_session, membership


@dataclass
class Caller:
    """An authenticated user and session, whether or not they still belong to a company."""

    user: User
    session_id: uuid.UUID
    company_id: uuid.UUID | None


async def current_caller(request: Request, session: DbSession) -> Caller:
    user, auth_session, _ = await _authenticated_user(request, session)
    # Callers may act outside their company (accept an invitation, switch): only their own rows.
    await use_tenant(session, company_id=None, user_id=user.id)
    return Caller(user, auth_session.id, auth_session.company_id)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def current_member(request: Request, session: DbSession) -> Member:
    """The caller's membership in the session's active company, with the tenant set for RLS."""
    user, auth_session, membership = await _authenticated_user(request, session, with_membership=True)
    if auth_session.company_id is None:
        raise Forbidden("Você não pertence a nenhuma empresa")
    if membership is None:
        raise Unauthorized("Você não pertence mais a esta empresa; faça login novamente")
    return Member(user, auth_session.id, membership.company_id, membership.role, dict(membership.permissions))


CurrentMember = Annotated[Member, Depends(current_member)]


async def super_admin(request: Request, session: DbSession) -> User:
    user, _, _ = await _authenticated_user(request, session)
    if not user.is_super_admin:
        raise Forbidden("Apenas o administrador da plataforma pode fazer isso")
    session.info["bypass_rls"] = True
    await use_tenant(session, company_id=None, user_id=user.id)
    return user


SuperAdmin = Annotated[User, Depends(super_admin)]
