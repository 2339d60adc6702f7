"""Speed of the Panel app, server already running (Debian's chromium via playwright, bokeh.client).

1. Time to first meaningful page: from ``goto`` to the map drawn (a ``canvas``) and the tabs there
   (aim: under 5 s on Redon).
2. Round trip of re-running a small scenario (a street closure) in a real browser: click "Lancer"
   → the new KPI cards drawn (aim: under 2 s). A street closure never run before each time (a real
   computation); the same parameters again are served from the shared result.
3. A workshop of 20 clicking "Lancer" at the same moment; aim: no session waits more than 3× the
   single-session time. Each burst is run with a variant never run before in every session (20
   computations) and with the same variant everywhere (one computation, shared). Measured three ways:
   * ``workshop_browser_and_websockets`` — what a participant waits: one real browser page, the
     other 19 sessions driven over the app's websocket (bokeh.client, as a browser: TCP_NODELAY,
     "document ready" sent), their clicks sent first so the page's request waits behind all of
     them; the page's wait (click → cards drawn) over its single-session round trip. Three bursts.
   * ``websocket_sessions`` — the server alone: 20 websocket sessions, each one's wait over a single
     websocket round trip (which has no drawing in it: ~12 ms, nearly all of it CPU, so this ratio is
     bounded below by 20 × the CPU one request costs, server and client, over the cores there are);
   * ``all_browsers`` (``--all-browsers``) — 20 real chromium pages, on this machine drawing on the
     server's own two cores; each page's first run (its result map drawn for the first time) is
     reported apart from the re-runs.

   Every session makes its edit (the streets to close) first — a browser sends an edit when it is
   made — and then all click together. Each websocket session's shown result is checked against
   its own streets, computed in this process: the waits are those of real, distinct runs.
4. A long run (a 500-member flood forecast) in one session while another re-runs street closures.
5. A workshop's start: 20 websocket sessions opening the page in the same second, each one's time
   to its whole page over one page opened alone (``websocket_sessions.open_together_s``).

There is no peer app to run side by side; the figures stand alone. Prints one JSON document.

    python benchmarks/bench_app.py [--sessions 20] [--all-browsers]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# after an edit, how long a session waits before clicking: the server applies it (Panel debounces
# a widget edit 50 ms) — the same for the browser page and the websocket sessions
SETTLE_S = 0.3
sys.path.insert(0, str(ROOT))

from tests.test_app_browser import ARGS, CHROMIUM, start_server  # noqa: E402


async def open_page(browser, url):
    page = await browser.new_page(viewport={"width": 1300, "height": 900})
    t0 = time.perf_counter()
    await page.goto(url)
    await page.wait_for_selector("canvas", timeout=120_000)
    await page.get_by_text("Scénario", exact=True).first.wait_for(timeout=120_000)
    first = time.perf_counter() - t0
    await page.get_by_text("Scénario", exact=True).first.click()
    await page.get_by_role("button", name="Lancer").wait_for()
    return page, first


async def set_streets(page, names):
    """Pick ``names`` in the street picker as a person does: remove the streets chosen, then type each
    name and choose it in the list (twin.app.forms.StreetPicker)."""
    field = ".field-streets"
    remove = page.locator(f"{field} .choices__list--multiple .choices__button")
    while (n := await remove.count()):
        await remove.first.click()
        while await remove.count() == n:
            await asyncio.sleep(0.02)
    box = page.locator(f"{field} input.choices__input--cloned").first
    for name in names:
        await box.click()
        await box.press_sequentially(name, delay=10)  # the whole name: its choice is first; Choices.js searches on keyup
        value = json.dumps(name, ensure_ascii=False)  # a CSS string: the name quoted
        await page.locator(f"{field} .choices__list--dropdown .choices__item--choice[data-value={value}]").first.click()
        await box.press("Escape")
    await asyncio.sleep(SETTLE_S)  # the edit applied before any click (Panel's 50 ms debounce)


async def run_once(page, n: int, streets=None) -> float:
    if streets:
        await set_streets(page, streets)
    t0 = time.perf_counter()
    await page.get_by_role("button", name="Lancer").click()
    try:
        await page.wait_for_selector(f".kpi-area [data-run='{n}']", timeout=120_000)
    except Exception:
        message = " | ".join(await page.locator(".message div").all_inner_texts())
        raise RuntimeError(f"run {n} did not finish: {message!r}") from None
    return time.perf_counter() - t0


class WebsocketSession:
    """A session of the app driven over its websocket, as a browser would, without rendering anything
    (bokeh.client): the load a workshop's laptops put on the server, each rendering on its own machine."""

    def __init__(self, url: str, scenario: bool = True):
        """Open the page (as it opens: the map tab) and, with ``scenario``, show its "Scénario" tab as
        a person does before running anything (the page draws a tab's contents when first shown)."""
        import panel.models.layout  # noqa: F401 - registers Panel's Bokeh models for decoding
        import panel.models.markup  # noqa: F401
        import panel.models.widgets  # noqa: F401
        from bokeh.client import pull_session

        self.session = pull_session(url=url)
        # as a browser does (Chromium sets TCP_NODELAY on its sockets): no Nagle delay on our clicks
        self.session._connection._socket._socket.protocol.set_nodelay(True)
        # and, as BokehJS does once it has rendered the page, say the document is ready: until then
        # Panel treats the session as not yet connected and queues every update separately
        from bokeh.events import DocumentReady

        self.session.document.callbacks.send_event(DocumentReady())
        self.session._connection.force_roundtrip()
        self.run, self.runs = None, 0
        if scenario:
            self.show_scenario()

    def show_scenario(self, timeout: float = 120.0):
        """Click the "Scénario" tab and wait for its run button (a page without tabs has it already)."""
        doc = self.session.document

        def button():
            return next((m for m in list(doc.models) if type(m).__name__ == "Button" and m.label == "Lancer"), None)

        if button() is None:
            tabs = next(m for m in doc.models if type(m).__name__ == "Tabs")
            tabs.active = next(i for i, tab in enumerate(tabs.tabs) if tab.title in ("Scénario", "Scenario"))
            t0 = time.perf_counter()
            self.session._connection._loop_until(lambda: button() is not None or time.perf_counter() - t0 > timeout)
        self.run = button()
        if self.run is None:
            raise RuntimeError(f"websocket session: no run button {timeout:.0f} s after showing the scenario tab")
        self.kpi = next(m for m in doc.models if "kpi-area" in (getattr(m, "css_classes", None) or []))
        # the app's street picker (twin.app.forms.StreetPicker); the floor page's text box otherwise
        self.streets = next((m for m in doc.models if type(m).__name__ == "MultiChoice"
                             and "field-streets" in (getattr(m, "css_classes", None) or [])), None) or \
            next(m for m in doc.models if type(m).__name__ == "TextInput" and str(getattr(m, "value", "")).startswith("["))

    def set_streets(self, names):
        """Edit the streets box. A browser sends an edit when it is made (on Enter or leaving the box),
        not with the click that follows: so does this session, and the edit is applied before the
        click, as it is for the real browser page of the benchmark (see ``settle``)."""
        picker = type(self.streets).__name__ == "MultiChoice"  # its value a list, as the browser sends it
        self.streets.value = list(names) if picker else repr(list(names))
        self.session._connection.force_roundtrip()  # the edit is on the wire (and acknowledged) now

    def click(self, timeout: float = 120.0) -> float:
        import html

        from bokeh.events import ButtonClick

        self.runs += 1
        mark = f"data-run='{self.runs}'"
        t0 = time.perf_counter()
        self.session.document.callbacks.send_event(ButtonClick(self.run))
        self.session._connection._loop_until(
            lambda: mark in html.unescape(self.kpi.text or "") or time.perf_counter() - t0 > timeout)
        if mark not in html.unescape(self.kpi.text or ""):
            raise RuntimeError(f"websocket session: run {self.runs} did not finish in {timeout:.0f} s")
        return time.perf_counter() - t0

    def kpi_shown(self, kpi: str) -> str:
        """The value shown on this session's KPI card ``kpi`` (as formatted on the page)."""
        import html
        import re

        found = re.search(rf"data-kpi-value='{re.escape(kpi)}'>([^<]*)<", html.unescape(self.kpi.text or ""))
        return found.group(1) if found else ""

    def choose_family(self, label: str):
        for m in self.session.document.models:
            options = getattr(m, "options", None) if type(m).__name__.endswith("Select") else None
            for o in options or []:
                value, text = (o, o) if isinstance(o, str) else o
                if text == label:
                    m.value = value
                    return
        raise LookupError(f"no select offers {label!r}")

    def close(self):
        self.session.close()


def check_own_results(pool: list, streets: list[list[str]]) -> None:
    """Each session shows the closed length of its own streets (computed here, in the benchmark's
    process): the waits measured are those of real, distinct runs, not of a stale or shared result."""
    from twin.app.i18n import fmt_quantity
    from twin.app.main import shared_territory
    from twin.scenarios import StreetClosure

    territory = shared_territory("redon")  # loaded once per process, as in the app's server
    for ws, names in zip(pool, streets, strict=True):
        out = StreetClosure(streets=names).run(territory)
        want = fmt_quantity(out.value("closed_street_length_m", out.data["variant"].values[1]), "m")
        shown = ws.kpi_shown("closed_street_length_m")
        if shown != want:
            raise AssertionError(f"session shows {shown!r} for {names}, expected {want!r}")


class FreshStreets:
    """Street-closure variants never run before in this benchmark's server: single streets first,
    then pairs of streets — so a "distinct" run is a real computation, never a shared result."""

    def __init__(self):
        from itertools import combinations

        from twin.seeds import load_default

        G = load_default().graphs["drive"]
        names = sorted({d["name"] for _, _, d in G.edges(data=True) if d.get("name")})
        self._variants = iter([[n] for n in names] + [list(pair) for pair in combinations(names, 2)])

    def __call__(self) -> list[str]:
        return next(self._variants)


def settle():
    """Let the server apply the edits just sent (Panel applies a widget's new value after a 50 ms
    debounce); the real browser page waits the same after its own edit (``set_streets``)."""
    time.sleep(SETTLE_S)


def start_clicks(pool: list) -> tuple[list, list]:
    """Every session of ``pool`` clicks "Lancer" now (one thread, one loop each): (threads, waits)."""
    import threading

    waits = [None] * len(pool)
    threads = [threading.Thread(target=lambda i=i: waits.__setitem__(i, pool[i].click())) for i in range(len(pool))]
    for t in threads:
        t.start()
    return threads, waits


def together(pool: list, prepare) -> list[float]:
    """Every session of ``pool`` clicks "Lancer" at the same moment; their waits."""
    for k, ws in enumerate(pool):
        prepare(k, ws)
    settle()
    threads, waits = start_clicks(pool)
    for t in threads:
        t.join()
    return waits


def round_trips(ws: "WebsocketSession", fresh: "FreshStreets", n: int = 5) -> list[float]:
    """``n`` round trips of one session, each with a street closure never run before."""
    waits = []
    for _ in range(n):
        ws.set_streets(fresh())
        settle()
        waits.append(ws.click())
    return waits


def summary(waits: list[float], single: float) -> dict:
    return {"median": round(statistics.median(waits), 3), "max": round(max(waits), 3),
            "worst_over_single": round(max(waits) / single, 2)}


def single_then_pool(url: str, sessions: int, fresh: FreshStreets) -> tuple[list[float], list]:
    """One session's round trips alone, then ``sessions`` sessions, each with its first run done
    (its page drawn in full once): (the single round trips, the pool)."""
    one = WebsocketSession(url)
    one.click()
    single = round_trips(one, fresh)
    one.close()
    pool = [WebsocketSession(url) for _ in range(sessions)]
    together(pool, lambda k, ws: None)
    return single, pool


def open_together(url: str, sessions: int, scenario: bool = False) -> list[float]:
    """``sessions`` sessions opened in the same second (a workshop's start): each one's time from the
    request to its whole page received (with ``scenario``: and then its "Scénario" tab shown). Each is
    opened and closed on its own thread."""
    import threading

    waits = [None] * sessions

    def one(i):
        t0 = time.perf_counter()
        ws = WebsocketSession(url, scenario=scenario)
        waits[i] = time.perf_counter() - t0
        ws.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return waits


def open_one(url: str, scenario: bool = False) -> float:
    """One page opened alone (with ``scenario``: and its "Scénario" tab shown), in seconds."""
    t0 = time.perf_counter()
    WebsocketSession(url, scenario=scenario).close()
    return time.perf_counter() - t0


def websocket_load(url: str, sessions: int, fresh: FreshStreets) -> dict:
    """Every session over the websocket: single-session round trips, then ``sessions`` sessions
    clicking at once, then a long run in one session while another keeps working."""
    import threading

    WebsocketSession(url).close()  # the server's first page (its workers starting) is not the measure
    alone = open_one(url)
    opened = open_together(url, sessions)
    single, pool = single_then_pool(url, sessions, fresh)
    med = statistics.median(single)
    streets = [fresh() for _ in pool]
    distinct = together(pool, lambda k, ws: ws.set_streets(streets[k]))
    check_own_results(pool, streets)
    shared = fresh()
    same = together(pool, lambda k, ws: ws.set_streets(shared))
    check_own_results(pool, [shared] * len(pool))
    for ws in pool:
        ws.close()
    # a long run (a 500-member flood forecast) in one session while another re-runs street closures
    long_one, other = WebsocketSession(url), WebsocketSession(url)
    long_one.choose_family("Anticipation des crues")
    flood = {}
    t = threading.Thread(target=lambda: flood.setdefault("s", long_one.click(timeout=600)))
    t.start()
    during = round_trips(other, fresh)
    t.join()
    long_one.close()
    other.close()
    return {"open_one_s": round(alone, 2), "open_together_s": summary(opened, alone),
            "rerun_round_trip_s": [round(x, 3) for x in single], "rerun_median_s": round(med, 3),
            "concurrent_distinct_wait_s": summary(distinct, med), "concurrent_same_wait_s": summary(same, med),
            "during_a_long_run": {"long_run_s": round(flood["s"], 2),
                                  "other_round_trips_s": [round(x, 3) for x in during],
                                  "worst_over_single": round(max(during) / med, 2)}}


async def workshop_burst(page, n_run: int, pool: list, page_streets, pool_streets) -> tuple[float, list[float]]:
    """All of ``pool`` (websocket sessions) click "Lancer" at once, then the real browser page clicks
    too, queued behind them; returns the page's wait (click → its new KPI cards rendered) and the
    websocket sessions' waits."""
    await set_streets(page, page_streets)
    await asyncio.to_thread(lambda: [ws.set_streets(pool_streets[k]) for k, ws in enumerate(pool)])
    await asyncio.sleep(SETTLE_S)  # as settle(): the edits applied, then everyone clicks
    threads, waits = start_clicks(pool)
    await asyncio.sleep(0.02)  # the others' clicks are on the wire first: the page waits behind them
    wait = await run_once(page, n_run)
    await asyncio.to_thread(lambda: [t.join() for t in threads])
    return wait, waits


async def workshop_with_a_browser(page, runs_done: int, url: str, sessions: int, fresh: FreshStreets,
                                  single: float, bursts: int = 3) -> dict:
    """A workshop of ``sessions``: one real browser page (a participant whose wait is measured, from
    the click to the new cards drawn) and ``sessions - 1`` websocket sessions (the other laptops: the
    same load on the server, their drawing done on their own machines), all clicking at the same
    moment, the browser last. Several bursts, with a street closure never run before in every
    session (one computation each) and with the same variant everywhere (one shared computation)."""
    # the sessions are opened and closed on one thread of their own: a bokeh.client session belongs
    # to the event loop of the thread that opened it
    from concurrent.futures import ThreadPoolExecutor

    home = ThreadPoolExecutor(1)
    loop = asyncio.get_running_loop()
    pool = await loop.run_in_executor(home, lambda: [WebsocketSession(url) for _ in range(sessions - 1)])
    await asyncio.to_thread(together, pool, lambda k, ws: None)  # each session's first run
    out, n_run = {}, runs_done  # the page numbers its runs: data-run='n' on the cards
    for kind in ("distinct", "same"):
        page_waits, ws_waits = [], []
        for _ in range(bursts):
            n_run += 1
            if kind == "distinct":
                page_streets, pool_streets = fresh(), [fresh() for _ in pool]
            else:
                page_streets = fresh()
                pool_streets = [page_streets] * len(pool)
            wait, others = await workshop_burst(page, n_run, pool, page_streets, pool_streets)
            await asyncio.to_thread(check_own_results, pool, pool_streets)
            page_waits.append(wait)
            ws_waits.extend(others)
        out[f"concurrent_{kind}"] = {
            "browser_wait_s": [round(x, 3) for x in page_waits],
            "browser_worst_over_single": round(max(page_waits) / single, 2),
            "websocket_sessions_wait_s": {"median": round(statistics.median(ws_waits), 3),
                                          "max": round(max(ws_waits), 3)}}
    await loop.run_in_executor(home, lambda: [ws.close() for ws in pool])
    home.shutdown()
    return out


async def all_browsers(browser, url: str, sessions: int, fresh: FreshStreets, single: float) -> dict:
    """``sessions`` real chromium pages at once — on this machine they draw on the server's own cores."""
    opened = await asyncio.gather(*(open_page(browser, url) for _ in range(sessions)))
    pages = [pg for pg, _ in opened]
    # each page's first run draws its result map for the first time: measured apart, as the
    # websocket modes do, so that "distinct" and "same" compare re-runs with re-runs
    first = await asyncio.gather(*(run_once(pg, 1) for pg in pages))
    for pg in pages:  # each session its own street: no two runs alike
        await set_streets(pg, fresh())
    distinct = await asyncio.gather(*(run_once(pg, 2) for pg in pages))
    shared = fresh()
    for pg in pages:
        await set_streets(pg, shared)
    same = await asyncio.gather(*(run_once(pg, 3) for pg in pages))
    for pg in pages:
        await pg.close()
    return {"open_s_max": round(max(f for _, f in opened), 2), "first_run_wait_s": summary(first, single),
            "concurrent_distinct_wait_s": summary(distinct, single),
            "concurrent_same_wait_s": summary(same, single)}


def websocket_floor(sessions: int, fresh: FreshStreets) -> dict:
    """The same websocket load against ``benchmarks/floor_app.py`` (a page that computes nothing):
    the ratio that the transport, the Bokeh protocol and this load client alone give."""
    with tempfile.TemporaryDirectory() as state:
        proc, url = start_server(Path(state), app=ROOT / "benchmarks" / "floor_app.py")
        try:
            single, pool = single_then_pool(url, sessions, fresh)
            med = statistics.median(single)
            bursts = [max(together(pool, lambda k, ws: ws.set_streets(fresh()))) for _ in range(3)]
            for ws in pool:
                ws.close()
        finally:
            proc.terminate()
    return {"rerun_round_trip_s": [round(x, 3) for x in single], "rerun_median_s": round(med, 3),
            "concurrent_worst_wait_s": [round(x, 3) for x in bursts],
            "worst_over_single": round(max(bursts) / med, 2)}


async def main_async(sessions: int, with_all_browsers: bool):
    from playwright.async_api import async_playwright

    fresh = FreshStreets()
    result = {"sessions": sessions}
    with tempfile.TemporaryDirectory() as state:
        proc, url = start_server(Path(state))
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
                page, first = await open_page(browser, url)  # the first page also starts the workers
                await run_once(page, 1)  # first run of the process (imports, caches)
                await asyncio.sleep(5)  # the server already running: its workers have loaded the territory
                page2, first_warm = await open_page(browser, url)
                await page2.close()
                # new parameters each time: a real computation, not the shared result of an earlier run
                single = []
                for k in range(2, 7):
                    single.append(await run_once(page, k, fresh()))
                again = await run_once(page, 7)  # the same parameters again: the shared result
                single_median = statistics.median(single)
                result["browser"] = {"first_page_s_cold_server": round(first, 2), "first_page_s": round(first_warm, 2),
                                     "rerun_round_trip_s": [round(x, 3) for x in single],
                                     "rerun_median_s": round(single_median, 3),
                                     "rerun_same_parameters_s": round(again, 3)}
                result["workshop_browser_and_websockets"] = await workshop_with_a_browser(
                    page, 7, url, sessions, fresh, single_median)
                await page.close()
                if with_all_browsers:
                    result["all_browsers"] = await all_browsers(browser, url, sessions, fresh, single_median)
                await browser.close()
            result["websocket_sessions"] = await asyncio.to_thread(websocket_load, url, sessions, fresh)
        finally:
            proc.terminate()
            Path(tempfile.gettempdir(), "bench_app_server.log").write_text(proc.log_path.read_text())
            runs = [float(x.split("waiting for the outcome, ")[1].split(" s")[0])
                    for x in proc.log_path.read_text().splitlines() if "waiting for the outcome" in x]
    result["server_side_wait_for_outcome_s"] = {"median": round(statistics.median(runs), 3),
                                                "max": round(max(runs), 3)} if runs else None
    # the floor: the same websocket load against a page that computes nothing, same transport
    result["websocket_floor"] = await asyncio.to_thread(websocket_floor, sessions, fresh)
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--all-browsers", action="store_true",
                    help="also open SESSIONS real chromium pages at once (they draw on the server's own cores)")
    args = ap.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"needs Debian's chromium at {CHROMIUM}")
    print(json.dumps(asyncio.run(main_async(args.sessions, args.all_browsers)), indent=1))


if __name__ == "__main__":
    main()
