// A busy database is retried with backoff and, when it stays busy, surfaces as DatabaseBusyError (→ 503), never as a
// half-done write. Two real connections to one temp file: one holds the write lock, the other tries to write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, isBusyError, withBusyRetry, writeTransaction } from '../../db/busy.ts';
import { openDatabase, type Database } from '../../db/client.ts';
import { applyMigrations } from '../../db/migrate.ts';
import { loadReferenceData } from '../../db/seed/reference.ts';
import { throttle } from '../../db/schema.ts';

let dir: string;
let url: string;
let db: Database;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'capacita-busy-'));
  url = `file:${join(dir, 'busy.db')}`;
  const setup = openDatabase({ url });
  await applyMigrations(setup);
  await loadReferenceData(setup);
  setup.$client.close();
  // A short wait so the test sees the retries, not the busy handler.
  db = openDatabase({ url, busyTimeoutMs: 20, busyRetry: { attempts: 4, baseDelayMs: 40 } });
});

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

async function holdWriteLock(ms: number) {
  const other = createClient({ url });
  const tx = await other.transaction('write');
  await tx.execute("INSERT INTO throttle (key, failures, last_failure_at) VALUES ('holder', 1, 0)");
  const release = new Promise<void>((resolve) =>
    setTimeout(async () => {
      await tx.commit();
      other.close();
      resolve();
    }, ms),
  );
  return release;
}

describe('busy database', () => {
  it('recognises busy errors through wrappers', () => {
    expect(isBusyError({ code: 'SQLITE_BUSY' })).toBe(true);
    expect(isBusyError(new Error('x', { cause: { code: 'SQLITE_LOCKED_SHAREDCACHE' } }))).toBe(true);
    expect(isBusyError(new Error('Failed query', { cause: new Error('SQLITE_BUSY: database is locked') }))).toBe(true);
    expect(isBusyError(new Error('UNIQUE constraint failed'))).toBe(false);
    // sqld refusing a request for load (its concurrent-request cap) is busy; its other errors are not.
    const refused = Object.assign(new Error('SERVER_ERROR: Server returned HTTP status 429'), { code: 'SERVER_ERROR' });
    expect(isBusyError(new Error('Failed query: select 1', { cause: refused }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('SERVER_ERROR: Server returned HTTP status 503'), { code: 'SERVER_ERROR' }))).toBe(true);
    expect(isBusyError(Object.assign(new Error('SERVER_ERROR: Server returned HTTP status 500'), { code: 'SERVER_ERROR' }))).toBe(false);
  });

  it('retries a write until the other writer lets go', async () => {
    const released = holdWriteLock(150);
    await db.insert(throttle).values({ key: 'waiter', failures: 1, lastFailureAt: new Date(0) });
    await released;
    const keys = (await db.select({ key: throttle.key }).from(throttle)).map((r) => r.key).sort();
    expect(keys).toEqual(['holder', 'waiter']);
  });

  it('retries a whole transaction and writes it exactly once', async () => {
    const released = holdWriteLock(150);
    let runs = 0;
    await writeTransaction(db, async (tx) => {
      runs++;
      await tx.insert(throttle).values({ key: 'tx-a', failures: 1, lastFailureAt: new Date(0) });
      await tx.insert(throttle).values({ key: 'tx-b', failures: 1, lastFailureAt: new Date(0) });
    });
    await released;
    expect(runs).toBe(1); // BEGIN IMMEDIATE was retried, the callback ran once
    const rows = await db.select().from(throttle);
    expect(rows.filter((r) => r.key.startsWith('tx-'))).toHaveLength(2);
  });

  it('gives up with DatabaseBusyError when the database stays busy, having written nothing', async () => {
    const released = holdWriteLock(2_000);
    const error = await db.insert(throttle).values({ key: 'never', failures: 1, lastFailureAt: new Date(0) }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isBusyError(error)).toBe(true);
    await released;
    const rows = await db.select().from(throttle);
    expect(rows.map((r) => r.key)).toEqual(['holder']);
    // @libsql/client 0.18 leaves the failed statement active on its pooled connection; the wrapper re-opens the pool,
    // so the next transactions still commit.
    for (let i = 0; i < 3; i++) {
      await db.transaction(async (tx) => {
        await tx.insert(throttle).values({ key: `after-${i}`, failures: 1, lastFailureAt: new Date(0) });
      });
    }
    expect((await db.select().from(throttle)).map((r) => r.key).sort()).toEqual(['after-0', 'after-1', 'after-2', 'holder']);
  });

  it('never freezes the process when its own transaction and an autocommit write overlap', async () => {
    const own = openDatabase({ url }); // default 5 s busy wait: a stall would show as seconds
    const started = Date.now();
    const tx = own.transaction(async (t) => {
      await t.insert(throttle).values({ key: 'in-tx', failures: 1, lastFailureAt: new Date(0) });
      await new Promise((r) => setTimeout(r, 100)); // the transaction awaits something, holding the write lock
    });
    await new Promise((r) => setTimeout(r, 10));
    const autocommit = own.insert(throttle).values({ key: 'autocommit', failures: 1, lastFailureAt: new Date(0) });
    const reads = own.select().from(throttle); // reads do not queue behind writes
    await Promise.all([tx, autocommit, reads]);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect((await own.select().from(throttle)).map((r) => r.key).sort()).toEqual(['autocommit', 'in-tx']);
    own.$client.close();
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    await expect(
      withBusyRetry(async () => {
        calls++;
        throw new Error('UNIQUE constraint failed');
      }),
    ).rejects.toThrow('UNIQUE');
    expect(calls).toBe(1);
    await expect(withBusyRetry(async () => Promise.reject({ code: 'SQLITE_BUSY' }), { attempts: 2, baseDelayMs: 1 })).rejects.toBeInstanceOf(DatabaseBusyError);
  });
});
