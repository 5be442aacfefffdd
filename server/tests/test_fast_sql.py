"""FastStatement (kit/fast_sql.py) behaves as the session would: same transaction, same conversions,
same exceptions, same ORM objects. Real PostgreSQL through the application's own engine."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import bindparam, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from evoai.db import system_session
from evoai.kit.fast_sql import FastStatement
from evoai.models import Deal, Message, Tag
from tests.conftest import Account
from tests.whatsapp.wa_helpers import state_of

_TAGS = FastStatement(select(Tag).where(Tag.company_id == bindparam("company_id")).order_by(Tag.name))
_ADD_TAG = FastStatement(
    insert(Tag)
    .values(
        id=bindparam("id"),
        company_id=bindparam("company_id"),
        name=bindparam("name"),
        color="#123456",
        is_ai_managed=bindparam("ai"),
    )
    .returning(Tag.id, Tag.name, Tag.is_ai_managed, Tag.created_at)
)
_RENAME = FastStatement(
    update(Tag).where(Tag.id == bindparam("id")).values(name=bindparam("name")).returning(Tag)
)


def _factory(asgi_app: Any) -> Any:
    return state_of(asgi_app).factory


async def test_rows_come_converted_and_inside_the_sessions_transaction(asgi_app: Any, alice: Account) -> None:
    company = uuid.UUID(alice.company_id)
    async with _factory(asgi_app)() as session:
        session.info["company_id"] = company
        await session.begin()
        row = await _ADD_TAG.row(session, id=uuid.uuid4(), company_id=company, name="VIP", ai=True)
        assert row is not None
        assert (row["name"], row["is_ai_managed"]) == ("VIP", True)
        assert row["created_at"].tzinfo is not None
        [tag] = await _TAGS.entities(session, Tag, company_id=company)
        assert isinstance(tag, Tag)
        assert (tag.name, tag.color) == ("VIP", "#123456")
        await session.rollback()
    async with system_session(_factory(asgi_app), company_id=company) as session:
        assert await _TAGS.rows(session, company_id=company) == []  # rolled back with the session


async def test_pending_orm_changes_are_flushed_first_and_objects_are_shared(
    asgi_app: Any, alice: Account
) -> None:
    company = uuid.UUID(alice.company_id)
    async with system_session(_factory(asgi_app), company_id=company) as session:
        tag = Tag(id=uuid.uuid4(), company_id=company, name="Lead", color="#000000")
        session.add(tag)  # not flushed yet: the statement below must still see it
        [found] = await _TAGS.entities(session, Tag, company_id=company)
        assert found is tag
        renamed = await _RENAME.entity(session, Tag, id=tag.id, name="Lead quente")
        assert renamed is tag  # the session's own object, refreshed
        assert tag.name == "Lead quente"
        assert tag not in session.dirty


async def test_failures_raise_sqlalchemys_exceptions(asgi_app: Any, alice: Account) -> None:
    company = uuid.UUID(alice.company_id)
    tag_id = uuid.uuid4()
    async with system_session(_factory(asgi_app), company_id=company) as session:
        await _ADD_TAG.run(session, id=tag_id, company_id=company, name="Dup", ai=False)
        with pytest.raises(IntegrityError):
            await _ADD_TAG.run(session, id=tag_id, company_id=company, name="Dup", ai=False)
        await session.rollback()
    division = text("SELECT 1 / :zero")
    async with _factory(asgi_app)() as session, session.begin():
        with pytest.raises(DBAPIError) as through_session:
            await session.execute(division, {"zero": 0})
    async with _factory(asgi_app)() as session, session.begin():
        with pytest.raises(DBAPIError) as through_driver:
            await FastStatement(division).run(session, zero=0)
    assert type(through_driver.value) is type(through_session.value)
    assert type(through_driver.value.orig) is type(through_session.value.orig)


async def test_text_statements_and_a_transaction_nobody_opened_yet(asgi_app: Any) -> None:
    async with _factory(asgi_app)() as session, session.begin():  # no tenant: nothing ran yet
        rows = await FastStatement(text("SELECT CAST(:n AS int) + 1 AS n, now() = now() AS same")).rows(
            session, n=41
        )
        assert rows == [{"n": 42, "same": True}]
        # The statement ran inside a transaction: now() is the transaction's start.
        [again] = await FastStatement(text("SELECT now() AS at")).rows(session)
        [first] = await FastStatement(text("SELECT now() AS at")).rows(session)
        assert again["at"] == first["at"]


async def test_what_it_cannot_run_like_sqlalchemy_is_refused(asgi_app: Any) -> None:
    async with _factory(asgi_app)() as session, session.begin():
        with pytest.raises(ValueError, match="explicit values"):  # Python-side defaults
            await FastStatement(insert(Message).values(id=bindparam("id"))).run(session, id=uuid.uuid4())
        with pytest.raises(ValueError, match="any_"):
            await FastStatement(select(Tag.id).where(Tag.name.in_(["a", "b"]))).run(session)
        with pytest.raises(ValueError, match="numeric"):
            await FastStatement(select(Deal.value)).run(session)
        with pytest.raises(TypeError, match=r"missing: \['company_id'\]"):
            await _TAGS.run(session)
        with pytest.raises(TypeError, match=r"unknown: \['compnay_id'\]"):
            await _TAGS.run(session, company_id=uuid.uuid4(), compnay_id=uuid.uuid4())
