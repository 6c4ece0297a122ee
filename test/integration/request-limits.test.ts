// Request bodies are bounded before they are read (issue 26, item 4): a large body to the anonymous sign-in route
// is refused from its declared length, and a body without one is refused once it passes the limit, without the
// server waiting for (or buffering) the rest.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../server/http/security.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

interface Answer {
  status: number;
  body: { error?: string };
  /** Bytes the client had written when the answer (or the server's close: status 0) arrived. */
  written: number;
}

/** POSTs to `path`; with `chunks`, streams them (no content-length) until the server answers or they run out. */
function post(path: string, body: { whole?: Buffer; chunks?: Iterator<Buffer> }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const req = request(
      `${server.origin}${path}`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: server.origin,
          ...(body.whole ? { 'content-length': String(body.whole.length) } : {}),
        },
      },
      (res) => {
        answered = true;
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(parts).toString() || '{}'), written });
          req.destroy();
        });
      },
    );
    req.on('error', (error) => {
      // A server that stops reading may reset the connection before its 413 reaches the client.
      if (answered) return;
      if (body.chunks) resolve({ status: 0, body: { error: error.message }, written });
      else reject(error);
    });
    if (body.whole) {
      written = body.whole.length;
      req.end(body.whole);
      return;
    }
    const pump = () => {
      while (!answered) {
        const next = body.chunks!.next();
        if (next.done) return void req.end();
        written += next.value.length;
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/** A JSON string that never ends, in 64 KiB pieces (at most `limit` bytes, far past the server's limit). */
function* endless(limit: number): Generator<Buffer> {
  yield Buffer.from('{"email":"a@b.example","password":"');
  const piece = Buffer.alloc(64 * 1024, 'x');
  for (let sent = 0; sent < limit; sent += piece.length) yield piece;
}

describe('request bodies', () => {
  it('refuses a body whose declared length is over the limit, on the anonymous sign-in route', async () => {
    const whole = Buffer.from(JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(MAX_JSON_BODY_BYTES) }));
    const answer = await post('/api/auth/login', { whole });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/larger than 1 MB/);
  });

  it('refuses a streamed body once it passes the limit, before the client has sent it all', async () => {
    const stream = 256 * 1024 * 1024;
    const answer = await post('/api/auth/signup', { chunks: endless(stream) });
    // A 413, or the connection closed on the sender when the reset overtook it; never a read to the end.
    if (answer.status === 0) expect(answer.body.error).toMatch(/socket hang up|ECONNRESET|EPIPE/);
    else expect(answer.status).toBe(413);
    // The answer came while the client was still sending: the server read about the limit, not the 256 MB.
    expect(answer.written).toBeLessThan(stream);
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
  });

  it('still reads ordinary bodies', async () => {
    const answer = await post('/api/auth/login', {
      whole: Buffer.from(JSON.stringify({ email: 'nobody@example.com', password: 'not the password' })),
    });
    expect(answer.status).toBe(401);
  });
});
