import { and, eq, ne } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { institutions, sessions, users, type Locale, type Role } from '../../../db/schema.ts';
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

export interface Registration {
  name: string;
  email: string;
  password: string;
  countryCode: string;
  locale: Locale;
  kind: 'official' | 'journalist';
  institutionId?: number;
  mediaOutlet?: string;
  ip?: string | null;
}

export type RegistrationResult =
  | { ok: true; user: User }
  | { ok: false; error: 'email_taken' | 'unknown_institution' | PasswordProblem };

/** Self-registration: officials join an active institution of their country; journalists name their outlet. */
export async function registerUser(db: Database, input: Registration): Promise<RegistrationResult> {
  const problem = checkPasswordStrength(input.password, input.email);
  if (problem) return { ok: false, error: problem };

  let institutionId: number | null = null;
  if (input.kind === 'official') {
    if (!input.institutionId) return { ok: false, error: 'unknown_institution' };
    const [institution] = await db
      .select({ id: institutions.id })
      .from(institutions)
      .where(and(eq(institutions.id, input.institutionId), eq(institutions.countryCode, input.countryCode), eq(institutions.active, true)));
    if (!institution) return { ok: false, error: 'unknown_institution' };
    institutionId = institution.id;
  }
  if (await findUserByEmail(db, input.email)) return { ok: false, error: 'email_taken' };

  const passwordHash = await hashPassword(input.password);
  const role: Role = input.kind === 'journalist' ? 'journalist' : 'learner';
  try {
    const user = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          name: input.name.trim(),
          email: input.email.trim(),
          emailKey: emailKey(input.email),
          passwordHash,
          role,
          countryCode: input.countryCode,
          institutionId,
          mediaOutlet: input.kind === 'journalist' ? (input.mediaOutlet?.trim() ?? null) : null,
          locale: input.locale,
        })
        .returning();
      await recordAudit(tx, { actorId: created!.id, action: 'user.register', targetType: 'user', targetId: created!.id, countryCode: input.countryCode, ip: input.ip, after: { role } });
      return created!;
    });
    return { ok: true, user };
  } catch (error) {
    // Two registrations racing for one address: the unique index decides, the loser gets the same answer.
    if (String(error).includes('UNIQUE')) return { ok: false, error: 'email_taken' };
    throw error;
  }
}

export type SignInResult = { ok: true; user: User } | { ok: false; error: 'invalid' } | { ok: false; error: 'throttled'; retryAfterMs: number };

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

export type PasswordChangeResult = { ok: true } | { ok: false; error: 'wrong_password' | PasswordProblem };

/** Changes the password and signs the person out everywhere except the session they are using. */
export async function changePassword(db: Database, userId: number, current: string, next: string, keepSessionId: string, ip: string | null): Promise<PasswordChangeResult> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.passwordHash || !(await verifyPasswordHash(user.passwordHash, current))) return { ok: false, error: 'wrong_password' };
  const problem = checkPasswordStrength(next, user.email);
  if (problem) return { ok: false, error: problem };
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
    await recordAudit(tx, { actorId: userId, action: 'auth.password.change', targetType: 'user', targetId: userId, countryCode: user.countryCode, ip });
  });
  return { ok: true };
}

export async function setPreferredLocale(db: Database, userId: number, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
