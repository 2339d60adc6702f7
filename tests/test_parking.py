"""Parking (issue 23): occupancy files read and cleaned, arrivals fitted, the forecast scored on
Birmingham's held-out weeks (real data), and the kerb tags the supply reads."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.conftest import reference_file
from twin.calibration import parking as cal
from twin.sources.parking_occupancy import OccupancyFileError, occupancy_from_frame, read_occupancy
from twin.territory.streets import parse_kerb_parking

BIRMINGHAM = "parking/birmingham_carparks_2016-10-04_2016-11-27.csv"


def _frame(rows):
    return pd.DataFrame(rows, columns=["SystemCodeNumber", "Capacity", "Occupancy", "LastUpdated"]).astype(str)


def test_cleaning_reports_each_case_with_its_lines():
    occ = occupancy_from_frame(_frame([
        ("A", 100, 50, "2016-10-04 08:00:00"), ("A", 100, -3, "2016-10-04 08:30:00"),
        ("A", 100, 104, "2016-10-04 09:00:00"), ("A", 100, 60, "2016-10-04 09:00:00"),
        ("B", 10, 5, "2016-10-04 08:00:00")]))
    r = occ.report
    assert r.negative == {"A": [3]} and r.over_capacity == {"A": [4]} and r.duplicates == {"A": [5]}
    assert r.rows_read == 5 and r.rows_kept == 3 and len(occ.frame) == 3
    assert occ.frame.loc[occ.frame["line"] == 4, "rate"].item() == 1.0  # clipped to full, kept
    assert any("negative" in line and "A (1)" in line for line in r.lines())


def test_a_valid_reading_after_a_negative_one_at_the_same_time_is_kept():
    """A counter's negative reading then its valid one at the same time: the valid one was dropped as the
    negative one's « duplicate », both lost and only the negative reported."""
    occ = occupancy_from_frame(_frame([("A", 100, -3, "2016-10-04 08:00:00"), ("A", 100, 40, "2016-10-04 08:00:00"),
                                       ("A", 100, 41, "2016-10-04 08:00:00")]))
    assert occ.report.negative == {"A": [2]} and occ.report.duplicates == {"A": [4]}
    assert occ.frame["line"].tolist() == [3] and occ.frame["occupancy"].tolist() == [40]


def test_a_french_spreadsheet_s_semicolons_are_read(tmp_path):
    """Excel set to French writes « ; » between columns: the file was read as one column and refused for a
    column it could not find."""
    path = tmp_path / "occ.csv"
    path.write_text("SystemCodeNumber;Capacity;Occupancy;LastUpdated\nA;100;40;2016-10-04 08:00:00\n"
                    "A;100;55;2016-10-04 08:30:00\n")
    occ = read_occupancy(path)
    assert occ.frame["occupancy"].tolist() == [40, 55] and occ.car_parks == ["A"]
    assert occ.frame["rate"].tolist() == [0.40, 0.55]


def test_a_french_spreadsheet_s_day_first_dates_are_read(tmp_path):
    """Excel set to French exports « 04/03/2024 08:30 »: refused as « not a local time », the file had to be
    rewritten by hand. Day first, always (the 4th of March); a date alone or with an offset stays refused."""
    path = tmp_path / "occ.csv"
    path.write_text("SystemCodeNumber;Capacity;Occupancy;LastUpdated\nA;100;40;04/03/2024 08:30\n"
                    "A;100;55;04/03/2024 09:00:15\nA;100;60;2024-03-04 09:30:00\nA;100;20;13/03/2024 18:00\n")
    occ = read_occupancy(path)
    assert [str(t) for t in occ.frame["time"]] == ["2024-03-04 08:30:00", "2024-03-04 09:00:15",
                                                   "2024-03-04 09:30:00", "2024-03-13 18:00:00"]
    for bad in ("04/03/2024", "31/02/2024 08:00", "04/03/24 08:00", "04/03/2024 08:00+01:00"):
        path.write_text(f"SystemCodeNumber;Capacity;Occupancy;LastUpdated\nA;100;40;{bad}\n")
        with pytest.raises(OccupancyFileError, match="line 2: column 'LastUpdated' is not a local time"):
            read_occupancy(path)


@pytest.mark.parametrize("row, column", [(("A", "x", 5, "2016-10-04 08:00:00"), "Capacity"),
                                         (("A", 0, 5, "2016-10-04 08:00:00"), "Capacity"),
                                         (("A", 10, "5.5", "2016-10-04 08:00:00"), "Occupancy"),
                                         (("A", 10, 5, "yesterday"), "LastUpdated")])
def test_a_bad_line_is_named_never_quoted(row, column):
    with pytest.raises(OccupancyFileError) as err:
        occupancy_from_frame(_frame([("A", 10, 4, "2016-10-04 07:30:00"), row]), "f.csv")
    assert "f.csv, line 3" in str(err.value) and column in str(err.value)
    assert "yesterday" not in str(err.value)


@pytest.mark.parametrize("body, needle", [
    ("A,inf,3,2016-10-04 08:00:00", "line 2: column 'Capacity'"),
    ("A,10,1e19,2016-10-04 08:00:00", "line 2: column 'Occupancy'"),
    ("A,10,3,2016-10-04T08:00:00+01:00", "line 2: column 'LastUpdated'"),
    ("A,10,3,now", "line 2: column 'LastUpdated'"),
    ("A,10,3,2016-10-04 08:00:00\n\nA,10,x,2016-10-04 09:00:00", "line 3: an empty line"),
    ("A,10,3,2016-10-04 08:00:00,extra", "more fields than the header")])
def test_bad_files_are_refused_naming_the_line(tmp_path, body, needle):
    path = tmp_path / "occ.csv"
    path.write_text("SystemCodeNumber,Capacity,Occupancy,LastUpdated\n" + body + "\n")
    with pytest.raises(OccupancyFileError) as err:
        read_occupancy(path)
    assert needle in str(err.value)


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = tmp_path / "occ.csv"
    path.write_text("SystemCodeNumber,spaces_free\nA,3\n")
    with pytest.raises(OccupancyFileError, match="no column for 'capacity'"):
        read_occupancy(path)


def test_fit_arrivals_recovers_a_queue_it_generated():
    """Recovery (not validity): occupancy made by the M_t/M/inf mean itself is fitted back."""
    slots = np.arange(16, 34)  # 08:00 .. 16:30
    t_h = slots / 2
    hours = np.arange(8, 17)
    lam = np.array([30, 80, 120, 90, 60, 70, 40, 20, 5.0])
    occupied = 50 * np.exp(-(t_h - t_h[0]) / 2.5) + cal.fluid_basis(t_h, hours, 2.5) @ lam
    fit = cal.fit_arrivals(slots, occupied)
    assert fit["mean_stay_h"] == 2.5
    np.testing.assert_allclose(fit["arrivals_veh_h"], lam, rtol=1e-6, atol=1e-6)
    assert fit["rmse_veh"] < 1e-6


def test_birmingham_is_cleaned_as_its_readme_says():
    occ = read_occupancy(reference_file(BIRMINGHAM))
    assert len(occ.car_parks) == 29
    r = occ.report
    assert sum(map(len, r.negative.values())) == 10  # the README's "negative Occupancy" rows
    assert sum(map(len, r.over_capacity.values())) > 0 and occ.frame["rate"].max() == 1.0
    assert r.rows_kept == len(occ.frame)


def test_birmingham_forecast_beats_both_benchmarks_on_the_held_out_weeks():
    """Six weeks of calibration, the last two forecast (real data): the model's MAE below the same-weekday
    mean's and far below persistence's, on the same half hours."""
    table = cal.half_hour_table(read_occupancy(reference_file(BIRMINGHAM)).frame)
    h = cal.holdout_scores(table, "2016-11-14")
    assert h["days"] == 14 and h["model"]["n"] == h["same_weekday"]["n"] == h["persistence"]["n"] > 6000
    assert h["model"]["mae"] < h["same_weekday"]["mae"] < h["persistence"]["mae"]
    assert h["model"]["mae"] < 8.0  # occupancy points; 7.16 measured


def test_forecast_uses_only_the_days_before_the_holdout():
    """What happens from the holdout's first day cannot change its forecasts (only the scores)."""
    table = cal.half_hour_table(read_occupancy(reference_file(BIRMINGHAM)).frame)
    changed = table.copy()
    changed.loc[changed["date"] >= pd.Timestamp("2016-11-14"), "rate"] = 0.0
    _, a = cal.holdout_forecasts(table, "2016-11-14")
    _, b = cal.holdout_forecasts(changed, "2016-11-14")
    pd.testing.assert_frame_equal(a, b)
    assert cal.holdout_scores(table, "2016-11-14")["model"]["mae"] != cal.holdout_scores(changed, "2016-11-14")["model"]["mae"]


def test_holdout_outside_the_readings_is_refused():
    table = cal.half_hour_table(occupancy_from_frame(_frame([("A", 10, 4, "2016-10-04 08:00:00"),
                                                             ("A", 10, 5, "2016-10-05 08:00:00")])).frame)
    with pytest.raises(ValueError, match="readings run from 2016-10-04 to 2016-10-05"):
        cal.holdout_scores(table, "2017-01-01")


def test_a_holdout_no_method_can_forecast_says_why():
    """Three days of readings, the holdout on the third: every score was NaN over « 0 half hours »."""
    rows = [("A", 10, 4 + k % 3, f"2016-10-{d:02d} {h:02d}:{m:02d}:00") for k, (d, h, m) in
            enumerate((d, h, m) for d in (4, 5, 6) for h in range(8, 12) for m in (0, 30))]
    table = cal.half_hour_table(occupancy_from_frame(_frame(rows)).frame)
    with pytest.raises(ValueError, match="no half hour of the 1 day.*start the holdout at least a week after"):
        cal.holdout_scores(table, "2016-10-06")


def test_cli_fit_json_has_the_issue_keys(capsys):
    from twin.cli import main

    assert main(["parking", "fit", "--occupancy", str(reference_file(BIRMINGHAM)), "--holdout-from", "2016-11-14",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("model", "persistence", "same_weekday"):
        assert isinstance(out["holdout"][key]["mae"], float)
    assert out["cleaning"]["negative_dropped"]["NIA North"]["count"] == 10
    fit = out["fit"]["by_car_park"]["BHMBCCMKT01"]["weekday"]
    assert fit["mean_stay_h"] > 0 and len(fit["arrivals_veh_h"]) == len(fit["hours"])


@pytest.mark.parametrize("tags, expected", [
    ({"parking:both": "lane"}, ("yes", "yes")),
    ({"parking:left": "no", "parking:right": "street_side"}, ("no", "yes")),
    ({"parking:lane:both": "parallel", "parking:lane:right": "no_stopping"}, ("yes", "no")),
    ({"parking:both": "maybe"}, (None, None)),
    ({}, (None, None))])
def test_kerb_parking_tags_both_schemes(tags, expected):
    assert parse_kerb_parking(tags) == expected


def test_the_agents_give_back_the_profile_their_arrivals_were_fitted_on():
    """The fitted arrivals and stay of a real car park (Birmingham's market car park, weekdays), run by the
    agent model itself (capacity, exponential-mean stays): its occupancy within 2 points of the profile."""
    table = cal.half_hour_table(read_occupancy(reference_file(BIRMINGHAM)).frame)
    rows = table[(table["car_park"] == "BHMBCCMKT01") & (table["day_type"] == "weekday")
                 & (table["date"] < "2016-11-14")]
    profile = rows.groupby("slot")["rate"].median()
    capacity = int(rows["capacity"].iloc[-1])
    fit = cal.fit_arrivals(profile.index.to_numpy(), profile.to_numpy() * capacity)
    sim = cal.simulate_car_park(fit, capacity, profile.index.to_numpy(), float(profile.iloc[0] * capacity))
    assert np.abs(sim / capacity - profile.to_numpy()).mean() * 100 < 2.0
    assert sim.max() > 2 * sim[0]  # the morning fill is there, not a flat line near the start


def test_the_store_path_gives_the_csv_paths_answer(tmp_path, capsys):
    """Two Birmingham car parks as occupancy sensors in a sensor store (times in UTC, values in %): the
    profiles and the held-out scores are the CSV's, on both paths."""
    from twin.cli import main
    from twin.sensors import SensorStore

    occ = read_occupancy(reference_file(BIRMINGHAM))
    parks = ["BHMBCCMKT01", "Broad Street"]
    frame = occ.frame[occ.frame["car_park"].isin(parks)]
    csv = tmp_path / "two.csv"
    raw = pd.read_csv(reference_file(BIRMINGHAM))
    raw[raw["SystemCodeNumber"].isin(parks)].to_csv(csv, index=False)
    store = SensorStore(tmp_path / "store")
    store.register([{"sensor_id": p, "quantity": "parking_occupancy", "unit": "%", "name": p} for p in parks])
    store.ingest_frame(pd.DataFrame({"sensor_id": frame["car_park"],
                                     "time": frame["time"].dt.tz_localize("Europe/London").dt.tz_convert("UTC"),
                                     "value": frame["rate"] * 100}), origin="birmingham")
    outs = []
    for source in (["--occupancy", str(csv)], ["--store", str(tmp_path / "store"), "--tz", "Europe/London"]):
        assert main(["parking", "fit", *source, "--holdout-from", "2016-11-14", "--json"]) == 0
        outs.append(json.loads(capsys.readouterr().out))
    a, b = outs
    for m in ("model", "same_weekday", "persistence"):
        assert a["holdout"][m]["n"] == b["holdout"][m]["n"]
        assert a["holdout"][m]["mae"] == pytest.approx(b["holdout"][m]["mae"], abs=1e-9)
    assert any("per 100 spaces" in n for n in b["cleaning"]["notes"])  # a store knows no capacity here
