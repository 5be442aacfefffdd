"""The contacts API of docs/api-crm.md."""

from __future__ import annotations

from fastapi import APIRouter

from evoai.deps import AutoCommitRoute

router = APIRouter(prefix="/contacts", tags=["contacts"], route_class=AutoCommitRoute)
