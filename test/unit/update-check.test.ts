// The worker that decodes large updates under a deadline: verdicts, and recovery after it was terminated.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../../server/logger.ts';
import { UpdateChecker } from '../../server/sync/update-check.ts';

const logger = createLogger('silent');
const checkers: UpdateChecker[] = [];
afterEach(async () => {
  for (const checker of checkers.splice(0)) await checker.close();
});

function checker(deadlineMs: number): UpdateChecker {
  const created = new UpdateChecker({ workerFromBytes: 1024, deadlineMs, logger });
  checkers.push(created);
  return created;
}

/** An update of many separate insertions (nothing merges): costly to decode and integrate. */
function heavyUpdate(insertions: number): Uint8Array {
  const doc = new Y.Doc();
  const text = doc.getText('notes');
  doc.transact(() => {
    for (let i = 0; i < insertions; i++)
      text.insert((i * 7919) % (text.length + 1), String.fromCharCode(97 + (i % 26)));
  });
  return Y.encodeStateAsUpdate(doc);
}

function smallUpdate(): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('notes').insert(0, 'hello');
  return Y.encodeStateAsUpdate(doc);
}

describe('update checker', () => {
  it('sends only large updates to the worker', () => {
    const checking = checker(1000);
    expect(checking.needsWorker(new Uint8Array(1023))).toBe(false);
    expect(checking.needsWorker(new Uint8Array(1024))).toBe(true);
  });

  it('passes a valid update and refuses a malformed one', async () => {
    const checking = checker(10_000);
    expect(await checking.check(heavyUpdate(5_000))).toBe('ok');
    const mangled = heavyUpdate(5_000).slice(0, 3_000);
    expect(await checking.check(mangled)).toBe('malformed');
    expect(await checking.check(Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 255, 255, 1]))).toBe('malformed');
  });

  it('refuses an update that overruns the deadline, and checks the next one with a fresh worker', async () => {
    const checking = checker(1);
    const heavy = heavyUpdate(40_000);
    // Several in a row: each overrun terminates the worker and the next one starts another.
    expect(await checking.check(heavy)).toBe('too-costly');
    expect(await checking.check(heavy)).toBe('too-costly');
    const [first, second] = await Promise.all([checking.check(heavy), checking.check(smallUpdate())]);
    expect(first).toBe('too-costly');
    // A small update gets a verdict of its own from the replacement worker; it fits in 1 ms but for a stray pause.
    const verdicts = [second];
    while (verdicts.at(-1) !== 'ok' && verdicts.length < 20) verdicts.push(await checking.check(smallUpdate()));
    expect(verdicts.at(-1)).toBe('ok');
  });

  it('answers every waiting check once closed', async () => {
    const checking = checker(10_000);
    const pending = [checking.check(heavyUpdate(2_000)), checking.check(heavyUpdate(2_000))];
    await checking.close();
    expect(await Promise.all(pending)).toEqual(['unavailable', 'unavailable']);
    expect(await checking.check(smallUpdate())).toBe('unavailable');
  });
});
