"""Invitations: a manager creates a link; whoever holds it joins as that e-mail, with that role.

Only the token's SHA-256 is stored. Looking an invitation up by token crosses tenants by design;
everything else is scoped to the caller's company.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.auth.passwords import hash_password
from evoai.auth.service import IssuedTokens, is_member, normalise_email, open_session
from evoai.auth.tokens import hash_token
from evoai.company.service import ensure_manager, grantable
from evoai.config import Settings
from evoai.db import bypass_tenancy, use_tenant
from evoai.deps import Caller, Member
from evoai.exceptions import Conflict, Forbidden, NotFound, Unprocessable
from evoai.invitations.schemas import InvitationCreate, InvitationOut, Inviter
from evoai.models import Company, Invitation, Membership, Profile, User
from evoai.notifications import service as notifications

VALID_FOR = timedelta(days=7)
# Bounds how far one company can probe which e-mails have accounts (the accept answers 409 for them).
DAILY_LIMIT = 50
INVALID = "Convite inválido ou expirado"


async def _inviter_names(session: AsyncSession, user_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(Profile.user_id, Profile.full_name).where(Profile.user_id.in_(user_ids))
    )
    return {user_id: name for user_id, name in rows.all()}


def _out(invitation: Invitation, names: dict[uuid.UUID, str]) -> InvitationOut:
    inviter = invitation.invited_by
    return InvitationOut(
        id=invitation.id,
        email=invitation.email,
        role=invitation.role,
        permissions=invitation.permissions,
        invited_by=Inviter(id=inviter, full_name=names.get(inviter, "") if inviter else ""),
        expires_at=invitation.expires_at,
        created_at=invitation.created_at,
    )


async def list_pending(session: AsyncSession, company_id: uuid.UUID) -> list[InvitationOut]:
    rows = list(
        (
            await session.scalars(
                select(Invitation)
                .where(
                    Invitation.company_id == company_id,
                    Invitation.accepted_at.is_(None),
                    Invitation.revoked_at.is_(None),
                    Invitation.expires_at > func.now(),
                )
                .order_by(Invitation.created_at.desc())
            )
        ).all()
    )
    names = await _inviter_names(session, {r.invited_by for r in rows if r.invited_by})
    return [_out(r, names) for r in rows]


async def create(session: AsyncSession, actor: Member, body: InvitationCreate) -> tuple[InvitationOut, str]:
    ensure_manager(actor)
    if body.role == "admin" and not actor.is_admin:
        raise Forbidden("Apenas administradores podem convidar outro administrador")
    permissions = grantable(actor, body.role, body.permissions)
    email = normalise_email(body.email)
    already_member = await session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.company_id == actor.company_id, User.email == email)
    )
    if already_member:
        raise Conflict(f"{email} já faz parte da equipe")
    # An expired invitation no longer blocks a new one.
    await session.execute(
        update(Invitation)
        .where(
            Invitation.company_id == actor.company_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at <= func.now(),
        )
        .values(revoked_at=func.now())
    )
    pending = await session.scalar(
        select(Invitation.id).where(
            Invitation.company_id == actor.company_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
    )
    if pending:
        raise Conflict(f"{email} já tem um convite pendente; revogue-o para gerar outro link")
    created_today = await session.scalar(
        select(func.count()).where(
            Invitation.company_id == actor.company_id, Invitation.created_at > func.now() - timedelta(days=1)
        )
    )
    if (created_today or 0) >= DAILY_LIMIT:
        raise Unprocessable(f"Limite de {DAILY_LIMIT} convites por dia atingido; tente novamente amanhã")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        id=uuid.uuid4(),
        company_id=actor.company_id,
        email=email,
        role=body.role,
        permissions=permissions,
        token_hash=hash_token(token),
        invited_by=actor.user_id,
        expires_at=datetime.now(UTC) + VALID_FOR,
    )
    session.add(invitation)
    await session.flush()
    await session.refresh(invitation)
    return _out(invitation, await _inviter_names(session, {actor.user_id})), token


async def revoke(session: AsyncSession, actor: Member, invitation_id: uuid.UUID) -> None:
    ensure_manager(actor)
    # Locked, so a revoke racing an accept either wins or reports the invitation as gone.
    invitation = await session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id, Invitation.company_id == actor.company_id)
        .with_for_update()
    )
    if invitation is None or invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise NotFound("Convite não encontrado")
    if invitation.role == "admin" and not actor.is_admin:
        raise Forbidden("Apenas administradores podem revogar o convite de um administrador")
    invitation.revoked_at = datetime.now(UTC)


async def find_open(session: AsyncSession, token: str, *, lock: bool = False) -> tuple[Invitation, Company]:
    """The open invitation for a token, across tenants (the token is the credential)."""
    await bypass_tenancy(session)
    query = (
        select(Invitation, Company)
        .join(Company, Company.id == Invitation.company_id)
        .where(
            Invitation.token_hash == hash_token(token),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > func.now(),
        )
    )
    if lock:
        query = query.with_for_update(of=Invitation)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound(INVALID)
    return row[0], row[1]


async def preview(session: AsyncSession, token: str) -> dict[str, object]:
    invitation, company = await find_open(session, token)
    names = await _inviter_names(session, {invitation.invited_by} if invitation.invited_by else set())
    return {
        "email": invitation.email,
        "company_name": company.name,
        "role": invitation.role,
        "invited_by": names.get(invitation.invited_by, "") if invitation.invited_by else "",
        "expires_at": invitation.expires_at,
    }


async def _join(session: AsyncSession, invitation: Invitation, user: User) -> None:
    # From here on the work belongs to the inviting company: leave the cross-tenant lookup mode.
    session.info["bypass_rls"] = False
    await use_tenant(session, company_id=invitation.company_id, user_id=user.id)
    session.add(
        Membership(
            company_id=invitation.company_id,
            user_id=user.id,
            role=invitation.role,
            permissions=invitation.permissions,
        )
    )
    invitation.accepted_at = datetime.now(UTC)
    await session.flush()
    inviter = invitation.invited_by
    if inviter and await is_member(session, inviter, invitation.company_id):
        await notifications.notify(
            session,
            company_id=invitation.company_id,
            user_ids=[inviter],
            type="member_joined",
            title="Novo membro na equipe",
            body=f"{user.email} aceitou o convite.",
            data={"userId": str(user.id)},
            dedupe_key=f"joined:{invitation.id}",
        )


async def accept_as(session: AsyncSession, token: str, caller: Caller) -> tuple[Company, str]:
    invitation, company = await find_open(session, token, lock=True)
    if invitation.email != caller.user.email:
        raise Forbidden(f"Este convite é para {invitation.email}; entre com essa conta para aceitá-lo")
    if await is_member(session, caller.user.id, invitation.company_id):
        raise Conflict("Você já faz parte desta empresa")
    await _join(session, invitation, caller.user)
    return company, invitation.role


async def accept_new_account(
    session: AsyncSession,
    settings: Settings,
    token: str,
    *,
    full_name: str,
    password: str,
    user_agent: str | None,
    ip: str | None,
) -> tuple[User, Company, IssuedTokens]:
    invitation, company = await find_open(session, token, lock=True)
    if await session.scalar(select(User.id).where(User.email == invitation.email)):
        raise Conflict("Já existe uma conta com este e-mail; entre para aceitar o convite")
    user = User(id=uuid.uuid4(), email=invitation.email, password_hash=await hash_password(password))
    session.add(user)
    await session.flush()
    session.add(Profile(user_id=user.id, full_name=full_name, active_company_id=company.id))
    await _join(session, invitation, user)
    tokens = await open_session(session, settings, user, company.id, user_agent, ip)
    return user, company, tokens
