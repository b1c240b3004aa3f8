// Backup and restore of the embedded database: a snapshot taken while another connection writes, restored into a
// fresh directory, holds every row of every table; restore refuses while a server process holds the database.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, databaseInUse, restoreDatabase } from '../../db/backup.ts';
import { openDatabase } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { loadReferenceData } from '../../db/seed/reference.ts';
import { auditLog, throttle } from '../../db/schema.ts';

let dir: string;
let url: string;

async function dump(dbUrl: string): Promise<Record<string, unknown[]>> {
  const client = createClient({ url: dbUrl });
  try {
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    const out: Record<string, unknown[]> = {};
    for (const row of tables.rows) {
      const name = String(row[0]);
      out[name] = (await client.execute(`SELECT * FROM "${name}" ORDER BY 1`)).rows.map((r) => JSON.stringify(Object.values(r)));
    }
    return out;
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capacita-backup-'));
  url = `file:${join(dir, 'live', 'capacita.db')}`;
  const db = openDatabase({ url });
  await applyMigrations(db);
  await loadReferenceData(db);
  for (let i = 0; i < 500; i++) await db.insert(auditLog).values({ at: new Date(i), action: `test.${i}`, targetId: 'ñandú 🦤 \u0000x' });
  db.$client.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup and restore', () => {
  it('takes a consistent snapshot while writes go on, and restores every row into a fresh directory', async () => {
    const writer = openDatabase({ url });
    let writing = true;
    const writes = (async () => {
      let n = 0;
      while (writing) {
        await writer.insert(throttle).values({ key: `during-${n++}`, failures: 1, lastFailureAt: new Date(0) });
        await new Promise((r) => setImmediate(r)); // the embedded client is synchronous underneath: let timers run
      }
      return n;
    })();
    await new Promise((r) => setTimeout(r, 50));
    const before = await dump(url);
    const { path, bytes } = await backupDatabase(url, join(dir, 'backups', 'snap.db'));
    writing = false;
    await writes;
    writer.$client.close();
    expect(bytes).toBeGreaterThan(0);

    const snapshot = await dump(`file:${path}`);
    // Everything that existed before the backup started is in it (rows written during it may or may not be).
    for (const [table, rows] of Object.entries(before)) {
      if (table === 'throttle') continue;
      expect(snapshot[table], table).toEqual(rows);
    }
    expect(snapshot.audit_log).toHaveLength(500);

    const freshUrl = `file:${join(dir, 'fresh', 'nested', 'capacita.db')}`;
    await restoreDatabase(path, freshUrl);
    expect(await dump(freshUrl)).toEqual(snapshot);
    expect(Object.keys(snapshot).length).toBeGreaterThan(10);
  });

  it('refuses to restore over a database a server process holds open, and replaces it when free', async () => {
    const { path } = await backupDatabase(url, join(dir, 'backups', 'snap2.db'));
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `
      import { createClient } from '@libsql/client';
      const c = createClient({ url: ${JSON.stringify(url)} });
      await c.execute('SELECT count(*) FROM users');
      console.log('ready');
      setInterval(() => c.execute('SELECT 1'), 50);
    `], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout!.once('data', () => resolve()));
    try {
      expect(await databaseInUse(url)).toBe(true);
      await expect(restoreDatabase(path, url)).rejects.toThrow(/in use/);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
    }
    expect(await databaseInUse(url)).toBe(false);
    await restoreDatabase(path, url);
    expect(existsSync(url.slice(5))).toBe(true);
    expect((await dump(url)).audit_log).toHaveLength(500);
  });
});
