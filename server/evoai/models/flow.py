from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, Uuid, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from evoai.models.base import Base, IdMixin, TimestampMixin

LIVE = text("status IN ('RUNNING', 'WAITING')")
WAITING = text("status = 'WAITING'")


class AutomationFlow(IdMixin, TimestampMixin, Base):
    """A visual automation: one trigger node, actions and conditions joined by connections
    (docs/api-flows.md; evoai/flows/)."""

    __tablename__ = "automation_flows"
    __table_args__ = (
        Index(
            "ix_automation_flows_trigger", "company_id", "trigger_type", postgresql_where=text("is_active")
        ),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean)
    trigger_type: Mapped[str] = mapped_column(String(30))
    nodes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    connections: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    webhook_secret: Mapped[str] = mapped_column(String(64))
    # SCHEDULE: the cron minute that last ran, so each minute starts its executions once.
    last_run_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class FlowExecution(IdMixin, Base):
    """One run of a flow for one contact. The row is the execution's state; BullMQ jobs only wake it
    (job `flow.step` carries `step`: a job whose step is not the row's does nothing)."""

    __tablename__ = "flow_executions"
    __table_args__ = (
        Index("ix_flow_executions_flow", "flow_id", "started_at"),
        Index("ix_flow_executions_company", "company_id", "started_at"),
        Index("ix_flow_executions_due", "waiting_until", postgresql_where=WAITING),
        Index("ix_flow_executions_live", "status", "updated_at", postgresql_where=LIVE),
        Index(
            "ix_flow_executions_response",
            "contact_id",
            postgresql_where=text("status = 'WAITING' AND wait_kind = 'response'"),
        ),
        # One live execution per flow and contact: a trigger firing again while it runs starts nothing.
        Index("ix_flow_executions_one_live", "flow_id", "contact_id", unique=True, postgresql_where=LIVE),
        Index("ix_flow_executions_dedupe", "flow_id", "dedupe_key", unique=True),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("companies.id", ondelete="CASCADE"))
    flow_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("automation_flows.id", ondelete="SET NULL")
    )
    flow_name: Mapped[str] = mapped_column(String(120))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("contacts.id", ondelete="SET NULL"))
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("whatsapp_conversations.id", ondelete="SET NULL")
    )
    dedupe_key: Mapped[str] = mapped_column(String(200))  # the trigger occurrence that started it
    status: Mapped[str] = mapped_column(String(12))  # RUNNING WAITING COMPLETED FAILED TIMEOUT CANCELLED
    current_node_id: Mapped[str | None] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer)  # the cursor's version: advanced by every move
    waiting_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    wait_kind: Mapped[str | None] = mapped_column(String(10))  # time | response
    alarm_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # a queued alarm exists
    variables: Mapped[dict[str, Any]] = mapped_column(JSONB)  # {trigger: {…}, message: {id, text}}
    path: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
