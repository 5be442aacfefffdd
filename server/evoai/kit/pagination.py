"""Query parameters shared by every list: page, limit (at most 100), sort, search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query

from evoai.exceptions import ValidationFailed


@dataclass(frozen=True)
class PageParams:
    page: int
    limit: int
    sort: str
    search: str | None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    def sort_column(self, allowed: set[str], default: str) -> tuple[str, bool]:
        """('created_at', True) for '-created_at'; an unknown field is a 400 naming the allowed ones."""
        raw = self.sort or default
        descending = raw.startswith("-")
        field = raw.lstrip("-+")
        if field not in allowed:
            raise ValidationFailed(
                f"Dados inválidos — sort: use um de {', '.join(sorted(allowed))}",
                details=[
                    {
                        "field": "sort",
                        "code": "invalid",
                        "message": f"sort by one of: {', '.join(sorted(allowed))}",
                    }
                ],
            )
        return field, descending


async def page_params(  # async: FastAPI runs sync dependencies in a thread pool
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    sort: Annotated[str, Query(max_length=40)] = "",
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> PageParams:
    return PageParams(page=page, limit=limit, sort=sort, search=search.strip() or None if search else None)
