"""« Rouvrir dans Scénario » shows the builder from its top.

The button sits at the bottom of a long comparison; the server switches the tab, but the browser
kept the page scrolled 3,000 px down, below the builder's end: the whole window was white and the
reopened run looked lost. The page's script, on a click of a button of class :data:`REOPEN_CLASS`
(listening before it, across Panel's shadow roots: ``click`` events are composed), scrolls back to the
top once the tab has changed.
"""

from __future__ import annotations

REOPEN_CLASS = "reopen"
SCROLL_AFTER_MS = 300  # the tab's change comes back from the server first


def reopen_scroll_script() -> str:
    return ("<script>(function(){if(window.__twinReopenScroll)return;window.__twinReopenScroll=1;"
            "document.addEventListener('click',function(e){var p=e.composedPath();"
            "for(var i=0;i<p.length;i++){var n=p[i];"
            f"if(n.classList&&n.classList.contains({REOPEN_CLASS!r})){{"
            f"setTimeout(function(){{window.scrollTo(0,0);}},{SCROLL_AFTER_MS});return;}}}}"
            "},true);})();</script>")
