"""Fuzz test per data reader of ``twin/sources`` (issue 25): ~30 seeded mutations of a small valid sample
(truncation at a random byte, a byte flipped, a line duplicated, a field replaced by text / NaN / a huge
number) each either read or refused with the reader's own error naming the file — never a traceback of
another type (KeyError, IndexError, UnicodeDecodeError, pandas' ValueError…).

Samples are cut from the shared reference files (eemeter, airGR, Edinburgh bins, SiouxFalls) where they
exist, so each case is skipped naming the missing file; the calendar and the lamp inventory are written here.
The readers return values and write nothing, so "no changed store" holds by construction; a reader that
reads is only checked not to crash (a mutated file may well stay valid).
"""

from __future__ import annotations

import gzip
import random
import re
from types import SimpleNamespace

import pytest

from conftest import reference_file
from twin.sources.bin_records import BinRecordsError, read_bin_records
from twin.sources.hydro_csv import HydroDataError, read_airgr_csv
from twin.sources.ics import CalendarError, read_ics
from twin.sources.lamp_inventory import InventoryError, read_lamp_inventory
from twin.sources.meters import MeterFileError, read_meter_csv, read_temperature_csv
from twin.sources.hubeau import read_hubeau
from twin.sources.enedis import read_enedis
from twin.sources.grdf import read_grdf
from twin.sources.meteofrance import read_meteofrance
from twin.sources.ngsi import read_ngsi
from twin.sources.sensorthings import read_sensorthings
from twin.sources.traffic_counts import read_traffic_counts
from twin.sources.provider_files import ProviderFileError
from twin.sources.rain_forecast import read_rain_forecast
from twin.sources.tntp import TntpError, read_flows, read_network, read_trips
from twin.sources.vigicrues import read_vigicrues, read_vigilance

N_MUTATIONS = 30
REPLACEMENTS = [b"abc", b"nan", b"NaN", b"1e308", b"-1e308", b"inf", b"", b"\xff\xfe", b"x" * 500, b"-5", b"0"]

ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//twin//fuzz//EN\r\n"
       b"BEGIN:VEVENT\r\nUID:a@twin\r\nDTSTART:20240110T180000\r\nDTEND:20240110T200000\r\nSUMMARY:Judo\r\n"
       b"RRULE:FREQ=WEEKLY;COUNT=5\r\nEND:VEVENT\r\n"
       b"BEGIN:VEVENT\r\nUID:b@twin\r\nDTSTART;VALUE=DATE:20240120\r\nDTEND;VALUE=DATE:20240121\r\n"
       b"SUMMARY:Gala\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

LAMPS = (b"id,lon,lat,power_w,technology,cabinet_id,control,dimmable\n"
         b"L1,-2.090,47.650,70,LED,C1,astronomical_clock,true\n"
         b"L2,-2.091,47.651,150,sodium,C1,astronomical_clock,false\n"
         b"L3,-2.092,47.652,100,LED,C2,,\n")

# French providers' files, written from their specifications (tests/test_provider_files.py)
HUBEAU = (b'{"count":3,"data":[{"code_site":"J7083110","code_station":"J708311001","grandeur_hydro":"H",'
          b'"date_obs":"2024-01-15T06:00:00Z","resultat_obs":1234.0,"code_qualification_obs":16,'
          b'"longitude":-2.085,"latitude":47.652},{"code_site":"J7083110","code_station":"J708311001",'
          b'"grandeur_hydro":"Q","date_obs":"2024-01-15T06:00:00Z","resultat_obs":56000.0,'
          b'"code_qualification_obs":12,"longitude":-2.085,"latitude":47.652},{"code_site":"J7083110",'
          b'"code_station":"J708311001","grandeur_hydro":"Q","date_obs":"2024-01-15T06:05:00Z",'
          b'"resultat_obs":56100.0,"code_qualification_obs":20,"longitude":-2.085,"latitude":47.652}]}\n')
HUBEAU_CSV = (b"code_station;grandeur_hydro;date_obs;resultat_obs;code_qualification_obs\n"
              b"J708311001;H;2024-01-15T06:00:00Z;1234;16\nJ708311001;Q;2024-01-15T06:00:00Z;56000;12\n"
              b"J708311001;Q;2024-01-15T06:05:00Z;56100;20\n")
VIGICRUES = (b'{"Serie":{"CdStationHydro":"J708311001","LbStationHydro":"Redon","GrdSerie":"H","ObssHydro":['
             b'{"DtObsHydro":"2024-01-15T06:00:00+00:00","ResObsHydro":3.21},'
             b'{"DtObsHydro":"2024-01-15T07:00:00+00:00","ResObsHydro":3.25}]}}\n')
METEOFRANCE = (b"NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;RR1;QRR1;T;QT\n"
               b"35236001;REDON;47.652;-2.085;12;2024011506;1.2;1;8.5;9\n"
               b"35236001;REDON;47.652;-2.085;12;2024011507;0.4;2;8.1;0\n"
               b"35236001;REDON;47.652;-2.085;12;2024011508;0.0;1;7.9;1\n")
VIGILANCE = (b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"CdEntCru":"LC134",'
             b'"TypEntCru":8,"LbEntCru":"Vilaine aval","NivInfViCr":2},"geometry":{"type":"LineString",'
             b'"coordinates":[[-2.1,47.6],[-2.0,47.7]]}},{"type":"Feature","properties":{"CdEntCru":"LC135",'
             b'"TypEntCru":8,"LbEntCru":"Oust","NivInfViCr":3},"geometry":{"type":"LineString",'
             b'"coordinates":[[-2.2,47.7],[-2.1,47.6]]}}]}\n')
ENEDIS_LOAD = ("\ufeffIdentifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
               "Etape metier;Unite;Pas en minutes\n09876543210123;Courbe de charge;15/01/2024;16/01/2024;Energie "
               "active;Consommation;Comptage Brut;W;\n\nHorodate;Valeur\n2024-01-15T00:30:00+01:00;433\n"
               "2024-01-15T01:00:00+01:00;\n2024-01-15T01:30:00+01:00;410\n2024-01-15T02:30:00+01:00;398\n"
               "2024-01-15T03:00:00+01:00;402\n").encode()
ENEDIS_INDEX = ("Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur physique;Grandeur metier;"
                "Etape metier;Unite\n09876543210123;Index;15/01/2024;18/01/2024;Energie active;Consommation;"
                "Comptage Brut;Wh\n\nHorodate;Type de releve;EAS F1;EAS F2;EAS T\n"
                "2024-01-15T00:00:00+01:00;Arrêté quotidien;1009905;819074;1828979\n"
                "2024-01-16T00:00:00+01:00;Arrêté quotidien;1012584;821821;1834405\n"
                "2024-01-18T00:00:00+01:00;Arrêté quotidien;1015090;825821;1840911\n\n"
                "Periode;Identifiant calendrier fournisseur;Libelle calendrier fournisseur\n"
                "Du 2024-01-15 au 2024-01-18;FC1;HP/HC\n").encode()
GRDF = (b'[{"idPce":"GI123456","journeeGaziere":"2024-01-15","energieConsomme":52,"volumeBrutConsomme":4.62,'
        b'"coeffConversion":11.25,"qualificationReleve":"Mesur\xc3\xa9"},{"idPce":"GI123456",'
        b'"journeeGaziere":"2024-01-16","energieConsomme":0,"qualificationReleve":"Absence de donn\xc3\xa9es"},'
        b'{"idPce":"GI123456","dateDebutReleve":"2024-01-17","dateFinReleve":"2024-02-01","energieConsomme":700,'
        b'"qualificationReleve":"Estim\xc3\xa9"}]\n')
NGSI = (b'[{"id":"urn:ngsi-ld:WasteContainer:wc-1","type":"WasteContainer","location":{"type":"GeoProperty",'
        b'"value":{"type":"Point","coordinates":[-2.08,47.65]}},"fillingLevel":[{"type":"Property","value":0.4,'
        b'"observedAt":"2024-01-15T06:00:00Z","unitCode":"C62"},{"type":"Property","value":0.5,'
        b'"observedAt":"2024-01-16T06:00:00Z"}]},{"id":"tf","type":"TrafficFlowObserved","intensity":120,'
        b'"dateObservedFrom":"2024-01-15T08:00:00Z","dateObservedTo":"2024-01-15T08:15:00Z"}]\n')
SENSORTHINGS = (b'{"value":[{"@iot.id":1,"name":"Pont","Locations":[{"location":{"type":"Point","coordinates":'
                b'[-2.08,47.65]}}],"Datastreams":[{"@iot.id":2,"name":"H","unitOfMeasurement":{"symbol":"m"},'
                b'"ObservedProperty":{"name":"Water level"},"Observations":[{"phenomenonTime":"2024-01-15T06:00:00Z",'
                b'"result":2.4},{"phenomenonTime":"2024-01-15T07:00:00Z/2024-01-15T08:00:00Z","result":null}]}]}],'
                b'"@iot.nextLink":"https://sta.example/Things?$skip=1"}\n')
COUNTERS = (b"iu_ac;libelle;t_1h;q;k;etat_trafic;geo_point_2d\n"
            b"C1;Quai Surcouf;2024-03-04T08:00:00+01:00;420;7.5;Fluide;47.6512, -2.0851\n"
            b"C1;Quai Surcouf;2024-03-04T09:00:00+01:00;;8.1;Fluide;47.6512, -2.0851\n"
            b"C2;Rue du Port;2024-03-04T08:00:00+01:00;120;2.5;Fluide;47.6530, -2.0830\n")
RAIN_FORECAST = (b"issued,member,time,mm\n2024-01-15 06:00,a,2024-01-15 06:00,1.5\n"
                 b"2024-01-15 06:00,a,2024-01-15 07:00,2.0\n2024-01-15 06:00,b,2024-01-15 06:00,0.5\n")

TERRITORY = SimpleNamespace(name="Fuzz", crs="EPSG:2154", provenance={"bounds_lonlat": (-2.12, 47.63, -2.06, 47.67)})


def _head(relative: str, n_lines: int | None) -> bytes:
    path = reference_file(relative)
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return b"".join(data.splitlines(keepends=True)[:n_lines]) if n_lines else data


# name: (sample bytes or a function giving them, file suffix, reader, its error type)
READERS = {
    "meter": (lambda: _head("buildings/eemeter_samples/il-gas-hdd-only-daily.csv.gz", 80), ".csv",
              lambda p: read_meter_csv(p, unit="therm"), MeterFileError),
    "temperature": (lambda: _head("buildings/eemeter_samples/il-tempF.csv.gz", 80), ".csv",
                    read_temperature_csv, MeterFileError),
    "ics": (lambda: ICS, ".ics", lambda p: read_ics(p, "2024-01-01", "2024-03-01"), CalendarError),
    "hydro": (lambda: _head("hydrology/airGR_L0123001_BasinObs.csv", 80), ".csv", read_airgr_csv, HydroDataError),
    "bins": (lambda: _head("bins/edinburgh_litter_bins_2016-06-03_2016-07-19.csv.gz", 80), ".csv",
             read_bin_records, BinRecordsError),
    "lamps": (lambda: LAMPS, ".csv", lambda p: read_lamp_inventory(p, TERRITORY), InventoryError),
    "tntp_net": (lambda: _head("transport/SiouxFalls/SiouxFalls_net.tntp", None), ".tntp", read_network, TntpError),
    "tntp_trips": (lambda: _head("transport/SiouxFalls/SiouxFalls_trips.tntp", None), ".tntp", read_trips, TntpError),
    "tntp_flow": (lambda: _head("transport/SiouxFalls/SiouxFalls_flow.tntp", 40), ".tntp", read_flows, TntpError),
    "hubeau": (lambda: HUBEAU, ".json", read_hubeau, ProviderFileError),
    "hubeau_csv": (lambda: HUBEAU_CSV, ".csv", read_hubeau, ProviderFileError),
    "vigicrues": (lambda: VIGICRUES, ".json", read_vigicrues, ProviderFileError),
    "meteofrance": (lambda: METEOFRANCE, ".csv", read_meteofrance, ProviderFileError),
    "enedis_load": (lambda: ENEDIS_LOAD, ".csv", read_enedis, ProviderFileError),
    "enedis_index": (lambda: ENEDIS_INDEX, ".csv", read_enedis, ProviderFileError),
    "grdf": (lambda: GRDF, ".json", read_grdf, ProviderFileError),
    "ngsi": (lambda: NGSI, ".json", read_ngsi, ProviderFileError),
    "sensorthings": (lambda: SENSORTHINGS, ".json", read_sensorthings, ProviderFileError),
    "traffic_counts": (lambda: COUNTERS, ".csv", read_traffic_counts, ProviderFileError),
    "rain_forecast": (lambda: RAIN_FORECAST, ".csv", read_rain_forecast, HydroDataError),
    "vigilance": (lambda: VIGILANCE, ".geojson", read_vigilance, ProviderFileError),
}

FIELD = re.compile(rb"[^,\t;:\s]+")


def mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    """One seeded mutation of ``data`` and a short name for it."""
    kind = rng.choice(("truncate", "flip", "duplicate", "field"))
    if kind == "truncate":
        at = rng.randrange(len(data))
        return f"truncated at byte {at}", data[:at]
    if kind == "flip":
        at = rng.randrange(len(data))
        return f"byte {at} flipped", data[:at] + bytes([data[at] ^ rng.randrange(1, 256)]) + data[at + 1:]
    lines = data.splitlines(keepends=True)
    i = rng.randrange(len(lines))
    if kind == "duplicate":
        return f"line {i + 1} duplicated", b"".join(lines[:i + 1] + lines[i:])
    fields = list(FIELD.finditer(lines[i]))
    if not fields:
        return f"line {i + 1} (no field) kept", data
    f = rng.choice(fields)
    new = rng.choice(REPLACEMENTS)
    lines[i] = lines[i][:f.start()] + new + lines[i][f.end():]
    return f"line {i + 1} field {f.group()[:12]!r} -> {new[:12]!r}", b"".join(lines)


def fuzz(name: str, tmp_path, seed: int = 25) -> dict:
    """Counts of mutations read / refused with the reader's error / crashed, and the crashes' descriptions."""
    sample, suffix, reader, error = READERS[name]
    data = sample()
    rng = random.Random(f"{seed}-{name}")
    out = {"tried": 0, "read": 0, "refused": 0, "crashed": []}
    for k in range(N_MUTATIONS):
        what, bad = mutate(data, rng)
        path = tmp_path / f"{name}-{k}{suffix}"
        path.write_bytes(bad)
        out["tried"] += 1
        try:
            reader(path)
        except error as exc:
            if path.name not in str(exc):
                out["crashed"].append(f"{what}: message does not name the file: {str(exc)[:200]}")
            else:
                out["refused"] += 1
        except Exception as exc:  # noqa: BLE001 - any other type is what the test is looking for
            out["crashed"].append(f"{what}: {type(exc).__name__}: {str(exc)[:200]}")
        else:
            out["read"] += 1
    return out


@pytest.mark.parametrize("name", READERS)
def test_the_sample_itself_reads(name, tmp_path):
    sample, suffix, reader, _ = READERS[name]
    path = tmp_path / f"{name}{suffix}"
    path.write_bytes(sample())
    reader(path)  # raises if the unmutated sample is not valid: the fuzz starts from a file that reads


@pytest.mark.parametrize("name", READERS)
def test_mutated_samples_read_or_are_refused_naming_the_file(name, tmp_path):
    out = fuzz(name, tmp_path)
    assert out["tried"] == N_MUTATIONS
    assert not out["crashed"], "\n".join(out["crashed"])
    assert out["refused"] > 0  # the mutations do damage: a fuzz whose every mutant reads tests nothing


SECRET = "s3cr3t-" + "k" * 200  # a long cell: no message may carry more than a few characters of it
T0, T1 = "2016-01-01T00:00:00-06:00", "2016-01-02T00:00:00-06:00"


@pytest.mark.parametrize("text,kwargs,pattern", [
    (f"start,value\n{T0},5\n{T1},{SECRET}\n", {"unit": "kWh"}, r"line 3: value 's3cr3t-kkkkk…' is not a number"),
    (f"start,value\n{T0},5\n{T1},inf\n", {"unit": "kWh"}, r"line 3: value 'inf' is infinite"),
    (f"start,value\n{T0},5\n{T1},1e308\n", {"unit": "MWh"}, r"line 3: the readings too large once converted"),
    (f"start,value,unit\n{T0},5,{SECRET}\n", {}, r"unit 's3cr3t-kkkkk…' not understood"),
    (f"{SECRET},value\n{T0},5\n", {"unit": "kWh"}, r"no time column .*found \['s3cr3t-kkkkkkkkk…', 'value'\]"),
    (f"start,value\n{T0},5\n{T1},\udce9\n", {"unit": "kWh"}, r"line 3: not UTF-8 text"),  # a lone byte 0xE9
])
def test_meter_errors_name_the_line_and_never_carry_a_long_cell(tmp_path, text, kwargs, pattern):
    path = tmp_path / "meter.csv"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(MeterFileError) as info:
        read_meter_csv(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "kkkkkkkkkkkkkkkkkkkk" not in message
    assert re.search(pattern, message), message


def test_meter_reads_are_bounded_in_size_plain_and_once_decompressed(tmp_path, monkeypatch):
    import twin.sources.meters as meters

    monkeypatch.setattr(meters, "MAX_INPUT_BYTES", 1000)
    big = (f"start,value\n" + f"{T0},5\n" * 100).encode()  # 2.7 kB
    plain, packed = tmp_path / "big.csv", tmp_path / "big.csv.gz"
    plain.write_bytes(big)
    packed.write_bytes(gzip.compress(big))
    assert len(packed.read_bytes()) < 1000  # the compressed file is under the limit, its content is not
    with pytest.raises(MeterFileError, match=r"big\.csv is 0\.0 MB, more than the 0\.001 MB"):
        read_meter_csv(plain, unit="kWh")
    with pytest.raises(MeterFileError, match=r"big\.csv\.gz: more than 0\.001 MB once decompressed"):
        read_meter_csv(packed, unit="kWh")


# ------------------------------------------------------------ bins and lamps: no value of the file in a message
PLANT = "PLANTED-s3cr3t"


@pytest.mark.parametrize("name", ["bins", "lamps"])
def test_no_value_of_the_file_reaches_a_message(name, tmp_path):
    """Every field of the header and the first data lines replaced in turn by a planted token: the file is read
    or refused naming the file, and the token never appears in the message (nor in a warning)."""
    sample, suffix, reader, error = READERS[name]
    lines = sample().decode().splitlines(keepends=True)
    refused = 0
    for i in range(min(4, len(lines))):
        fields = lines[i].rstrip("\n").split(",")
        for j in range(len(fields)):
            planted = fields[:j] + [PLANT] + fields[j + 1:]
            path = tmp_path / f"{name}-{i}-{j}{suffix}"
            path.write_text("".join(lines[:i]) + ",".join(planted) + "\n" + "".join(lines[i + 1:]))
            try:
                out = reader(path)
            except error as exc:
                refused += 1
                assert path.name in str(exc) and "s3cr3t" not in str(exc), (i, j, str(exc))
            else:
                assert "s3cr3t" not in " ".join(getattr(out, "warnings", [])), (i, j)
    assert refused > len(lines[0].split(","))  # the plants do damage: most header and value fields are checked


BIN_HEADER = "site,collected_at,fill_before_pct,fill_after_pct\n"
LAMP_HEADER = "id,lon,lat,power_w,technology,cabinet_id,control,dimmable\n"
LAMP_OK = "L1,-2.090,47.650,70,LED,C1,astronomical_clock,true\n"


@pytest.mark.parametrize("text,pattern", [
    (BIN_HEADER + f"a,2016-06-01 08:00,{SECRET},0\n", r"line 2: fill level in column 'fill_before_pct' is not a finite"),
    (BIN_HEADER + "a,2016-06-01 08:00,inf,0\n", r"line 2: fill level in column 'fill_before_pct' is not a finite"),
    (BIN_HEADER + f"a,{SECRET},50,0\n", r"line 2: unreadable time in column 'collected_at' \(expected a date"),
    (BIN_HEADER + "a,2016-06-01T08:00+01:00,50,0\na,2016-06-02T08:00,60,0\n",
     r"line 3: a time without UTC offset in column 'collected_at', among times with one \(line 2\)"),
    (BIN_HEADER + f"{SECRET},2016-06-01 08:00,50,0\n", r"line 2: the bin id in column 'site' is not a bin of the territory "
                                                     r"\(1 unknown bin id\(s\) on 1 line\(s\)"),
    (BIN_HEADER + " ,2016-06-01 08:00,50,0\n", r"line 2: empty bin id in column 'site'"),
    (BIN_HEADER + f"{SECRET},2016-06-01 08:00,50,0\n{SECRET},2016-06-01 08:00,60,0\n",
     r"line 3: two records of this bin at the same time \(the other at line 2\)"),
    (BIN_HEADER + f"{SECRET},2016-06-01 08:00,50,0\n{SECRET},2016-06-03 08:00,60,0\n{SECRET},2016-06-02 08:00,70,0\n",
     r"line 4: time out of order for this bin \(after line 3; the file's times run ascending"),
    (f"{SECRET},collected_at,fill\n1,2,3\n", r"no column for 'site' \(expected one of .* header, which has 3 column"),
    (BIN_HEADER + f'a,"{SECRET},50\n', r"not a readable CSV \(malformed at line 2"),
    (BIN_HEADER + f"a,2016-06-01 08:00,50,0,{SECRET}\n", r"a record has more fields than the header"),
    ("", r"empty file"),
    (BIN_HEADER.encode() + b"a,2016-06-01 08:00,5\xe90,0\n", r"line 2: not UTF-8 text"),
])
def test_bin_record_errors_name_line_and_column_never_a_value(tmp_path, text, pattern):
    path = tmp_path / "records.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(BinRecordsError) as info:
        read_bin_records(path, bins={"a"} if "not a bin" in pattern else None)
    message = str(info.value)
    assert message.startswith(str(path)) and "s3cr3t" not in message, message
    assert re.search(pattern, message), message


@pytest.mark.parametrize("row,pattern", [
    (f"L2,-2.090,47.650,{SECRET},LED,C1,,\n", r"column power_w: must be a positive number of watts: line 3$"),
    ("L2,-2.090,47.650,-70,LED,C1,,\n", r"column power_w: must be a positive number of watts: line 3$"),
    ("L2,-2.090,47.650,inf,LED,C1,,\n", r"column power_w: must be a positive number of watts: line 3$"),
    (f"L2,-2.090,47.650,70,{SECRET},C1,,\n", r"column technology: unknown technology .*: line 3$"),
    (f"L2,-2.090,47.650,70,LED,C1,{SECRET},\n", r"column control: unknown control .*: line 3$"),
    (f"L2,-2.090,47.650,70,LED,C1,,{SECRET}\n", r"column dimmable: expected true or false .*: line 3$"),
    (f"L2,{SECRET},47.650,70,LED,C1,,\n", r"columns lon, lat: position is not a number of degrees .*: line 3$"),
    ("L2,500,-999,70,LED,C1,,\n", r"columns lon, lat: position is not a number of degrees .*: line 3$"),
    ("L2,2.35,48.85,70,LED,C1,,\n", r"columns lon, lat: lamp outside the territory 'Fuzz' .*: line 3$"),
    (",-2.090,47.650,70,LED,C1,,\n", r"column id: empty lamp id: line 3$"),
    ("L2,-2.090,47.650,70,LED,,,\n", r"column cabinet_id: empty cabinet id: line 3$"),
    (LAMP_OK, r"column id: duplicate lamp id: line 3 \(same id as line 2\)$"),
    (f"L2,-2.090,47.650,70,LED,C1,,,{SECRET}\n", r"not a readable CSV \(malformed at line 3: expected comma"),
])
def test_lamp_inventory_errors_name_line_and_column_never_a_value(tmp_path, row, pattern):
    path = tmp_path / "lamps.csv"
    path.write_text(LAMP_HEADER + LAMP_OK + row)
    with pytest.raises(InventoryError) as info:
        read_lamp_inventory(path, TERRITORY)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "s3cr3t" not in message, message
    assert re.search(pattern, message), message


def test_lamp_dimmable_reads_yes_no_and_defaults_to_led_when_empty(tmp_path):
    path = tmp_path / "lamps.csv"
    path.write_text(LAMP_HEADER + LAMP_OK + "L2,-2.091,47.651,150,sodium,C1,,oui\n"
                    + "L3,-2.092,47.652,100,LED,C2,,\n" + "L4,-2.092,47.652,100,sodium,C2,,\n"
                    + "L5,-2.092,47.652,100,LED,C2,,non\n")
    assert read_lamp_inventory(path, TERRITORY)["dimmable"].tolist() == [True, True, True, False, False]


@pytest.mark.parametrize("name", ["bins", "lamps"])
def test_bins_and_lamp_reads_are_bounded_in_size(name, tmp_path, monkeypatch):
    """Limited by safe_files.MAX_INPUT_BYTES as the module holds it (lowered here to 1 kB); bins read gzip,
    bounded once decompressed too; a device or a directory is refused before any read."""
    import twin.sources.bin_records as bin_records
    import twin.sources.lamp_inventory as lamp_inventory

    sample, suffix, reader, error = READERS[name]
    monkeypatch.setattr(bin_records if name == "bins" else lamp_inventory, "MAX_INPUT_BYTES", 1000)
    header, row = (BIN_HEADER, "a,2016-06-01 08:00,50,0\n") if name == "bins" else (LAMP_HEADER, LAMP_OK)
    big = (header + row * (3000 // len(row))).encode()
    plain = tmp_path / f"big{suffix}"
    plain.write_bytes(big)
    with pytest.raises(error, match=r"big\.csv is 0\.0 MB, more than the 0\.001 MB an input file may be"):
        reader(plain)
    if name == "bins":
        packed = tmp_path / "big.csv.gz"
        packed.write_bytes(gzip.compress(big))
        assert len(packed.read_bytes()) < 1000  # under the limit as stored, not once decompressed
        with pytest.raises(error, match=r"big\.csv\.gz: more than 0\.001 MB once decompressed"):
            reader(packed)
    with pytest.raises(error, match=r"/dev/zero is not a regular file"):
        reader("/dev/zero")
    with pytest.raises(error, match=r"is a directory, expected a file"):
        reader(tmp_path)
