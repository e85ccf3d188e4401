// RealServersCheck's Node server: node's own http module, what an application writes. Prints its port, then one
// line per request with the client's port (its connection).
const http = require('http');
const ETAG = '"v1"', MODIFIED = 'Mon, 07 Dec 2026 02:00:00 GMT';
const server = http.createServer((req, res) => {
  console.log(`REQ ${req.socket.remotePort} ${req.method} ${req.url}`);
  if (req.url === '/text') { res.setHeader('Content-Type', 'text/plain'); res.end('ok'); }
  else if (req.url === '/chunked') { res.setHeader('Content-Type', 'text/plain'); res.write('o'); res.end('k'); }
  else if (req.url === '/204') { res.writeHead(204); res.end(); }
  else if (req.url === '/file.txt') {
    res.setHeader('ETag', ETAG); res.setHeader('Last-Modified', MODIFIED);
    if (req.headers['if-none-match'] === ETAG || req.headers['if-modified-since'] === MODIFIED) { res.writeHead(304); res.end(); }
    else { res.setHeader('Content-Type', 'text/plain'); res.end('ok'); }
  }
  else { res.writeHead(404); res.end(); }
});
server.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
