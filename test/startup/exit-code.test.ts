// A process that loads the embedded PostgreSQL module keeps the exit code it set: its exit hook would otherwise
// turn every failing run that ends by draining its event loop (Vitest with failed tests, so CI) into a success.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('exit code', () => {
  it('survives the embedded PostgreSQL exit hook', () => {
    const script = `await import('./server/db/embedded.ts'); process.exitCode = 3;`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });
});
