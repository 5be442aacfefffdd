"""When the next backup is due: a daily UTC time, or every N hours counted from midnight UTC.

Two shapes cover the seed's schedule, so a cron parser (and its dependency) buys nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Daily:
    """Every day at hour:minute UTC."""

    hour: int = 0
    minute: int = 0

    @classmethod
    def parse(cls, value: str) -> Daily:
        hour, minute = value.split(":")
        return cls(int(hour), int(minute))

    def next_after(self, now: datetime) -> datetime:
        now = now.astimezone(UTC)
        candidate = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        return candidate if candidate > now else candidate + timedelta(days=1)

    def slot(self, at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y%m%d")


@dataclass(frozen=True, slots=True)
class EveryHours:
    """At 00:00, 00:00 + N h, ... UTC each day (N divides into the day; a remainder restarts at midnight)."""

    hours: int

    def next_after(self, now: datetime) -> datetime:
        now = now.astimezone(UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        for step in range(0, 24, self.hours):
            candidate = midnight + timedelta(hours=step)
            if candidate > now:
                return candidate
        return midnight + timedelta(days=1)

    def slot(self, at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y%m%dT%H")


Schedule = Daily | EveryHours


def seconds_until(schedule: Schedule, now: datetime) -> float:
    return (schedule.next_after(now) - now).total_seconds()
