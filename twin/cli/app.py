"""``twin app [--territory T] [--port 5006] [--address 127.0.0.1] [--show] [--workshop]``: serve the Panel app.

``--workshop`` serves a workshop on the local network: it draws a 6-digit join code that
participants type with their name before voting or proposing, and a facilitator link (with a
token, never shown to participants) that opens the page with the facilitator's tools (the spread,
"Figer l'atelier", the meeting pack). Both are printed at start; the code and the token change at
every start. Serve on an address the participants' laptops reach (``--address 0.0.0.0`` or the
machine's LAN address): the printed URL uses the machine's LAN address.
"""

from __future__ import annotations

import secrets
import socket


def register(sub) -> None:
    p = sub.add_parser("app", help="serve the Panel app (map, scenarios, comparison, workshop) on localhost")
    p.add_argument("--territory", default="redon")
    p.add_argument("--port", type=int, default=5006)
    p.add_argument("--address", default="127.0.0.1")
    p.add_argument("--show", action="store_true", help="open a browser tab")
    p.add_argument("--workshop", action="store_true",
                   help="serve a workshop on the local network: print a join code for participants and a "
                        "facilitator link (use with --address 0.0.0.0 or the machine's LAN address)")
    p.set_defaults(func=cmd_app)


def lan_address() -> str:
    """The machine's address on its local network (the interface its default route leaves by; no
    packet is sent: connecting a UDP socket only picks the route); 127.0.0.1 without a network."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def public_host(address: str) -> str:
    """The host participants type: the LAN address when serving on every interface."""
    return lan_address() if address in ("0.0.0.0", "", "::") else address


def new_workshop() -> tuple[str, str]:
    """(join code, facilitator token): 6 digits people can say aloud, and 96 random bits."""
    return f"{secrets.randbelow(10**6):06d}", secrets.token_urlsafe(12)


def workshop_banner(host: str, port: int, code: str, token: str, address: str) -> str:
    """What ``twin app --workshop`` prints: the participants' URL and code, then the facilitator's link."""
    from twin.app.i18n import t  # noqa: PLC0415
    from twin.app.workshop import FACILITATOR_ARG  # noqa: PLC0415

    url = f"http://{host}:{port}/"
    lines = [t("workshop_cli_participants", "fr", url=url, code=f"{code[:3]} {code[3:]}"),
             t("workshop_cli_facilitator", "fr", url=f"{url}?{FACILITATOR_ARG}={token}")]
    if address in ("127.0.0.1", "localhost", "::1"):
        lines.append(t("workshop_cli_loopback", "fr", port=port))
    return "\n".join(lines)


def cmd_app(args) -> int:
    import os  # noqa: PLC0415

    import panel as pn  # noqa: PLC0415

    os.environ["TWIN_TERRITORY"] = args.territory
    from twin.app.main import create_app, shared_territory, start_workers  # noqa: PLC0415
    from twin.app.security import WEBSOCKET_MAX_MESSAGE_BYTES, install_security_headers  # noqa: PLC0415
    from twin.app.workshop import CODE_ENV, FACILITATOR_ENV  # noqa: PLC0415

    origins = [f"{args.address}:{args.port}", f"localhost:{args.port}"]
    banner = ""
    if args.workshop:
        code, token = new_workshop()
        # read by every page of this server (twin.app.workshop.workshop_settings), set before the first page
        os.environ[CODE_ENV], os.environ[FACILITATOR_ENV] = code, token
        host = public_host(args.address)
        origins += [f"{host}:{args.port}", f"127.0.0.1:{args.port}"]
        banner = workshop_banner(host, args.port, code, token, args.address)
    shared_territory(args.territory)  # load (or build) before the first browser arrives
    start_workers(args.territory)
    install_security_headers()  # Content-Security-Policy on every page (twin/app/security.py)
    origin = f"{args.address}:{args.port}"
    print(f"twin app on http://{origin}/  (Ctrl-C to stop)", flush=True)
    if banner:
        print(banner, flush=True)
    # a browser message above this closes its connection: the page itself refuses files over 5 MB
    # before sending them (base64 makes 5 MB ~6.7 MB), so only a client bypassing the page hits it
    pn.serve({"/": create_app}, port=args.port, address=args.address, show=args.show, title="twin",
             websocket_origin=list(dict.fromkeys(origins)), threaded=False,
             websocket_max_message_size=WEBSOCKET_MAX_MESSAGE_BYTES)
    return 0
