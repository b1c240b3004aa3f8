import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { emailTokens, mailOutbox, sessions, users } from '../../db/schema.ts';
import { consumeEmailToken, createEmailToken, PASSWORD_RESET_LIFETIME } from '../../src/server/auth/email-token.ts';
import { requestPasswordReset, setPasswordWithToken } from '../../src/server/auth/password-reset.ts';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/server/auth/session.ts';
import { hashPassword } from '../../src/server/auth/password.ts';
import { signInWithPassword } from '../../src/server/auth/user.ts';
import {
  enrolTotp,
  generateTotpKey,
  pendingTotpKey,
  secondFactorRequired,
  totpCodeAt,
  verifySecondFactor,
  verifyTotpCode,
} from '../../src/server/auth/two-factor.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson } from './helpers/admin-people.ts';

const ORIGIN = 'http://capacita.test';

describe('e-mail tokens', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('are single use, expire, and are stored only as a hash', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const now = Date.now();
    const token = await createEmailToken(t.db, person.id, 'password_reset', PASSWORD_RESET_LIFETIME, now);
    const [row] = await t.db.select().from(emailTokens);
    expect(row!.id).not.toContain(token);
    expect(row!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(await consumeEmailToken(t.db, token, 'invitation', now)).toBeNull(); // wrong purpose
    expect(await consumeEmailToken(t.db, token, 'password_reset', now + PASSWORD_RESET_LIFETIME + 1)).toBeNull(); // expired
    expect(await consumeEmailToken(t.db, token, 'password_reset', now + PASSWORD_RESET_LIFETIME - 1)).toBe(person.id);
    expect(await consumeEmailToken(t.db, token, 'password_reset', now)).toBeNull(); // used
  });

  it('a new token voids the earlier one', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const first = await createEmailToken(t.db, person.id, 'password_reset', PASSWORD_RESET_LIFETIME);
    const second = await createEmailToken(t.db, person.id, 'password_reset', PASSWORD_RESET_LIFETIME);
    expect(await consumeEmailToken(t.db, first, 'password_reset')).toBeNull();
    expect(await consumeEmailToken(t.db, second, 'password_reset')).toBe(person.id);
  });
});

describe('password reset', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('mails a link for a known address only, resets once, and ends every session', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT', email: 'ana@x.gt', passwordHash: await hashPassword('old password of ana') });
    const sessionToken = generateSessionToken();
    await createSession(t.db, sessionToken, person.id);

    await requestPasswordReset(t.db, 'nobody@x.gt', { origin: ORIGIN });
    expect(await t.db.select().from(mailOutbox)).toHaveLength(0);
    await requestPasswordReset(t.db, ' ANA@x.gt ', { origin: ORIGIN });
    await requestPasswordReset(t.db, 'ana@x.gt', { origin: ORIGIN }); // within a minute: no second mail
    const mails = await t.db.select().from(mailOutbox);
    expect(mails).toHaveLength(1);
    const token = mails[0]!.text.match(/reset-password\/([a-z0-9]+)/)![1]!;

    expect(await setPasswordWithToken(t.db, token, 'password_reset', 'short')).toEqual({ ok: false, error: 'tooShort' });
    const result = await setPasswordWithToken(t.db, token, 'password_reset', 'a brand new long passphrase');
    expect(result).toMatchObject({ ok: true, userId: person.id });
    expect(await t.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
    expect((await validateSessionToken(t.db, sessionToken)).session).toBeNull();
    expect(await setPasswordWithToken(t.db, token, 'password_reset', 'another long passphrase')).toEqual({ ok: false, error: 'invalidToken' });
    expect((await signInWithPassword(t.db, 'ana@x.gt', 'a brand new long passphrase', null)).ok).toBe(true);
  });

  it('refuses an expired link', async () => {
    const person = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
    const now = Date.now();
    const token = await createEmailToken(t.db, person.id, 'password_reset', PASSWORD_RESET_LIFETIME, now - PASSWORD_RESET_LIFETIME - 1000);
    expect(await setPasswordWithToken(t.db, token, 'password_reset', 'a brand new long passphrase', { now })).toEqual({ ok: false, error: 'invalidToken' });
    const [user] = await t.db.select().from(users).where(eq(users.id, person.id));
    expect(user!.passwordHash).toBeNull();
  });
});

describe('two-factor sign-in', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('accepts the current step and one either side, nothing further', () => {
    const key = generateTotpKey();
    const now = 1_800_000_000_000;
    expect(verifyTotpCode(key, totpCodeAt(key, now), now)).toBe(true);
    expect(verifyTotpCode(key, totpCodeAt(key, now - 30_000), now)).toBe(true);
    expect(verifyTotpCode(key, totpCodeAt(key, now + 30_000), now)).toBe(true);
    expect(verifyTotpCode(key, totpCodeAt(key, now - 90_000), now)).toBe(false);
    expect(verifyTotpCode(key, totpCodeAt(key, now + 90_000), now)).toBe(false);
    expect(verifyTotpCode(key, 'abcdef', now)).toBe(false);
  });

  it('enrols with a valid code, verifies sessions, throttles guessing, and takes each recovery code once', async () => {
    const person = await createPerson(t.db, { role: 'coordinator', countryCode: null });
    const now = Date.now();
    const setup = await createSession(t.db, generateSessionToken(), person.id, { now });
    const key = await pendingTotpKey(t.db, setup.id, now);
    expect(await enrolTotp(t.db, { userId: person.id, sessionId: setup.id, code: '000000', now })).toMatchObject({ ok: false });
    const enrolled = await enrolTotp(t.db, { userId: person.id, sessionId: setup.id, code: totpCodeAt(key, now), now });
    expect(enrolled.ok).toBe(true);
    const codes = enrolled.ok ? enrolled.recoveryCodes : [];
    expect(codes).toHaveLength(10);

    const [user] = await t.db.select().from(users).where(eq(users.id, person.id));
    const token = generateSessionToken();
    const session = await createSession(t.db, token, person.id);
    expect(session.twoFactorVerified).toBe(false);

    // After five wrong codes the account's second factor is locked for a while, even for the right code.
    let at = now;
    for (let i = 0; i < 5; i++) expect(await verifySecondFactor(t.db, user!, '123456', { sessionId: session.id, now: (at += 1000) })).toEqual({ ok: false, error: 'invalidCode' });
    const blocked = await verifySecondFactor(t.db, user!, totpCodeAt(key, at), { sessionId: session.id, now: at + 500 });
    expect(blocked).toMatchObject({ ok: false, error: 'throttled' });
    at += 10_000;
    // The enrolment's own code is spent, so the phone's next code (one step of drift is accepted) is the one to use.
    const next = (Math.floor(at / 30_000) + 1) * 30_000;
    expect(await verifySecondFactor(t.db, user!, totpCodeAt(key, next), { sessionId: session.id, now: at })).toEqual({ ok: true, usedRecoveryCode: false });
    expect((await validateSessionToken(t.db, token)).session!.twoFactorVerified).toBe(true);
    // A code is good once: neither that code nor the enrolment's passes again, on any session.
    const replayToken = generateSessionToken();
    const replay = await createSession(t.db, replayToken, person.id);
    expect(await verifySecondFactor(t.db, user!, totpCodeAt(key, next), { sessionId: replay.id, now: at + 1000 })).toEqual({ ok: false, error: 'invalidCode' });
    expect(await verifySecondFactor(t.db, user!, totpCodeAt(key, now), { sessionId: replay.id, now: at + 1000 })).toEqual({ ok: false, error: 'invalidCode' });
    expect((await validateSessionToken(t.db, replayToken)).session!.twoFactorVerified).toBe(false);

    const other = await createSession(t.db, generateSessionToken(), person.id);
    expect(await verifySecondFactor(t.db, user!, codes[0]!.toUpperCase(), { sessionId: other.id, now: at + 2000 })).toEqual({ ok: true, usedRecoveryCode: true });
    expect(await verifySecondFactor(t.db, user!, codes[0]!, { sessionId: other.id, now: at + 2000 })).toEqual({ ok: false, error: 'invalidCode' });
  });

  it('is required for committee, coordinator and admin outside the demo unless switched off', () => {
    expect(secondFactorRequired('committee', { demo: false })).toBe(true);
    expect(secondFactorRequired('admin', { demo: true })).toBe(false);
    expect(secondFactorRequired('coordinator', { demo: true, require2fa: true })).toBe(true);
    expect(secondFactorRequired('coordinator', { demo: false, require2fa: false })).toBe(false);
    expect(secondFactorRequired('learner', { demo: false, require2fa: true })).toBe(false);
  });
});
