"""Tolerant readers for values in gateway JSON.

Gateways change encodings between versions (Evolution int64 as number, numeric string or long.js
`{low, high}`; UAZAPI booleans as `true` or `"True"`), so parsers read every scalar through these
helpers: they return None instead of raising, and the parser decides whether None is acceptable.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

# Anything later than this is not a real message time; also keeps datetime() from overflowing.
_MAX_SECONDS = 32_503_680_000  # year 3000
# Values this large are milliseconds (seconds would be past year 5000).
_MILLIS_THRESHOLD = 100_000_000_000
_INT_TEXT = re.compile(r"^-?\d{1,20}$")


def as_dict(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: object) -> str | None:
    """A non-empty string, else None."""
    return value if isinstance(value, str) and value != "" else None


def as_int(value: object) -> int | None:
    """int, integral float, decimal string, or a long.js `{low, high}` object."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        return int(text) if _INT_TEXT.match(text) else None
    if isinstance(value, dict):
        low, high = value.get("low"), value.get("high", 0)
        if isinstance(low, int) and isinstance(high, int) and not isinstance(low, bool):
            return (high << 32) + (low & 0xFFFFFFFF)
    return None


def as_float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def as_bool(value: object) -> bool | None:
    """true/false, or the strings UAZAPI sometimes sends ("True", "false", "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "1", "yes"}:
            return True
        if lowered in {"false", "0", "no", ""}:
            return False
    if isinstance(value, int):
        return value != 0
    return None


def as_timestamp(value: object) -> datetime | None:
    """Unix seconds (or milliseconds, told apart by size) → aware UTC datetime."""
    number = as_int(value)
    if number is None:
        as_number = as_float(value)
        number = int(as_number) if as_number is not None else None
    if number is None or number <= 0:
        return None
    if number >= _MILLIS_THRESHOLD:
        number //= 1000
    if number > _MAX_SECONDS:
        return None
    return datetime.fromtimestamp(number, tz=UTC)


def path(value: object, *keys: str) -> object:
    """value[k1][k2]…, None as soon as a level is missing or not an object."""
    current = value
    for key in keys:
        if not isinstance(current, dict):
            return None
        current = current.get(key)
    return current


def strip_data_url(value: str) -> str:
    """Raw base64 from either raw base64 or a `data:…;base64,` URL."""
    if value.startswith("data:") and "," in value:
        return value.split(",", 1)[1]
    return value
