"""Text that PostgreSQL can store."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from sqlalchemy import func

T = TypeVar("T")


def without_nul(value: T) -> T:
    """The same value with every NUL character removed from its strings (PostgreSQL's text and
    jsonb cannot hold one). Walks dicts, lists, tuples and dataclasses; anything else is returned as is.

    For data we must keep (a customer's message) rather than refuse, as request bodies are."""
    result: Any = value
    if isinstance(value, str):
        result = value.replace("\x00", "") if "\x00" in value else value
    elif isinstance(value, dict):
        result = {without_nul(k): without_nul(v) for k, v in value.items()}
    elif isinstance(value, list):
        result = [without_nul(v) for v in value]
    elif isinstance(value, tuple):
        result = tuple(without_nul(v) for v in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_nul(getattr(value, f.name)) for f in dataclasses.fields(value)}
        result = dataclasses.replace(value, **changes)
    return result  # type: ignore[no-any-return]


# Accent folding without the unaccent extension (our embedded PostgreSQL lacks it): Python and SQL
# fold the same way, so a folded term matches a folded column.
ACCENTED = "áàâãäéèêëíìîïóòôõöúùûüçñ"
PLAIN = "aaaaaeeeeiiiiooooouuuucn"
_FOLD = str.maketrans(ACCENTED, PLAIN)
# Capitals too: in the C locale (our embedded PostgreSQL) lower() leaves "Á" as it is.
SQL_FOLD_FROM = ACCENTED + ACCENTED.upper()
SQL_FOLD_TO = PLAIN + PLAIN


def fold(value: str) -> str:
    """Lower case without accents."""
    return value.lower().translate(_FOLD)


def fold_sql(expression: str) -> str:
    """The SQL text of `expression` folded as `fold` does (for generated columns and indexes)."""
    return f"translate(lower({expression}), '{SQL_FOLD_FROM}', '{SQL_FOLD_TO}')"


def folded(column: Any) -> Any:
    """A SQL expression: `column` folded as `fold` does."""
    return func.translate(func.lower(column), SQL_FOLD_FROM, SQL_FOLD_TO)


def like_pattern(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, folded, with LIKE's wildcards taken literally."""
    escaped = fold(term.strip()).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
