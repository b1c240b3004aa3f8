// Enrolling a second factor: the key lives on the server, and an existing factor is replaced only by someone who has it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, sessions, users } from '../../db/schema.ts';
import { createSession, generateSessionToken, markSessionTwoFactorVerified } from '../../src/server/auth/session.ts';
import { enrolTotp, PENDING_KEY_LIFETIME_MS, pendingTotpKey, resetSecondFactor, totpCodeAt, verifySecondFactor } from '../../src/server/auth/two-factor.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson } from './helpers/admin-people.ts';

const STEP = 30_000;

describe('second-factor enrolment', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  async function userRow(id: number) {
    const [row] = await t.db.select().from(users).where(eq(users.id, id));
    return row!;
  }

  /** A coordinator with a factor enrolled from a first session; returns the key and recovery codes. */
  async function enrolled(now: number) {
    const person = await createPerson(t.db, { role: 'coordinator', countryCode: null });
    const first = await createSession(t.db, generateSessionToken(), person.id, { now });
    const key = await pendingTotpKey(t.db, first.id, now);
    const result = await enrolTotp(t.db, { userId: person.id, sessionId: first.id, code: totpCodeAt(key, now), now });
    if (!result.ok) throw new Error(result.error);
    return { person, first, key, recoveryCodes: result.recoveryCodes };
  }

  it('keeps the pending key on the session row: the same while fresh, per session, renewed after ten minutes', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const now = Date.now();
    const a = await createSession(t.db, generateSessionToken(), person.id, { now });
    const b = await createSession(t.db, generateSessionToken(), person.id, { now });
    const key = await pendingTotpKey(t.db, a.id, now);
    expect(await pendingTotpKey(t.db, a.id, now + 60_000)).toEqual(key);
    expect(await pendingTotpKey(t.db, b.id, now)).not.toEqual(key);
    expect(await pendingTotpKey(t.db, a.id, now + PENDING_KEY_LIFETIME_MS + 1)).not.toEqual(key);
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, a.id));
    expect(row!.pendingTotpKey).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  });

  it('enrols only the key this session was shown, with its code; a stale setup is refused', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const now = Date.now();
    const session = await createSession(t.db, generateSessionToken(), person.id, { now });
    // Nothing shown yet: nothing to enrol.
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: session.id, code: '123456', now })).toEqual({ ok: false, error: 'expired' });
    const key = await pendingTotpKey(t.db, session.id, now);
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: session.id, code: '000000', now })).toEqual({ ok: false, error: 'invalidCode' });
    const late = now + PENDING_KEY_LIFETIME_MS + 1;
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: session.id, code: totpCodeAt(key, late), now: late })).toEqual({ ok: false, error: 'expired' });
    // Another person's session cannot be used to enrol.
    const other = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    expect(await enrolTotp(t.db, { userId: other.id, sessionId: session.id, code: totpCodeAt(key, now), now })).toEqual({ ok: false, error: 'expired' });
    const ok = await enrolTotp(t.db, { userId: person.id, sessionId: session.id, code: totpCodeAt(key, now), now });
    expect(ok.ok).toBe(true);
    expect((await userRow(person.id)).totpKey).not.toBeNull();
    const [row] = await t.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(row).toMatchObject({ twoFactorVerified: true, pendingTotpKey: null });
  });

  it('a password-only session cannot replace an existing factor, even with a valid code for a key of its own', async () => {
    const now = Date.now();
    const { person, key } = await enrolled(now);
    const attacker = await createSession(t.db, generateSessionToken(), person.id, { now: now + STEP });
    const theirs = await pendingTotpKey(t.db, attacker.id, now + STEP);
    const result = await enrolTotp(t.db, { userId: person.id, sessionId: attacker.id, code: totpCodeAt(theirs, now + STEP), currentCode: '000000', now: now + STEP });
    expect(result).toEqual({ ok: false, error: 'unverifiedSession' });
    expect((await userRow(person.id)).totpKey).toBe(Buffer.from(key).toString('base64'));
  });

  it('a verified session replaces the factor only with a current code or a recovery code; guessing is throttled', async () => {
    let now = Date.now();
    const { person, first, key, recoveryCodes } = await enrolled(now);
    const elsewhere = await createSession(t.db, generateSessionToken(), person.id, { now });
    await markSessionTwoFactorVerified(t.db, elsewhere.id);
    now += 2 * STEP;
    const next = await pendingTotpKey(t.db, first.id, now);
    const newCode = totpCodeAt(next, now);
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: first.id, code: newCode, now })).toEqual({ ok: false, error: 'currentCodeRequired' });
    for (let i = 0; i < 5; i++) {
      expect(await enrolTotp(t.db, { userId: person.id, sessionId: first.id, code: newCode, currentCode: '999999', now: now + i })).toEqual({ ok: false, error: 'currentCodeInvalid' });
    }
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: first.id, code: newCode, currentCode: totpCodeAt(key, now), now: now + 10 })).toMatchObject({ ok: false, error: 'throttled' });
    expect((await userRow(person.id)).totpKey).toBe(Buffer.from(key).toString('base64'));

    now += 20 * 60_000; // the throttle has let go; the pending key is renewed
    const again = await pendingTotpKey(t.db, first.id, now);
    const replaced = await enrolTotp(t.db, { userId: person.id, sessionId: first.id, code: totpCodeAt(again, now), currentCode: recoveryCodes[3], now });
    expect(replaced.ok).toBe(true);
    expect((await userRow(person.id)).totpKey).toBe(Buffer.from(again).toString('base64'));
    // The other device is signed out, the change is in the audit log, and the old recovery codes are gone.
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(1);
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'auth.2fa.replace'), eq(auditLog.targetId, String(person.id))))).toHaveLength(1);
    const signIn = await createSession(t.db, generateSessionToken(), person.id, { now });
    expect(await verifySecondFactor(t.db, await userRow(person.id), recoveryCodes[4]!, { sessionId: signIn.id, now })).toEqual({ ok: false, error: 'invalidCode' });
  });

  it('an administrator’s reset clears the factor, ends the sessions and is audited with who did it', async () => {
    const now = Date.now();
    const { person } = await enrolled(now);
    const admin = await createPerson(t.db, { role: 'admin', countryCode: null });
    await resetSecondFactor(t.db, admin, person.id, '203.0.113.9');
    expect((await userRow(person.id)).totpKey).toBeNull();
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'user.2fa.reset'));
    expect(rows).toMatchObject([{ actorId: admin.id, targetType: 'user', targetId: String(person.id), ip: '203.0.113.9' }]);
  });

  it('a reset of an account that does not exist is refused as not found, and audits nothing', async () => {
    const admin = await createPerson(t.db, { role: 'admin', countryCode: null });
    await expect(resetSecondFactor(t.db, admin, 999_999, '203.0.113.9')).rejects.toMatchObject({ name: 'DomainError', code: 'notFound' });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, 'user.2fa.reset'))).toHaveLength(0);
  });
});
