"""The time automation decides by. Tests replace `now` (monkeypatch `evoai.kit.clock.now`) to walk
follow-ups through hours and days; callers must read it as `clock.now()`, never import the function."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
