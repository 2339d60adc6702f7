"""The Panel app under a real browser (Debian's chromium via playwright), server already running.

1. Time to first meaningful page: from ``goto`` to the map drawn (a ``canvas``) and the tabs there
   (aim: under 5 s on Redon).
2. Round trip of re-running a small scenario (a street closure): click "Lancer" → the new KPI cards
   (aim: under 2 s).
   Measured with a new street each time (a real computation); the same parameters again are
   served from the shared result (``rerun_same_parameters_s``).
3. A workshop of 20: all sessions click "Lancer" at the same moment; each one's wait is compared
   with the single-session round trip (aim: no session waits more than 3× it) — once with a
   different street per session (20 computations) and once with the same variant everywhere (one
   computation, shared). Measured two ways:
   * ``websocket_sessions``: 20 sessions driven over the app's websocket (bokeh.client), the load a
     workshop's laptops put on the server when each renders on its own machine;
   * ``browser``: 20 real chromium pages — on this machine they run on the server's own two cores,
     so their rendering competes with the server.

There is no peer app to run side by side; the figures stand alone. Prints one JSON document.

    python benchmarks/bench_app.py [--sessions 20]
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
    box = page.locator("input[type=text]").first  # the street-closure's first parameter: streets
    await box.fill(json.dumps(names, ensure_ascii=False))
    await box.press("Enter")
    await asyncio.sleep(0.3)


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

    def __init__(self, url: str):
        import panel.models.layout  # noqa: F401 - registers Panel's Bokeh models for decoding
        import panel.models.markup  # noqa: F401
        import panel.models.widgets  # noqa: F401
        from bokeh.client import pull_session

        self.session = pull_session(url=url)
        doc = self.session.document
        self.run = next(m for m in doc.models if type(m).__name__ == "Button" and m.label == "Lancer")
        self.kpi = next(m for m in doc.models if "kpi-area" in (getattr(m, "css_classes", None) or []))
        self.streets = next(m for m in doc.models if type(m).__name__ == "TextInput"
                            and str(getattr(m, "value", "")).startswith("["))
        self.runs = 0

    def set_streets(self, names):
        self.streets.value = repr(list(names))  # sent to the server as a browser's edit would be

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


def websocket_load(url: str, sessions: int, names: list[str]) -> dict:
    """Single-session round trips, then ``sessions`` sessions clicking at once (threads, one loop each)."""
    import threading

    one = WebsocketSession(url)
    one.click()
    single = []
    for k in range(2, 7):
        one.set_streets([names[k]])
        single.append(one.click())
    one.close()
    pool = [WebsocketSession(url) for _ in range(sessions)]

    def together(prepare):
        for k, ws in enumerate(pool):
            prepare(k, ws)
        waits = [None] * len(pool)
        threads = [threading.Thread(target=lambda i=i: waits.__setitem__(i, pool[i].click())) for i in range(len(pool))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return waits

    distinct = together(lambda k, ws: ws.set_streets([names[10 + k]]))
    same = together(lambda k, ws: ws.set_streets([names[9]]))
    for ws in pool:
        ws.close()
    # a long run (a 500-member flood forecast) in one session while another re-runs street closures
    long_one, other = WebsocketSession(url), WebsocketSession(url)
    long_one.choose_family("Anticipation des crues")
    flood = {}
    t = threading.Thread(target=lambda: flood.setdefault("s", long_one.click(timeout=600)))
    t.start()
    during = []
    for k in range(5):
        other.set_streets([names[2 + k]])
        during.append(other.click())
    t.join()
    long_one.close()
    other.close()
    med = statistics.median(single)
    return {"during_a_long_run": {"long_run_s": round(flood["s"], 2), "other_round_trips_s": [round(x, 3) for x in during],
                                  "worst_over_single": round(max(during) / med, 2)},"rerun_round_trip_s": [round(x, 3) for x in single], "rerun_median_s": round(med, 3),
            "concurrent_distinct_wait_s": {"median": round(statistics.median(distinct), 3),
                                           "max": round(max(distinct), 3),
                                           "worst_over_single": round(max(distinct) / med, 2)},
            "concurrent_same_wait_s": {"median": round(statistics.median(same), 3), "max": round(max(same), 3),
                                       "worst_over_single": round(max(same) / med, 2)}}


def street_names(n: int) -> list[str]:
    from twin.seeds import load_default

    G = load_default().graphs["drive"]
    names = sorted({d["name"] for _, _, d in G.edges(data=True) if d.get("name")})
    return [names[k % len(names)] for k in range(n)]


async def main_async(sessions: int):
    from playwright.async_api import async_playwright

    names = street_names(10 + sessions + 1)

    with tempfile.TemporaryDirectory() as state:
        proc, url = start_server(Path(state))
        try:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
                page, first = await open_page(browser, url)  # the first page also warms the server
                page2, first_warm = await open_page(browser, url)
                await run_once(page, 1)  # first run of the process (imports, caches)
                # new parameters each time: a real computation, not the shared result of an earlier run
                single = [await run_once(page, k, [names[k]]) for k in range(2, 7)]
                cached = await run_once(page, 7, [names[2]])
                single_median = statistics.median(single)
                await page.close()
                await page2.close()
                opened = await asyncio.gather(*(open_page(browser, url) for _ in range(sessions)))
                pages = [pg for pg, _ in opened]
                for k, pg in enumerate(pages):  # each session its own street: no two runs alike
                    await set_streets(pg, [names[10 + k]])
                distinct = await asyncio.gather(*(run_once(pg, 1) for pg in pages))
                for pg in pages:
                    await set_streets(pg, [names[8]])
                same = await asyncio.gather(*(run_once(pg, 2) for pg in pages))
                await browser.close()
            websocket = await asyncio.to_thread(websocket_load, url, sessions, names)  # its own loops
        finally:
            proc.terminate()
            Path(tempfile.gettempdir(), "bench_app_server.log").write_text(proc.log_path.read_text())
            runs = [float(x.split("waiting for the outcome, ")[1].split(" s")[0])
                    for x in proc.log_path.read_text().splitlines() if "waiting for the outcome" in x]
    return {"websocket_sessions": websocket, "browser": {"first_page_s_cold_server": round(first, 2), "first_page_s": round(first_warm, 2),
            "rerun_round_trip_s": [round(x, 3) for x in single], "rerun_median_s": round(single_median, 3),
            "rerun_same_parameters_s": round(cached, 3),
            "server_side_run_s": {"median": round(statistics.median(runs), 3), "max": round(max(runs), 3)} if runs else None,
            "sessions": sessions, "concurrent_open_s_max": round(max(f for _, f in opened), 2),
            "concurrent_distinct_wait_s": {"median": round(statistics.median(distinct), 3),
                                           "max": round(max(distinct), 3),
                                           "worst_over_single": round(max(distinct) / single_median, 2)},
            "concurrent_same_wait_s": {"median": round(statistics.median(same), 3), "max": round(max(same), 3),
                                       "worst_over_single": round(max(same) / single_median, 2)}}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    args = ap.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"needs Debian's chromium at {CHROMIUM}")
    print(json.dumps(asyncio.run(main_async(args.sessions)), indent=1))


if __name__ == "__main__":
    main()
