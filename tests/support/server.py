"""A small HTTP chart repository server for pchart's tests, on loopback.

usage: server.py PORT_FILE DIR MODE
MODE: plain | auth:USER:PASS | status:CODE | slow | garbage
Serves DIR's files; writes the port it bound to PORT_FILE once listening.
"""
import base64
import http.server
import os
import socketserver
import sys
import time

port_file, root, mode = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *a, **k):
        super().__init__(*a, directory=root, **k)

    def log_message(self, *a):
        pass

    def do_GET(self):
        if mode.startswith("auth:"):
            _, user, pw = mode.split(":", 2)
            want = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
            if self.headers.get("Authorization") != want:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        elif mode.startswith("status:"):
            code = int(mode.split(":")[1])
            body = b"nope\n"
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        elif mode == "slow":
            time.sleep(30)
        elif mode == "garbage":
            self.wfile.write(b"\x00\x01 this is not HTTP\r\n\r\n")
            return
        super().do_GET()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


with Server(("127.0.0.1", 0), Handler) as s:
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(s.server_address[1]))
    os.rename(tmp, port_file)
    s.serve_forever()
