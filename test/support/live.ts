// The organization's server-sent event stream, read as a browser's EventSource would.
import type { ApiClient } from './client.ts';

/** Opens the organization's event stream and collects the event names it receives. */
export async function openEventStream(origin: string, client: ApiClient, orgId: string) {
  const controller = new AbortController();
  const response = await fetch(`${origin}/api/orgs/${orgId}/events`, {
    headers: { cookie: client.cookie! },
    signal: controller.signal,
  });
  const received: { event: string; data: any }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  /** The server ended the response (the reader is done), as opposed to close() aborting it. */
  let endedByServer = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          endedByServer = true;
          return;
        }
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) received.push({ event, data: data ? JSON.parse(data) : null });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  const waitFor = async (predicate: () => boolean) => {
    for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 20));
    return predicate();
  };
  await waitFor(() => received.some((r) => r.event === 'ready'));
  return {
    response,
    received,
    waitFor,
    /** Whether the server has ended the stream. */
    get ended() {
      return endedByServer;
    },
    /** Resolves once the server has ended the stream, or rejects after `ms`. */
    async endedWithin(ms: number) {
      await Promise.race([
        pump,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`the stream did not end within ${ms} ms`)), ms)),
      ]);
      if (!endedByServer) throw new Error('the stream was aborted, not ended by the server');
    },
    async close() {
      controller.abort();
      await pump;
    },
  };
}
