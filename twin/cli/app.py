"""``twin app [--territory T] [--port 5006] [--address 127.0.0.1] [--show]``: serve the Panel app."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("app", help="serve the Panel app (map, scenarios, comparison, workshop) on localhost")
    p.add_argument("--territory", default="redon")
    p.add_argument("--port", type=int, default=5006)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--show", action="store_true", help="open a browser tab")
    p.set_defaults(func=cmd_app)


def cmd_app(args) -> int:
    import os  # noqa: PLC0415

    import panel as pn  # noqa: PLC0415

    os.environ["TWIN_TERRITORY"] = args.territory
    from twin.app.main import create_app, shared_territory, start_workers  # noqa: PLC0415
    from twin.app.security import WEBSOCKET_MAX_MESSAGE_BYTES, install_security_headers  # noqa: PLC0415

    shared_territory(args.territory)  # load (or build) before the first browser arrives
    start_workers(args.territory)
    install_security_headers()  # Content-Security-Policy on every page (twin/app/security.py)
    origin = f"{args.address}:{args.port}"
    print(f"twin app on http://{origin}/  (Ctrl-C to stop)", flush=True)
    # a browser message above this closes its connection: the page itself refuses files over 5 MB
    # before sending them (base64 makes 5 MB ~6.7 MB), so only a client bypassing the page hits it
    pn.serve({"/": create_app}, port=args.port, address=args.address, show=args.show, title="twin",
             websocket_origin=[origin, f"localhost:{args.port}"], threaded=False,
             websocket_max_message_size=WEBSOCKET_MAX_MESSAGE_BYTES)
    return 0
