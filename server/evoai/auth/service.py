"""Accounts, sessions and tokens. Never commits: the request owns the transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.auth.passwords import hash_password, verify_password
from evoai.auth.tokens import AccessClaims, hash_token, issue_access_token, new_refresh_token
from evoai.config import Settings
from evoai.db import use_tenant
from evoai.exceptions import Conflict, Forbidden, NotFound, Unauthorized
from evoai.funnels.defaults import create_default_funnel
from evoai.models import AuthSession, Company, Membership, Profile, RefreshToken, User
from evoai.notifications import service as notifications
from evoai.permissions import default_permissions
from evoai.worker.enqueue import revoke_sockets


@dataclass
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    company_id: uuid.UUID | None


def normalise_email(email: str) -> str:
    return email.strip().lower()


async def _issue(
    session: AsyncSession, settings: Settings, user: User, auth_session: AuthSession
) -> IssuedTokens:
    role = None
    if auth_session.company_id is not None:
        role = await session.scalar(
            select(Membership.role).where(
                Membership.user_id == user.id, Membership.company_id == auth_session.company_id
            )
        )
    refresh, refresh_hash = new_refresh_token()
    session.add(RefreshToken(session_id=auth_session.id, token_hash=refresh_hash))
    access = issue_access_token(
        settings, AccessClaims(user.id, auth_session.id, auth_session.company_id, user.email, role)
    )
    return IssuedTokens(access, refresh, settings.access_ttl_seconds, auth_session.company_id)


async def open_session(
    session: AsyncSession,
    settings: Settings,
    user: User,
    company_id: uuid.UUID | None,
    user_agent: str | None,
    ip: str | None,
) -> IssuedTokens:
    auth_session = AuthSession(
        id=uuid.uuid4(),
        user_id=user.id,
        company_id=company_id,
        user_agent=(user_agent or "")[:500] or None,
        ip_address=(ip or "")[:45] or None,
        expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_ttl_seconds),
    )
    session.add(auth_session)
    await session.flush()
    return await _issue(session, settings, user, auth_session)


async def register(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    full_name: str,
    company_name: str,
    user_agent: str | None,
    ip: str | None,
) -> tuple[User, Company, IssuedTokens]:
    email = normalise_email(email)
    if await session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("Email já cadastrado")
    user = User(id=uuid.uuid4(), email=email, password_hash=await hash_password(password))
    company = Company(
        id=uuid.uuid4(),
        name=company_name,
        plan_type="free",
        trial_expires_at=datetime.now(UTC) + timedelta(days=14),
    )
    await use_tenant(session, company_id=company.id, user_id=user.id)
    session.add_all([user, company])
    await session.flush()
    session.add(Profile(user_id=user.id, full_name=full_name, active_company_id=company.id))
    session.add(
        Membership(
            company_id=company.id, user_id=user.id, role="admin", permissions=default_permissions("admin")
        )
    )
    await session.flush()
    await create_default_funnel(session, company.id, user.id)
    await notifications.schedule_welcome(session, company_id=company.id, user_id=user.id)
    tokens = await open_session(session, settings, user, company.id, user_agent, ip)
    return user, company, tokens


async def is_member(session: AsyncSession, user_id: uuid.UUID, company_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Membership.id).where(Membership.user_id == user_id, Membership.company_id == company_id)
    )
    return found is not None


async def _default_company(session: AsyncSession, user: User) -> uuid.UUID | None:
    """The company the user last worked in, if still a member, else their oldest membership."""
    await use_tenant(session, company_id=None, user_id=user.id)
    profile = await session.get(Profile, user.id)
    memberships = (
        await session.scalars(
            select(Membership.company_id).where(Membership.user_id == user.id).order_by(Membership.created_at)
        )
    ).all()
    if profile is not None and profile.active_company_id in memberships:
        return profile.active_company_id
    return memberships[0] if memberships else None


async def login(
    session: AsyncSession,
    settings: Settings,
    *,
    email: str,
    password: str,
    user_agent: str | None,
    ip: str | None,
) -> tuple[User, IssuedTokens]:
    user = await session.scalar(select(User).where(User.email == normalise_email(email)))
    if not await verify_password(password, user.password_hash if user else None) or user is None:
        raise Unauthorized("Email ou senha incorretos")
    if not user.is_active:
        raise Forbidden("Conta inativa")
    company_id = await _default_company(session, user)
    return user, await open_session(session, settings, user, company_id, user_agent, ip)


async def revoke_sessions(session: AsyncSession, session_ids: list[uuid.UUID], reason: str) -> None:
    """End sessions: their tokens stop at the next request and their sockets are dropped after commit."""
    if not session_ids:
        return
    await session.execute(
        update(AuthSession)
        .where(AuthSession.id.in_(session_ids), AuthSession.revoked_at.is_(None))
        .values(revoked_at=func.now(), revoked_reason=reason)
    )
    await revoke_sockets(session, [str(session_id) for session_id in session_ids])


async def revoke_session(session: AsyncSession, session_id: uuid.UUID, reason: str) -> None:
    await revoke_sessions(session, [session_id], reason)


async def revoke_company_sessions(
    session: AsyncSession, *, user_id: uuid.UUID, company_id: uuid.UUID, reason: str
) -> None:
    ids = (
        await session.scalars(
            select(AuthSession.id).where(
                AuthSession.user_id == user_id,
                AuthSession.company_id == company_id,
                AuthSession.revoked_at.is_(None),
            )
        )
    ).all()
    await revoke_sessions(session, list(ids), reason)


class RefreshReuse(Exception):
    """A used refresh token came back: its session was revoked and must stay revoked."""


async def refresh(session: AsyncSession, settings: Settings, token: str) -> IssuedTokens:
    """Rotate: the presented token is spent; presenting a spent one revokes the whole session."""
    row = (
        await session.execute(
            select(RefreshToken, AuthSession, User)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .join(User, User.id == AuthSession.user_id)
            .where(RefreshToken.token_hash == hash_token(token))
            .with_for_update(of=RefreshToken)
        )
    ).first()
    if row is None:
        raise Unauthorized("Token inválido ou expirado")
    stored, auth_session, user = row
    if stored.used_at is not None:
        await revoke_session(session, auth_session.id, "refresh_reuse")
        raise RefreshReuse
    if (
        auth_session.revoked_at is not None
        or auth_session.expires_at <= datetime.now(UTC)
        or not user.is_active
    ):
        raise Unauthorized("Token inválido ou expirado")
    await use_tenant(session, company_id=auth_session.company_id, user_id=user.id)
    if auth_session.company_id is not None and not await is_member(session, user.id, auth_session.company_id):
        raise Unauthorized("Você não pertence mais a esta empresa; faça login novamente")
    stored.used_at = datetime.now(UTC)
    auth_session.expires_at = datetime.now(UTC) + timedelta(seconds=settings.refresh_ttl_seconds)
    return await _issue(session, settings, user, auth_session)


async def logout(session: AsyncSession, *, session_id: uuid.UUID | None, refresh_token: str | None) -> None:
    if session_id is None and refresh_token:
        session_id = await session.scalar(
            select(RefreshToken.session_id).where(RefreshToken.token_hash == hash_token(refresh_token))
        )
    if session_id is not None:
        await revoke_session(session, session_id, "logout")


async def switch_company(
    session: AsyncSession, settings: Settings, *, user: User, session_id: uuid.UUID, company_id: uuid.UUID
) -> IssuedTokens:
    """Move this session to another of the user's companies; its older tokens stop working."""
    await use_tenant(session, company_id=None, user_id=user.id)
    member = await session.scalar(
        select(Membership.id).where(Membership.user_id == user.id, Membership.company_id == company_id)
    )
    if member is None:
        raise NotFound("Empresa não encontrada")
    await revoke_session(session, session_id, "switch_company")
    profile = await session.get(Profile, user.id)
    if profile is not None:
        profile.active_company_id = company_id
    return await open_session(session, settings, user, company_id, None, None)
