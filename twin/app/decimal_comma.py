"""A French page's number boxes read a decimal comma: « 12,5 » is 12.5.

Bokeh's number boxes (``Spinner``, ``NumericInput``: Panel's ``FloatInput``) let
through only the characters of an English number and drop the others as they are typed: « 12,5 »
typed key by key became 125 (refused above 100 %, or run as 755 m for « 75,5 »), pasted it was thrown
away whole, without a word. The page's script, listening before the box (capture phase, across
Panel's shadow roots: ``input`` events are composed), turns the first comma of a number box into a
point and drops the spaces of a French thousands separator (« 12 500 »), before Bokeh's filter reads
the text. Other boxes (names, lists) keep their commas. Served on the French page only: on the English
page « 1,000 » is a thousand. A whole-number box (``IntInput``) would still drop the point: the
builder gives whole-number parameters a box that takes decimals, and the field's rule refuses « 2,5 »
members (:func:`twin.app.fields.refusal`).
"""

from __future__ import annotations

NUMBER_BOX_HOSTS = ("bk-Spinner", "bk-NumericInput")
"""The classes of the shadow hosts of Bokeh's number boxes."""


def decimal_comma_script() -> str:
    hosts = "|".join(h.removeprefix("bk-") for h in NUMBER_BOX_HOSTS)
    return ("<script>(function(){if(window.__twinDecimalComma)return;window.__twinDecimalComma=1;"
            "document.addEventListener('input',function(e){var el=e.composedPath()[0];"
            "if(!el||el.tagName!=='INPUT')return;var root=el.getRootNode&&el.getRootNode();"
            "var host=root&&root.host;"
            f"if(!host||!/(^|\\s)bk-({hosts})(\\s|$)/.test(host.className))return;"
            "var v=el.value;var n=v.replace(/[\\s\\u00a0\\u202f]/g,'').replace(',','.');if(n===v)return;"
            "var at=el.selectionStart;var before=v.slice(0,at==null?v.length:at);"
            "var cut=before.length-before.replace(/[\\s\\u00a0\\u202f]/g,'').length;"
            "el.value=n;if(at!=null)el.setSelectionRange(at-cut,at-cut);"
            "},true);})();</script>")
