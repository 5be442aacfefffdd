"""POST /api/contacts/import: a parsed spreadsheet checked against the company's contacts, then (unless
it is a preview) written in the request's one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from evoai.contacts import quota
from evoai.contacts.csv_io import ImportRow, ParsedCsv
from evoai.contacts.fields import display_name
from evoai.contacts.service import announce
from evoai.contacts.tags import ensure_all
from evoai.deps import Member
from evoai.models import Contact, ContactEvent, Tag, TagAssignment
from evoai.whatsapp.identity import phone_key

ROWS_SHOWN = 500
_CHUNK = 1000  # rows per INSERT: well under PostgreSQL's 32767 parameters

T = TypeVar("T")


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Outcome:
    row: ImportRow
    status: str  # create (preview) | created | duplicate | invalid
    error: str | None = None
    contact_id: uuid.UUID | None = None

    def out(self) -> dict[str, Any]:
        return {
            "line": self.row.line,
            "status": self.status,
            "name": self.row.name,
            "phoneNumber": self.row.phone or self.row.phone_raw,
            "email": self.row.email,
            "error": self.error,
            "contactId": str(self.contact_id) if self.contact_id else None,
        }


async def _holders(session: AsyncSession, company_id: uuid.UUID, keys: list[str]) -> dict[str, Contact]:
    found: dict[str, Contact] = {}
    for chunk in _chunks(keys, 5000):
        rows = await session.scalars(
            select(Contact).where(Contact.company_id == company_id, Contact.phone_key.in_(chunk))
        )
        found.update({c.phone_key: c for c in rows.all() if c.phone_key})
    return found


def _classify(rows: list[ImportRow]) -> tuple[list[_Outcome], list[tuple[_Outcome, str]]]:
    """Every row's outcome as far as the file alone tells, and the rows still to check against the
    database, with their identity keys (a number repeated in the file counts once, at its first line)."""
    outcomes: list[_Outcome] = []
    fresh: list[tuple[_Outcome, str]] = []
    first_line: dict[str, int] = {}
    for row in rows:
        key = phone_key(row.phone) if row.phone and not row.error else None
        if key is None:
            outcomes.append(_Outcome(row, "invalid", row.error))
        elif key in first_line:
            outcomes.append(_Outcome(row, "duplicate", f"Número repetido na linha {first_line[key]}"))
        else:
            first_line[key] = row.line
            outcome = _Outcome(row, "create")
            outcomes.append(outcome)
            fresh.append((outcome, key))
    return outcomes, fresh


async def import_contacts(
    session: AsyncSession, member: Member, parsed: ParsedCsv, *, dry_run: bool, tag_ids: Sequence[uuid.UUID]
) -> dict[str, Any]:
    company_id = member.company_id
    if tag_ids:
        await ensure_all(session, company_id, Tag, tag_ids)
    if not dry_run:
        await quota.lock(session, company_id)  # held to the commit: the limit and duplicates stay true
    outcomes, fresh = _classify(parsed.rows)
    holders = await _holders(session, company_id, [key for _, key in fresh])
    to_create: list[tuple[_Outcome, str]] = []
    for outcome, key in fresh:
        holder = holders.get(key)
        if holder is None:
            to_create.append((outcome, key))
        else:
            outcome.status, outcome.contact_id = "duplicate", holder.id
            outcome.error = f"Já cadastrado: {display_name(holder)}"
    plan, used = await quota.usage(session, company_id)
    quota.ensure_room(plan, used, len(to_create))
    if not dry_run and to_create:
        created = await _write(session, member, to_create, tag_ids)
        await announce(session, company_id, created)
        await quota.warn(session, company_id, plan, used + len(created))
    counts = {
        status: sum(o.status == status for o in outcomes)
        for status in ("create", "created", "duplicate", "invalid")
    }
    return {
        "dryRun": dry_run,
        "total": len(outcomes),
        "created": counts["create"] + counts["created"],
        "updated": 0,
        "duplicates": counts["duplicate"],
        "invalid": counts["invalid"],
        "rows": [o.out() for o in outcomes[:ROWS_SHOWN]],
        "columns": parsed.columns,
    }


async def _write(
    session: AsyncSession, member: Member, to_create: list[tuple[_Outcome, str]], tag_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    company_id = member.company_id
    by_name = await _tags_by_name(session, company_id, [name for o, _ in to_create for name in o.row.tags])
    created: list[uuid.UUID] = []
    for chunk in _chunks(to_create):
        values: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "company_id": company_id,
                "name": outcome.row.name,
                "phone_number": outcome.row.phone,
                "phone_key": key,
                "email": outcome.row.email,
                "notes": outcome.row.notes,
                "custom_fields": {},
                "source": "import",
                "created_by": member.user_id,
            }
            for outcome, key in chunk
        ]
        # A WhatsApp message may have created one of these people meanwhile (the webhook does not
        # take our lock): the unique index decides and that row becomes a duplicate.
        result = await session.execute(
            insert(Contact).values(values).on_conflict_do_nothing().returning(Contact.phone_key, Contact.id)
        )
        inserted = {key: contact_id for key, contact_id in result.all()}
        late = [key for _, key in chunk if key not in inserted]
        holders = await _holders(session, company_id, late) if late else {}
        for outcome, key in chunk:
            if key in inserted:
                outcome.status, outcome.contact_id = "created", inserted[key]
                created.append(inserted[key])
            elif key in holders:
                outcome.status, outcome.contact_id = "duplicate", holders[key].id
                outcome.error = f"Já cadastrado: {display_name(holders[key])}"
    made = [(o, o.contact_id) for o, _ in to_create if o.status == "created" and o.contact_id]
    events = [
        {
            "id": uuid.uuid4(),
            "company_id": company_id,
            "contact_id": contact_id,
            "type": "IMPORTED",
            "actor": "user",
            "user_id": member.user_id,
            "payload": {"line": o.row.line, "tags": o.row.tags},
        }
        for o, contact_id in made
    ]
    assignments = [
        {"contact_id": contact_id, "tag_id": tag_id, "company_id": company_id, "assigned_by": member.user_id}
        for o, contact_id in made
        for tag_id in dict.fromkeys(
            [*tag_ids, *(by_name[n.lower()] for n in o.row.tags if n.lower() in by_name)]
        )
    ]
    for batch in _chunks(events):
        await session.execute(insert(ContactEvent).values(list(batch)))
    for pairs in _chunks(assignments):
        await session.execute(insert(TagAssignment).values(list(pairs)).on_conflict_do_nothing())
    return created


async def _tags_by_name(
    session: AsyncSession, company_id: uuid.UUID, names: list[str]
) -> dict[str, uuid.UUID]:
    """The `tags` column's names → tag ids, creating the missing ones (matched ignoring case)."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(name.lower(), name)
    if not wanted:
        return {}
    for chunk in _chunks(list(wanted.values())):
        await session.execute(
            insert(Tag)
            .values([{"id": uuid.uuid4(), "company_id": company_id, "name": name} for name in chunk])
            .on_conflict_do_nothing()
        )
    rows = await session.execute(
        select(func.lower(Tag.name), Tag.id).where(
            Tag.company_id == company_id, func.lower(Tag.name).in_(list(wanted))
        )
    )
    return {name: tag_id for name, tag_id in rows.all()}
