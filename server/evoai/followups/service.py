"""What people do to single follow-ups: schedule one by hand, cancel one; and company holidays."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.deps import Member
from evoai.exceptions import Conflict, NotFound, Unprocessable
from evoai.followups import history
from evoai.followups.engine import arm_soon
from evoai.followups.rules import ensure_can_manage, get_rule
from evoai.followups.schemas import HolidayIn, ScheduleIn
from evoai.kit import clock
from evoai.models import CompanyHoliday, Conversation, Followup

MAX_AHEAD = timedelta(days=90)


async def schedule_manually(session: AsyncSession, member: Member, data: ScheduleIn) -> Followup:
    """A person picks the moment: it is kept as given (no business-hours shift), everything else is
    checked when it fires, as for a rule's."""
    rule = await get_rule(session, member.company_id, data.rule_id)
    conversation = await session.scalar(
        select(Conversation).where(
            Conversation.id == data.conversation_id, Conversation.company_id == member.company_id
        )
    )
    if conversation is None:
        raise NotFound("Conversa não encontrada")
    if conversation.is_group:
        raise Unprocessable("Follow-ups são para conversas individuais, não grupos")
    if data.contact_id is not None and data.contact_id != conversation.contact_id:
        raise Unprocessable(
            "contactId: não é o contato desta conversa", details=[{"field": "contactId", "code": "mismatch"}]
        )
    now = clock.now()
    if data.scheduled_for < now - timedelta(minutes=1) or data.scheduled_for > now + MAX_AHEAD:
        raise Unprocessable(
            "scheduledFor: escolha um momento entre agora e 90 dias",
            details=[{"field": "scheduledFor", "code": "out_of_range"}],
        )
    followup = Followup(
        id=uuid.uuid4(),
        company_id=member.company_id,
        rule_id=rule.id,
        rule_name=rule.name,
        conversation_id=conversation.id,
        contact_id=conversation.contact_id,
        trigger_type="MANUAL",
        basis_at=now,
        due_at=data.scheduled_for,
        scheduled_for=data.scheduled_for,
        status="PENDING",
        attempt=1,
        max_attempts=rule.max_attempts,
        source="manual",
        context={},
        created_by=member.user_id,
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(followup)
            await session.flush()
    except IntegrityError:
        raise Conflict("Esta conversa já tem um follow-up pendente desta regra; cancele-o antes") from None
    await history.record(
        session,
        company_id=member.company_id,
        contact_id=followup.contact_id,
        followup_id=followup.id,
        rule_name=rule.name,
        status="SCHEDULED",
        reason=f"para {data.scheduled_for.isoformat()}",
        user_id=member.user_id,
    )
    await arm_soon(session, [(followup.id, followup.company_id, followup.scheduled_for)])
    return followup


async def cancel(session: AsyncSession, member: Member, followup_id: uuid.UUID, reason: str) -> Followup:
    followup = await session.scalar(
        select(Followup)
        .where(Followup.id == followup_id, Followup.company_id == member.company_id)
        .with_for_update()
    )
    if followup is None:
        raise NotFound("Follow-up não encontrado")
    if followup.status != "PENDING":
        raise Conflict(f"Este follow-up não está pendente (status {followup.status})")
    now = clock.now()
    followup.status, followup.reason, followup.closed_at, followup.updated_at = "CANCELLED", reason, now, now
    await session.flush()
    await history.record(
        session,
        company_id=member.company_id,
        contact_id=followup.contact_id,
        followup_id=followup.id,
        rule_name=followup.rule_name,
        status="CANCELLED",
        reason=reason,
        user_id=member.user_id,
    )
    return followup


async def list_holidays(session: AsyncSession, company_id: uuid.UUID) -> list[CompanyHoliday]:
    return list(
        (
            await session.scalars(
                select(CompanyHoliday)
                .where(CompanyHoliday.company_id == company_id)
                .order_by(CompanyHoliday.day)
            )
        ).all()
    )


async def add_holiday(session: AsyncSession, member: Member, data: HolidayIn) -> CompanyHoliday:
    ensure_can_manage(member)
    holiday = CompanyHoliday(
        id=uuid.uuid4(), company_id=member.company_id, day=data.day, name=data.name.strip()
    )
    try:
        async with session.begin_nested():
            session.add(holiday)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"{data.day.isoformat()} já é feriado") from None
    return holiday


async def remove_holiday(session: AsyncSession, member: Member, holiday_id: uuid.UUID) -> None:
    ensure_can_manage(member)
    result = await session.execute(
        delete(CompanyHoliday).where(
            CompanyHoliday.id == holiday_id, CompanyHoliday.company_id == member.company_id
        )
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise NotFound("Feriado não encontrado")
