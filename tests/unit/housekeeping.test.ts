// The background purge: expired sessions and old throttle counters go, live ones stay, and with several app nodes one
// of them runs each round — on a real libSQL file shared by two connections, like two nodes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { sessions, throttle, users } from '../../db/schema.ts';
import { createSession, generateSessionToken } from '../../src/server/auth/session.ts';
import { HOUSEKEEPING_INTERVAL_MS, runHousekeeping } from '../../src/server/housekeeping.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('housekeeping', () => {
  let t: TestDatabase;
  let db: Database;
  let userId: number;
  beforeEach(async () => {
    t = await createTestDatabase({ reference: false });
    db = t.db;
    const [row] = await db.insert(users).values({ name: 'Ana', email: 'ana@x.test', emailKey: 'ana@x.test' }).returning({ id: users.id });
    userId = row!.id;
  });
  afterEach(() => t.close());

  it('deletes expired sessions and throttle counters past their reset, keeps the live ones', async () => {
    const now = Date.now();
    await createSession(db, generateSessionToken(), userId);
    await db.insert(sessions).values({ id: 'expired', userId, expiresAt: new Date(now - 1000), createdAt: new Date(now - 31 * DAY) });
    await db.insert(throttle).values([
      { key: 'ip:198.51.100.1', failures: 3, lastFailureAt: new Date(now - 2 * DAY) },
      { key: 'ip:198.51.100.2', failures: 7, lastFailureAt: new Date(now - 60_000), blockedUntil: new Date(now + 60_000) },
    ]);
    expect(await runHousekeeping(db, now)).toBe(true);
    expect((await db.select().from(sessions)).map((s) => s.id)).not.toContain('expired');
    expect(await db.$count(sessions)).toBe(1);
    expect((await db.select().from(throttle)).map((r) => r.key)).toEqual(['ip:198.51.100.2']);
  });

  it('runs once per interval across nodes sharing the database', async () => {
    const url = `file:${(await db.$client.execute('PRAGMA database_list')).rows[0]!.file as string}`;
    const otherNode = openDatabase({ url });
    try {
      const now = Date.now();
      const first = await Promise.all([runHousekeeping(db, now), runHousekeeping(otherNode, now), runHousekeeping(otherNode, now + 1000)]);
      expect(first.filter(Boolean)).toHaveLength(1);
      expect(await runHousekeeping(db, now + HOUSEKEEPING_INTERVAL_MS / 2)).toBe(false);
      expect(await runHousekeeping(otherNode, now + HOUSEKEEPING_INTERVAL_MS)).toBe(true);
    } finally {
      otherNode.$client.close();
    }
  });
});
