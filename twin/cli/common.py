"""What several commands share: opening the territory a command names, a scenario file or a default,
the input directories scenarios may read, the sensor store."""

from __future__ import annotations

INPUTS_HELP = "directory whose files the scenario may name (repeatable; also TWIN_INPUT_DIRS)"


def refuse(args, command: str, names, why: str) -> int | None:
    """Exit status 2 with a message naming the options ``names`` (argparse dests, left at None when not
    given) that were given to ``command`` though ``why`` (an option silently ignored is a wrong answer
    the user believes); None when none was."""
    import sys  # noqa: PLC0415

    given = ["--" + n.replace("_", "-") for n in names if getattr(args, n, None) is not None]
    if not given:
        return None
    print(f"{command}: {', '.join(given)}: {why}", file=sys.stderr)
    return 2


def load_territory(target: str, rebuild: bool = False):
    """The territory ``target`` names (:func:`twin.seeds.open_territory`)."""
    from twin.seeds import open_territory  # noqa: PLC0415

    return open_territory(target, rebuild=rebuild)


def scenario_or(path, default, family: str):
    """The scenario of a JSON file when one is given, else ``default()``; a file of another family than the
    command's ``family`` is refused (a street closure given to ``twin traffic roadworks`` ran, then the
    command failed on the roadworks' own lines, a traceback)."""
    if path:
        from twin.scenarios import load_scenario  # noqa: PLC0415
        from twin.scenarios.base import ScenarioError  # noqa: PLC0415

        scenario = load_scenario(path)
        if scenario.family != family:
            raise ScenarioError(f"{path}: a {scenario.family!r} scenario, not a {family!r} one: run it with "
                                f"`twin run --scenario {path}`")
        return scenario
    return default()


def allow_inputs(args) -> None:
    """``--inputs DIR`` (repeatable): directories whose files scenarios may name (added to TWIN_INPUT_DIRS)."""
    if getattr(args, "inputs", None):
        from twin.sources.safe_files import add_input_dirs  # noqa: PLC0415

        add_input_dirs(args.inputs)


def store_path(args):
    """The directory of ``--store`` (default: the Redon seed's store)."""
    from pathlib import Path  # noqa: PLC0415

    from twin.seeds import history_dir  # noqa: PLC0415

    return Path(args.store) if args.store else history_dir() / "sensors"


def store(args):
    """The sensor store of ``--store`` (default: the Redon seed's), waiting ``--wait`` s for a writer."""
    from twin.sensors import SensorStore  # noqa: PLC0415

    return SensorStore(store_path(args), lock_timeout=getattr(args, "wait", None))


def time_zone(text: str) -> str:
    """An argparse type: an IANA time zone (« Europe/Paris »), refused with the usage line otherwise (a
    ``ZoneInfoNotFoundError`` traceback was all ``--tz Mars/Olympus`` gave)."""
    import argparse  # noqa: PLC0415
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # noqa: PLC0415

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is no IANA time zone (e.g. Europe/Paris, "
                                         "America/Guadeloupe, Indian/Reunion)") from None
    return text


def degrees_within(limit: float):
    """An argparse type: a number of degrees within ±``limit`` (90 for a latitude, 180 for a longitude)."""
    import argparse  # noqa: PLC0415
    import math  # noqa: PLC0415

    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not -limit <= value <= limit:
            raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected degrees from {-limit:g} to {limit:g}")
        return value

    return read


def positive_int(text: str) -> int:
    """An argparse type: a whole number ≥ 1 (``--top -3`` printed every row but the last three)."""
    import argparse  # noqa: PLC0415

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected a whole number, 1 or more")
    return value
