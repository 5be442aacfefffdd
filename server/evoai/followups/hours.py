"""When a follow-up may go out: the rule's business hours and days in the company's timezone, minus
the company's holidays. Pure functions, so every edge (midnight, DST, a window that crosses
midnight, a week of holidays) is testable without a database."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # date.weekday() order
DEFAULT_TIMEZONE = "America/Sao_Paulo"
SEARCH_DAYS = 400  # a window is always found within a year unless the rule allows no day at all


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def parse_hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass(frozen=True)
class Window:
    """Allowed local hours [start, end) on allowed days; end <= start means the window crosses midnight
    (22:00-06:00) and belongs to the day it starts on."""

    timezone: str
    start: time
    end: time
    days: frozenset[str]
    holidays: frozenset[date] = frozenset()

    def _open_on(self, day: date) -> bool:
        return DAYS[day.weekday()] in self.days and day not in self.holidays

    def _spans(self, day: date) -> tuple[datetime, datetime]:
        tz = zone(self.timezone)
        opens = datetime.combine(day, self.start, tz)
        closes_day = day if self.end > self.start else day + timedelta(days=1)
        closes = datetime.combine(closes_day, self.end, tz)
        return opens, closes

    def next_open(self, moment: datetime) -> datetime | None:
        """`moment` itself when it is inside a window, else the start of the next one (None: never)."""
        local_day = moment.astimezone(zone(self.timezone)).date()
        # The window that started yesterday may still be open (one crossing midnight).
        for offset in range(-1, SEARCH_DAYS):
            day = local_day + timedelta(days=offset)
            if not self._open_on(day):
                continue
            opens, closes = self._spans(day)
            if moment < opens:
                return _real(opens)
            if moment < closes:
                return moment
        return None


def _real(local: datetime) -> datetime:
    """A wall-clock time that does not exist (skipped by a DST jump) is moved past the gap."""
    roundtrip = local.astimezone(ZoneInfo("UTC")).astimezone(local.tzinfo)
    return roundtrip if roundtrip.replace(tzinfo=None) != local.replace(tzinfo=None) else local


def window_for(
    *,
    timezone: str,
    start: str | None,
    end: str | None,
    days: Collection[str],
    holidays: Collection[date] = (),
) -> Window:
    return Window(
        timezone=timezone,
        start=parse_hhmm(start or "00:00"),
        end=parse_hhmm(end or "00:00"),
        days=frozenset(days),
        holidays=frozenset(holidays),
    )
