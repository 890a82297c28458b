# raw echo backend: answers with the request target exactly as received, plus X-Forwarded-* headers
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (self.requestline + "\n" + "".join(f"{k}: {v}\n" for k, v in self.headers.items() if k.lower().startswith("x-"))).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
