"""Opening the files a scenario or a command names: only where the user keeps inputs, bounded, never quoted.

A scenario file is data, often received from someone else: a parameter naming a file
(``booking_ics``, ``rain_forecast_file``, a lighting schedule's ``events_ics`` …) must not make
twin read ``/etc/os-release``, a ``.env`` or ``/proc/self/environ`` and print its first line in an
error, nor read ``/dev/zero`` until memory runs out. Three rules, applied here once:

* **where** (:func:`check_input_path`, for paths found in scenario data): the resolved path (symbolic
  links followed) must lie under an *input directory*: the scenario file's own directory, plus
  the directories listed in ``TWIN_INPUT_DIRS`` (``os.pathsep``-separated; the CLI's ``--inputs DIR``
  adds to it) — or, when none is configured, the current working directory. Hidden files and
  directories below an input directory (``.env``, ``.git/…``) are refused too. A relative path is
  read from the scenario file's directory when the file is there, else from the working directory.
* **what** (:func:`read_input_bytes`, for every file a reader opens, named in a scenario or on the
  command line): a regular file — not a directory, a device (``/dev/zero``), a FIFO or a ``/proc``
  pseudo-file — of at most :data:`MAX_INPUT_BYTES` (50 MB: a year of hourly readings of a few dozen
  sensors in CSV; a commune's calendar, rain forecast or lamp inventory is well under 5 MB); the
  size is checked before reading and the read itself is capped, so a file growing meanwhile cannot
  exceed it.
* **never quoted**: errors name the file, the parameter and what was expected, never the file's
  content (:func:`excerpt` gives at most a short, sanitised piece of a value in a data file the user
  named on purpose).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from twin.errors import TwinError

MAX_INPUT_BYTES = 50_000_000
"""Largest input file read (bytes): 50 MB."""
ENV_VAR = "TWIN_INPUT_DIRS"
# parameters (at any depth of a scenario's JSON) naming a file; the same rule as the app's
# (twin/app/uploads.py): heating.booking_ics, flood.rain_forecast_file, a lighting schedule's events_ics,
# and the suffixes a family may add later.
FILE_KEYS = frozenset({"booking_ics", "events_ics", "rain_forecast_file", "inventory", "lamp_inventory"})
FILE_SUFFIX = re.compile(r"(_ics|_file|_path|_csv|_geojson|_dir|inventory)$")
CONTENT_KEYS = frozenset({"booking_ics_text"})


class InputFileError(TwinError, ValueError):
    """A file that twin will not read (where it is, what it is, its size); the message never quotes it."""


def configured_dirs() -> list[Path]:
    """The input directories of ``TWIN_INPUT_DIRS`` (empty entries ignored), resolved."""
    return [Path(d).expanduser().resolve() for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d.strip()]


def input_dirs(base_dir: str | Path | None = None) -> list[Path]:
    """Where named files may be: ``base_dir`` (the scenario file's directory) and the configured
    directories, or the working directory when none is configured."""
    dirs = configured_dirs() or [Path.cwd().resolve()]
    if base_dir is not None:
        dirs = [Path(base_dir).resolve(), *dirs]
    return list(dict.fromkeys(dirs))


def add_input_dirs(dirs) -> None:
    """Add directories to ``TWIN_INPUT_DIRS`` of this process (and of the processes it starts,
    e.g. dask workers): what the CLI's ``--inputs DIR`` does."""
    new = [str(Path(d).expanduser().resolve()) for d in dirs]
    for d in new:
        if not Path(d).is_dir():
            raise InputFileError(f"--inputs {d}: not a directory")
    old = [d for d in os.environ.get(ENV_VAR, "").split(os.pathsep) if d.strip()]
    os.environ[ENV_VAR] = os.pathsep.join(dict.fromkeys([*old, *new]))


def check_input_path(path: str | Path, *, what: str, base_dir: str | Path | None = None) -> Path:
    """The absolute, resolved path of a file named in scenario data, or :class:`InputFileError`.

    ``what`` names the parameter (``"booking_ics"``, ``"rules[0].schedule.events_ics"``) in errors.
    """
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise InputFileError(f"{what}: expected a file path (a non-empty string), got {type(path).__name__}")
    raw = Path(str(path)).expanduser()
    if "\x00" in str(path):
        raise InputFileError(f"{what}: a file path cannot contain a NUL character")
    if raw.is_absolute():
        candidates = [raw]
    else:
        candidates = [Path(base_dir) / raw] if base_dir is not None else []
        candidates.append(Path.cwd() / raw)
    chosen = next((c for c in candidates if c.exists()), candidates[0])
    resolved = chosen.resolve()
    allowed = input_dirs(base_dir)
    under = next((d for d in allowed if resolved == d or d in resolved.parents), None)
    if under is None:
        raise InputFileError(
            f"{what}: {path} is outside the input directories ({', '.join(map(str, allowed))}); twin reads the "
            f"files a scenario names only there. Move the file next to the scenario, or allow its directory "
            f"with --inputs DIR or {ENV_VAR}")
    hidden = [p for p in resolved.relative_to(under).parts if p.startswith(".")]
    if hidden:
        raise InputFileError(f"{what}: {path} is a hidden file or lies in a hidden directory ({hidden[0]}); "
                             "twin does not read those from a scenario")
    if not resolved.exists():
        raise InputFileError(f"{what}: {path}: no such file")
    _check_regular(resolved, what, path)
    return resolved


def _check_regular(resolved: Path, what: str, shown) -> os.stat_result:
    try:
        st = resolved.stat()
    except OSError as exc:
        raise InputFileError(f"{what}: {shown}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(f"{what}: {shown} is a directory, expected a file")
    if not stat.S_ISREG(st.st_mode) or str(resolved).startswith(("/proc/", "/sys/", "/dev/")):
        raise InputFileError(f"{what}: {shown} is not a regular file (a device, pipe, socket or system "
                             "pseudo-file): expected a data file")
    return st


def read_input_bytes(path: str | Path, *, what: str = "input", max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, or :class:`InputFileError` (no location rule:
    for files the user named on the command line, or already checked by :func:`check_input_path`)."""
    p = Path(path)
    if not p.exists():
        raise InputFileError(f"{what}: {path}: no such file")
    resolved = p.resolve()
    st = _check_regular(resolved, what, path)
    if st.st_size > max_bytes:
        raise InputFileError(f"{what}: {path} is {st.st_size / 1e6:.1f} MB, more than the {max_bytes / 1e6:g} MB "
                             "an input file may be")
    try:
        with open(resolved, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputFileError(f"{what}: {path}: cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(data) > max_bytes:
        raise InputFileError(f"{what}: {path} grew beyond {max_bytes / 1e6:g} MB while being read")
    return data


def read_input_text(path: str | Path, *, what: str = "input", max_bytes: int = MAX_INPUT_BYTES) -> str:
    """The UTF-8 text of a regular file, gzip allowed (``.gz``), bounded by ``max_bytes`` both as stored and
    once decompressed (a small gzip may inflate to gigabytes); :class:`InputFileError` names the file and
    the line, never the text."""
    import gzip  # noqa: PLC0415
    import io  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    raw = read_input_bytes(path, what=what, max_bytes=max_bytes)
    if Path(path).suffix == ".gz":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error):
            raise InputFileError(f"{path}: not a readable gzip file (damaged or truncated)") from None
        if len(raw) > max_bytes:
            raise InputFileError(f"{path}: more than {max_bytes / 1e6:g} MB once decompressed")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputFileError(f"{path}: line {line}: not UTF-8 text") from None


def file_parameters(spec, where: str = ""):
    """``(where, value)`` of every entry of ``spec`` (nested dicts and lists) that names a file,
    e.g. ``("rules[0].schedule.events_ics", "gym.ics")``; empty values name nothing."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            key = str(k)
            here = f"{where}.{key}" if where else key
            if key not in CONTENT_KEYS and (key in FILE_KEYS or FILE_SUFFIX.search(key)) and v not in ("", None):
                yield here, v
            else:
                yield from file_parameters(v, here)
    elif isinstance(spec, (list, tuple)):
        for i, v in enumerate(spec):
            yield from file_parameters(v, f"{where}[{i}]")


def resolve_file_parameters(spec, base_dir: str | Path | None = None, where: str = ""):
    """A copy of ``spec`` whose file-naming entries hold the checked absolute paths (:func:`check_input_path`)."""
    if isinstance(spec, dict):
        out = {}
        for k, v in spec.items():
            key = str(k)
            here = f"{where}.{key}" if where else key
            if key not in CONTENT_KEYS and (key in FILE_KEYS or FILE_SUFFIX.search(key)) and v not in ("", None):
                out[k] = str(check_input_path(v, what=here, base_dir=base_dir))
            else:
                out[k] = resolve_file_parameters(v, base_dir, here)
        return out
    if isinstance(spec, list):
        return [resolve_file_parameters(v, base_dir, f"{where}[{i}]") for i, v in enumerate(spec)]
    return spec


_UNSAFE = re.compile(r"[^\w .,:;+\-/°%()€]")


def excerpt(value, limit: int = 24) -> str:
    """At most ``limit`` characters of a value from a data file the user named, quoted, with anything
    but letters, digits and common punctuation replaced by ``?`` — enough to find the cell, too
    little to carry a secret line out of a file named by mistake."""
    text = _UNSAFE.sub("?", str(value))
    return repr(text if len(text) <= limit else text[:limit] + "…")
