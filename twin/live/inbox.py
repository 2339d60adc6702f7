"""An inbox folder watched for new sensor files (``twin watch --store DIR --inbox FOLDER``).

Each pass takes the inbox's files in name order — any format ``twin sensors import`` reads, told from
the content (:func:`twin.sources.detect.detect_format`) — and for each:

* a file still being written is left for the next pass: hidden names, ``*.part``, ``*.tmp``, ``*~``, and
  files changed in the last ``settle_s`` seconds;
* a file whose content (SHA-256) was already ingested changes nothing: it is moved to ``done/`` and
  counted as a repeat, under whatever name it came;
* otherwise it is ingested as one atomic batch (:meth:`twin.sensors.SensorStore.register_and_ingest`
  or :meth:`~twin.sensors.SensorStore.ingest_csv`), the fact recorded in the store's
  ``watch_state.json``, and the file moved to ``done/``;
* a file the readers or the store refuse is moved to ``rejected/`` beside a ``<name>.error.txt`` that
  says why (file, line, field), and the pass goes on with the next.

Why a restart loses and duplicates nothing: a batch reaches the store whole or not at all; a file is
moved out of the inbox only after its batch is in and recorded, so a process killed before that
finds it again and ingests it again — which the store makes a no-op (the same sensor, time and value
already there are skipped, :meth:`~twin.sensors.SensorStore.ingest_frame`); one killed after it is
recorded finds its content known. The state lives in the store, so another process (or machine
sharing the folder) resumes where the last stopped. One writer at a time: the store's lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from twin.errors import TwinError

STATE_FILE = "watch_state.json"
IGNORED_SUFFIXES = (".part", ".tmp", "~", ".crdownload")


@dataclass
class PassReport:
    """What one pass did: files ingested, repeated, rejected (with their errors), left for later."""

    ingested: list[dict] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    @property
    def sensors(self) -> list[str]:
        """The sensors this pass wrote readings of."""
        return sorted({s for d in self.ingested for s in d.get("sensors", [])})

    def lines(self) -> list[str]:
        out = []
        for d in self.ingested:
            out.append(f"ingested {d['file']} ({d['format']}): {d['rows_written']} rows written")
            out += [f"  note: {n}" for n in d["notes"]]
        out += [f"repeated {name}: its content was already ingested, nothing changed" for name in self.repeated]
        out += [f"rejected {d['file']}: {d['error']}" for d in self.rejected]
        out += [f"waiting {name}: still being written" for name in self.waiting]
        return out or ["nothing new"]


def ingest_file(store, path: Path, fmt: str = "auto", *, sensor: str | None = None) -> tuple[str, object, list[str]]:
    """Ingest one file as ``twin sensors import`` does: (the format used, the store's report, the reader's notes)."""
    from twin.sources.detect import detect_format, read_provider  # noqa: PLC0415
    from twin.sources.provider_files import ProviderFileError  # noqa: PLC0415

    if fmt == "auto":
        try:
            fmt = detect_format(path)
        except ProviderFileError:
            fmt = "csv"  # unreadable: the CSV reader says why
    if fmt == "csv":
        return fmt, store.ingest_csv(path, sensor_id=sensor), []
    batch = read_provider(fmt, path, sensor=sensor)
    return fmt, store.register_and_ingest(batch.sensors, batch.observations, origin=str(path)), list(batch.notes)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _state(store) -> dict:
    path = Path(store.path) / STATE_FILE
    if not path.exists():
        return {"files": {}}
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise WatchError(f"{path}: the watch state cannot be read ({exc}); move it aside to start again (files "
                         "already in the store would be ingested again as no-ops)") from None
    return state if isinstance(state, dict) and isinstance(state.get("files"), dict) else {"files": {}}


def _save_state(store, state: dict) -> None:
    from twin.storage import atomic_file  # noqa: PLC0415

    with atomic_file(Path(store.path) / STATE_FILE) as tmp:
        Path(tmp).write_text(json.dumps(state, indent=1, ensure_ascii=False), encoding="utf-8")


def _move(path: Path, folder: Path, digest: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    if target.exists():  # a file of the same name already there: keep both
        target = folder / f"{path.stem}.{digest[:12]}{path.suffix}"
    os.replace(path, target)
    return target


class WatchError(TwinError, RuntimeError):
    """The inbox or the watch state cannot be used; the message says which and why."""


def watch_once(store, inbox, *, settle_s: float = 2.0, throttle_s: float = 0.0) -> PassReport:
    """One pass over ``inbox`` (see the module); ``throttle_s`` seconds between two files spread the load."""
    from twin.errors import USER_ERRORS  # noqa: PLC0415

    inbox = Path(inbox)
    if not inbox.is_dir():
        raise WatchError(f"--inbox {inbox}: not a folder")
    report = PassReport()
    now = time.time()
    for path in sorted(p for p in inbox.iterdir() if p.is_file()):
        if path.name.startswith(".") or path.name.endswith(IGNORED_SUFFIXES):
            continue
        if now - path.stat().st_mtime < settle_s:
            report.waiting.append(path.name)
            continue
        digest = _digest(path)
        with store.writing():  # the state and the store change together, one writer at a time
            state = _state(store)
            known = state["files"].get(digest)
            if known and known.get("status") == "ingested":
                _move(path, inbox / "done", digest)
                report.repeated.append(path.name)
                continue
            try:
                fmt, result, notes = ingest_file(store, path)
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the inbox
                why = str(exc) if isinstance(exc, USER_ERRORS) else \
                    f"{path.name}: unexpected {type(exc).__name__} while reading it (please report): {str(exc)[:300]}"
                moved = _move(path, inbox / "rejected", digest)
                moved.with_name(moved.name + ".error.txt").write_text(why + "\n", encoding="utf-8")
                state["files"][digest] = {"file": path.name, "status": "rejected", "error": why[:2000],
                                          "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
                _save_state(store, state)
                report.rejected.append({"file": path.name, "error": why})
                continue
            state["files"][digest] = {"file": path.name, "status": "ingested", "format": fmt,
                                      "rows_written": int(result.rows_written), "notes": notes[:20],
                                      "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
            _save_state(store, state)
            _move(path, inbox / "done", digest)
            report.ingested.append({"file": path.name, "format": fmt, "rows_written": int(result.rows_written),
                                    "notes": notes, "sensors": sorted(map(str, result.sensors))})
        if throttle_s:
            time.sleep(throttle_s)
    return report
