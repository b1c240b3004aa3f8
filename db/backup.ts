// Online backups of the embedded database. VACUUM INTO writes a consistent snapshot (one read transaction) while the
// server keeps serving; restore checks the snapshot and swaps it into place with a rename, so the live path holds
// either the old database or the whole new one, never half of each. (A libSQL server — sqld — has its own backup
// options: docs/DEPLOYMENT.md.)
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createClient } from '@libsql/client';

/** The file path of a `file:` URL, or null for a server URL. */
export function databaseFilePath(url: string): string | null {
  if (!url.startsWith('file:')) return null;
  const path = url.slice('file:'.length).split('?')[0]!;
  return path && path !== ':memory:' ? resolve(path) : null;
}

export function backupFileName(now = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}.db`;
}

/** Writes a consistent snapshot of the database at `url` to `target` (which must not exist) and returns its size. */
export async function backupDatabase(url: string, target: string): Promise<{ path: string; bytes: number }> {
  const source = databaseFilePath(url);
  if (!source) throw new Error(`Online backup with VACUUM INTO needs an embedded database (file:…), not ${url}. For sqld see docs/DEPLOYMENT.md.`);
  if (!existsSync(source)) throw new Error(`No database at ${source}.`);
  const path = resolve(target);
  if (existsSync(path)) throw new Error(`${path} already exists.`);
  mkdirSync(dirname(path), { recursive: true });
  const client = createClient({ url: `file:${source}`, timeout: 10_000 });
  try {
    await client.execute({ sql: 'VACUUM INTO ?', args: [path] });
  } finally {
    client.close();
  }
  await checkDatabaseFile(path);
  return { path, bytes: statSync(path).size };
}

/** Opens a database file read-only and runs SQLite's integrity check; throws when it is not a sound database. */
export async function checkDatabaseFile(path: string): Promise<void> {
  const client = createClient({ url: `file:${resolve(path)}` });
  try {
    const result = await client.execute('PRAGMA integrity_check');
    const verdict = String(result.rows[0]?.[0] ?? '');
    if (verdict !== 'ok') throw new Error(`${path} failed the integrity check: ${verdict}`);
    await client.execute('SELECT count(*) FROM sqlite_master');
  } finally {
    client.close();
  }
}

/**
 * The ids of other processes that have the database (or its WAL) open — a running server does. Read from /proc, so
 * it answers on Linux (where Capacita is deployed); elsewhere it finds nothing and restore only warns in its docs.
 */
export function processesUsingDatabase(url: string): number[] {
  const path = databaseFilePath(url);
  if (!path || !existsSync('/proc/self/fd')) return [];
  const watched = new Set([path, `${path}-wal`, `${path}-shm`]);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    for (const fd of fds) {
      try {
        if (watched.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) {
          found.push(Number(entry));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return found;
}

export async function databaseInUse(url: string): Promise<boolean> {
  return processesUsingDatabase(url).length > 0;
}

/**
 * Replaces the database at `url` with the snapshot `backup`: checked first, copied next to the target, then renamed
 * over it (atomic on one filesystem); stale -wal/-shm files of the old database are removed. Refuses while the
 * database is in use unless `force` (a running server would keep writing to the old file).
 */
export async function restoreDatabase(backup: string, url: string, { force = false } = {}): Promise<{ path: string }> {
  const target = databaseFilePath(url);
  if (!target) throw new Error(`Restore needs an embedded database (file:…), not ${url}. For sqld see docs/DEPLOYMENT.md.`);
  const source = resolve(backup);
  if (!existsSync(source)) throw new Error(`No backup at ${source}.`);
  await checkDatabaseFile(source);
  const users = processesUsingDatabase(url);
  if (!force && users.length) {
    throw new Error(`${target} is in use by process ${users.join(', ')} (is the server running?). Stop it first, or pass --force.`);
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = join(dirname(target), `.restore-${process.pid}-${Date.now()}.db`);
  try {
    // VACUUM INTO from the backup gives a fresh, compact copy in WAL-less state on the target's filesystem.
    const client = createClient({ url: `file:${source}` });
    try {
      await client.execute({ sql: 'VACUUM INTO ?', args: [staging] });
    } finally {
      client.close();
    }
    await checkDatabaseFile(staging);
    for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
    renameSync(staging, target);
  } finally {
    rmSync(staging, { force: true });
  }
  return { path: target };
}
