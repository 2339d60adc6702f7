"""The workshop tab: one card per saved variant (pinned first, moved, discarded), its author and votes;
joining the workshop with its code and a name; for the facilitator, the spread of what was proposed,
freezing the workshop into a dated snapshot, and the meeting pack.

A mixin of :class:`twin.app.main.TwinApp`; its widgets are built by :meth:`WorkshopPanel._build_workshop`.

Who is who:

* ``twin app --workshop`` sets ``TWIN_WORKSHOP_CODE`` (the join code participants type) and
  ``TWIN_WORKSHOP_FACILITATOR`` (the token of the facilitator's link, ``?animateur=…``). A
  participant enters the code and their name before voting or proposing; they may discard only
  their own variants. The facilitator (whoever opened the facilitator link) sees the spread,
  pins, moves and discards any variant, freezes the workshop and downloads the meeting pack.
* Without ``--workshop`` (one desk, one user) the person at the page is the facilitator; a name
  is asked for voting only. Nothing proves that name, so the tab says the votes are not checked
  (:meth:`WorkshopPanel._workshop_rule_html`), a vote is tied to the page (the browser session)
  that cast it — its key, kept in the address (``?session=…``) — and only that page may take it
  back; names that look alike are flagged in the participants list.

Every session reads the same files (:mod:`twin.app.workshop_state`): the tab looks for new votes
and variants every ``POLL_MS`` while it is shown, so a vote cast on one laptop is counted on the
others and on the wall screen within seconds.

Rounds: « Figer l'atelier » makes the dated snapshot the meeting pack uses and closes the vote —
every page then says « Vote clos le … », its vote buttons are disabled, and a vote or a new
participant is refused with that message; the facilitator's « Rouvrir le vote » starts the next
round (votes kept and open to change; the pages say which round is open and which snapshot holds
the previous one).

A participant's name survives a reload: once joined, the page's address carries ``?nom=…&jeton=…``
(:func:`twin.app.workshop_state.participant_token`, kept in the browser's address by Panel's
``Location``: no script of ours), and a page opened with them rejoins without the code.
"""

from __future__ import annotations

import asyncio
import html
import io
import os
import re
import secrets
import time

import panel as pn

from twin.app.cards import CARDS_CSS as PAGE_CSS
from twin.app.cards import message_html, workshop_card_html
from twin.app.i18n import t
from twin.app.report import ReportError, report_html
from twin.app.workshop_state import (JoinGuard, WorkshopError, WorkshopState, code_matches, may_discard,
                                     participant_token, similar_names, snapshot_store, token_matches, when_text)

WORKSHOP_TAB = 3  # position of the workshop tab (map, scenario, compare, workshop)
POLL_MS = 2500  # how often a shown workshop tab looks for other sessions' votes and variants
CODE_ENV, FACILITATOR_ENV = "TWIN_WORKSHOP_CODE", "TWIN_WORKSHOP_FACILITATOR"
FACILITATOR_ARG = "animateur"  # the facilitator link's query argument
NAME_ARG, TOKEN_ARG = "nom", "jeton"  # a joined participant's name and its proof, in the page's address
SESSION_ARG = "session"  # outside a workshop: the page's key, which ties its votes to it (kept across a reload)
_SESSION_RE = re.compile(r"[0-9a-f]{32}")
SPREAD_CSS = ("table{border-collapse:collapse;margin-bottom:8px}td,th{border-bottom:1px solid #ddd;padding:2px 10px;"
              "text-align:right}td:first-child,th:first-child,.l{text-align:left}h2{font-size:1.15em}")
JOIN_GUARD = JoinGuard()  # one per server: wrong codes are counted across every session


def workshop_settings() -> tuple[str, str]:
    """(join code, facilitator token) of this server; ("", "") when it serves no workshop."""
    return os.environ.get(CODE_ENV, ""), os.environ.get(FACILITATOR_ENV, "")


def _arg(args: dict, name: str) -> str:
    """A query argument of the page's address as text ("" when absent; Bokeh gives [bytes])."""
    given = (args.get(name) or [b""])[0]
    return given.decode(errors="replace") if isinstance(given, bytes) else str(given)


def facilitator_from(args: dict, token: str, workshop: bool) -> bool:
    """Whether a page is the facilitator's: outside a workshop, always (one desk, one person); in a
    workshop, when its address carries the facilitator's token (``?animateur=…``, Bokeh's
    ``session_args``: {name: [bytes]})."""
    if not workshop:
        return True
    given = (args.get(FACILITATOR_ARG) or [b""])[0]
    given = given.decode(errors="replace") if isinstance(given, bytes) else str(given)
    return code_matches(given, token)


class WorkshopPanel:
    """The workshop tab (a mixin of the page).

    Reads from the page: ``store``, ``territory``, ``lang``, ``doc``, ``tabs`` and the comparison's
    ``_refresh_variants`` (which draws the cards when the tab is shown).
    """

    def _build_workshop(self, L: str):
        """The workshop's head (join form, reports, facilitator's tools) and card box, in language ``L``."""
        self.workshop_state = WorkshopState(self.store.dir)
        self.workshop_code, token = workshop_settings()
        self.workshop_mode = bool(self.workshop_code)
        self._workshop_token = token
        self.workshop_facilitator = False  # until the page joins its session (``_workshop_bind``)
        self.participant = ""
        self._workshop_cards: dict = {}  # {variant id: (its votes pane, its vote button)} as drawn
        self._workshop_seen = None
        # outside a workshop any page may take any name: its votes are tied to this key instead (one per page)
        self._workshop_session = secrets.token_hex(16)

        self.workshop_join_code = pn.widgets.TextInput(name=t("workshop_code", L), css_classes=["workshop-code"],
                                                       placeholder=t("workshop_code_placeholder", L), width=220,
                                                       visible=False)
        self.workshop_join_name = pn.widgets.TextInput(name=t("workshop_name", L), css_classes=["workshop-name"],
                                                       placeholder=t("workshop_name_placeholder", L), width=220)
        self.workshop_join_button = pn.widgets.Button(name=t("workshop_join", L), button_type="primary",
                                                      css_classes=["workshop-join"], align="end")
        self.workshop_join_button.on_click(self._workshop_join)
        self.workshop_join_row = pn.Row(self.workshop_join_code, self.workshop_join_name, self.workshop_join_button)
        self.workshop_who = pn.pane.HTML("", css_classes=["workshop-who"], sizing_mode="stretch_width")
        # beside the name asked for voting: how votes count, and (without a code) that they are not checked
        self.workshop_rule = pn.pane.HTML(self._workshop_rule_html(L), css_classes=["workshop-rule"],
                                          sizing_mode="stretch_width", stylesheets=[PAGE_CSS])
        self.workshop_message = pn.pane.HTML("", css_classes=["workshop-message"], sizing_mode="stretch_width",
                                             visible=False, stylesheets=[PAGE_CSS])

        self.workshop_report_button = pn.widgets.FileDownload(
            callback=self._report_workshop, filename="twin-atelier.html", label=t("report", L),
            button_type="primary", css_classes=["report-workshop"])
        self.workshop_pack = pn.widgets.FileDownload(
            callback=self._workshop_pack_download, filename="dossier-seance.zip", label=t("workshop_pack", L),
            button_type="success", css_classes=["workshop-pack"])
        self.workshop_freeze = pn.widgets.Button(name=t("workshop_freeze", L), button_type="warning",
                                                 description=t("workshop_freeze_help", L),
                                                 css_classes=["workshop-freeze"])
        self.workshop_freeze.on_click(self._workshop_freeze)
        self.workshop_reopen = pn.widgets.Button(name=t("workshop_reopen", L), button_type="primary",
                                                 css_classes=["workshop-reopen"], visible=False)
        self.workshop_reopen.on_click(self._workshop_reopen)
        self.workshop_round = pn.pane.HTML("", css_classes=["workshop-round"], sizing_mode="stretch_width",
                                           visible=False, stylesheets=[PAGE_CSS])
        self.workshop_spread = pn.pane.HTML("", css_classes=["workshop-spread"], sizing_mode="stretch_width",
                                            stylesheets=[PAGE_CSS, SPREAD_CSS])
        # the tab's head, above the cards (the page places it as ``workshop_report``)
        self.workshop_report = pn.Column(
            self.workshop_join_row, self.workshop_who, self.workshop_rule, self.workshop_round,
            pn.Row(self.workshop_report_button, self.workshop_pack, self.workshop_freeze, self.workshop_reopen),
            self.workshop_message,
            self.workshop_spread, sizing_mode="stretch_width", css_classes=["workshop-head"])
        # a Column laid out as wrapping rows, not pn.FlexBox: FlexBox is a ReactiveHTML, whose templates the browser
        # compiles with ``new Function`` — the page's Content-Security-Policy allows no eval (the Column's
        # scroll button, which it would place first in the row, is hidden: the workshop does not scroll)
        self.workshop_box = pn.Column(sizing_mode="stretch_width", css_classes=["workshop"],
                                      stylesheets=[":host { flex-direction: row !important; flex-wrap: wrap !important; "
                                                   "align-items: flex-start !important; } .scroll-button { display: none; }"])
        self._workshop_set_role(False)

    def _workshop_rule_html(self, L: str) -> str:
        """The voting rule as :meth:`WorkshopState.vote` applies it; without ``--workshop``, first the
        warning that the votes are not checked (anyone votes under any name) and how to get a checked vote."""
        rule = t("workshop_rule", L) + ("" if self.workshop_mode else " " + t("workshop_rule_free", L))
        # the command in one piece (it wrapped as « twin app - / -workshop » on a projector), after the words
        # that say who types it: the residents reading the page do not
        warning = "" if self.workshop_mode else message_html(t("workshop_unchecked", L), "warning").replace(
            "</div>", " <code style='white-space:nowrap'>twin app --workshop</code></div>", 1)
        return f"{warning}<p class='workshop-rule'>{html.escape(rule)}</p>"

    def _workshop_voter_session(self) -> str | None:
        """The key a vote of this page is tied to: this page's own outside a workshop; None in a
        workshop, where the code and the address's token prove the name (one person may vote from
        a laptop and take the vote back from a phone)."""
        return None if self.workshop_mode else self._workshop_session

    def _workshop_bind(self, args: dict):
        """The page joins its browser session (``args``: its address's arguments): the facilitator's
        tools with the facilitator's token, a participant back by the name in the address, and — when
        served — the other sessions' votes followed."""
        doc = getattr(self, "doc", None)
        # the address the facilitator's browser reached: the one the participants type (a projector shows it)
        self._workshop_host = (getattr(self._workshop_request(), "headers", None) or {}).get("Host", "")
        self._workshop_set_role(facilitator_from(args, self._workshop_token, self.workshop_mode))
        self._workshop_recall(args)
        if doc is not None and doc.session_context is not None:  # served: follow the other sessions' votes
            pn.state.add_periodic_callback(self._workshop_poll, period=POLL_MS)

    # --- who is who ----------------------------------------------------------------------------------
    def _workshop_set_role(self, facilitator: bool):
        """Show the facilitator's tools, or the participant's join form (with the code field in a workshop)."""
        self.workshop_facilitator = facilitator
        self.workshop_join_code.visible = self.workshop_mode and not facilitator
        for w in (self.workshop_pack, self.workshop_spread):
            w.visible = facilitator
        self._workshop_show_round()
        self._workshop_show_who()

    def _workshop_show_round(self, state: dict | None = None):
        """The round's banner (« Vote clos le … » / « Manche 2 ouverte le … ») and the facilitator's
        freeze or reopen button, as the round is."""
        L = self.lang
        state = state or self.workshop_state.round_state()
        boss = self.workshop_facilitator
        self.workshop_freeze.visible = boss and not state["closed"]
        self.workshop_reopen.visible = boss and state["closed"]
        frozen = when_text(state["closed_at"], L) if state["closed_at"] else ""
        if state["closed"]:
            text = t("workshop_round_closed", L, when=frozen, round=state["round"]) + " " + (
                t("workshop_round_closed_boss", L, next=state["round"] + 1) if boss else
                t("workshop_round_closed_guest", L))
            kind = "warning"
        elif state["round"] > 1 and state["opened_at"]:
            text = t("workshop_round_open", L, round=state["round"], when=when_text(state["opened_at"], L), frozen=frozen,
                     previous=state["round"] - 1) + (" " + t("workshop_round_open_boss", L, frozen=frozen) if boss else "")
            kind = "info"
        else:
            text, kind = "", "info"
        self.workshop_round.param.update(object=message_html(text, kind) if text else "", visible=bool(text))
        return state

    def workshop_author(self) -> str | None:
        """The author a variant saved now carries: the participant's name; "" outside a workshop
        (or the facilitator without a name); None when a workshop participant has not joined yet
        (the page then asks them to)."""
        if self.participant:
            return self.participant
        if not self.workshop_mode or self.workshop_facilitator:
            return ""
        return None

    def _workshop_say(self, text: str, kind: str = "danger"):
        self.workshop_message.param.update(object=message_html(text, kind), visible=bool(text))

    def _workshop_show_who(self):
        L = self.lang
        if self.workshop_facilitator and self.workshop_mode:
            name = f" ({self.participant})" if self.participant else ""
            text = t("workshop_facilitator", L, name=name)
            if self.workshop_code:  # what to project: the terminal alone said it, in French only
                host = getattr(self, "_workshop_host", "")
                text += " " + t("workshop_project", L, url=f"http://{host}/" if host else "?",
                                code=f"{self.workshop_code[:3]} {self.workshop_code[3:]}")
        elif self.participant:
            text = t("workshop_joined", L, name=self.participant)
        else:
            text = ""
        self.workshop_who.object = f"<p><b>{html.escape(text)}</b></p>" if text else ""
        # the facilitator of a workshop runs it under no name: no join form above « Vous animez l'atelier »
        self.workshop_join_row.visible = not self.participant and not (self.workshop_facilitator and self.workshop_mode)

    def _workshop_request(self):
        """The HTTP request that opened this page (None when the page is not served: tests, notebooks)."""
        return getattr(getattr(getattr(self, "doc", None), "session_context", None), "request", None)

    def _workshop_device(self) -> str:
        """The address the page's browser connects from: wrong codes are counted per device."""
        return str(getattr(self._workshop_request(), "remote_ip", "") or "")

    def _workshop_join(self, event=None):
        """Join with the code (a participant of a served workshop) and a name."""
        try:
            if self.workshop_mode and not self.workshop_facilitator:
                JOIN_GUARD.check(self.workshop_join_code.value, self.workshop_code, self._workshop_device())
            self.participant = self.workshop_state.join(self.workshop_join_name.value)
        except WorkshopError as exc:
            self._workshop_say(exc.text(self.lang))
            return
        self._workshop_say("")
        self._workshop_keep_name()
        self._workshop_show_who()
        self._render_workshop()

    def _workshop_secret(self) -> str:
        """The key of the participants' tokens: this server's workshop secrets ("" outside a workshop)."""
        code, token = workshop_settings()
        return f"{token}:{code}" if self.workshop_mode and token else ""

    def _workshop_keep_name(self):
        """Put the participant's name (and, in a workshop, its token) in the page's address: a reload
        keeps them (Panel's Location updates the browser's address without reloading the page)."""
        location = getattr(pn.state, "location", None)
        doc = getattr(self, "doc", None)
        if location is None or doc is None or doc.session_context is None:
            return  # built in-process (tests): no browser address
        query = {NAME_ARG: self.participant}
        if self._workshop_secret():
            query[TOKEN_ARG] = participant_token(self.participant, self._workshop_secret())
        if self._workshop_voter_session():  # a reload keeps the page's votes its own
            query[SESSION_ARG] = self._workshop_voter_session()
        location.update_query(**query)
        self._address_changed(query)

    def _address_changed(self, query: dict[str, str]):
        """The page's address gained ``query``: the page redraws what links to it (see the page's
        language link, :meth:`twin.app.main.TwinApp._address_changed`)."""

    def _workshop_recall(self, args: dict):
        """A page opened with ``?nom=…`` (a reload, the address kept): the participant rejoins by
        themselves when the token proves they gave the code (outside a workshop, or the facilitator,
        no code is asked); otherwise the name is only written in the join form. Outside a workshop,
        the address's ``?session=…`` makes the page the one that cast its votes before the reload
        (a key nobody else can guess: a page given another's key would have had its address)."""
        name = _arg(args, NAME_ARG).strip()
        if not name:
            return
        session = _arg(args, SESSION_ARG).strip().lower()
        if not self.workshop_mode and _SESSION_RE.fullmatch(session):
            self._workshop_session = session
        self.workshop_join_name.value = name[:200]
        if self.workshop_mode and not self.workshop_facilitator and \
                not token_matches(name, _arg(args, TOKEN_ARG), self._workshop_secret()):
            return
        try:
            self.participant = self.workshop_state.join(name)
        except WorkshopError as exc:
            self._workshop_say(exc.text(self.lang))
            return
        self._workshop_say(t("workshop_welcome_back", self.lang, name=self.participant), "success")
        self._workshop_show_who()

    # --- the cards -----------------------------------------------------------------------------------
    def _report_workshop(self):
        shown = [v for v in self.store.list() if not getattr(v, "discarded", False)]
        pinned = [v for v in shown if v.pinned]
        page = report_html(pinned or shown, self.territory, self.lang)
        if pinned and len(pinned) < len(shown):  # the pinned only: said at its head (one pinned variant read as all)
            note = t("workshop_report_pinned_only", self.lang, n=len(pinned), total=len(shown))
            page = page.replace("</h1>", f"</h1><p class='note pinned-only'>{html.escape(note)}</p>", 1)
        return io.StringIO(page)

    def _workshop_signature(self, variants):
        """(what the cards are made of, what only their counts show): a change of the first redraws
        the cards, of the second only updates their counts and vote buttons in place — a full redraw
        at every vote would replace the buttons another participant is about to click."""
        state = self.workshop_state.round_state()
        cards = (tuple((v.id, v.name, v.pinned, v.discarded, v.order, v.author) for v in variants),
                 self.participant, self.workshop_facilitator, state["round"], state["closed"])
        counts = (tuple(sorted((k, tuple(n)) for k, n in self.workshop_state.votes().items())),
                  len(self.workshop_state.snapshots()), tuple(self.workshop_state.participants()))
        return cards, counts

    def _workshop_poll(self):
        """While the tab is shown: follow what other sessions voted, saved, discarded or froze."""
        if self.tabs.active != WORKSHOP_TAB:
            return
        changed, self._workshop_files = self.workshop_state.changed_since(getattr(self, "_workshop_files", None))
        if not changed:
            return
        variants = self.store.list()
        seen = self._workshop_signature(variants)
        if self._workshop_seen is None or seen[0] != self._workshop_seen[0]:
            self._render_workshop(variants)
        elif seen[1] != self._workshop_seen[1]:
            self._workshop_update_counts(variants)

    def _workshop_update_counts(self, variants=None):
        """The votes shown on the cards and the vote buttons' labels, updated in place (same widgets)."""
        variants = variants if variants is not None else self.store.list()
        drawn = self._workshop_seen[0] if self._workshop_seen else None
        # the cards part stays what was drawn: a variant saved meanwhile still gets its card at the next poll
        self._workshop_seen = (drawn, self._workshop_signature(variants)[1])
        votes = self.workshop_state.votes()
        closed = self.workshop_state.round_state()["closed"]
        for v in variants:
            if v.id in self._workshop_cards:
                meta, vote = self._workshop_cards[v.id]
                meta.object = self._meta_html(v, votes.get(v.id, []))
                vote.param.update(**self._vote_button_look(v.id, closed))
        self._workshop_render_spread([v for v in variants if not v.discarded])

    def _vote_button_look(self, vid, closed: bool = False) -> dict:
        """A card's vote button: « Voter » or « Retirer mon vote »; « Vote clos », disabled, while the vote
        is closed; « Déjà voté sous ce nom », disabled, when another page cast this name's vote (outside
        a workshop only that page may take it back)."""
        if closed:
            return {"name": t("workshop_vote_closed_button", self.lang), "button_type": "light", "disabled": True}
        voted = bool(self.participant) and self.workshop_state.has_voted(vid, self.participant)
        if voted and not self.workshop_state.cast_here(vid, self.participant, self._workshop_voter_session()):
            return {"name": t("workshop_voted_elsewhere", self.lang), "button_type": "light", "disabled": True}
        return {"name": t("workshop_unvote" if voted else "workshop_vote", self.lang),
                "button_type": "light" if voted else "primary", "disabled": False}

    def _meta_html(self, v, voters) -> str:
        L = self.lang
        by = (t("workshop_by", L, name=html.escape(v.author)) + " — ") if v.author else ""
        return (f"<p class='workshop-meta'>{by}<span class='votes' data-votes='{len(voters)}'>"
                f"{html.escape(t('workshop_votes', L, n=len(voters)))}</span></p>")

    def _render_workshop(self, variants=None):
        self._workshop_stale = False
        variants = variants if variants is not None else self.store.list()
        self._workshop_seen = self._workshop_signature(variants)
        set_aside = [v for v in variants if v.discarded]
        variants = [v for v in variants if not v.discarded]
        variants.sort(key=lambda v: (not v.pinned, v.order))
        votes = self.workshop_state.votes()
        L, boss = self.lang, self.workshop_facilitator
        closed = self._workshop_show_round()["closed"]
        cards, self._workshop_cards = [], {}
        for v in variants:
            voters = votes.get(v.id, [])
            vote = pn.widgets.Button(css_classes=["vote"], **self._vote_button_look(v.id, closed))
            vote.on_click(lambda e, v=v: self._workshop_vote(v.id))
            # a workshop's facilitator without a name does not vote: no button that can only refuse
            buttons = [] if boss and self.workshop_mode and not self.participant else [vote]
            if boss:
                pin = pn.widgets.Button(name=t("unpin" if v.pinned else "pin", L), button_type="warning",
                                        css_classes=["pin"], description=None if v.pinned else t("pin_help", L))
                left = pn.widgets.Button(name=t("left", L), css_classes=["left"], description=t("left_help", L))
                right = pn.widgets.Button(name=t("right", L), css_classes=["right"], description=t("right_help", L))
                pin.on_click(lambda e, v=v: self._workshop_action(v.id, pinned=not v.pinned))
                left.on_click(lambda e, v=v: self._workshop_move(v.id, -1))
                right.on_click(lambda e, v=v: self._workshop_move(v.id, +1))
                buttons += [pin, left, right]
            if may_discard(v, self.participant, boss):
                # while the vote is closed a participant's own variant stays in the frozen set
                drop = pn.widgets.Button(name=t("discard", L), button_type="danger", css_classes=["discard"],
                                         disabled=closed and not boss, description=t("discard_help", L))
                drop.on_click(lambda e, v=v: self._workshop_action(v.id, discarded=True))
                buttons.append(drop)
            body = pn.pane.HTML(workshop_card_html(v.name, v.family, v.kpis, L),
                                sizing_mode="stretch_width", stylesheets=[PAGE_CSS])
            meta = pn.pane.HTML(self._meta_html(v, voters), sizing_mode="stretch_width")
            self._workshop_cards[v.id] = (meta, vote)
            cards.append(pn.Column(body, meta, pn.Row(*buttons), stylesheets=[PAGE_CSS],
                                   css_classes=["workshop-card"] + (["pinned"] if v.pinned else []), width=460))
        self.workshop_box[:] = (cards or [pn.pane.Markdown(t("no_variant", L))]) + self._set_aside_rows(set_aside)
        self._workshop_render_spread(variants)

    def _set_aside_rows(self, set_aside) -> list:
        """The facilitator's way back: the variants set aside, each with « Rétablir » (one click on « Écarter »
        beside ◀ ▶ took a participant's proposal off the wall for good, nothing in the page brought it back)."""
        if not (self.workshop_facilitator and set_aside):
            return []
        L = self.lang
        rows = [pn.pane.HTML(f"<p><b>{html.escape(t('workshop_set_aside', L, n=len(set_aside)))}</b></p>",
                             sizing_mode="stretch_width")]
        for v in set_aside:
            back = pn.widgets.Button(name=t("workshop_restore", L), css_classes=["restore"], width=110)
            back.on_click(lambda e, v=v: self._workshop_action(v.id, discarded=False))
            by = f" — {t('workshop_by', L, name=html.escape(v.author))}" if v.author else ""
            rows.append(pn.Row(pn.pane.HTML(f"<p>{html.escape(v.name)}{by}</p>", sizing_mode="stretch_width"), back))
        return [pn.Column(*rows, css_classes=["set-aside"], sizing_mode="stretch_width")]

    def _workshop_render_spread(self, variants):
        """The facilitator's view of the spread (per parameter, the values; per KPI, min/median/max)."""
        if not self.workshop_facilitator:
            return
        from twin.app.meeting_pack import spread_html  # noqa: PLC0415 - geopandas only when a facilitator looks

        L = self.lang
        names = self.workshop_state.participants()
        snaps = self.workshop_state.snapshots()
        head = [f"<h2>{html.escape(t('workshop_spread', L))}</h2>"]
        if names:
            head.append(f"<p>{html.escape(t('workshop_participants', L, n=len(names), names=', '.join(names)))}</p>")
            # one person joining under several spellings counts several times: said, not merged (it may be two people)
            head += [message_html(t("workshop_similar_names", L, names=", ".join(g)), "warning")
                     for g in similar_names(names)]
        if snaps:
            head.append(f"<p class='note'>{html.escape(t('workshop_last_frozen', L, when=_when(snaps[-1].meta()['frozen_at'], L)))}</p>")
        body = spread_html(variants, L) if variants else f"<p>{html.escape(t('workshop_spread_empty', L))}</p>"
        self.workshop_spread.object = "".join(head) + body

    # --- actions -------------------------------------------------------------------------------------
    def _workshop_say_on_card(self, vid, text: str, kind: str = "warning"):
        """``text`` above the cards and on the card of ``vid`` too, above its buttons: a vote refused
        was said only at the top of the tab, 1,300 px above the « Voter » clicked."""
        self._workshop_say(text, kind)
        if vid in self._workshop_cards:
            meta, _ = self._workshop_cards[vid]
            meta.object = meta.object.split("<div class='alert", 1)[0] + message_html(text, kind)

    def _workshop_vote(self, vid):
        if not self.participant:
            self._workshop_say_on_card(vid, t("workshop_vote_needs_name", self.lang))
            return
        try:
            self.workshop_state.vote(vid, self.participant, on=not self.workshop_state.has_voted(vid, self.participant),
                                     session=self._workshop_voter_session())
        except WorkshopError as exc:  # frozen meanwhile, or another page's vote (this page's button not yet redrawn)
            self._workshop_say(exc.text(self.lang), "warning")
            self._render_workshop()
            self._workshop_say_on_card(vid, exc.text(self.lang))
            return
        self._workshop_say("")
        self._workshop_update_counts()

    def _workshop_action(self, vid, **changes):
        v = self.store.get(vid)
        if changes.get("discarded") and not may_discard(v, self.participant, self.workshop_facilitator):
            self._workshop_say(t("workshop_not_yours", self.lang))  # the button is not shown; a stale page may
            return
        if "pinned" in changes and not self.workshop_facilitator:
            self._workshop_say(t("workshop_facilitator_only", self.lang))
            return
        if changes.get("discarded") and not self.workshop_facilitator:
            try:
                self.workshop_state.refuse_discard_when_closed()
            except WorkshopError as exc:  # frozen meanwhile (this page's button not yet disabled)
                self._workshop_say(exc.text(self.lang), "warning")
                self._render_workshop()
                return
        self.store.update(vid, **changes)
        self._refresh_variants()

    def _workshop_move(self, vid, step):
        if not self.workshop_facilitator:
            self._workshop_say(t("workshop_facilitator_only", self.lang))
            return
        self.store.move(vid, step)
        self._refresh_variants()

    def _workshop_freeze(self, event=None):
        if not self.workshop_facilitator:
            self._workshop_say(t("workshop_facilitator_only", self.lang))
            return
        snap = self.workshop_state.freeze(self.store)
        meta = snap.meta()
        self._workshop_say(t("workshop_frozen", self.lang, when=_when(meta["frozen_at"], self.lang), n=len(meta["variants"]),
                             votes=sum(len(x) for x in meta["votes"].values())), "success")
        self._render_workshop()

    def _workshop_reopen(self, event=None):
        """The facilitator starts the next round: votes open again (kept as frozen, free to change)."""
        if not self.workshop_facilitator:
            self._workshop_say(t("workshop_facilitator_only", self.lang))
            return
        state = self.workshop_state.reopen()
        self._workshop_say(t("workshop_reopened", self.lang, round=state["round"]), "success")
        self._render_workshop()

    # --- the meeting pack ----------------------------------------------------------------------------
    def workshop_pack_bytes(self) -> tuple[str, bytes]:
        """(file name, zip) of the meeting pack: from the last snapshot when the workshop was frozen,
        else from the workshop as it is now. Raises :class:`twin.app.report.ReportError` when the PDF
        cannot be printed."""
        from twin.app.meeting_pack import build_pack, pack_name  # noqa: PLC0415

        snaps = self.workshop_state.snapshots()
        if snaps:
            meta = snaps[-1].meta()
            source, votes, names, when = snapshot_store(snaps[-1]), meta["votes"], meta["participants"], meta["frozen_at"]
        else:
            source, votes = self.store, self.workshop_state.votes()
            names, when = self.workshop_state.participants(), time.time()
        variants = [v for v in source.list() if not v.discarded]
        data = build_pack(variants, votes, {v.id: source.outcome(v.id) for v in variants}, self.territory,
                          participants=names, when=when, frozen=bool(snaps), lang=self.lang)
        return pack_name(self.territory.name, when), data

    async def _workshop_pack_download(self):
        """The FileDownload's callback: the pack is made in a thread (printing its PDFs takes seconds),
        so the server keeps answering the other participants meanwhile."""
        if not self.workshop_facilitator:
            self._workshop_say(t("workshop_facilitator_only", self.lang))
            self.workshop_pack.filename = "refus.txt"
            return io.BytesIO(t("workshop_facilitator_only", self.lang).encode())
        try:
            name, data = await asyncio.get_running_loop().run_in_executor(None, self.workshop_pack_bytes)
        except (ReportError, OSError, ValueError) as exc:
            text = t("workshop_pack_failed", self.lang, why=str(exc))
            self._workshop_say(text)
            self.workshop_pack.filename = "dossier-seance-erreur.txt"
            return io.BytesIO(text.encode())
        self.workshop_pack.filename = name
        return io.BytesIO(data)


def _when(epoch: float, lang: str = "fr") -> str:
    return when_text(epoch, lang, seconds=True)
