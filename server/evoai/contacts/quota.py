"""The plan's contact limit: enforced for people (manual creation, import), only warned about for
WhatsApp, whose contacts are always created (docs/api-crm.md)."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.exceptions import Unprocessable
from evoai.models import Company, Contact
from evoai.notifications import alerts
from evoai.plans import Plan, plan_for


class ContactLimitReached(Unprocessable):
    code = "plan_limit_reached"


# Plan and count in one round trip: the webhook runs this for every new person.
_USAGE = select(
    Company.plan_type,
    select(func.count())
    .select_from(Contact)
    .where(Contact.company_id == bindparam("company_id"))
    .scalar_subquery(),
).where(Company.id == bindparam("company_id"))


async def lock(session: AsyncSession, company_id: uuid.UUID) -> None:
    """Creations of one company take turns until their transaction ends, so the count each one
    checks includes every row the others added (as whatsapp/outbound.py does for messages)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext('contacts:' || :c))"), {"c": str(company_id)}
    )


async def usage(session: AsyncSession, company_id: uuid.UUID) -> tuple[Plan, int]:
    row = (await session.execute(_USAGE, {"company_id": company_id})).one()
    return plan_for(row[0] or "free"), int(row[1])


def ensure_room(plan: Plan, used: int, adding: int) -> None:
    if plan.contacts is None or used + adding <= plan.contacts:
        return
    if adding == 1:
        message = (
            f"O plano {plan.name} permite {plan.contacts} contatos e a empresa já tem {used}. "
            "Faça upgrade do plano para cadastrar mais."
        )
    else:
        message = (
            f"O plano {plan.name} permite {plan.contacts} contatos: a empresa tem {used} e a importação "
            f"criaria {adding}. Faça upgrade do plano ou importe menos linhas."
        )
    raise ContactLimitReached(message, details=[{"limit": plan.contacts, "used": used, "adding": adding}])


async def warn(session: AsyncSession, company_id: uuid.UUID, plan: Plan, used: int) -> None:
    await alerts.quota_usage(
        session, company_id, resource="contacts", used=used, limit=plan.contacts, plan_name=plan.name
    )


async def warn_after_insert(session: AsyncSession, company_id: uuid.UUID) -> None:
    """After a contact was created outside our own checks (a WhatsApp message): one count, and the
    admins hear about it at 80 % and 100 % (once per threshold per month)."""
    plan, used = await usage(session, company_id)
    await warn(session, company_id, plan, used)
