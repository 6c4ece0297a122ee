// Websocket upgrades. The upgrade request goes through the Hono app like any request (limits, Origin, session,
// membership); a route that lets it in calls `accept` with the function that takes the socket. Only then is the
// socket upgraded, and handed to that function alone: an open socket keeps nothing of its request (headers,
// context, URL), which is most of what an idle connection would otherwise cost. Refusals answer with the route's
// status, headers and body.
import type { IncomingMessage, Server } from 'node:http';
import type { Http2SecureServer, Http2Server } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import type { WebSocket, WebSocketServer } from 'ws';

export const UPGRADE = Symbol('lastmile-upgrade');

/** The bindings an upgrade request carries into the app (`c.env`). */
export interface UpgradeBindings {
  incoming: IncomingMessage;
  outgoing: undefined;
  [UPGRADE]: { accept(open: (socket: WebSocket) => void): void };
}

/** The app's fetch; it gets HttpBindings without `outgoing` (there is no response object for an upgrade). */
type Fetch = (request: Request, bindings: HttpBindings) => unknown;

function toRequest(incoming: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const host = incoming.headers.host ?? 'localhost';
  // Only a path is accepted as the target; anything else is resolved against the host, never taken as given.
  const url = new URL(incoming.url?.startsWith('/') ? incoming.url : '/', `http://${host}`);
  return new Request(url, { headers });
}

async function refuse(socket: Duplex, response: Response): Promise<void> {
  const status = response.status === 200 ? 400 : response.status;
  const body = Buffer.from(await response.text().catch(() => ''));
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${status} ${response.statusText || 'Refused'}`, 'Connection: close'];
  response.headers.forEach((value, name) => {
    if (!['connection', 'content-length', 'transfer-encoding', 'upgrade'].includes(name))
      lines.push(`${name}: ${value}`);
  });
  lines.push(`Content-Length: ${body.byteLength}`);
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), body]));
}

/** Module-level, so that no listener left on an upgraded socket holds the upgrade request's scope. */
const ignore = () => {};

export function handleUpgrades(server: Server | Http2Server | Http2SecureServer, fetch: Fetch, wss: WebSocketServer) {
  server.on('upgrade', (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', ignore);
    if (incoming.headers.upgrade?.toLowerCase() !== 'websocket') {
      void refuse(socket, new Response('Only websocket upgrades are served', { status: 400 }));
      return;
    }
    let open: ((ws: WebSocket) => void) | undefined;
    const bindings: UpgradeBindings = {
      incoming,
      outgoing: undefined,
      [UPGRADE]: { accept: (taker) => (open = taker) },
    };
    void (async () => {
      let response: Response;
      try {
        const answer = await fetch(toRequest(incoming), bindings as unknown as HttpBindings);
        response = answer instanceof Response ? answer : new Response('Internal error', { status: 500 });
      } catch {
        response = new Response('Internal error', { status: 500 });
      }
      if (socket.destroyed) return;
      const taker = open;
      if (!taker || response.status !== 200) return refuse(socket, response);
      wss.handleUpgrade(incoming, socket, head, (ws) => taker(ws));
    })();
  });
}
