"""Local receivers the alert tests send to: an SMTP server and an HTTP server (webhook and ntfy-style
topic), each in a thread of the test process, keeping what they received. They speak the real
protocols (the channels use smtplib and urllib as they would with a commune's relay or ntfy.sh)."""

from __future__ import annotations

import email
import email.header
import email.policy
import http.server
import json
import socketserver
import threading


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 test SMTP ready")
        rcpt = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode(errors="replace").strip()
            verb = cmd.split(" ")[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                rcpt = []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt.append(cmd.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                msg = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                self.server.received.append({"to": rcpt, "subject": str(msg["Subject"]),
                                             "body": msg.get_body().get_content()})
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class SMTPReceiver(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.received: list[dict] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _HTTPHandler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        title = self.headers.get("Title")
        if title:
            title = str(email.header.make_header(email.header.decode_header(title)))
        self.server.received.append({"path": self.path, "body": body.decode("utf-8"), "title": title,
                                     "priority": self.headers.get("Priority"),
                                     "json": json.loads(body) if self.headers.get("Content-Type", "").startswith(
                                         "application/json") else None})
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


class HTTPReceiver(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _HTTPHandler)
        self.received: list[dict] = []
        self.status = 200
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"
