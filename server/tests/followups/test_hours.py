"""Business hours across timezones, midnight and holidays (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from evoai.followups.hours import window_for

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_inside_the_window_goes_now_and_after_hours_waits_for_the_next_working_morning() -> None:
    sp = window_for(timezone="America/Sao_Paulo", start="09:00", end="18:00", days=WEEKDAYS)
    assert sp.next_open(at(2026, 11, 27, 13, 0)) == at(2026, 11, 27, 13, 0)  # Fri 10:00 in São Paulo
    # Friday 19:00 São Paulo (22:00 UTC) → Monday 09:00 São Paulo (12:00 UTC).
    assert sp.next_open(at(2026, 11, 27, 22, 0)) == at(2026, 11, 30, 12, 0)
    # 07:00 São Paulo is 10:00 UTC: same day, 09:00 local.
    assert sp.next_open(at(2026, 11, 30, 10, 0)) == at(2026, 11, 30, 12, 0)


def test_the_same_moment_is_judged_in_each_companys_own_timezone() -> None:
    moment = at(2026, 11, 30, 23, 30)  # Monday 20:30 in São Paulo, Tuesday 08:30 in Tokyo
    sp = window_for(timezone="America/Sao_Paulo", start="09:00", end="18:00", days=WEEKDAYS)
    tokyo = window_for(timezone="Asia/Tokyo", start="08:00", end="18:00", days=WEEKDAYS)
    assert sp.next_open(moment) == at(2026, 12, 1, 12, 0)
    assert tokyo.next_open(moment) == moment


def test_a_window_across_midnight_belongs_to_the_day_it_starts() -> None:
    night = window_for(timezone="UTC", start="22:00", end="06:00", days=["mon"])
    assert night.next_open(at(2026, 11, 30, 23, 0)) == at(2026, 11, 30, 23, 0)  # Monday night
    assert night.next_open(at(2026, 12, 1, 5, 59)) == at(2026, 12, 1, 5, 59)  # still Monday's window
    assert night.next_open(at(2026, 12, 1, 6, 0)) == at(2026, 12, 7, 22, 0)  # next Monday
    assert night.next_open(at(2026, 11, 30, 12, 0)) == at(2026, 11, 30, 22, 0)


def test_holidays_are_skipped_and_equal_start_and_end_mean_all_day() -> None:
    sp = window_for(
        timezone="America/Sao_Paulo",
        start="09:00",
        end="18:00",
        days=WEEKDAYS,
        holidays=[date(2026, 11, 30), date(2026, 12, 1)],
    )
    assert sp.next_open(at(2026, 11, 27, 22, 0)) == at(2026, 12, 2, 12, 0)
    always = window_for(timezone="UTC", start="00:00", end="00:00", days=["sat"])
    assert always.next_open(at(2026, 11, 28, 23, 59)) == at(2026, 11, 28, 23, 59)
    assert always.next_open(at(2026, 11, 29, 0, 0)) == at(2026, 12, 5, 0, 0)


def test_a_start_skipped_by_daylight_saving_moves_past_the_gap() -> None:
    # New York springs forward on 2027-03-14 at 02:00 → 03:00: a 02:30 start does not exist that day.
    ny = window_for(timezone="America/New_York", start="02:30", end="05:00", days=["sun"])
    opens = ny.next_open(at(2027, 3, 14, 5, 0))  # 00:00 local (EST)
    assert opens is not None
    assert opens.astimezone(UTC) == at(2027, 3, 14, 7, 30)  # 03:30 EDT
