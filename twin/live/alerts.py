"""Alerts people receive (issue 20): what the detectors found, remembered once, sent to whom the
rules say, grouped, deduplicated and acknowledged.

* An :class:`Alert` has a stable ``key`` (what, where, since when). The :class:`AlertBook` (the
  store's ``alerts/`` folder) remembers each key: seen again, it is the same alert (no new message).
  A *state* alert (a river forecast to cross a level, a bin full tomorrow) lasts while its detector
  keeps finding it: :meth:`AlertBook.close_others` closes those a detector no longer finds, and the
  next crossing is a new episode with its own message — one message per rule per episode, however
  many readings re-issue the forecast.
* A :class:`Rule` (read from a JSON file, :func:`read_rules`) says which alerts go where: detectors,
  sensors or assets (glob patterns), minimum severity, quiet hours (only ``critical`` alerts pass
  then; the others wait for the end of the quiet hours), and its channels.
* :func:`dispatch` sends, per rule, the alerts it has not yet sent, **grouped**: one message per
  (detector, group) — twelve bins of one street are one message.
* Channels: e-mail (SMTP, :class:`EmailChannel`), a webhook (JSON POST, :class:`WebhookChannel`),
  and a push topic (ntfy's HTTP publish: POST of the text to the topic's URL with ``Title``,
  ``Priority`` and ``Tags`` headers — a phone subscribed to the topic is notified,
  :class:`NtfyChannel`). A failed delivery is said and retried at the next pass; nothing is marked
  sent that was not.
* Acknowledging (:meth:`AlertBook.acknowledge`, ``twin alerts ack``, the app's Alertes tab) stops
  what has not yet been sent; each acknowledgement is a file of its own (``alerts/acks/``), so the
  app and a watching process never overwrite each other.

Rules file::

    {"rules": [{"name": "astreinte", "severity": "warning", "detectors": ["river_forecast", "fault"],
                "sensors": ["vilaine-*"], "quiet_hours": "22:00-07:00", "tz": "Europe/Paris",
                "to": [{"email": "astreinte@mairie.example", "smtp": "localhost:25"},
                       {"webhook": "https://hooks.example/twin"}, {"ntfy": "https://ntfy.example/redon-crues"}]}]}
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from pathlib import Path

from twin.errors import TwinError
from twin.storage import atomic_file
from twin.timeutil import LOCAL_TZ

SEVERITIES = ("info", "warning", "critical")
DETECTOR_LABELS = {"fault": "Défaut de capteur", "change": "Changement de comportement",
                   "bins_full": "Corbeilles pleines demain", "river_forecast": "Crue prévue",
                   "lighting": "Éclairage anormal"}
NTFY_PRIORITY = {"info": "3", "warning": "4", "critical": "5"}
TIMEOUT_S = 10.0


class AlertRuleError(TwinError, ValueError):
    """A rules file that cannot be used; the message names the file, the rule and the field."""


class DeliveryError(TwinError, RuntimeError):
    """A message a channel could not deliver (said, and retried at the next pass)."""


@dataclass(frozen=True)
class Alert:
    """One thing a detector found. ``key``: its identity (what, where, since when); ``group``: what
    messages group it by (a street, a river, a building); ``title`` and ``detail`` in French."""

    key: str
    detector: str
    severity: str
    title: str
    detail: str = ""
    sensor_id: str | None = None
    asset_id: str | None = None
    group: str = ""
    start: str | None = None
    historical: bool = False  # found in old readings (a store followed for the first time): kept, not sent

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"alert {self.key}: severity {self.severity!r} (expected one of {SEVERITIES})")


def alert_id(key: str, episode: int) -> str:
    """A short id people type (``twin alerts ack 3f2a9c1b``): the key's and episode's hash."""
    return hashlib.sha256(f"{key}#{episode}".encode()).hexdigest()[:8]


class AlertBook:
    """The alerts of a store (``<store>/alerts/book.json``) and their acknowledgements (``acks/``).

    Each entry: id, key, episode, the alert's fields, ``status`` (open | closed), ``first_seen``,
    ``last_seen``, ``closed_at``, ``sent`` ({rule: time}). One writer (the watching process); the
    acknowledgements are separate files any page may add."""

    def __init__(self, store_dir: str | Path):
        self.dir = Path(store_dir) / "alerts"
        self.path = self.dir / "book.json"
        doc = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        self.entries: list[dict] = doc.get("alerts", [])
        # sensors whose new readings the detectors have not yet looked at (a pass that stopped before
        # its alerts were saved leaves them here, and the next pass looks at them)
        self.pending_sensors: list[str] = doc.get("pending_sensors", [])

    def save(self) -> None:
        with atomic_file(self.path) as tmp:
            tmp.write_text(json.dumps({"alerts": self.entries, "pending_sensors": self.pending_sensors},
                                      ensure_ascii=False, indent=1), encoding="utf-8")

    def _open(self, key: str) -> dict | None:
        return next((e for e in reversed(self.entries) if e["key"] == key and e["status"] == "open"), None)

    def raise_alerts(self, alerts: list[Alert], now: str) -> list[dict]:
        """Record what the detectors found now; returns the entries that are new (a key not open)."""
        new = []
        for a in alerts:
            entry = self._open(a.key)
            if entry is not None:
                entry["last_seen"] = now
                continue
            episode = 1 + sum(1 for e in self.entries if e["key"] == a.key)
            entry = {"id": alert_id(a.key, episode), "episode": episode, **asdict(a), "status": "open",
                     "first_seen": now, "last_seen": now, "closed_at": None, "sent": {}}
            self.entries.append(entry)
            new.append(entry)
        return new

    def close_others(self, detector: str, still: set[str], now: str, *, within: set[str] | None = None) -> list[dict]:
        """Close the open alerts of ``detector`` whose key is not in ``still`` (a state that ended);
        ``within``: only those keys (e.g. the sensors looked at now)."""
        closed = []
        for e in self.entries:
            if e["detector"] == detector and e["status"] == "open" and e["key"] not in still \
                    and (within is None or e["key"] in within):
                e.update(status="closed", closed_at=now)
                closed.append(e)
        return closed

    def acknowledged(self) -> dict[str, dict]:
        """{alert id: acknowledgement} from the ``acks/`` files."""
        out = {}
        for f in sorted((self.dir / "acks").glob("*.json")):
            try:
                ack = json.loads(f.read_text(encoding="utf-8"))
                out[str(ack["id"])] = ack
            except (ValueError, KeyError, OSError):
                continue  # a file being written, or not ours: not an acknowledgement
        return out

    def acknowledge(self, alert: str, who: str, now: str) -> dict:
        """Acknowledge alert ``alert`` (its id); refused for an id the book does not know."""
        if not any(e["id"] == alert for e in self.entries):
            raise AlertRuleError(f"no alert {alert!r} in {self.path} (twin alerts list shows their ids)")
        ack = {"id": alert, "by": who, "at": now}
        with atomic_file(self.dir / "acks" / f"{alert}.json") as tmp:
            tmp.write_text(json.dumps(ack, ensure_ascii=False), encoding="utf-8")
        return ack

    def listing(self) -> list[dict]:
        """Every entry with its acknowledgement (``ack``: None when not acknowledged)."""
        acks = self.acknowledged()
        return [{**e, "ack": acks.get(e["id"])} for e in self.entries]


@dataclass
class EmailChannel:
    """E-mail through an SMTP server (``host:port``; no authentication: a relay of the local network)."""

    to: str
    smtp: str = "localhost:25"
    sender: str = "twin@localhost"

    @property
    def key(self) -> str:
        return f"email:{self.to}"

    def send(self, title: str, body: str, severity: str, payload: dict) -> None:
        host, _, port = self.smtp.rpartition(":") if ":" in self.smtp else (self.smtp, "", "25")
        msg = EmailMessage()
        msg["Subject"], msg["From"], msg["To"] = " ".join(title.split()), self.sender, self.to  # one line
        msg.set_content(body)
        try:
            with smtplib.SMTP(host, int(port), timeout=TIMEOUT_S) as smtp:
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"e-mail to {self.to} via {self.smtp}: {exc}") from None


def _post(url: str, data: bytes, headers: dict, what: str) -> None:
    req = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:  # noqa: S310 (the user's own endpoint)
            if resp.status >= 300:
                raise DeliveryError(f"{what} {url}: HTTP {resp.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"{what} {url}: HTTP {exc.code}") from None
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"{what} {url}: {exc}") from None


@dataclass
class WebhookChannel:
    """A JSON POST of the message and its alerts."""

    url: str

    @property
    def key(self) -> str:
        return f"webhook:{self.url}"

    def send(self, title: str, body: str, severity: str, payload: dict) -> None:
        data = json.dumps({"title": title, "text": body, "severity": severity, **payload}, ensure_ascii=False)
        _post(self.url, data.encode(), {"Content-Type": "application/json"}, "webhook")


@dataclass
class NtfyChannel:
    """A push topic: ntfy's publish API (POST the text to the topic URL, title and priority as headers)."""

    url: str

    @property
    def key(self) -> str:
        return f"ntfy:{self.url}"

    def send(self, title: str, body: str, severity: str, payload: dict) -> None:
        # HTTP headers are latin-1: a French title goes RFC 2047-encoded, which ntfy decodes
        from email.header import Header  # noqa: PLC0415

        headers = {"Title": Header(" ".join(title.split()), "utf-8").encode(maxlinelen=4000), "Priority": NTFY_PRIORITY[severity],
                   "Tags": payload.get("detector", "twin"), "Content-Type": "text/plain; charset=utf-8"}
        _post(self.url, body.encode(), headers, "push topic")


@dataclass
class Rule:
    """Who receives which alerts (see the module docstring)."""

    name: str
    channels: list
    detectors: tuple[str, ...] = ()
    sensors: tuple[str, ...] = ()  # glob patterns on the sensor id or the asset id
    severity: str = "info"
    quiet_hours: tuple[int, int] | None = None  # (start, end) minutes of the local day
    tz: str = LOCAL_TZ

    def matches(self, entry: dict) -> bool:
        if SEVERITIES.index(entry["severity"]) < SEVERITIES.index(self.severity):
            return False
        if self.detectors and entry["detector"] not in self.detectors:
            return False
        if self.sensors:
            names = [n for n in (entry.get("sensor_id"), entry.get("asset_id")) if n]
            return any(fnmatch.fnmatchcase(n, p) for n in names for p in self.sensors)
        return True

    def quiet(self, now: dt.datetime) -> bool:
        """Inside the quiet hours at ``now`` (an aware time)?"""
        if self.quiet_hours is None:
            return False
        import zoneinfo  # noqa: PLC0415

        local = now.astimezone(zoneinfo.ZoneInfo(self.tz))
        m, (a, b) = local.hour * 60 + local.minute, self.quiet_hours
        return a <= m < b if a < b else (m >= a or m < b)


def _hhmm(text: str, where: str) -> int:
    try:
        h, m = text.strip().split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        raise AlertRuleError(f"{where}: {text!r} is not a time HH:MM") from None
    if not 0 <= value < 24 * 60 or not 0 <= int(m) < 60:
        raise AlertRuleError(f"{where}: {text!r} is not a time of the day (00:00–23:59)")
    return value


def _channel(spec: dict, where: str):
    if not isinstance(spec, dict):
        raise AlertRuleError(f"{where}: a channel is an object such as {{\"email\": …}}, {{\"webhook\": …}} or {{\"ntfy\": …}}")
    if "email" in spec:
        smtp = str(spec.get("smtp", "localhost:25"))
        host, sep, port = smtp.rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise AlertRuleError(f"{where}: smtp {smtp!r} is not host:port (e.g. \"relais.mairie.fr:25\")")
        if "@" not in str(spec["email"]) or any(c in str(spec["email"]) for c in "\r\n,;"):
            raise AlertRuleError(f"{where}: email {str(spec['email'])[:80]!r} is not one e-mail address")
        return EmailChannel(str(spec["email"]), smtp, str(spec.get("from", "twin@localhost")))
    for kind, cls in (("webhook", WebhookChannel), ("ntfy", NtfyChannel)):
        if kind in spec:
            url = str(spec[kind])
            parsed = urllib.parse.urlsplit(url)
            try:
                parsed.port  # noqa: B018 (a port that is not a number raises here, not at the first alert)
            except ValueError:
                parsed = None
            if parsed is None or parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise AlertRuleError(f"{where}: {kind} {url[:120]!r} is not an http(s) URL")
            return cls(url)
    raise AlertRuleError(f"{where}: unknown channel {sorted(spec)} (expected email, webhook or ntfy)")


def read_rules(path: str | Path) -> list[Rule]:
    """The rules of a JSON file (see the module docstring); errors name the file, rule and field."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertRuleError(f"{path}: cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise AlertRuleError(f"{path}: not JSON ({exc})") from None
    rules = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(rules, list) or not rules:
        raise AlertRuleError(f"{path}: expected {{\"rules\": [ … ]}} with at least one rule")
    out = []
    for i, r in enumerate(rules, 1):
        where = f"{path}: rule {i}"
        if not isinstance(r, dict):
            raise AlertRuleError(f"{where}: a rule is an object")
        unknown = set(r) - {"name", "to", "detectors", "sensors", "severity", "quiet_hours", "tz"}
        if unknown:
            raise AlertRuleError(f"{where}: unknown field(s) {sorted(unknown)}")
        if not r.get("to"):
            raise AlertRuleError(f"{where}: 'to' lists no channel")
        severity = r.get("severity", "info")
        if severity not in SEVERITIES:
            raise AlertRuleError(f"{where}: severity {severity!r} (expected one of {', '.join(SEVERITIES)})")
        detectors = tuple(r.get("detectors", ()))
        bad = [d for d in detectors if d not in DETECTOR_LABELS]
        if bad:
            raise AlertRuleError(f"{where}: unknown detector(s) {bad} (expected {', '.join(DETECTOR_LABELS)})")
        quiet = None
        if r.get("quiet_hours"):
            a, sep, b = str(r["quiet_hours"]).partition("-")
            if not sep:
                raise AlertRuleError(f"{where}: quiet_hours {r['quiet_hours']!r} (expected HH:MM-HH:MM)")
            quiet = (_hhmm(a, f"{where}: quiet_hours"), _hhmm(b, f"{where}: quiet_hours"))
        out.append(Rule(str(r.get("name") or f"rule {i}"), [_channel(c, f"{where}: to[{k}]") for k, c in enumerate(r["to"])],
                        detectors, tuple(str(p) for p in r.get("sensors", ())), severity, quiet, str(r.get("tz", LOCAL_TZ))))
    return out


def compose(entries: list[dict]) -> tuple[str, str, str, dict]:
    """One message for alerts of one detector and group: (title, body, severity, payload)."""
    first = entries[0]
    label = DETECTOR_LABELS.get(first["detector"], first["detector"])
    where = f" — {first['group']}" if first.get("group") else ""
    title = f"{label}{where}" if len(entries) == 1 else f"{label} ({len(entries)}){where}"
    severity = max((e["severity"] for e in entries), key=SEVERITIES.index)
    body = "\n".join(f"• {e['title']}" + (f" : {e['detail']}" if e.get("detail") else "") + f" [{e['id']}]"
                     for e in entries)
    body += "\n\nAcquitter : twin alerts ack <id> (ou l'onglet Alertes de l'application)."
    payload = {"detector": first["detector"], "group": first.get("group", ""),
               "alerts": [{k: e.get(k) for k in ("id", "key", "severity", "title", "detail", "sensor_id", "asset_id",
                                                  "start", "first_seen")} for e in entries]}
    return title, body, severity, payload


@dataclass
class DispatchReport:
    sent: list[dict] = field(default_factory=list)  # {rule, channel, title, alerts}
    failed: list[dict] = field(default_factory=list)  # {rule, channel, error}
    held: list[str] = field(default_factory=list)  # alert ids held by quiet hours


def dispatch(book: AlertBook, rules: list[Rule], now: dt.datetime, on_sent=None) -> DispatchReport:
    """Send each channel of each rule the open, unacknowledged alerts the rule matches and that
    channel has not yet taken, one message per (detector, group); an alert is marked sent to a
    channel (``sent["email:…"]``, ``sent["webhook:…"]`` …: the channel itself, so a rule renamed or a
    second rule to the same address sends nothing twice) only once that channel took it, and
    ``on_sent()`` is called then (the watcher saves the book: a stop right after loses no mark).
    A failed channel — whatever the error — is said and retried at the next pass. Alerts found in
    old readings (``historical``) are kept in the book, never sent."""
    report = DispatchReport()
    acks = book.acknowledged()
    stamp = now.isoformat(timespec="seconds")
    for rule in rules:
        matching = [e for e in book.entries if e["status"] == "open" and e["id"] not in acks
                    and not e.get("historical") and rule.matches(e)]
        if rule.quiet(now):
            report.held += [e["id"] for e in matching if e["severity"] != "critical"]
            matching = [e for e in matching if e["severity"] == "critical"]
        for channel in rule.channels:
            slot = channel.key
            groups: dict[tuple, list[dict]] = {}
            for e in matching:
                if slot not in e["sent"]:
                    groups.setdefault((e["detector"], e.get("group", "")), []).append(e)
            for entries in groups.values():
                title, body, severity, payload = compose(entries)
                try:
                    channel.send(title, body, severity, payload)
                except Exception as exc:  # noqa: BLE001 - any failure of one channel is that channel's
                    why = str(exc) if isinstance(exc, DeliveryError) else f"{slot}: {type(exc).__name__}: {exc}"
                    report.failed.append({"rule": rule.name, "channel": type(channel).__name__, "error": why[:500]})
                    continue
                report.sent.append({"rule": rule.name, "channel": type(channel).__name__, "title": title,
                                    "alerts": [e["id"] for e in entries]})
                for e in entries:
                    e["sent"][slot] = stamp
                if on_sent is not None:
                    on_sent()
    return report
