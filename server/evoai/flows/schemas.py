"""Request shapes of the flows API (docs/api-flows.md). Nodes and connections are checked by
evoai/flows/graph.py, which reports every problem at once (422 invalid_flow)."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field, field_validator

from evoai.kit.schemas import RequestSchema


class FlowFields(RequestSchema):
    id: uuid.UUID | None = None  # PUT: must match the URL
    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=1000)
    is_active: bool | None = None
    nodes: list[dict[str, Any]] | None = None
    connections: list[dict[str, Any]] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("o nome não pode ficar em branco")
        return value.strip() if value else value


class FlowIn(FlowFields):
    name: str = Field(min_length=1, max_length=120)
    nodes: list[dict[str, Any]]
    connections: list[dict[str, Any]] = Field(default_factory=list)


class ToggleIn(RequestSchema):
    is_active: bool


class DryRunIn(RequestSchema):
    contact_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None
    message: str | None = Field(default=None, max_length=4096)
    trigger: dict[str, Any] | None = None
    split_branch: str | None = Field(default=None, pattern="^[a-e]$")
