// An embedded connection prepares each statement once (db/statement-cache.ts), and a reused statement behaves like a
// fresh one: after a failure, after another connection's write or schema change, inside transactions and batches.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { cachedStatementCount } from '../../db/statement-cache.ts';

const require = createRequire(import.meta.url);
/** The driver @libsql/client loads for files (the class db/statement-cache.ts patches). */
const Driver = require(require.resolve('libsql', { paths: [require.resolve('@libsql/client')] })) as new (path: string) => {
  prepare(sql: string): unknown;
  exec(sql: string): void;
  close(): void;
};

let dir: string;
let path: string;
let db: Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capacita-statements-'));
  path = join(dir, 'cache.db');
  db = openDatabase({ url: `file:${path}` });
  await db.$client.execute('PRAGMA journal_mode = WAL');
  await db.$client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
});

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('prepared statements on an embedded file', () => {
  it('are prepared once per connection once a client has opened a file', () => {
    const connection = new Driver(path);
    try {
      const sql = 'SELECT v FROM t WHERE id = ?';
      expect(connection.prepare(sql)).toBe(connection.prepare(sql));
      expect(cachedStatementCount(connection)).toBe(1);
      // A schema change through the connection forgets what it prepared.
      connection.exec('CREATE TABLE u (id INTEGER PRIMARY KEY)');
      expect(cachedStatementCount(connection)).toBe(0);
    } finally {
      connection.close();
    }
  });

  it('run again normally after a failure, and a transaction around the failure still commits', async () => {
    const insert = { sql: 'INSERT INTO t (v) VALUES (?)', args: ['a'] };
    await db.$client.execute(insert);
    await expect(db.$client.execute(insert)).rejects.toThrow(/UNIQUE/);
    const tx = await db.$client.transaction('write');
    await expect(tx.execute(insert)).rejects.toThrow(/UNIQUE/);
    await tx.execute({ sql: 'INSERT INTO t (v) VALUES (?)', args: ['b'] });
    await tx.commit();
    await db.$client.execute({ sql: 'INSERT INTO t (v) VALUES (?)', args: ['c'] });
    const rows = await db.$client.execute('SELECT v FROM t ORDER BY v');
    expect(rows.rows.map((r) => r.v)).toEqual(['a', 'b', 'c']);
  });

  it('see what another connection wrote and the columns another connection added', async () => {
    const read = 'SELECT id, v FROM t ORDER BY id';
    expect((await db.$client.execute(read)).rows).toHaveLength(0);
    const other = createClient({ url: `file:${path}` });
    await other.execute("INSERT INTO t (v) VALUES ('from the other')");
    await other.execute("ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'x'");
    const after = await db.$client.execute(read);
    expect(after.columns).toEqual(['id', 'v']);
    expect(after.rows.map((r) => r.v)).toEqual(['from the other']);
    expect((await db.$client.execute('SELECT v, w FROM t')).rows[0]).toMatchObject({ v: 'from the other', w: 'x' });
    // A finished read holds no lock: the other connection can checkpoint the whole log.
    const checkpoint = await other.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    expect(Number(checkpoint.rows[0]![0])).toBe(0);
    other.close();
  });

  it('roll a batch back whole when one statement fails, and run the same batch afterwards', async () => {
    const batch = [
      { sql: 'INSERT INTO t (v) VALUES (?)', args: ['one'] },
      { sql: 'SELECT CASE WHEN (SELECT count(*) FROM t) = ? THEN 1 ELSE json(?) END', args: [5, 'not yet'] },
    ];
    await expect(db.$client.batch(batch, 'write')).rejects.toThrow(/malformed JSON/);
    expect((await db.$client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(0);
    batch[1]!.args = [1, 'now'];
    await db.$client.batch(batch, 'write');
    expect((await db.$client.execute('SELECT v FROM t')).rows.map((r) => r.v)).toEqual(['one']);
  });
});
