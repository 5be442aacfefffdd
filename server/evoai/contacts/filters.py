"""The contact list's filters and sort, shared by the list and the CSV export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts import criteria
from evoai.contacts.fields import looks_like_phone
from evoai.exceptions import ValidationFailed
from evoai.kit.text import folded, like_pattern
from evoai.models import Company, Contact

DEFAULT_SORT = "-createdAt"
_SORTABLE = ("name", "createdAt", "lastActivityAt")


@dataclass(frozen=True)
class RawFilters:
    """The query string as sent; dates are resolved against the company's time zone later."""

    search: str | None = None
    tag_ids: str | None = None
    tag_match: Literal["all", "any"] = "any"
    funnel_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    is_blocked: bool | None = None
    created_from: str | None = None
    created_to: str | None = None
    activity_from: str | None = None
    activity_to: str | None = None
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class ContactFilters:
    search: str | None = None
    tag_ids: tuple[uuid.UUID, ...] = ()
    tag_match: Literal["all", "any"] = "any"
    funnel_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    is_blocked: bool | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    activity_from: datetime | None = None
    activity_to: datetime | None = None
    sort: str = DEFAULT_SORT


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"Dados inválidos — {field}: {message}",
        details=[{"field": field, "code": "invalid", "message": message}],
    )


def parse_uuid_list(value: str | None, field: str, *, most: int = 100) -> tuple[uuid.UUID, ...]:
    parts = [part.strip() for part in (value or "").split(",") if part.strip()]
    if len(parts) > most:
        raise _invalid(field, f"no máximo {most} ids")
    try:
        return tuple(dict.fromkeys(uuid.UUID(part) for part in parts))
    except ValueError:
        raise _invalid(field, "use ids separados por vírgula") from None


def _moment(value: str | None, field: str, zone: ZoneInfo, *, end: bool) -> datetime | None:
    """A bare date means that whole day in the company's time zone (`…To` includes it); a datetime
    without an offset is read in that zone too."""
    if not value:
        return None
    raw = value.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            start = datetime.combine(day, time.min, tzinfo=zone)
            return start + timedelta(days=1) - timedelta(microseconds=1) if end else start
        moment = datetime.fromisoformat(raw)
    except (ValueError, OverflowError):  # OverflowError: the day after 9999-12-31
        raise _invalid(field, "use uma data (AAAA-MM-DD) ou data e hora ISO 8601") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


async def _company_zone(session: AsyncSession, company_id: uuid.UUID) -> ZoneInfo:
    name = await session.scalar(select(Company.timezone).where(Company.id == company_id))
    try:
        return ZoneInfo(name or "America/Sao_Paulo")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("America/Sao_Paulo")


async def resolve(session: AsyncSession, company_id: uuid.UUID, raw: RawFilters) -> ContactFilters:
    order_by(raw.sort)  # refuse an unknown sort before any work
    if "\x00" in (raw.search or ""):
        raise _invalid("search", "não pode conter o caractere NUL")  # PostgreSQL cannot take it
    search = (raw.search or "").strip() or None
    dates = (raw.created_from, raw.created_to, raw.activity_from, raw.activity_to)
    zone = await _company_zone(session, company_id) if any(dates) else ZoneInfo("UTC")
    return ContactFilters(
        search=search,
        tag_ids=parse_uuid_list(raw.tag_ids, "tagIds"),
        tag_match=raw.tag_match,
        funnel_id=raw.funnel_id,
        stage_id=raw.stage_id,
        is_blocked=raw.is_blocked,
        created_from=_moment(raw.created_from, "createdFrom", zone, end=False),
        created_to=_moment(raw.created_to, "createdTo", zone, end=True),
        activity_from=_moment(raw.activity_from, "activityFrom", zone, end=False),
        activity_to=_moment(raw.activity_to, "activityTo", zone, end=True),
        sort=raw.sort,
    )


async def conditions(
    session: AsyncSession, company_id: uuid.UUID, filters: ContactFilters
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Contact.company_id == company_id]
    if filters.search:
        # "(11) 98765-4321" should find 5511987654321: numbers are searched by their digits.
        digits = looks_like_phone(filters.search)
        where.append(await criteria.matches_text(session, company_id, like_pattern(digits or filters.search)))
    if filters.tag_ids:
        where.append(criteria.has_tags(filters.tag_ids, filters.tag_match))
    # A contact is "in" a stage (funnel) when it sits there itself or has an OPEN deal there.
    if filters.stage_id:
        where.append(criteria.in_stage(filters.stage_id))
    if filters.funnel_id:
        where.append(criteria.in_funnel(filters.funnel_id))
    if filters.is_blocked is not None:
        where.append(Contact.is_blocked.is_(filters.is_blocked))
    if filters.created_from:
        where.append(Contact.created_at >= filters.created_from)
    if filters.created_to:
        where.append(Contact.created_at <= filters.created_to)
    if filters.activity_from:
        where.append(Contact.last_activity_at >= filters.activity_from)
    if filters.activity_to:
        where.append(Contact.last_activity_at <= filters.activity_to)
    return where


def _sort_name() -> Any:
    # Accent-insensitive, so "Ávila" sorts with the A's whatever the database's collation.
    return folded(func.coalesce(Contact.name, Contact.push_name, Contact.phone_number))


def order_by(sort: str) -> list[Any]:
    field = sort.lstrip("-")
    if field not in _SORTABLE or sort.count("-") > 1:
        allowed = ", ".join(f"{name}, -{name}" for name in _SORTABLE)
        raise _invalid("sort", f"use um de {allowed}")
    descending = sort.startswith("-")
    column: Any = {
        "name": _sort_name(),
        "createdAt": Contact.created_at,
        "lastActivityAt": Contact.last_activity_at,
    }[field]
    ordered = column.desc() if descending else column.asc()
    if field == "lastActivityAt":
        ordered = ordered.nulls_last()  # created_at is never NULL; adding it there would hide its index
    return [ordered, Contact.id.desc() if descending else Contact.id.asc()]
