import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { sessions, users, type Locale } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { checkPasswordStrength, hashPassword, verifyPasswordHash, type PasswordProblem } from './password.ts';
import { recordFailure, recordSuccess, remainingBlock, throttleKeys } from './throttle.ts';

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export type User = typeof users.$inferSelect;

export async function findUserByEmail(db: Database, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.emailKey, emailKey(email))).limit(1);
  return user;
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; error: 'invalid' }
  | { ok: false; error: 'throttled'; retryAfterMs: number }
  /**
   * The right password for a self-registered account whose address is not confirmed yet (registration.ts). Callers
   * answer it exactly like `invalid`: anyone can register an address with a password of their choosing, so "confirm
   * first" would tell them the address had no account before.
   */
  | { ok: false; error: 'unverified'; user: User };

/**
 * Checks e-mail and password with throttling per IP and per account. The answer never says which of the two was
 * wrong, and an unknown e-mail costs the same hashing time as a known one.
 */
export async function signInWithPassword(db: Database, email: string, password: string, ip: string | null, now = Date.now()): Promise<SignInResult> {
  const keys = throttleKeys(ip, email);
  const wait = await remainingBlock(db, keys, now);
  if (wait > 0) return { ok: false, error: 'throttled', retryAfterMs: wait };

  const user = await findUserByEmail(db, email);
  const valid = user?.passwordHash
    ? await verifyPasswordHash(user.passwordHash, password)
    : (await verifyPasswordHash(await dummyHash(), password), false);

  if (!user || !valid || !user.active) {
    await recordFailure(db, keys, now);
    await recordAudit(db, { actorId: user?.id ?? null, action: 'auth.signin.failed', targetType: 'user', targetId: user?.id, countryCode: user?.countryCode, ip, after: { email: emailKey(email).slice(0, 200) } }, now);
    return { ok: false, error: 'invalid' };
  }
  if (!user.emailVerified) {
    // Counted and audited like a failure, so not even the throttle tells it apart from a wrong password.
    await recordFailure(db, keys, now);
    await recordAudit(db, { actorId: user.id, action: 'auth.signin.unverified', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip }, now);
    return { ok: false, error: 'unverified', user };
  }
  await recordSuccess(db, email);
  await recordAudit(db, { actorId: user.id, action: 'auth.signin', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip }, now);
  return { ok: true, user };
}

// Verifying against the hash of a random string takes as long as a real check.
let dummy: Promise<string> | undefined;
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}

export type PasswordChangeResult = { ok: true } | { ok: false; error: 'wrongPassword' | PasswordProblem };

/** Changes the password and signs the person out everywhere except the session they are using. */
export async function changePassword(db: Database, userId: number, current: string, next: string, keepSessionId: string, ip: string | null): Promise<PasswordChangeResult> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.passwordHash || !(await verifyPasswordHash(user.passwordHash, current))) return { ok: false, error: 'wrongPassword' };
  const problem = checkPasswordStrength(next, user.email);
  if (problem) return { ok: false, error: problem };
  const passwordHash = await hashPassword(next);
  await writeTransaction(db, async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
    await recordAudit(tx, { actorId: userId, action: 'auth.password.change', targetType: 'user', targetId: userId, countryCode: user.countryCode, ip });
  });
  return { ok: true };
}

export async function setPreferredLocale(db: Database, userId: number, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
