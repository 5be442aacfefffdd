"""Query parameters shared by every list: page, limit (at most 100), sort, search."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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


# Lists count at most this many rows (more when the page asked for is further on): an exact count of
# a large company's contacts or conversations costs more than the page itself, and "1,000+" is all a
# person needs to know (docs/decisions.md, Performance notes).
COUNT_CAP = 1_000


async def page_total(session: AsyncSession, query: Select[Any], *, page: int, limit: int) -> dict[str, Any]:
    """The pagination block of a list answer for `query` (the list's filtered select, unordered):
    {page, limit, total, totalPages, totalIsCapped}. A capped total still reaches past the next page."""
    ceiling = max(COUNT_CAP, (page + 1) * limit)
    found = await session.scalar(
        select(func.count()).select_from(query.order_by(None).limit(ceiling + 1).subquery())
    )
    total, capped = min(int(found or 0), ceiling), int(found or 0) > ceiling
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": math.ceil(total / limit) if total else 0,
        "totalIsCapped": capped,
    }


def page_without_count(*, page: int, limit: int, found: int) -> dict[str, Any]:
    """The pagination block when the list fetched `limit + 1` rows instead of counting: the total is
    what has been seen so far, capped when that extra row says there is more."""
    more = found > limit
    total = (page - 1) * limit + min(found, limit) + (1 if more else 0)
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": page + 1 if more else (page if total else 0),
        "totalIsCapped": more,
    }
