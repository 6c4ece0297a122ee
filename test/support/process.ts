// The server as a child process (`npm run dev`'s entry point unless told otherwise), for tests that kill it or
// restart it.
import { spawn, type ChildProcess } from 'node:child_process';

export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** The TypeScript server through tsx, as `npm run dev` runs it. */
const DEV_SERVER = ['--import', 'tsx', 'server/cli/dev-server.ts'];

export function startProcess(
  env: Record<string, string>,
  command: { nodeArgs: string[]; cwd?: string } = { nodeArgs: DEV_SERVER },
): StartedProcess {
  const child = spawn(process.execPath, command.nodeArgs, {
    cwd: command.cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitForOutput(started: StartedProcess, text: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!started.output().includes(text)) {
    if (started.child.exitCode !== null) throw new Error(`server exited early:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${text}":\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
