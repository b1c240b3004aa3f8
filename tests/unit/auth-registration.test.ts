// Registration tells nothing (same answer for a new and a known address), costs an attacker (throttled per address and
// per IP), and a self-registered account counts nowhere until its address is confirmed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { institutions, mailOutbox, throttle, users } from '../../db/schema.ts';
import { confirmEmailAddress, registerUser, resendVerification, type Registration } from '../../src/server/auth/registration.ts';
import { requestPasswordReset, setPasswordWithToken } from '../../src/server/auth/password-reset.ts';
import { signInWithPassword } from '../../src/server/auth/user.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const ORIGIN = 'https://capacita.example.org';
const PASSWORD = 'ríos verdes bajo la lluvia';

describe('self-registration', () => {
  let t: TestDatabase;
  let institutionId: number;
  beforeEach(async () => {
    t = await createTestDatabase();
    const [row] = await t.db.select({ id: institutions.id }).from(institutions).where(and(eq(institutions.countryCode, 'HN'), eq(institutions.active, true))).limit(1);
    institutionId = row!.id;
  });
  afterEach(() => t.close());

  const who = (email: string, extra: Partial<Registration> = {}): Registration => ({ name: 'Ana López', email, password: PASSWORD, countryCode: 'HN', locale: 'es', kind: 'official', institutionId, ...extra });
  const mailTo = (email: string) => t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email));
  const linkIn = (text: string) => text.match(/https?:\/\/\S+/)?.[0] ?? '';
  const userBy = async (email: string) => (await t.db.select().from(users).where(eq(users.emailKey, email.toLowerCase())))[0];

  it('answers a new address and an existing one alike; the owner of the existing one is told by e-mail', async () => {
    const fresh = await registerUser(t.db, who('nueva@sesal.example.org'), { origin: ORIGIN, ip: '198.51.100.1' });
    expect((await userBy('nueva@sesal.example.org'))!.passwordHash).toBeTruthy();

    const again = await registerUser(t.db, who('NUEVA@sesal.example.org', { name: 'Otra Persona', password: 'otra frase larga distinta' }), { origin: ORIGIN, ip: '198.51.100.2' });
    expect(again).toEqual(fresh);
    expect(fresh).toEqual({ ok: true });
    const owner = await userBy('nueva@sesal.example.org');
    expect(owner!.name).toBe('Ana López'); // nothing about the account changed
    expect(await t.db.select().from(users).where(eq(users.emailKey, 'nueva@sesal.example.org'))).toHaveLength(1);

    // A confirmed account's owner gets "you already have an account", with links to the configured origin only.
    await confirmEmailAddress(t.db, tokenFrom((await mailTo('nueva@sesal.example.org'))[0]!.text), PASSWORD);
    await registerUser(t.db, who('nueva@sesal.example.org'), { origin: ORIGIN, ip: '198.51.100.3' });
    const mails = await mailTo('nueva@sesal.example.org');
    expect(mails.map((m) => m.kind)).toEqual(expect.arrayContaining(['email_verification', 'already_registered']));
    const notice = mails.find((m) => m.kind === 'already_registered')!;
    expect(notice.text).toContain(`${ORIGIN}/es/login`);
    expect(notice.text).not.toMatch(/reset-password\/[a-z2-7]{20,}/); // no live token in a mail anyone can trigger
  });

  function tokenFrom(text: string): string {
    const token = linkIn(text).match(/\/register\/confirm\/([a-z2-7]+)$/)?.[1];
    if (!token) throw new Error(`no confirmation link in ${text}`);
    return token;
  }

  it('a new account cannot sign in until the e-mailed link is followed; the link works once', async () => {
    await registerUser(t.db, who('luis@sesal.example.org'), { origin: ORIGIN, ip: null });
    const created = await userBy('luis@sesal.example.org');
    expect(created).toMatchObject({ emailVerified: false, role: 'learner', countryCode: 'HN' });
    const [mail] = await mailTo('luis@sesal.example.org');
    expect(mail!.kind).toBe('email_verification');
    expect(linkIn(mail!.text)).toMatch(new RegExp(`^${ORIGIN}/es/register/confirm/[a-z2-7]{32}$`));

    // The right password is refused (the Action answers it like a wrong one) and counts against the throttle like one:
    // whoever registered an address with a password of their own must not learn whether it had an account.
    expect(await signInWithPassword(t.db, 'luis@sesal.example.org', PASSWORD, null)).toMatchObject({ ok: false, error: 'unverified' });
    expect(await signInWithPassword(t.db, 'luis@sesal.example.org', 'not the password at all', null)).toEqual({ ok: false, error: 'invalid' });
    for (let i = 0; i < 3; i++) await signInWithPassword(t.db, 'luis@sesal.example.org', PASSWORD, null);
    expect(await signInWithPassword(t.db, 'luis@sesal.example.org', PASSWORD, null)).toMatchObject({ ok: false, error: 'throttled' });
    await t.db.delete(throttle);

    const token = tokenFrom(mail!.text);
    expect(await confirmEmailAddress(t.db, token, 'not the password at all')).toEqual({ ok: false, error: 'wrongPassword' });
    expect(await confirmEmailAddress(t.db, token, PASSWORD)).toMatchObject({ ok: true, userId: created!.id, locale: 'es' });
    expect(await confirmEmailAddress(t.db, token, PASSWORD)).toEqual({ ok: false, error: 'invalidToken' });
    expect((await userBy('luis@sesal.example.org'))!.emailVerified).toBe(true);
    expect((await signInWithPassword(t.db, 'luis@sesal.example.org', PASSWORD, null)).ok).toBe(true);
  });

  it('someone who registers another person’s address cannot have them confirm it: the link also takes the password', async () => {
    const now = Date.now();
    await registerUser(t.db, who('victima@sesal.example.org', { password: 'la frase del atacante 123' }), { origin: ORIGIN, now });
    const token = tokenFrom((await mailTo('victima@sesal.example.org'))[0]!.text);
    // The owner clicks the link in the mail they did not ask for, with the password they would have chosen.
    expect(await confirmEmailAddress(t.db, token, PASSWORD, { now: now + 1000 })).toEqual({ ok: false, error: 'wrongPassword' });
    expect((await userBy('victima@sesal.example.org'))!.emailVerified).toBe(false);
    expect(await signInWithPassword(t.db, 'victima@sesal.example.org', 'la frase del atacante 123', null, now + 2000)).toMatchObject({ ok: false, error: 'unverified' });
    // The way out the page offers: a reset, which proves the address and replaces the stranger's password.
    await requestPasswordReset(t.db, 'victima@sesal.example.org', { origin: ORIGIN, now: now + 3000 });
    const reset = (await mailTo('victima@sesal.example.org')).find((m) => m.kind === 'password_reset')!;
    expect((await setPasswordWithToken(t.db, linkIn(reset.text).split('/').pop()!, 'password_reset', PASSWORD, { now: now + 4000 })).ok).toBe(true);
    await t.db.delete(throttle);
    expect(await signInWithPassword(t.db, 'victima@sesal.example.org', 'la frase del atacante 123', null, now + 5000)).toEqual({ ok: false, error: 'invalid' });
    expect((await signInWithPassword(t.db, 'victima@sesal.example.org', PASSWORD, null, now + 5000)).ok).toBe(true);
  });

  it('a fresh confirmation link is sent at most once a minute; a password reset proves the address too', async () => {
    const now = Date.now();
    await registerUser(t.db, who('eva@sesal.example.org'), { origin: ORIGIN, now });
    const user = (await userBy('eva@sesal.example.org'))!;
    await resendVerification(t.db, user, ORIGIN, now + 1000);
    expect(await mailTo('eva@sesal.example.org')).toHaveLength(1);
    await resendVerification(t.db, user, ORIGIN, now + 61_000);
    expect(await mailTo('eva@sesal.example.org')).toHaveLength(2);

    await requestPasswordReset(t.db, 'eva@sesal.example.org', { origin: ORIGIN, now: now + 120_000 });
    const reset = (await mailTo('eva@sesal.example.org')).find((m) => m.kind === 'password_reset')!;
    const resetToken = linkIn(reset.text).split('/').pop()!;
    expect((await setPasswordWithToken(t.db, resetToken, 'password_reset', 'una frase nueva y larga', { now: now + 121_000 })).ok).toBe(true);
    expect((await userBy('eva@sesal.example.org'))!.emailVerified).toBe(true);
  });

  it('is throttled per address and per IP like sign-in; a throttled answer is the same for known and unknown addresses', async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) expect(await registerUser(t.db, who('flood@sesal.example.org'), { origin: ORIGIN, ip: `203.0.113.${i}`, now: now + i })).toEqual({ ok: true });
    expect(await registerUser(t.db, who('flood@sesal.example.org'), { origin: ORIGIN, ip: '203.0.113.99', now: now + 10 })).toMatchObject({ ok: false, error: 'throttled' });
    // One mail went to the victim's address at most per minute, however often the form was sent.
    expect((await mailTo('flood@sesal.example.org')).length).toBeLessThanOrEqual(2);

    // One IP: 20 registrations free (a training room shares an address), then a wait.
    for (let i = 0; i < 20; i++) expect((await registerUser(t.db, who(`sala${i}@sesal.example.org`), { origin: ORIGIN, ip: '192.0.2.7', now: now + i })).ok).toBe(true);
    const blocked = await registerUser(t.db, who('otra@sesal.example.org'), { origin: ORIGIN, ip: '192.0.2.7', now: now + 30 });
    expect(blocked).toMatchObject({ ok: false, error: 'throttled' });
    expect(await userBy('otra@sesal.example.org')).toBeUndefined();
  });

  it('bad input is refused before it counts or costs a hash', async () => {
    expect(await registerUser(t.db, who('x@sesal.example.org', { password: 'short' }), { origin: ORIGIN })).toEqual({ ok: false, error: 'tooShort' });
    expect(await registerUser(t.db, who('x@sesal.example.org', { institutionId: 999_999 }), { origin: ORIGIN })).toEqual({ ok: false, error: 'unknownInstitution' });
    expect(await userBy('x@sesal.example.org')).toBeUndefined();
  });
});
