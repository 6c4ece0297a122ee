import { describe, expect, it } from 'vitest';
import type { FromWorker, ToWorker } from '../../../src/lib/replay/protocol.ts';
import { decodeBase64 } from '../../../src/lib/replay/protocol.ts';
import { ReplayClient } from '../../../src/lib/replay/replay-client.ts';

/** A worker that records what it is sent and answers when told to. */
function fakeWorker() {
  const sent: ToWorker[] = [];
  const worker = {
    onmessage: null as ((event: MessageEvent<FromWorker>) => void) | null,
    onerror: null as unknown,
    postMessage: (message: ToWorker) => sent.push(message),
    terminate: () => {},
  };
  const say = (message: FromWorker) => worker.onmessage!({ data: message } as MessageEvent<FromWorker>);
  return { worker: worker as unknown as Worker, sent, say };
}

const frame = (count: number) => ({
  count,
  agenda: [],
  room: {
    currentItemId: null,
    phase: 'check-in' as const,
    votesPerPerson: 3,
    timer: null,
    follow: null,
    facilitatorId: null,
    reviewRevision: 0,
  },
});

describe('the replay worker client', () => {
  it('builds one board at a time, and of the moments asked for meanwhile only the newest', async () => {
    const { worker, sent, say } = fakeWorker();
    const client = new ReplayClient(worker, { oningested: () => {}, onfailure: () => {} });
    const first = client.show({ count: 10 });
    const skipped = client.show({ count: 20 });
    const latest = client.show({ count: 30 });
    expect(sent).toEqual([{ type: 'seek', id: 1, count: 10 }]);
    say({ type: 'frame', id: 1, frame: frame(10), ms: 1 });
    expect((await first)?.frame.count).toBe(10);
    expect(await skipped).toBeNull();
    expect(sent.at(-1)).toEqual({ type: 'seek', id: 2, count: 30 });
    say({ type: 'frame', id: 2, frame: frame(30), ms: 1 });
    expect((await latest)?.frame.count).toBe(30);
  });

  it('reports progress and failures of the log, and rejects a board the worker could not build', async () => {
    const { worker, say } = fakeWorker();
    const progress: number[] = [];
    const failures: string[] = [];
    const client = new ReplayClient(worker, {
      oningested: (count) => progress.push(count),
      onfailure: (message) => failures.push(message),
    });
    say({ type: 'ingested', count: 500 });
    say({ type: 'failed', id: null, message: 'bad update' });
    const shown = client.show({ state: 'AAA=' });
    say({ type: 'failed', id: 1, message: 'broken' });
    await expect(shown).rejects.toThrow('broken');
    expect(progress).toEqual([500]);
    expect(failures).toEqual(['bad update']);
  });

  it('decodes the base64 the history API sends', () => {
    expect([...decodeBase64(Buffer.from([0, 1, 254, 255]).toString('base64'))]).toEqual([0, 1, 254, 255]);
  });
});
