// Password reset by e-mailed link, and the first password of an invited person (same mechanics, other purpose).
import { and, eq, gt } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { emailTokens, sessions, users } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { passwordResetMail } from '../mail/templates.ts';
import { consumeEmailToken, createEmailToken, peekEmailToken, PASSWORD_RESET_LIFETIME, type TokenPurpose } from './email-token.ts';
import { checkPasswordStrength, hashPassword, type PasswordProblem } from './password.ts';
import { findUserByEmail } from './user.ts';

/** One reset e-mail per account per minute, so the form cannot be used to flood someone's inbox. */
const RESEND_AFTER_MS = 60 * 1000;

/**
 * Sends a reset link when the address belongs to an active account. The caller answers the same in every case, so
 * the form does not reveal who has an account.
 */
export async function requestPasswordReset(db: Database, email: string, options: { origin: string; ip?: string | null; now?: number }): Promise<void> {
  const now = options.now ?? Date.now();
  const user = await findUserByEmail(db, email);
  if (!user || !user.active || user.erasedAt) return;
  const [recent] = await db
    .select({ id: emailTokens.id })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, user.id), eq(emailTokens.purpose, 'password_reset'), gt(emailTokens.createdAt, new Date(now - RESEND_AFTER_MS))))
    .limit(1);
  if (recent) return;
  await writeTransaction(db, async (tx) => {
    const token = await createEmailToken(tx, user.id, 'password_reset', PASSWORD_RESET_LIFETIME, now);
    await enqueueMail(tx, passwordResetMail({ to: user.email, name: user.name, locale: user.locale, url: `${options.origin}/${user.locale}/reset-password/${token}` }), now);
    await recordAudit(tx, { actorId: null, action: 'auth.password.resetRequested', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
  });
}

export type TokenPasswordResult = { ok: true; userId: number; email: string } | { ok: false; error: 'invalidToken' | PasswordProblem };

/**
 * Sets a password through an e-mailed token (reset or invitation): the token is used once, and every session of the
 * person ends (a reset is what you do when someone else may know the old password).
 */
export async function setPasswordWithToken(
  db: Database,
  token: string,
  purpose: TokenPurpose,
  password: string,
  options: { ip?: string | null; now?: number } = {},
): Promise<TokenPasswordResult> {
  const now = options.now ?? Date.now();
  const peekedUserId = await peekEmailToken(db, token, purpose, now);
  if (!peekedUserId) return { ok: false, error: 'invalidToken' };
  const [user] = await db.select().from(users).where(eq(users.id, peekedUserId));
  if (!user || !user.active || user.erasedAt) return { ok: false, error: 'invalidToken' };
  const problem = checkPasswordStrength(password, user.email);
  if (problem) return { ok: false, error: problem };
  const passwordHash = await hashPassword(password);
  const userId = await writeTransaction(db, async (tx) => {
    const used = await consumeEmailToken(tx, token, purpose, now);
    if (used !== user.id) return null;
    // The link reached the address: it is proven, as a confirmation link would prove it.
    await tx.update(users).set({ passwordHash, emailVerified: true }).where(eq(users.id, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await recordAudit(tx, { actorId: user.id, action: purpose === 'invitation' ? 'auth.invitation.accepted' : 'auth.password.reset', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
    return user.id;
  });
  if (!userId) return { ok: false, error: 'invalidToken' };
  return { ok: true, userId, email: user.email };
}
