import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../../../server/background.ts';
import type { Logger } from '../../../server/logger.ts';

function recordingLogger() {
  const errors: { message: string; fields: Record<string, unknown> }[] = [];
  const ignore = () => {};
  const logger: Logger = {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message, fields = {}) => errors.push({ message, fields }),
  };
  return { logger, errors };
}

describe('BackgroundWork', () => {
  it('settles only once the work, and the work it started meanwhile, has finished', async () => {
    const { logger } = recordingLogger();
    const background = new BackgroundWork(logger);
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    background.run('first failed', async () => {
      await gate;
      done.push('first');
      background.run('second failed', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        done.push('second');
      });
    });
    let settled = false;
    const waiting = background.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    release();
    await waiting;
    expect(done).toEqual(['first', 'second']);
  });

  it('logs a failure with its message and context, and still settles', async () => {
    const { logger, errors } = recordingLogger();
    const background = new BackgroundWork(logger);
    background.run('import failed', async () => Promise.reject(new Error('disk full')), { importId: 'i1' });
    background.run('thrown at once', () => {
      throw new Error('boom');
    });
    await background.settled();
    const logged = errors.map((entry) => [entry.message, entry.fields.importId]).sort();
    expect(logged).toEqual([
      ['import failed', 'i1'],
      ['thrown at once', undefined],
    ]);
    expect(errors.find((entry) => entry.message === 'import failed')!.fields.error).toBe('disk full');
  });

  it('settles at once when nothing runs', async () => {
    await new BackgroundWork(recordingLogger().logger).settled();
  });
});
