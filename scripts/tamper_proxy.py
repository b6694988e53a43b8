#!/usr/bin/env python3
"""A man-in-the-middle for the demo: a loopback reverse proxy in front of a notary-server.

It forwards every request to the real server and, depending on the mode it reads from
MODE_FILE before each request, changes what the client gets back:

  pass     forward unchanged, and remember the first timestamp.json served for each GUN
           (the "captured earlier" copy that replay serves later)
  tamper   flip one hex digit of the first "sha256" value in every targets*.json response
           (same length, so only the hashes and signatures can tell)
  replay   answer timestamp.json with the copy captured in pass mode: a validly signed but
           older timestamp, i.e. a rollback (freeze) attack

Each change it makes is logged as one line on stderr. Only 127.0.0.1 is used: the proxy binds
an ephemeral loopback port and writes it to PORT_FILE once it is listening.

usage: tamper_proxy.py UPSTREAM_URL MODE_FILE PORT_FILE
"""
import http.client
import os
import http.server
import re
import sys
import threading
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length"}
captured = {}  # request path of a timestamp.json -> body first served
captured_lock = threading.Lock()


def flip_first_digest(body):
    match = re.search(rb'"sha256":"([0-9a-fA-F])', body)
    if not match:
        return body, None
    i = match.start(1)
    flipped = b"0" if body[i:i + 1] != b"0" else b"1"
    return body[:i] + flipped + body[i + 1:], i


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real server offers

    def log_message(self, *args):  # quiet: only the changes are logged
        pass

    def mode(self):
        try:
            with open(self.server.mode_file, encoding="utf-8") as f:
                return f.read().strip() or "pass"
        except OSError:
            return "pass"

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        request_body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(self.server.upstream.hostname,
                                              self.server.upstream.port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=request_body, headers=headers)
            response = upstream.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            upstream.close()

    def handle_one(self):
        mode = self.mode()
        path = urllib.parse.urlsplit(self.path).path
        name = path.rsplit("/", 1)[-1]
        if mode == "replay" and self.command == "GET" and name == "timestamp.json":
            with captured_lock:
                old = captured.get(path)
            if old is not None:
                log(f"replayed the timestamp.json captured earlier for {path}")
                return self.reply(200, [("Content-Type", "application/json")], old)
        status, headers, body = self.forward()
        if self.command == "GET" and status == 200:
            if name == "timestamp.json":
                with captured_lock:
                    captured.setdefault(path, body)
            if mode == "tamper" and re.fullmatch(r"targets(\.[0-9a-f]{64})?\.json", name):
                body, at = flip_first_digest(body)
                if at is not None:
                    log(f"flipped byte {at} of {name}")
        self.reply(status, headers, body)

    def reply(self, status, headers, body):
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = handle_one


def log(line):
    print(f"proxy: {line}", file=sys.stderr, flush=True)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip().splitlines()[-1])
    upstream, mode_file, port_file = sys.argv[1:]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    server.upstream = urllib.parse.urlsplit(upstream)
    server.mode_file = mode_file
    with open(port_file + ".tmp", "w", encoding="utf-8") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
