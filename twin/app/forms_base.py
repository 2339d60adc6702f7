"""What the page's composite fields share: one label and help text over several inputs, as Panel's own
fields show theirs, and the builder's refusal outline passed on to each input."""

from __future__ import annotations

import html

import panel as pn
import param
from panel.widgets.base import CompositeWidget

INVALID_CSS = ":host(.twin-invalid) .bk-input { border: 2px solid #b3261e; background: #fdecea; }"


class LabelledForm(CompositeWidget):
    """Several inputs under one label (``label``) and help text (``description``); the builder marks a
    refused field with the ``twin-invalid`` class, which each input of :meth:`_inputs` then carries (the
    outline is drawn on the inputs, not on the form around them)."""

    description = param.String(default=None, allow_None=True, doc="help text under the label")
    lang = param.Selector(default="fr", objects=["fr", "en"])
    _composite_type = pn.Column

    def __init__(self, **params):
        super().__init__(**params)
        self._head = pn.pane.HTML("", margin=(0, 10), sizing_mode="stretch_width")
        self._label()
        self.param.watch(lambda e: self._label(), ["label", "description"])
        self.param.watch(self._classes, "css_classes")

    def _inputs(self) -> list:
        """The inputs the refusal outline is drawn on (none by default)."""
        return []

    def _label(self):
        help_ = f"<br><small>{html.escape(self.description)}</small>" if self.description else ""
        self._head.object = f"<div class='bk-input-group'><label>{html.escape(self.label or '')}</label>{help_}</div>"

    def _classes(self, event):
        for w in self._inputs():
            w.css_classes = [c for c in w.css_classes if c != "twin-invalid"] + \
                (["twin-invalid"] if "twin-invalid" in event.new else [])
