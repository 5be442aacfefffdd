"""The funnels API of docs/api-crm.md."""

from __future__ import annotations

from fastapi import APIRouter

from evoai.deps import AutoCommitRoute

router = APIRouter(prefix="/funnels", tags=["funnels"], route_class=AutoCommitRoute)
