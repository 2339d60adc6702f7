"""A workshop's shared state: its participants, their votes, its frozen snapshots, and the spread of
what was proposed.

Kept beside the saved variants, in ``<store>/atelier/``, as small JSON files written atomically
(:func:`twin.storage.atomic_file`):

* ``participants/<key>.json`` — one per participant (``{"name", "joined"}``);
* ``votes/<variant id>/<key>.json`` — one per vote (``{"name", "at"}``, and ``"session"`` outside a
  workshop: see :meth:`WorkshopState.cast_here`): two sessions voting at the same instant write two
  different files, so no vote is ever lost to a read-modify-write race;
* ``instantanes/<YYYY-MM-DDTHH-MM-SS>/`` — a frozen snapshot: a copy of the variants (with their
  outcomes), the votes and the participants at that time, written in one rename
  (:func:`twin.storage.atomic_directory`) and left read-only;
* ``manche.json`` — the round: its number, whether its vote is closed (by the last freeze) and when.

Freezing closes the vote: the snapshot is what the meeting decided, so a vote cast after it would be
counted nowhere. While it is closed, votes and new participants are refused (``workshop_vote_closed``,
``workshop_join_closed``: the page says « Vote clos le … »); a participant who had joined is still
recognised (a page reloaded). The facilitator's « Rouvrir » starts the next round: the votes are
kept as they were frozen and may be changed; the snapshot stays as it was.

A participant is known by their name (``key`` is a hash of its normalised form): the workshop is
a meeting in one room on a local network, entered with a join code; who proposed a variant is its
``author``. Once joined, their page's address carries their name and a token
(:func:`participant_token`, a keyed hash of the name) so that a reloaded page knows them again
without the code. Every session of the server reads the same files: a vote cast at one desk is counted
on the wall screen at its next refresh.

Voting rule: one voice per participant and variant, as many variants as one wishes (approval
voting); a second click takes the voice back while the vote is open.

Without ``--workshop`` there is no code: anyone joins under any name, so a name proves nothing. A
vote then records a tag of the browser session that cast it (:func:`session_tag`), and only that
session may take it back; names that look alike are flagged (:func:`similar_names`).

Errors a person can cause raise :class:`WorkshopError`, whose ``key`` names the catalogue string
(``twin.app.catalogue.workshop``) the page shows, in French or English.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import re
import shutil
import statistics
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from twin.storage import atomic_directory, atomic_file
from twin.timeutil import local_clock_text

RECENT_NS = 2_000_000_000  # a directory changed less than 2 s ago is looked at again (see changed_since)
NAME_MAX_CHARS = 40  # a first name and a surname, or a service's name
STAMP_FORMAT = "%Y-%m-%dT%H-%M-%S"  # a snapshot's directory name: sortable, no ':' (not allowed on every disk)
_STAMP_RE = re.compile(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-\d+)?")


class WorkshopError(ValueError):
    """A refused workshop action; ``key`` and ``kw`` are its catalogue string and fields; ``at``: a time
    (epoch seconds) the message gives as ``{when}``, written in the page's language by :meth:`text`."""

    def __init__(self, key: str, at: float | None = None, **kw):
        super().__init__(f"{key} {kw}" if kw else key)
        self.key = key
        self.kw = kw
        self.at = at

    def text(self, lang: str) -> str:
        """The refusal in ``lang``, its time too (« 06/12/2026 18:05 », « 2026-12-06 18:05 »)."""
        from twin.app.i18n import t  # noqa: PLC0415

        return t(self.key, lang, **self.kw, **({"when": when_text(self.at, lang)} if self.at is not None else {}))


def clean_name(name: str) -> str:
    """A participant's name as shown: NFC, spaces collapsed; refused when empty, too long or holding
    control characters (``WorkshopError('workshop_bad_name')``)."""
    text = " ".join(unicodedata.normalize("NFC", str(name or "")).split())
    if not text or len(text) > NAME_MAX_CHARS or any(unicodedata.category(c).startswith("C") for c in text):
        raise WorkshopError("workshop_bad_name", max=NAME_MAX_CHARS)
    return text


def participant_key(name: str) -> str:
    """The file name of a participant: same for « Anne Martin » and « anne  martin »."""
    return hashlib.sha256(clean_name(name).casefold().encode()).hexdigest()[:16]


def same_person(a: str, b: str) -> bool:
    """Whether two names are the same participant (an empty name is nobody)."""
    try:
        return participant_key(a) == participant_key(b)
    except WorkshopError:
        return False


def participant_token(name: str, secret: str) -> str:
    """A short proof that ``name`` joined with the code (HMAC-SHA256 of the name's key under the
    server's ``secret``, 16 hex digits): put in the page's address with the name, it lets a reloaded
    page rejoin without the code, and cannot be made for another name without the secret."""
    return hmac.new(str(secret).encode(), participant_key(name).encode(), hashlib.sha256).hexdigest()[:16]


def token_matches(name: str, token: str, secret: str) -> bool:
    """Whether ``token`` is :func:`participant_token` of ``name`` (False for a refused name or no secret)."""
    try:
        return bool(secret) and hmac.compare_digest(str(token or "").encode(), participant_token(name, secret).encode())
    except WorkshopError:
        return False


def session_tag(session: str) -> str:
    """What a vote records of the browser session that cast it: a hash of the session's key (16 hex
    digits), so that the vote files do not hold the key a page's address carries."""
    return hashlib.sha256(f"twin-vote-session:{session}".encode()).hexdigest()[:16]


def name_words(name: str) -> tuple[str, ...]:
    """A name's words as compared for look-alikes: case, accents and punctuation dropped; a trailing
    number too (« Jean Martin 2 ») when two words remain — « Table 1 » and « Table 2 » stay apart."""
    text = "".join(c for c in unicodedata.normalize("NFKD", str(name or "")).casefold() if not unicodedata.combining(c))
    words = re.sub(r"[\W_]+", " ", text).split()
    stem = re.sub(r"\d+$", "", " ".join(words)).split()
    return tuple(stem) if len(stem) >= 2 else tuple(words)


def _words_match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Word by word the same, or one an initial of the other (« j » and « jean »), with at least one
    whole word in common: « J. M. » matches nobody, « J. Martin » matches « Jean Martin »."""
    if len(a) != len(b):
        return False
    whole = False
    for x, y in zip(a, b):
        if x == y:
            whole = whole or len(x) > 1
        elif not (min(len(x), len(y)) == 1 and x[0] == y[0]):
            return False
    return whole or a == b


def names_alike(a: str, b: str) -> bool:
    """Whether two participants' names may be one person typed twice: the same words once
    :func:`name_words` normalised them, an initial for a first name, or first name and surname swapped
    (« Martin Jean »). Conservative: « Marie Dupont » and « Marc Dupuis », « Jean » and « Jeanne
    Martin », « Table 1 » and « Table 2 » are not alike."""
    wa, wb = name_words(a), name_words(b)
    if not wa or not wb:
        return False
    return _words_match(wa, wb) or (len(wb) > 1 and _words_match(wa, wb[::-1]))


def similar_names(names) -> list[list[str]]:
    """The groups of ``names`` that look alike (:func:`names_alike`, joined transitively: « Jean
    Martin », « Jean Martin 2 », « J. Martin »), each in the order of ``names``, groups in the order
    of their first name; names alike with no other are left out."""
    names = list(names)
    group = list(range(len(names)))  # union-find over the names' positions

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if names_alike(names[i], names[j]):
                group[root(j)] = root(i)
    found: dict[int, list[str]] = {}
    for i, n in enumerate(names):
        found.setdefault(root(i), []).append(n)
    return [g for g in found.values() if len(g) > 1]


def when_text(epoch: float, lang: str = "fr", seconds: bool = False) -> str:
    """« 03/12/2026 19:40 » (« 2026-12-03 19:40 » on the English page): a time of the workshop as its messages
    say it (local time); ``seconds``: to the second (a frozen round's stamp)."""
    day = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
    return local_clock_text(f"{day} %H:%M" + (":%S" if seconds else ""), epoch)


def code_matches(given: str, expected: str) -> bool:
    """A join or facilitator code typed (spaces ignored) against the expected one, in constant time."""
    given = "".join(str(given or "").split())
    return bool(expected) and hmac.compare_digest(given.encode(), str(expected).encode())


class JoinGuard:
    """At most ``limit`` wrong join codes per ``window_s`` seconds from one device (its address), and
    ``server_limit`` from all of them: a 6-digit code cannot be guessed by trying (a million codes at 100
    a minute is about a week, a workshop lasts hours), while a participant who mistypes it can try again a
    minute later — and the others are not locked out by them (ten wrong codes from one phone made the right
    code wait 55 s on every other device of the room). One per server process; ``clock`` for tests."""

    def __init__(self, limit: int = 10, window_s: float = 60.0, clock=time.monotonic, server_limit: int = 100):
        self.limit, self.window_s, self.clock, self.server_limit = limit, window_s, clock, server_limit
        self._failures: dict[str, list[float]] = {}  # device -> times of its wrong codes
        self._lock = threading.Lock()

    def check(self, given: str, expected: str, device: str = "") -> None:
        """Pass when ``given`` is the code; raise ``workshop_bad_code`` or ``workshop_too_many_tries`` (this
        device's, or the server's, wrong codes at their limit: even the right code waits, so guessing gains
        nothing)."""
        with self._lock:
            now = self.clock()
            self._failures = {d: kept for d, times in self._failures.items()
                              if (kept := [t for t in times if now - t < self.window_s])}
            mine = self._failures.get(device, [])
            every = sorted(t for times in self._failures.values() for t in times)
            for times, limit in ((mine, self.limit), (every, self.server_limit)):
                if len(times) >= limit:
                    raise WorkshopError("workshop_too_many_tries",
                                        seconds=math.ceil(self.window_s - (now - times[-limit])))
            if not code_matches(given, expected):
                self._failures.setdefault(device, []).append(now)
                raise WorkshopError("workshop_bad_code")


@dataclass(frozen=True)
class Snapshot:
    """A frozen workshop: its directory, its time stamp, and what it holds."""

    path: Path
    stamp: str  # STAMP_FORMAT, UTC (shown on the local clock from its frozen_at)

    @property
    def variants_dir(self) -> Path:
        return self.path / "variants"

    def meta(self) -> dict:
        return json.loads((self.path / "atelier.json").read_text(encoding="utf-8"))

    def votes(self) -> dict[str, list[str]]:
        return self.meta()["votes"]


class WorkshopState:
    """The participants, votes and snapshots of the workshop held beside the variant store ``store_dir``."""

    def __init__(self, store_dir: str | Path):
        self.store_dir = Path(store_dir)
        self.dir = self.store_dir / "atelier"

    # --- the round -------------------------------------------------------------------------------
    def round_state(self) -> dict:
        """``{"round": n, "closed": bool, "closed_at": epoch | None, "opened_at": epoch | None,
        "snapshot": stamp | None}``: round 1, open, before any freeze."""
        state = {"round": 1, "closed": False, "closed_at": None, "opened_at": None, "snapshot": None}
        try:
            d = json.loads((self.dir / "manche.json").read_text(encoding="utf-8"))
            state.update({k: d[k] for k in state if k in d})
        except (OSError, ValueError, TypeError):
            pass  # no round written yet (or a damaged file): the first, open
        return state

    def _write_round(self, state: dict) -> None:
        with atomic_file(self.dir / "manche.json") as tmp:
            tmp.write_text(json.dumps(state), encoding="utf-8")

    def _refuse_when_closed(self, key: str) -> None:
        state = self.round_state()
        if state["closed"]:
            raise WorkshopError(key, at=state["closed_at"], round=state["round"])

    def refuse_proposal_when_closed(self) -> None:
        """A participant's new variant is refused while the vote is closed (``workshop_save_closed``):
        the frozen snapshot is what was voted on, and a proposal nobody can vote for would wait
        unseen until the next round. The facilitator may still save (a desk's own work)."""
        self._refuse_when_closed("workshop_save_closed")

    def refuse_discard_when_closed(self) -> None:
        """A participant may not set a variant aside while the vote is closed (``workshop_discard_closed``):
        the frozen snapshot and its votes are what the meeting decides on. The facilitator still may."""
        self._refuse_when_closed("workshop_discard_closed")

    def reopen(self, when: float | None = None) -> dict:
        """Start the next round after a freeze (votes kept, open again); returns the new round state.
        Nothing changes when the vote is open."""
        state = self.round_state()
        if not state["closed"]:
            return state
        state = {**state, "round": state["round"] + 1, "closed": False,
                 "opened_at": time.time() if when is None else when}
        self._write_round(state)
        return state

    # --- participants ---------------------------------------------------------------------------
    def join(self, name: str) -> str:
        """Record participant ``name`` (again: the same person); returns the name as shown. A new
        participant is refused while the vote is closed (``workshop_join_closed``)."""
        name = clean_name(name)
        path = self.dir / "participants" / f"{participant_key(name)}.json"
        if not path.exists():
            self._refuse_when_closed("workshop_join_closed")
            with atomic_file(path) as tmp:
                tmp.write_text(json.dumps({"name": name, "joined": time.time()}, ensure_ascii=False), encoding="utf-8")
        return name

    def participants(self) -> list[str]:
        """The names of the participants, in the order they joined."""
        rows = []
        for p in (self.dir / "participants").glob("*.json"):
            try:
                d = json.loads(p.read_text(encoding="utf-8"))
                rows.append((float(d["joined"]), clean_name(d["name"])))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged file is not a participant; it stays on disk untouched
        return [n for _, n in sorted(rows)]

    # --- votes ----------------------------------------------------------------------------------
    def _vote_path(self, vid: str, name: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{10}", str(vid)):
            raise KeyError(f"not a variant id: {vid!r}")
        return self.dir / "votes" / vid / f"{participant_key(name)}.json"

    def vote(self, vid: str, name: str, on: bool = True, session: str | None = None) -> None:
        """``name`` votes for variant ``vid`` (``on=False``: takes the vote back). One vote per
        participant and variant: voting twice is one vote. Refused while the vote is closed
        (``workshop_vote_closed``: the workshop was frozen).

        ``session`` (outside a workshop: the browser session's secret key) is recorded with the vote
        as :func:`session_tag`, and taking the vote back is then refused to another session
        (``workshop_not_your_vote``); None (a workshop, where the code and token prove the name)
        ties the vote to the name only."""
        path = self._vote_path(vid, name)
        self._refuse_when_closed("workshop_vote_closed")
        if not on:
            if path.exists() and not self.cast_here(vid, name, session):
                raise WorkshopError("workshop_not_your_vote")
            path.unlink(missing_ok=True)
            return
        if path.exists():  # already counted: the first vote keeps its time (the order voters are listed in)
            return
        record = {"name": clean_name(name), "at": time.time()}
        if session:
            record["session"] = session_tag(session)
        with atomic_file(path) as tmp:
            tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    def has_voted(self, vid: str, name: str) -> bool:
        try:
            return self._vote_path(vid, name).exists()
        except (WorkshopError, KeyError):
            return False

    def cast_here(self, vid: str, name: str, session: str | None) -> bool:
        """Whether ``name``'s vote for ``vid`` exists and may be taken back by ``session``: any session
        when ``session`` is None (a workshop) or when the vote recorded none (cast in a workshop, or
        saved before votes recorded it — still by name, as then); else only the session that cast it."""
        if session is None:  # a workshop: no file read for every card at every poll
            return self.has_voted(vid, name)
        try:
            path = self._vote_path(vid, name)
            recorded = json.loads(path.read_text(encoding="utf-8")).get("session")
        except (WorkshopError, KeyError, OSError, ValueError, AttributeError):
            return False
        if not recorded:
            return True
        return hmac.compare_digest(str(recorded).encode(), session_tag(session).encode())

    def votes(self) -> dict[str, list[str]]:
        """{variant id: names of its voters, in the order they voted}."""
        out = {}
        for d in sorted((self.dir / "votes").glob("*")):
            rows = []
            for p in d.glob("*.json"):
                try:
                    v = json.loads(p.read_text(encoding="utf-8"))
                    rows.append((float(v["at"]), clean_name(v["name"])))
                except (OSError, ValueError, KeyError, TypeError):
                    continue
            if rows:
                out[d.name] = [n for _, n in sorted(rows)]
        return out

    def forget_votes(self, vid: str) -> None:
        """Drop the votes of a deleted variant."""
        if re.fullmatch(r"[0-9a-f]{10}", str(vid)):
            shutil.rmtree(self.dir / "votes" / vid, ignore_errors=True)

    def changed_since(self, previous):
        """(changed, stamp): whether any variant, participant, vote, snapshot or round was written since
        ``previous`` (a stamp returned before; None: changed). Only directories are looked at — a
        file written atomically is renamed into its directory, which changes the directory's time —
        so a page polling every few seconds costs a few ``stat`` calls, not a read of every file."""
        dirs = [self.store_dir, self.dir, self.dir / "participants", self.dir / "instantanes", self.dir / "votes"]
        votes = self.dir / "votes"
        if votes.is_dir():
            dirs += sorted(p for p in votes.iterdir() if p.is_dir())
        stamp = []
        for d in dirs:
            try:
                stamp.append((str(d), d.stat().st_mtime_ns))
            except OSError:
                stamp.append((str(d), None))
        stamp = tuple(stamp)
        changed = previous is None or stamp != previous
        # a directory's time ticks coarsely (a few ms): a write in the same tick as this look would leave
        # it unchanged; while anything is that recent, the next look reads everything again
        recent = max((m for _, m in stamp if m is not None), default=0) > time.time_ns() - RECENT_NS
        return changed, (None if recent else stamp)

    # --- snapshots ------------------------------------------------------------------------------
    def freeze(self, store, when: float | None = None) -> Snapshot:
        """A dated, read-only copy of the variants (with their outcomes), votes and participants; the
        vote is closed from then on (:meth:`reopen` starts the next round).

        Discarded variants are left out (the workshop set them aside). Two freezes within one
        second get distinct directories (``…-2``)."""
        when = time.time() if when is None else when
        stamp = time.strftime(STAMP_FORMAT, time.gmtime(when))  # UTC: names sort in time order, clock changes too
        base, n = stamp, 1
        while (self.dir / "instantanes" / stamp).exists():
            n += 1
            stamp = f"{base}-{n}"
        target = self.dir / "instantanes" / stamp
        variants = [v for v in store.list() if not v.discarded]
        votes = self.votes()
        with atomic_directory(target) as tmp:
            (tmp / "variants").mkdir()
            for v in variants:
                shutil.copy2(store._path(v.id), tmp / "variants" / f"{v.id}.json")
                out = store.outcome_path(v.id)
                if out.exists():
                    shutil.copytree(out, tmp / "variants" / f"{v.id}.outcome")
            meta = {"stamp": stamp, "frozen_at": when, "variants": [v.id for v in variants],
                    "votes": {v.id: votes.get(v.id, []) for v in variants}, "participants": self.participants()}
            (tmp / "atelier.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        _read_only(target)
        self._write_round({**self.round_state(), "closed": True, "closed_at": when, "snapshot": stamp})
        return Snapshot(target, stamp)

    def snapshots(self) -> list[Snapshot]:
        """The frozen snapshots, oldest first."""
        root = self.dir / "instantanes"
        found = [p for p in root.glob("*") if p.is_dir() and _STAMP_RE.fullmatch(p.name) and (p / "atelier.json").exists()]
        # "…T19-40-05-10" after "…T19-40-05-2": the same second's freezes in the order they were made
        return [Snapshot(p, p.name) for p in sorted(found, key=lambda p: (p.name[:19], int(p.name[20:] or 1)))]


def _read_only(root: Path) -> None:
    """Take the write bits off every file of a snapshot (the directories stay removable by their owner)."""
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            p.chmod(p.stat().st_mode & ~0o222)


def snapshot_store(snapshot: Snapshot):
    """The variants of a snapshot as a read-only :class:`twin.app.variants.VariantStore` (for ``list``,
    ``get`` and ``outcome``; saving into it fails on the read-only files)."""
    from twin.app.variants import VariantStore  # noqa: PLC0415

    return VariantStore(snapshot.variants_dir)


# --- the spread of what was proposed -------------------------------------------------------------

def value_key(value) -> str:
    """A parameter's value as one comparable text (lists and dicts as compact JSON): two variants
    proposed the same value when these are equal."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def default_value_key(family: str, name: str) -> str | None:
    """The declaration's default of ``name`` in ``family`` as :func:`value_key` (None when unknown)."""
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    cls = SCENARIOS.get(family)
    if cls is None or name not in cls.param:
        return None
    return value_key(json.loads(json.dumps(cls.param[name].default, default=str)))


def is_default(family: str, name: str, value) -> bool:
    """Whether ``value`` is the declaration's default of ``name``: the same value, or one people read
    the same (a lighting rule the form named « éteint 23:00–05:00 » and the default's « off
    23:00–05:00 » are one sentence: a schedule's name is a label, not what it does)."""
    default = default_value_key(family, name)
    if default is None:
        return False
    if value_key(value) == default:
        return True
    from twin.app.param_text import param_value_text  # noqa: PLC0415

    return param_value_text(family, name, value) == param_value_text(family, name, json.loads(json.dumps(
        _declared_default(family, name), default=str)))


def _declared_default(family: str, name: str):
    from twin.scenarios import SCENARIOS  # noqa: PLC0415

    return SCENARIOS[family].param[name].default


def param_spread(variants, lang: str = "fr") -> list[dict]:
    """Per family and parameter: the values proposed, in plain words, and how many variants proposed each.

    Rows ``{"family", "param", "label", "n", "values": [(text, count), …] most proposed first,
    "varied", "default"}``: ``label`` and each text from :mod:`twin.app.param_text` in ``lang`` (French
    labels, units, rules as sentences — never a code name nor JSON); ``varied``: not every variant
    proposed the same value; ``default``: every variant kept the declaration's default (:func:`is_default`).
    Values are counted as people read them: two values said the same are one (a rule list whose
    schedules are only named differently); an uploaded file's content is said by its length and a
    short fingerprint, one value per distinct content.
    """
    from twin.app.param_text import param_label, param_value_text  # noqa: PLC0415
    from twin.app.uploads import CONTENT_KEYS  # noqa: PLC0415

    groups: dict[tuple[str, str], dict[str, list]] = {}
    for v in variants:
        for k, val in v.params.items():
            if k == "variant_name":  # a run's name, not a choice: the saved names are the variants'
                continue
            key = value_key(val)
            counts = groups.setdefault((v.family, k), {})
            if key not in counts:
                text = param_value_text(v.family, k, val, lang)
                if k in CONTENT_KEYS and val:  # two calendars of the same length are two values
                    text += f" #{hashlib.sha256(str(val).encode()).hexdigest()[:6]}"
                counts[key] = [text, 0, val]
            counts[key][1] += 1
    rows = []
    for (fam, k), c in groups.items():
        shown: dict[str, int] = {}
        for text, n, _ in c.values():
            shown[text] = shown.get(text, 0) + n
        # varied and default as people read the values (two rule lists differing by a schedule's name are one)
        rows.append({"family": fam, "param": k, "label": param_label(fam, k, lang), "n": sum(shown.values()),
                     "values": sorted(shown.items(), key=lambda kv: (-kv[1], kv[0])), "varied": len(shown) > 1,
                     "default": all(is_default(fam, k, val) for _, _, val in c.values())})
    # per family, what sets the variants apart first, then what one of them changed, then the rest
    return sorted(rows, key=lambda r: (r["family"], not r["varied"], r["default"], r["label"].casefold()))


def own_variant(v) -> str:
    """The variant of a saved run that is its proposal: its first that is not the baseline (the
    others — a lighting's « tout LED », a heating's retrofit — are computed beside it)."""
    return next((r["variant"] for r in v.kpis if r["variant"] != r.get("baseline_name")), "")


def kpi_spread(variants) -> list[dict]:
    """Per family, computed variant and KPI: min, median and max of the saved variants' values (not
    the baseline), with the unit and how many saved variants gave a finite value.

    Each saved variant counts once per row: its own proposal under ``"variant": ""``; a variant its
    run computes beside it (the lighting's ``led_retrofit``, ticked by default) in rows of its own
    (``"variant": "led_retrofit"``), never mixed with the proposals — a lighting run gives two values
    per KPI, and counting both as proposals would count each proposal twice.

    Rows ``{"family", "variant", "kpi", "window", "unit", "impact", "n", "min", "median", "max", "infinite"}``
    (NaN when no variant gave a finite value); a total over hours (``window``, roadworks' ``*_window``) has a
    row per hours its variants cover ("" for any other KPI); a KPI that is infinite in some variant (a payback that
    never comes) counts those apart in ``"infinite"``.
    """
    groups: dict[tuple[str, str, str], dict] = {}
    for v in variants:
        own = own_variant(v)
        for r in v.kpis:
            if r["variant"] == r.get("baseline_name"):
                continue
            sub = "" if r["variant"] == own else str(r["variant"])
            # a total over the works' hours (``window``) is one measure per hours: 3 h and 24 h are not mixed
            window = str(r.get("window", "") or "")
            g = groups.setdefault((v.family, sub, r["kpi"], window),
                                  {"unit": r.get("unit", ""), "impact": r.get("impact", ""), "values": [], "infinite": 0})
            x = r.get("value")
            if isinstance(x, (int, float)) and not isinstance(x, bool):
                if math.isfinite(x):
                    g["values"].append(float(x))
                elif not math.isnan(x):
                    g["infinite"] += 1
    rows = []
    # per family and computed variant, the KPIs in the order the runs give them (their scenario's order)
    for (fam, sub, k, window), g in sorted(groups.items(), key=lambda kv: kv[0][:2]):
        xs = g["values"]
        rows.append({"family": fam, "variant": sub, "kpi": k, "window": window, "unit": g["unit"], "impact": g["impact"],
                     "n": len(xs),
                     "infinite": g["infinite"],
                     "min": min(xs) if xs else math.nan, "median": statistics.median(xs) if xs else math.nan,
                     "max": max(xs) if xs else math.nan})
    return rows


def may_discard(variant, name: str, facilitator: bool) -> bool:
    """Whether the person ``name`` (the facilitator or not) may set ``variant`` aside: the facilitator
    always; a participant only their own variant (one saved outside the workshop has no author: only
    the facilitator)."""
    return facilitator or (bool(getattr(variant, "author", "")) and same_person(variant.author, name))
