"""Team management and usage. Member management needs an admin or the canManageUsers permission;
only admins grant or take away the admin role, and a company always keeps at least one admin."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.auth.service import revoke_company_sessions
from evoai.company.schemas import MemberOut, MemberUpdate
from evoai.deps import Member
from evoai.exceptions import Forbidden, NotFound, Unprocessable
from evoai.models import Contact, Invitation, Membership, Message, Profile, User, WhatsAppInstance
from evoai.permissions import merged_permissions


def _out(membership: Membership, user: User, profile: Profile | None) -> MemberOut:
    return MemberOut(
        id=membership.id,
        user_id=user.id,
        email=user.email,
        full_name=profile.full_name if profile else "",
        role=membership.role,
        permissions=merged_permissions(membership.role, membership.permissions),
        created_at=membership.created_at,
    )


def ensure_manager(actor: Member) -> None:
    if not actor.can("canManageUsers"):
        raise Forbidden("Apenas administradores podem gerenciar a equipe")


def grantable(actor: Member, role: str, overrides: dict[str, bool] | None) -> dict[str, bool]:
    """The permissions a membership would get; a non-admin manager may only hand out what they hold
    themselves, and never the right to manage the team."""
    permissions = merged_permissions(role, overrides)
    if not actor.is_admin:
        beyond = [
            name
            for name, granted in permissions.items()
            if granted and (name == "canManageUsers" or not actor.can(name))
        ]
        if beyond:
            raise Forbidden(f"Apenas administradores podem conceder: {', '.join(beyond)}")
    return permissions


async def list_members(session: AsyncSession, company_id: uuid.UUID) -> list[MemberOut]:
    rows = (
        await session.execute(
            select(Membership, User, Profile)
            .join(User, User.id == Membership.user_id)
            .outerjoin(Profile, Profile.user_id == User.id)
            .where(Membership.company_id == company_id)
            .order_by(Membership.created_at)
        )
    ).all()
    return [_out(m, u, p) for m, u, p in rows]


async def _get_membership(
    session: AsyncSession, company_id: uuid.UUID, membership_id: uuid.UUID
) -> Membership:
    membership = await session.scalar(
        select(Membership).where(Membership.id == membership_id, Membership.company_id == company_id)
    )
    if membership is None:
        raise NotFound("Membro não encontrado")
    return membership


async def _admin_count(session: AsyncSession, company_id: uuid.UUID) -> int:
    # Locks the admins so two concurrent demotions cannot both pass the "last admin" check.
    ids = (
        await session.scalars(
            select(Membership.id)
            .where(Membership.company_id == company_id, Membership.role == "admin")
            .with_for_update()
        )
    ).all()
    return len(ids)


async def update_member(
    session: AsyncSession, actor: Member, membership_id: uuid.UUID, body: MemberUpdate
) -> MemberOut:
    ensure_manager(actor)
    membership = await _get_membership(session, actor.company_id, membership_id)
    new_role = body.role or membership.role
    if (membership.role == "admin" or new_role == "admin") and not actor.is_admin:
        raise Forbidden("Apenas administradores podem alterar administradores")
    if membership.user_id == actor.user_id and not actor.is_admin:
        raise Forbidden("Você não pode alterar a sua própria função ou permissões")
    if (
        membership.role == "admin"
        and new_role != "admin"
        and await _admin_count(session, actor.company_id) <= 1
    ):
        raise Unprocessable("A empresa precisa de pelo menos um administrador")
    # A new role without explicit permissions starts from that role's defaults.
    kept = membership.permissions if new_role == membership.role else None
    overrides = body.permissions if body.permissions is not None else kept
    membership.permissions = grantable(actor, new_role, overrides)
    if membership.role == "admin" and new_role != "admin":
        await revoke_invitations_sent_by(
            session, company_id=actor.company_id, user_id=membership.user_id, admin_only=True
        )
    if new_role != "admin" and not membership.permissions.get("canManageUsers"):
        await revoke_invitations_sent_by(session, company_id=actor.company_id, user_id=membership.user_id)
    membership.role = new_role
    await session.flush()
    user = await session.get(User, membership.user_id)
    assert user is not None
    return _out(membership, user, await session.get(Profile, user.id))


async def remove_member(session: AsyncSession, actor: Member, membership_id: uuid.UUID) -> None:
    ensure_manager(actor)
    membership = await _get_membership(session, actor.company_id, membership_id)
    if membership.role == "admin":
        if not actor.is_admin:
            raise Forbidden("Apenas administradores podem remover administradores")
        if await _admin_count(session, actor.company_id) <= 1:
            raise Unprocessable("Não é possível remover o último administrador da empresa")
    await session.delete(membership)
    await revoke_invitations_sent_by(session, company_id=actor.company_id, user_id=membership.user_id)
    await revoke_company_sessions(
        session, user_id=membership.user_id, company_id=actor.company_id, reason="membership_removed"
    )


def month_period(now: datetime | None = None) -> tuple[datetime, datetime]:
    now = now or datetime.now(UTC)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    return start, end


async def usage_counts(session: AsyncSession, company_id: uuid.UUID) -> dict[str, int]:
    """Instances, contacts and messages (both directions) this month, in one round trip."""
    start, end = month_period()
    row = (
        await session.execute(
            select(
                select(func.count())
                .select_from(WhatsAppInstance)
                .where(WhatsAppInstance.company_id == company_id, WhatsAppInstance.deleted_at.is_(None))
                .scalar_subquery(),
                select(func.count())
                .select_from(Contact)
                .where(Contact.company_id == company_id)
                .scalar_subquery(),
                select(func.count())
                .select_from(Message)
                .where(
                    Message.company_id == company_id, Message.created_at >= start, Message.created_at < end
                )
                .scalar_subquery(),
            )
        )
    ).one()
    return {"instances": int(row[0]), "contacts": int(row[1]), "messages_this_month": int(row[2])}


async def revoke_invitations_sent_by(
    session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID, admin_only: bool = False
) -> None:
    """A member who loses the right to invite (removed, demoted) takes their open links with them."""
    query = update(Invitation).where(
        Invitation.company_id == company_id,
        Invitation.invited_by == user_id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
    )
    if admin_only:
        query = query.where(Invitation.role == "admin")
    await session.execute(query.values(revoked_at=func.now()))
