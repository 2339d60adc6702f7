"""The floor of the workshop benchmark: the least a Bokeh server page can do per click.

A run button, a streets box and a KPI area — the three models ``bench_app.WebsocketSession``
drives — and nothing else: a click numbers the run and puts ~2 kB of text in the KPI area (about
the size of the app's KPI cards), computing nothing. Served by ``panel serve`` with the app's own
transport settings (TCP_NODELAY), the same load script against it shows how much of the app's
ratio under 20 sessions is the transport, the Bokeh protocol and the load client themselves, which
no app code can remove. Used by ``benchmarks/bench_app.py``; not part of the product.
"""

from bokeh.io import curdoc
from bokeh.layouts import column
from bokeh.models import Button, Div, TextInput

from twin.app.main import send_without_delay

send_without_delay()
run = Button(label="Lancer")
streets = TextInput(value="[]")
kpis = Div(text="", css_classes=["kpi-area"])
runs = [0]


def clicked(event):
    runs[0] += 1
    kpis.text = f"<div data-run='{runs[0]}'>{streets.value}</div>" + "<span>0 km</span>" * 120


run.on_event("button_click", clicked)
curdoc().add_root(column(run, streets, kpis))
