"""What the dead-letters API answers (docs/api-dead-letters.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from evoai.kit.schemas import Schema

StatusFilter = Literal["DEAD", "RETRIED", "DISCARDED", "ALL"]


class DeadLetterSummary(Schema):
    """A row of the list: no payload and no stack (the detail has them)."""

    id: uuid.UUID
    queue: str
    job_id: str | None
    job_name: str
    error_message: str
    error_type: str
    attempts: int
    failed_at: datetime
    status: str
    resolved_at: datetime | None
    resolved_by: uuid.UUID | None
    retry_job_id: str | None


class DeadLetterOut(DeadLetterSummary):
    payload: dict[str, Any]
    error: dict[str, Any]
