"""The builder's uploads: a scenario file (.json), a booking calendar (.ics) and a lamp
inventory (.csv, .geojson), each read as content in memory (never a path the server would open),
and the page's own refusal of a file above the size limit (:mod:`twin.app.security`).

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`UploadsPanel._build_uploads`.
"""

from __future__ import annotations

import json
import math
import re
import time

import panel as pn
from bokeh.models import Div as BokehDiv

from twin.app.builder import user_errors as _user_errors
from twin.app.i18n import family_label, t
from twin.app.i18n_errors import user_message
from twin.app.security import MAX_UPLOAD_BYTES, upload_guard_script
from twin.app.uploads import read_scenario_upload, read_upload, refusal, server_file_parameters

UPLOAD_GUARD = "twin-upload-guard"  # the hidden model the page's size check writes a refused file into
# A browser writes its own words on a file button (« Choose File / No file chosen » in an English
# browser) and no attribute changes them: the native words are made transparent and the page's own
# drawn over the button, which still takes the click (the drawing lets clicks through). The chosen
# file's name is not needed: each upload is read at once, said in the page, and the button emptied.
FILE_BUTTON_CSS = """
.bk-input-group {{ position: relative; }}
input[type=file] {{ color: transparent; cursor: pointer; min-height: 34px; border: none; padding: 0; }}
input[type=file]::file-selector-button {{ color: transparent; cursor: pointer; min-height: 34px;
  border: 1px solid #8a8a8a; border-radius: 4px; background: #f3f3f3; padding: 0 12px; width: 100%; }}
.bk-input-group::after {{ content: "{label}"; position: absolute; left: 0; right: 0; bottom: 0; height: 34px;
  line-height: 34px; text-align: center; font-size: 14px; color: #1a1a1a; pointer-events: none;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
"""


def file_button(accept: str, name: str, css_class: str, L: str) -> pn.widgets.FileInput:
    """A file button titled ``name`` whose button says « Choisir un fichier… » in language ``L``
    (not the browser's own words)."""
    return pn.widgets.FileInput(accept=accept, name=name, css_classes=[css_class],
                                stylesheets=[FILE_BUTTON_CSS.format(label=t("choose_file", L))])



def named_calendar(text: str, file_name: str) -> str:
    """An uploaded calendar's content, its file name kept inside it as the calendar's name
    (``X-WR-CALNAME``, after ``BEGIN:VCALENDAR``) when it has none: a variant that followed it says which
    (the comparison read « contenu déposé (525 caractères) »). Readers of iCalendar ignore the line's
    meaning; ours reads only the events."""
    if re.search(r"^X-WR-CALNAME:", text, re.MULTILINE) or not re.search(r"^BEGIN:VCALENDAR\r?$", text, re.MULTILINE):
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    safe = re.sub(r"[\r\n]", " ", file_name)[:60]
    return re.sub(r"^(BEGIN:VCALENDAR)(\r?)$", lambda m: f"{m.group(1)}{newline}X-WR-CALNAME:{safe}{m.group(2)}",
                  text, count=1, flags=re.MULTILINE)

class UploadsPanel:
    """The builder's upload buttons and what they do with a file (a mixin of the page).

    Reads from the page: ``SCENARIOS``, ``lang``, ``territory``, ``scenario``, and the builder's
    ``family``, ``_family_changed``, ``_show`` and the run cycle's ``_on_page``.
    """

    def _build_uploads(self, L: str):
        """The upload buttons and the page's size check, labelled in language ``L``."""
        self.upload = file_button(".json", t("upload", L), "scenario-upload", L)
        # the page's own check of a file's size before it is sent (see twin.app.security): it writes a
        # refused file's name and size here, and the server says why in the page
        self.upload_guard = BokehDiv(text="", name=UPLOAD_GUARD, visible=False)
        self.upload_guard.on_change("text", self._upload_refused_in_page)
        # shown (a hidden pane may never be drawn, and its script never run), but of no size
        self.upload_guard_pane = pn.Row(pn.pane.Bokeh(self.upload_guard, height=0, margin=0),
                                        pn.pane.HTML(upload_guard_script(UPLOAD_GUARD), height=0, margin=0),
                                        height=0, margin=0)
        self.upload.param.watch(self._taking(self._uploaded, self.upload), "value")
        # files a scenario needs come as content, never as a path the server would open; each button's
        # label is its own (a label pane above it said it a second time)
        self.calendar_upload = file_button(".ics,.csv", t("calendar_upload", L), "calendar-upload", L)
        self.calendar_upload.param.watch(self._taking(self._calendar_uploaded, self.calendar_upload), "value")
        self.inventory_upload = file_button(".csv,.geojson", t("inventory_upload", L), "inventory-upload", L)
        self.inventory_upload.param.watch(self._taking(self._inventory_uploaded, self.inventory_upload), "value")
        self.inventory: tuple[str, str] | None = None  # (file name, content) of the uploaded lamp inventory
        self.calendar: tuple[str, str] | None = None  # (file name, content) of the uploaded booking calendar

    def _upload_refused_in_page(self, attr, old, new):
        """The page refused a file above the size limit before sending it (see
        :func:`twin.app.security.upload_guard_script`): say why. ``new`` is JSON the browser wrote."""
        try:
            info = json.loads(new) if new and len(new) < 2000 else None
            name, size = str(info["name"])[:200], float(info["size"])
        except (ValueError, TypeError, KeyError):
            return  # not what the page's check writes: nothing to say
        from twin.app.i18n import fmt_number  # noqa: PLC0415

        why = t("too_big", self.lang, file=name, size=fmt_number(math.ceil(size / 1e5) / 10, self.lang),
                limit=fmt_number(MAX_UPLOAD_BYTES / 1e6, self.lang))
        self._on_page(self._show, t("bad_file", self.lang, why=why))

    def _uploaded(self, event):
        from twin.scenarios.base import ScenarioError  # noqa: PLC0415

        name = self.upload.filename or "?"
        try:
            # size, encoding, JSON, depth (a JSON bomb), object: each refused with its own message
            spec = read_scenario_upload(bytes(event.new or b""), name, self.lang)
            named = server_file_parameters(spec)
            if named:  # refused before anything reads the spec further: no file is opened, none is quoted
                self._show(t("bad_file", self.lang, why=refusal(named, self.lang)))
                return
            family = spec.get("family")
            if family not in self.SCENARIOS:
                raise ScenarioError(f"unknown scenario family {family!r} (known: {sorted(self.SCENARIOS)})")
            self.SCENARIOS[family].from_dict(spec, origin=name)  # validate before touching the page
            try:
                self._check_streets(family, spec)
            except ScenarioError as exc:  # the file named, as the other refusals of a file do
                self._show(t("bad_file", self.lang, why=f"{name}{' :' if self.lang == 'fr' else ':'} "
                                                         f"{user_message(exc, self.lang)}"))
                return
        except (*_user_errors(), TypeError, ValueError) as exc:
            self._show(t("bad_file", self.lang, why=user_message(exc, self.lang)))
            return
        except RecursionError:  # a nesting the depth check let through still ends as a message
            self._show(t("bad_file", self.lang, why=t("too_deep", self.lang, file=name, depth="?")))
            return
        self.family.param.update(value=family)
        self._family_changed(values={k: v for k, v in spec.items() if k != "family"})
        self._show(t("loaded", self.lang, family=family_label(family, self.lang), file=name), "success")

    STREET_LISTS = {"street-closure": ("streets",), "roadworks": ("streets", "detour"), "water-break": ("broken_street",)}
    """The fields of a file that name the territory's streets: checked on loading, as a run would (a street
    that does not exist was « chargé » in green, then refused at « Lancer »)."""

    def _check_streets(self, family: str, spec: dict) -> None:
        """ScenarioError naming a street of ``spec`` the territory's drive graph does not hold."""
        from twin.scenarios.street_closure import StreetClosure  # noqa: PLC0415

        for field in self.STREET_LISTS.get(family, ()):
            if family == "water-break" and (spec.get("network_file") or spec.get("broken_pipe")):
                continue  # a network of its own names its streets itself; a pipe named: the street is not read
            if spec.get(field):  # a list of streets, or one (the break's « Rue des Moulin » emptied the picker)
                named = spec[field] if isinstance(spec[field], list) else [str(spec[field]).strip()]
                StreetClosure(streets=list(named)).closed_edges(self.territory.graphs["drive"])

    @staticmethod
    def _taking(handler, widget):
        """The watcher of an upload button: ``handler`` reads the file, then the button is emptied, so
        the same file name picked again (corrected after a refusal) is sent again — the browser sends
        nothing when the chosen file looks unchanged. The message says what was loaded."""
        def watcher(event):
            if not event.new:  # the emptying itself
                return
            try:
                handler(event)
            finally:
                widget.clear()

        return watcher

    def _upload_text(self, widget, value) -> tuple[str, str]:
        """(file name, text) of an upload, or ValueError saying why it is refused."""
        name = widget.filename or "?"
        return name, read_upload(bytes(value or b""), name, self.lang)

    def _calendar_uploaded(self, event):
        """A booking calendar (.ics) as content: checked in memory, then given to the scenario."""
        if not event.new or "booking_ics_text" not in self.scenario.param:
            return
        import pandas as pd  # noqa: PLC0415

        from twin.app.i18n import CALENDAR_SHARE_NOTED  # noqa: PLC0415
        from twin.scenarios.heating import calendar_year_error  # noqa: PLC0415
        from twin.sources.bookings import booking_span, read_bookings_text  # noqa: PLC0415
        from twin.sources.bookings_csv import bookings_csv_to_ics, looks_like_bookings_csv  # noqa: PLC0415

        try:
            name, text = self._upload_text(self.calendar_upload, event.new)
            year = int(getattr(self.scenario, "year", time.gmtime().tm_year))
            events = read_bookings_text(text, f"{year}-01-01", f"{year + 1}-01-01", origin=name)
            if events.empty:  # the run would heat every building it applies to to frost protection alone
                raise calendar_year_error(text, name, year)  # the run's own refusal
            hours = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left", tz="UTC")
            span = booking_span(events, hours)
            # a spreadsheet's bookings kept as the calendar they are (one form for the scenario, its saved
            # variants and the command line), named after the file
            text = bookings_csv_to_ics(text, name) if looks_like_bookings_csv(text.encode(), name) else \
                named_calendar(text, name)
        except (*_user_errors(), ValueError) as exc:
            self._show(t("bad_file", self.lang, why=user_message(exc, self.lang)))
            return
        self.calendar = (name, text)
        self.scenario.param.update(booking_ics="", booking_ics_text=text)
        day = "{2}/{1}/{0}" if self.lang != "en" else "{0}-{1}-{2}"
        first, last = (day.format(*span[k].split("-")) for k in ("first", "last"))
        partial = span["share"] < CALENDAR_SHARE_NOTED
        self._show(t("calendar_loaded", self.lang, file=name, n=len(events), year=year, first=first, last=last)
                   + (t("calendar_loaded_partial", self.lang) if partial else ""), "warning" if partial else "success")

    def _inventory_uploaded(self, event):
        """A lamp inventory (.csv, .geojson) as content: validated against the territory in memory; it
        replaces the generated lamps in the runs of the families that use lamps."""
        if not event.new:
            return
        from twin.sources.lamp_inventory import read_lamp_inventory_text  # noqa: PLC0415

        try:
            name, text = self._upload_text(self.inventory_upload, event.new)
            lamps = read_lamp_inventory_text(text, self.territory, origin=name)
        except (*_user_errors(), ValueError) as exc:
            self._show(t("bad_file", self.lang, why=user_message(exc, self.lang)))
            return
        self.inventory = (name, text)
        self._mark_stale()  # the cards shown were run on the other lamps
        self._show(t("inventory_loaded", self.lang, file=name, n=len(lamps)), "success")
