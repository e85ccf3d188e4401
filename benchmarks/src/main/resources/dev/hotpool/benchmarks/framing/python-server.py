# RealServersCheck's Python server: http.server's BaseHTTPRequestHandler speaking HTTP/1.1 (protocol_version), what an
# application writes. Prints its port, then one line per request with the client's port (its connection).
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ETAG = '"v1"'
MODIFIED = 'Mon, 07 Dec 2026 02:00:00 GMT'


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, format, *args):
        pass

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        print('REQ %d %s %s' % (self.client_address[1], self.command, self.path), flush=True)
        body = self.command != 'HEAD'
        if self.path == '/text' or self.path == '/file.txt':
            if self.path == '/file.txt' and (self.headers.get('If-None-Match') == ETAG
                                             or self.headers.get('If-Modified-Since') == MODIFIED):
                self.send_response(304)
                self.send_header('ETag', ETAG)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header('Content-Type', 'text/plain')
            self.send_header('Content-Length', '2')
            if self.path == '/file.txt':
                self.send_header('ETag', ETAG)
                self.send_header('Last-Modified', MODIFIED)
            self.end_headers()
            if body:
                self.wfile.write(b'ok')
        elif self.path == '/chunked':
            # http.server has no chunked coding of its own: an application writes the chunks.
            self.send_response(200)
            self.send_header('Content-Type', 'text/plain')
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            if body:
                self.wfile.write(b'1\r\no\r\n1\r\nk\r\n0\r\n\r\n')
        elif self.path == '/204':
            self.send_response(204)
            self.end_headers()
        else:
            self.send_error(404)


server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print('LISTENING %d' % server.server_port, flush=True)
server.serve_forever()
