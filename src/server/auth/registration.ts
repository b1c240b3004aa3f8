// Self-registration that tells nothing and costs an attacker. The form answers alike whether or not the address has
// an account (its owner gets an e-mail instead of a second account), every attempt counts against the address and the
// IP in the shared throttle table, and a new account proves its address before it counts anywhere: an unconfirmed
// account cannot sign in, so it cannot enrol, earn a certificate or enter any committee's coverage.
import { and, eq, gt } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { emailTokens, institutions, mailOutbox, users, type Locale, type Role, type Sex } from '../../../db/schema.ts';
import { checkProfile } from '../profile.ts';
import { recordAudit } from '../audit.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { alreadyRegisteredMail, emailVerificationMail } from '../mail/templates.ts';
import { consumeEmailToken, createEmailToken, peekEmailToken } from './email-token.ts';
import { checkPasswordStrength, hashPassword, verifyPasswordHash, type PasswordProblem } from './password.ts';
import { recordFailure, remainingBlock, throttleKeys } from './throttle.ts';
import { emailKey, findUserByEmail, type User } from './user.ts';

export const EMAIL_VERIFICATION_LIFETIME = 7 * 24 * 60 * 60 * 1000;
/** At most one mail of each kind per address per this long, whatever the form is asked. */
const RESEND_AFTER_MS = 60 * 1000;

export interface Registration {
  name: string;
  email: string;
  password: string;
  countryCode: string;
  locale: Locale;
  kind: 'official' | 'journalist';
  institutionId?: number | undefined;
  mediaOutlet?: string | undefined;
  /** Optional profile fields (src/server/profile.ts). */
  position?: string | null | undefined;
  sex?: Sex | null | undefined;
}

export interface RegistrationOptions {
  /** The public origin for the link (src/app/config.ts publicOrigin()). */
  origin: string;
  ip?: string | null;
  now?: number;
}

/** Deliberately no account and no "taken": `registered` is the answer for a new address and for an existing one. */
export type RegistrationResult = { ok: true } | { ok: false; error: 'unknownInstitution' | PasswordProblem } | { ok: false; error: 'throttled'; retryAfterMs: number };

/** Each registration counts against the address asked for and the IP asking (free: 5 per address, 20 per IP an hour). */
export function registrationThrottleKeys(ip: string | null | undefined, email: string): string[] {
  const keys = [`register:account:${emailKey(email)}`];
  if (ip) keys.push(`register:ip:${ip}`);
  return keys;
}

/**
 * Registers a learner or journalist. Officials join an active institution of their country; journalists name their
 * outlet. For an address that already has an account the owner is told by e-mail and the caller gets the same answer.
 */
export async function registerUser(db: Database, input: Registration, options: RegistrationOptions): Promise<RegistrationResult> {
  const now = options.now ?? Date.now();
  const keys = registrationThrottleKeys(options.ip, input.email);
  const wait = await remainingBlock(db, keys, now);
  if (wait > 0) return { ok: false, error: 'throttled', retryAfterMs: wait };

  const problem = checkPasswordStrength(input.password, input.email);
  if (problem) return { ok: false, error: problem };
  let institutionId: number | null = null;
  if (input.kind === 'official') {
    if (!input.institutionId) return { ok: false, error: 'unknownInstitution' };
    const [institution] = await db
      .select({ id: institutions.id })
      .from(institutions)
      .where(and(eq(institutions.id, input.institutionId), eq(institutions.countryCode, input.countryCode), eq(institutions.active, true)));
    if (!institution) return { ok: false, error: 'unknownInstitution' };
    institutionId = institution.id;
  }
  await recordFailure(db, keys, now);

  // Hashed in both cases, so the answer takes as long for a known address as for a new one.
  const passwordHash = await hashPassword(input.password);
  const existing = await findUserByEmail(db, input.email);
  if (existing) {
    await tellOwner(db, existing, options.origin, now);
    return { ok: true };
  }
  const role: Role = input.kind === 'journalist' ? 'journalist' : 'learner';
  try {
    await writeTransaction(db, async (tx) => {
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
          ...checkProfile({ position: input.position, sex: input.sex }),
          locale: input.locale,
          emailVerified: false,
        })
        .returning();
      await recordAudit(tx, { actorId: created!.id, action: 'user.register', targetType: 'user', targetId: created!.id, countryCode: input.countryCode, ip: options.ip, after: { role } }, now);
      await sendVerification(tx, created!, options.origin, now);
    });
  } catch (error) {
    // Two registrations racing for one address: the unique index decides; the loser's owner hears of it like any other.
    if (!String(error).includes('UNIQUE')) throw error;
    const winner = await findUserByEmail(db, input.email);
    if (winner) await tellOwner(db, winner, options.origin, now);
  }
  return { ok: true };
}


async function sendVerification(tx: Executor, user: Pick<User, 'id' | 'email' | 'name' | 'locale'>, origin: string, now: number): Promise<void> {
  const token = await createEmailToken(tx, user.id, 'email_verification', EMAIL_VERIFICATION_LIFETIME, now);
  const url = `${origin}/${user.locale}/register/confirm/${token}`;
  await enqueueMail(tx, emailVerificationMail({ to: user.email, name: user.name, locale: user.locale, url, expiresInDays: EMAIL_VERIFICATION_LIFETIME / 86_400_000 }), now);
}

/** An existing owner is told once a minute at most (the throttle bounds the rest). */
async function tellOwner(db: Database, user: User, origin: string, now: number): Promise<void> {
  if (!user.active || user.erasedAt) return;
  if (!user.emailVerified) {
    // The address was registered but never confirmed: the most useful answer is a fresh confirmation link.
    await resendVerification(db, user, origin, now);
    return;
  }
  const [recent] = await db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(eq(mailOutbox.toAddress, user.email), eq(mailOutbox.kind, 'already_registered'), gt(mailOutbox.createdAt, new Date(now - RESEND_AFTER_MS))))
    .limit(1);
  if (recent) return;
  await enqueueMail(db, alreadyRegisteredMail({ to: user.email, name: user.name, locale: user.locale, signInUrl: `${origin}/${user.locale}/login`, resetUrl: `${origin}/${user.locale}/forgot-password` }), now);
}

/** A new confirmation link for an unconfirmed account (at sign-in, or a second registration), once a minute at most. */
export async function resendVerification(db: Database, user: Pick<User, 'id' | 'email' | 'name' | 'locale' | 'emailVerified'>, origin: string, now = Date.now()): Promise<void> {
  if (user.emailVerified) return;
  const [recent] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, user.id), eq(emailTokens.purpose, 'email_verification'), gt(emailTokens.createdAt, new Date(now - RESEND_AFTER_MS))))
    .limit(1);
  if (recent) return;
  await writeTransaction(db, (tx) => sendVerification(tx, user, origin, now));
}

export type ConfirmationResult =
  | { ok: true; userId: number; locale: Locale }
  | { ok: false; error: 'invalidToken' | 'wrongPassword' }
  | { ok: false; error: 'throttled'; retryAfterMs: number };

/**
 * Follows the e-mailed link: the token is used once, and the account's address counts as proven from now on. The
 * link alone is not enough — it also takes the password chosen at registration. Otherwise anyone could register
 * someone else's address with a password of their own, wait for the owner to click "confirm" in the mail they did
 * not ask for, and then sign in to a confirmed account under the owner's name. Mailbox and password together prove
 * that one person did both; an owner who never chose that password resets it (which proves the address as well).
 */
export async function confirmEmailAddress(db: Database, token: string, password: string, options: { ip?: string | null; now?: number } = {}): Promise<ConfirmationResult> {
  const now = options.now ?? Date.now();
  const userId = await peekEmailToken(db, token, 'email_verification', now);
  if (!userId) return { ok: false, error: 'invalidToken' };
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user?.passwordHash || !user.active) return { ok: false, error: 'invalidToken' };
  const keys = throttleKeys(options.ip ?? null, user.email);
  const wait = await remainingBlock(db, keys, now);
  if (wait > 0) return { ok: false, error: 'throttled', retryAfterMs: wait };
  if (!(await verifyPasswordHash(user.passwordHash, password))) {
    await recordFailure(db, keys, now);
    return { ok: false, error: 'wrongPassword' };
  }
  const confirmed = await writeTransaction(db, async (tx) => {
    if ((await consumeEmailToken(tx, token, 'email_verification', now)) !== user.id) return false;
    await tx.update(users).set({ emailVerified: true }).where(eq(users.id, user.id));
    await recordAudit(tx, { actorId: user.id, action: 'user.email.verified', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
    return true;
  });
  return confirmed ? { ok: true, userId: user.id, locale: user.locale } : { ok: false, error: 'invalidToken' };
}
