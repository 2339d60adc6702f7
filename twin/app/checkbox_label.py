"""A check box's words tick it, as on any web form.

Bokeh draws a ``Checkbox`` as an ``<input>`` beside a ``<div class="bk-label">``, not inside a
``<label>``: a click on « Un seul sens fermé » did nothing, only the small square did, and a planner's
« one direction » variant ran as a full closure. The page's script, listening on the document (clicks are
composed across Panel's shadow roots), clicks the box when its words are clicked.
"""

from __future__ import annotations


def checkbox_label_script() -> str:
    return ("<script>(function(){if(window.__twinCheckboxLabel)return;window.__twinCheckboxLabel=1;"
            "document.addEventListener('click',function(e){var el=e.composedPath()[0];"
            "if(!el||!el.classList||!el.classList.contains('bk-label'))return;"
            "var root=el.getRootNode&&el.getRootNode();var host=root&&root.host;"
            "if(!host||!/(^|\\s)bk-Checkbox(\\s|$)/.test(host.className))return;"
            "var box=root.querySelector('input[type=checkbox]');if(box&&!box.disabled)box.click();"
            "});})();</script>")
