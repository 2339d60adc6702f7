"""Times people read (a report's stamp, a workshop's, a default variant name) are on the territory's clock,
not the server's: a server running in UTC stamped a Paris report an hour early (twin.timeutil.local_clock_text)."""

from __future__ import annotations

import calendar

from twin.timeutil import local_clock_text


def test_a_stamp_is_on_paris_time_winter_and_summer_whatever_the_server_s_zone(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    winter = calendar.timegm((2026, 12, 6, 5, 42, 0))
    summer = calendar.timegm((2026, 7, 6, 5, 42, 0))
    assert local_clock_text("%d/%m/%Y %H:%M", winter) == "06/12/2026 06:42"
    assert local_clock_text("%d/%m/%Y %H:%M", summer) == "06/07/2026 07:42"
