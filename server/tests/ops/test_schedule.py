"""The scheduler's next-run arithmetic: daily at a UTC time, every N hours from midnight UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from evoai.ops.backup.schedule import Daily, EveryHours, seconds_until


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_daily_at_midnight_is_the_next_midnight_utc() -> None:
    daily = Daily.parse("00:00")
    assert daily.next_after(at("2025-03-10T13:45:00")) == at("2025-03-11T00:00:00")
    # Exactly on time means the run just happened: the next one is tomorrow, never a double run.
    assert daily.next_after(at("2025-03-10T00:00:00")) == at("2025-03-11T00:00:00")
    assert daily.next_after(at("2025-03-10T23:59:59")) == at("2025-03-11T00:00:00")
    # Month and year ends roll over.
    assert daily.next_after(at("2024-12-31T08:00:00")) == at("2025-01-01T00:00:00")


def test_daily_later_in_the_day_and_other_time_zones() -> None:
    daily = Daily.parse("00:30")
    assert daily.next_after(at("2025-03-10T00:10:00")) == at("2025-03-10T00:30:00")
    sao_paulo = timezone(timedelta(hours=-3))
    # 22:00 in São Paulo is 01:00 UTC: the next 00:30 UTC is the following night.
    local = datetime(2025, 3, 10, 22, 0, tzinfo=sao_paulo)
    assert daily.next_after(local) == at("2025-03-12T00:30:00")
    assert seconds_until(daily, at("2025-03-10T00:00:00")) == 1800


def test_every_six_hours_from_midnight() -> None:
    every = EveryHours(6)
    assert every.next_after(at("2025-03-10T00:00:00")) == at("2025-03-10T06:00:00")
    assert every.next_after(at("2025-03-10T05:59:00")) == at("2025-03-10T06:00:00")
    assert every.next_after(at("2025-03-10T13:00:00")) == at("2025-03-10T18:00:00")
    assert every.next_after(at("2025-03-10T18:00:01")) == at("2025-03-11T00:00:00")


def test_intervals_that_do_not_divide_the_day_restart_at_midnight() -> None:
    every = EveryHours(7)  # 00, 07, 14, 21, then midnight again
    assert every.next_after(at("2025-03-10T21:30:00")) == at("2025-03-11T00:00:00")
    assert every.next_after(at("2025-03-10T14:00:00")) == at("2025-03-10T21:00:00")


def test_slots_name_one_run_each() -> None:
    assert Daily().slot(at("2025-03-10T00:00:00")) == "20250310"
    assert EveryHours(6).slot(at("2025-03-10T06:00:00")) == "20250310T06"
