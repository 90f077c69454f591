// The baseline for fan-out: a bare `ws` server that broadcasts whatever is POSTed to it, with
// none of Pulse in between. Started as a child process by fanout.ts.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 3920);
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    for (const client of sockets.clients) client.send(body);
    response.end('ok');
  });
});
const sockets = new WebSocketServer({ server });
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
