"""Team notifications: stored per member, pushed live through the outbox."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import NotFound
from evoai.kit.pagination import PageParams
from evoai.models import Membership, Notification
from evoai.realtime.publisher import user_room
from evoai.worker import queues
from evoai.worker.enqueue import emit_event, enqueue_job

WELCOME_JOB = "notifications.welcome"


def serialise(notification: Notification) -> dict[str, Any]:
    return {
        "id": str(notification.id),
        "type": notification.type,
        "title": notification.title,
        "body": notification.body,
        "data": notification.data,
        "readAt": notification.read_at.isoformat() if notification.read_at else None,
        "createdAt": notification.created_at.isoformat(),
    }


async def notify(
    session: AsyncSession,
    *,
    company_id: uuid.UUID,
    user_ids: list[uuid.UUID] | None,
    type: str,
    title: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Store one notification per addressee (all members when `user_ids` is None) and push each live.

    With a dedupe key, a repeated call (a retried job) creates nothing new.
    """
    if user_ids is None:
        user_ids = list(
            (
                await session.scalars(select(Membership.user_id).where(Membership.company_id == company_id))
            ).all()
        )
    created: list[Notification] = []
    for user_id in user_ids:
        key = f"{dedupe_key}:{user_id}" if dedupe_key else None
        statement = (
            insert(Notification)
            .values(
                id=uuid.uuid4(),
                company_id=company_id,
                user_id=user_id,
                type=type,
                title=title,
                body=body,
                data=data or {},
                dedupe_key=key,
            )
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification)
        )
        notification = (await session.scalars(statement)).first()
        if notification is None:
            continue
        created.append(notification)
        await emit_event(session, user_room(user_id), "notification", serialise(notification))
    return created


async def schedule_welcome(session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await enqueue_job(
        session, queues.MESSAGE, WELCOME_JOB, {"companyId": str(company_id), "userId": str(user_id)}
    )


async def list_for(
    session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID, params: PageParams, unread_only: bool
) -> tuple[list[Notification], int, int]:
    mine = (Notification.company_id == company_id, Notification.user_id == user_id)
    unread_filter = Notification.read_at.is_(None)
    # Both counts in one query: the page's total and the bell's unread count.
    counts = (
        await session.execute(
            select(func.count(), func.count().filter(unread_filter)).select_from(Notification).where(*mine)
        )
    ).one()
    all_count, unread = int(counts[0]), int(counts[1])
    total = unread if unread_only else all_count
    base = select(Notification).where(*mine)
    if unread_only:
        base = base.where(unread_filter)
    rows = await session.scalars(
        base.order_by(Notification.created_at.desc(), Notification.id)
        .offset(params.offset)
        .limit(params.limit)
    )
    return list(rows.all()), total, unread


async def mark_read(
    session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification:
    notification = await session.scalar(
        select(Notification).where(
            Notification.id == notification_id,
            Notification.company_id == company_id,
            Notification.user_id == user_id,
        )
    )
    if notification is None:
        raise NotFound("Notificação não encontrada")
    if notification.read_at is None:
        notification.read_at = func.now()
        await session.flush()
        await session.refresh(notification)
    return notification


async def mark_all_read(session: AsyncSession, *, company_id: uuid.UUID, user_id: uuid.UUID) -> int:
    result = await session.execute(
        update(Notification)
        .where(
            Notification.company_id == company_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=func.now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
