"""Text that PostgreSQL can store."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from sqlalchemy import func

T = TypeVar("T")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# What in a raw JSON body can decode to a string `storable` would change: a NUL (escaped, or raw in
# a UTF-16/32 body) or a UTF-16 surrogate escape (a pair is fine, but telling needs the decoding).
_MAY_NEED_CLEANING = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\x00")


def storable(value: T) -> T:
    """The same value with every string made storable in PostgreSQL's text and jsonb: NUL characters
    removed, and lone UTF-16 surrogates (which UTF-8 cannot encode) replaced by U+FFFD. Walks dicts,
    lists, tuples and dataclasses; anything else is returned as is.

    For data we must keep (a customer's message) rather than refuse, as request bodies are."""
    result: Any = value
    if isinstance(value, str):
        if "\x00" in value:
            result = value.replace("\x00", "")
        if _LONE_SURROGATE.search(result):
            result = result.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    elif isinstance(value, dict):
        result = {storable(k): storable(v) for k, v in value.items()}
    elif isinstance(value, list):
        result = [storable(v) for v in value]
    elif isinstance(value, tuple):
        result = tuple(storable(v) for v in value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: storable(getattr(value, f.name)) for f in dataclasses.fields(value)}
        result = dataclasses.replace(value, **changes)
    return result  # type: ignore[no-any-return]


def json_body_is_storable(body: bytes) -> bool:
    """True when no string decoded from this JSON body can need `storable` (most bodies), so the
    walk over every value can be skipped."""
    return _MAY_NEED_CLEANING.search(body) is None


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
