"""The quick-replies API of docs/api-crm.md."""

from __future__ import annotations

from fastapi import APIRouter

from evoai.deps import AutoCommitRoute

router = APIRouter(prefix="/quick-replies", tags=["quick-replies"], route_class=AutoCommitRoute)
