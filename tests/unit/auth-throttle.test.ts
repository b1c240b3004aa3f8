import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema.ts';
import { delayAfterFailures, FREE_FAILURES, FREE_FAILURES_PER_ADDRESS, recordFailure, remainingBlock, throttleKeys } from '../../src/server/auth/throttle.ts';
import { signInWithPassword } from '../../src/server/auth/user.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

let t: TestDatabase;
const PASSWORD = 'ríos verdes bajo la lluvia';

beforeAll(async () => {
  t = await createTestDatabase();
  await t.db.insert(users).values({ name: 'Luis', email: 'Luis@Example.org', emailKey: 'luis@example.org', passwordHash: await hashPassword(PASSWORD), countryCode: 'HN' });
});
afterAll(() => t.close());

describe('delays', () => {
  it('allows five failures, then doubles the wait up to 15 minutes', () => {
    expect(FREE_FAILURES).toBe(5);
    expect(delayAfterFailures(4)).toBe(0);
    expect(delayAfterFailures(5)).toBe(2_000);
    expect(delayAfterFailures(6)).toBe(4_000);
    expect(delayAfterFailures(50)).toBe(15 * 60_000);
    expect(FREE_FAILURES_PER_ADDRESS).toBe(20);
    expect(delayAfterFailures(19, FREE_FAILURES_PER_ADDRESS)).toBe(0);
    expect(delayAfterFailures(20, FREE_FAILURES_PER_ADDRESS)).toBe(2_000);
  });
});

describe('throttling state in the database', () => {
  it('blocks after repeated failures on the same account from different addresses', async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) await recordFailure(t.db, throttleKeys(`10.0.0.${i}`, 'victim@example.org'), now);
    expect(await remainingBlock(t.db, throttleKeys('10.9.9.9', 'VICTIM@example.org'), now)).toBeGreaterThan(0);
    // …and forgets old failures after an hour.
    expect(await remainingBlock(t.db, throttleKeys('10.9.9.9', 'victim@example.org'), now + 61 * 60_000)).toBe(0);
  });

  it('blocks an address spraying many accounts, but not one colleague’s typos', async () => {
    const now = Date.now();
    for (let i = 0; i < 6; i++) await recordFailure(t.db, throttleKeys('192.0.2.7', `user${i}@example.org`), now);
    expect(await remainingBlock(t.db, throttleKeys('192.0.2.7', 'fresh@example.org'), now)).toBe(0);
    for (let i = 6; i < 20; i++) await recordFailure(t.db, throttleKeys('192.0.2.7', `user${i}@example.org`), now);
    expect(await remainingBlock(t.db, throttleKeys('192.0.2.7', 'fresh@example.org'), now)).toBeGreaterThan(0);
  });
});

describe('signInWithPassword', () => {
  it('answers the same generic error for an unknown e-mail and a wrong password, and audits both', async () => {
    const unknown = await signInWithPassword(t.db, 'nobody@example.org', PASSWORD, '198.51.100.1');
    const wrong = await signInWithPassword(t.db, 'luis@example.org', 'wrong password here', '198.51.100.2');
    expect(unknown).toEqual({ ok: false, error: 'invalid' });
    expect(wrong).toEqual({ ok: false, error: 'invalid' });
    const failures = await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.signin.failed'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });

  it('signs in case-insensitively by e-mail and audits it', async () => {
    const result = await signInWithPassword(t.db, '  LUIS@example.org ', PASSWORD, '198.51.100.3');
    expect(result.ok).toBe(true);
    const signins = await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.signin'));
    expect(signins).toHaveLength(1);
  });

  it('throttles the sixth rapid wrong password even if the sixth is right', async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect((await signInWithPassword(t.db, 'luis@example.org', 'nope nope nope', '203.0.113.9', now)).ok).toBe(false);
    const sixth = await signInWithPassword(t.db, 'luis@example.org', PASSWORD, '203.0.113.10', now + 100);
    expect(sixth).toMatchObject({ ok: false, error: 'throttled' });
  });
});
