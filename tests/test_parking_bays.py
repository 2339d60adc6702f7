"""Issue 23: on-street bay sensors (bay status) in the sensor store, as each zone's occupancy. Checked on the
City of Melbourne's real snapshots against the counts published beside them (../shared/data/parking/README.md:
1,613 of 3,075 bays occupied at 11:18 on 8 September 2018, 1,411 of 3,079 at 16:38; 1,751 of 3,309 in 2025)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import reference_file
from twin.sources.parking_bays import occupancy_table, read_bay_status
from twin.sources.provider_files import ProviderFileError

FILE_2018 = "parking/melbourne_onstreet_bay_status_2018-09-08_two_snapshots.csv"
FILE_2025 = "parking/melbourne_onstreet_bay_status_snapshot_2025.csv"


def test_the_2018_snapshots_give_the_published_occupancy():
    batch = read_bay_status(reference_file(FILE_2018), date="2018-09-08", tz="Australia/Melbourne")
    table = occupancy_table(batch)
    assert list(table["time"].dt.tz_convert("Australia/Melbourne").dt.strftime("%H:%M")) == ["11:18", "16:38"]
    assert list(table["occupancy_pct"]) == [round(100 * 1613 / 3075, 1), round(100 * 1411 / 3079, 1)]
    assert set(batch.sensors["quantity"]) == {"parking_occupancy"}


def test_the_2025_snapshot_counts_every_bay_when_none_is_stale_and_leaves_out_the_quiet_ones():
    everything = read_bay_status(reference_file(FILE_2025), stale_h=1e9)
    assert everything.notes[-1].startswith("3309 bay readings") and "1751 occupied" in everything.notes[-1]
    fresh = read_bay_status(reference_file(FILE_2025))  # a day: bays the feed has not refreshed are not "now"
    assert "not refreshed within 24 h" in fresh.notes[1]
    stale = int(fresh.notes[1].split()[0])
    assert stale > 0 and fresh.notes[-1].startswith(f"{3309 - stale} bay readings")
    assert fresh.observations["value"].between(0, 100).all() and len(fresh.sensors) > 100  # one per zone


def test_bad_bay_files_are_named(tmp_path):
    bad = tmp_path / "bays.csv"
    bad.write_text("Lastupdated,Status_Timestamp,Zone_Number,Status_Description,KerbsideID,Location\n"
                   "2025-08-05T15:00:00+10:00,2025-08-05T14:00:00+10:00,7010,Present,1,\"-37.8, 144.9\"\n"
                   "2025-08-05T15:00:00+10:00,2025-08-05T14:00:00+10:00,7010,Parked,2,\"-37.8, 144.9\"\n")
    with pytest.raises(ProviderFileError, match=r"bays.csv: line\(s\) 3: Status_Description 'Parked' is neither"):
        read_bay_status(bad)
    with pytest.raises(ProviderFileError, match="give the date"):
        read_bay_status(reference_file(FILE_2018))


def test_bay_status_is_recognised_and_imported_into_the_store(tmp_path, capsys):
    from twin.cli import main
    from twin.sensors import SensorStore
    from twin.sources.detect import detect_format

    assert detect_format(reference_file(FILE_2025)) == "bay-status"
    assert detect_format(reference_file(FILE_2018)) == "bay-status"
    assert main(["parking", "bays", str(reference_file(FILE_2018)), "--date", "2018-09-08", "--tz",
                 "Australia/Melbourne", "--store", str(tmp_path / "store")]) == 0
    store = SensorStore(tmp_path / "store")
    obs = store.query("bays-all")
    assert list(pd.Series(obs["value"]).round(1)) == [52.5, 45.8]
    assert "median occupancy 52.5 %" in capsys.readouterr().out
