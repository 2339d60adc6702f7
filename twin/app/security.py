"""What the app's pages are allowed to do in a browser, and how much a browser may send.

* **Content-Security-Policy** on every page the app serves (``twin app`` and ``panel serve
  apps/twin_app.py`` alike): scripts, styles, images and connections only from the app's own
  origin, no frame, no plugin, no remote host. It is the second line of defence; the first is that
  every text a user or a data file controls (variant names, street names, file names, messages)
  reaches the page escaped (``html.escape``) or as plain text.

  Bokeh writes its page with inline ``<script>`` blocks (the document's JSON and the code that
  starts it) whose content changes with every session, so ``script-src`` needs ``'unsafe-inline'``;
  Bokeh's and Panel's styles are inline too. ``'unsafe-eval'`` is *not* granted: the app uses no
  ``CustomJS`` and its browser tests pass without it. Websockets are allowed to the page's own host
  only (``ws://host``, ``wss://host``), not to any host.
* **Upload size**: a file above ``MAX_UPLOAD_BYTES`` is refused in the browser before it is read
  (the page says so in French and stays connected), and by the server again if a client sends one
  anyway. A file travels base64-encoded inside a websocket message (4/3 of its size), so the
  server's ``websocket_max_message_size`` is set just above that; a larger message makes tornado
  close that page's connection, which only a client bypassing the page's own check can cause.
"""

from __future__ import annotations

MAX_UPLOAD_BYTES = 5_000_000  # a calendar, a lamp inventory or a scenario of a commune is far smaller
# base64 of MAX_UPLOAD_BYTES (4/3) plus the JSON of Bokeh's patch message around it
WEBSOCKET_MAX_MESSAGE_BYTES = 8 * 1024 * 1024
MAX_JSON_DEPTH = 32  # a scenario nests at most ~5 levels (rules[0].zone.polygon); a bomb nests thousands

CSP_HEADER = "Content-Security-Policy"


def content_security_policy(host: str | None = None) -> str:
    """The policy of the app's pages; ``host`` (``127.0.0.1:5006``) is the page's own host, the only
    one its websocket may connect to."""
    ws = f" ws://{host} wss://{host}" if host and all(c not in host for c in " ;,'\"") else ""
    return ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'{ws}; frame-src 'none'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")


def install_security_headers() -> None:
    """Send the Content-Security-Policy (and ``nosniff``, ``no-referrer``) with every page of this
    server. Idempotent.

    Patched on Panel's handlers of a page and of the index (the ones ``panel serve`` and ``pn.serve``
    both use) at ``finish``, which runs after the page is made: under ``panel serve`` this is first
    called while the first page is being made, and that page gets the headers too.
    """
    from panel.io.server import DocHandler, RootHandler  # noqa: PLC0415

    for handler in (DocHandler, RootHandler):
        if getattr(handler.finish, "twin_headers", False):
            continue
        original = handler.finish

        def finish(self, *args, _original=original, **kwargs):
            self.set_header(CSP_HEADER, content_security_policy(self.request.host))
            self.set_header("X-Content-Type-Options", "nosniff")
            self.set_header("Referrer-Policy", "no-referrer")
            return _original(self, *args, **kwargs)

        finish.twin_headers = True
        handler.finish = finish


def upload_guard_script(model_name: str, limit: int = MAX_UPLOAD_BYTES) -> str:
    """The page's check of a chosen file's size, before the browser reads it.

    A file above ``limit`` is taken back from its upload button (the button then sends an empty
    value, which the app ignores) and its name and size are written, as JSON, into the hidden Bokeh
    model called ``model_name``; the server sees that change and says in the page why the file was
    refused. Without it, a 50 MB file made one websocket message over the server's limit, tornado
    closed the connection, and the page was dead with no message.

    ``input`` events cross Panel's shadow roots (``change`` events do not) and come before
    ``change``, on which Bokeh reads the file.
    """
    return ("<script>(function(){if(window.__twinUploadGuard)return;window.__twinUploadGuard=1;var n=0;"
            "document.addEventListener('input',function(e){var el=e.composedPath()[0];"
            "if(!el||el.type!=='file'||!el.files)return;var big=null;"
            f"for(var i=0;i<el.files.length;i++){{if(el.files[i].size>{int(limit)})big=el.files[i];}}"
            "if(!big)return;el.value='';n+=1;"
            "var docs=(window.Bokeh&&window.Bokeh.documents)||[];"
            f"for(var d=0;d<docs.length;d++){{var m=docs[d].get_model_by_name({model_name!r});"
            "if(m){m.text=JSON.stringify({name:String(big.name).slice(0,200),size:big.size,n:n});}}"
            "},true);})();</script>")
