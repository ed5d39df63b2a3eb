"""An OTLP/HTTP trace sink for bench/tasks.sh: takes each export (POST /v1/traces), answers 200
with an empty ExportTraceServiceResponse, keeps nothing. Writes its port to the file named by
argv[1] and, on SIGTERM, the number of exports and bytes received to stdout."""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = {"exports": 0, "bytes": 0}


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        received["exports"] += 1
        received["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
with open(sys.argv[1], "w") as out:
    out.write(str(server.server_address[1]))


def stop(*_):
    print(f"{received['exports']} exports, {received['bytes']} bytes", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server.serve_forever()
