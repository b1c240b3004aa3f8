// Bringing one person in: an account without a password, and an e-mailed single-use link to choose one.
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { emailTokens, institutions, users, type Locale, type Role } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { createEmailToken, INVITATION_LIFETIME, peekEmailToken } from '../auth/email-token.ts';
import { emailKey, findUserByEmail } from '../auth/user.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { invitationMail } from '../mail/templates.ts';
import { canManagePerson, type Actor } from '../policy.ts';
import { DomainError, forbidden } from '../errors.ts';

export const INVITABLE_ROLES = ['learner', 'specialist', 'committee'] as const satisfies readonly Role[];

export interface Invitation {
  name: string;
  email: string;
  institutionId: number;
  role: (typeof INVITABLE_ROLES)[number];
  /** Member of a specialised unit, approved by the committee at once. */
  specialist?: boolean;
  locale: Locale;
}

/** An invitation is sent again at most this often per person (a double click, an impatient committee). */
/** Who an invitation link is for, to greet them on the form; null once it is used, expired or was never issued. */
export async function invitedPerson(db: Database, token: string, now = Date.now()): Promise<{ name: string; email: string } | null> {
  if (!/^[a-z2-7]{20,64}$/.test(token)) return null;
  const userId = await peekEmailToken(db, token, 'invitation', now);
  if (userId === null) return null;
  const [person] = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, userId));
  return person ?? null;
}

export const REINVITE_GAP_MS = 10 * 60 * 1000;

export async function inviteUser(db: Database, actor: Actor & { name: string }, input: Invitation, options: { origin: string; ip?: string | null; now?: number }): Promise<{ userId: number; resent?: boolean }> {
  const now = options.now ?? Date.now();
  const [institution] = await db.select().from(institutions).where(eq(institutions.id, input.institutionId));
  if (!institution || !institution.active) throw new DomainError('invalid', 'errors.institutionRequired');
  if (!INVITABLE_ROLES.includes(input.role)) throw new DomainError('invalid', 'errors.invalidInput');
  if (!canManagePerson(actor, { role: input.role, countryCode: institution.countryCode })) throw forbidden();
  const existing = await findUserByEmail(db, input.email);
  if (existing) {
    // An invitation nobody accepted yet (no password, not erased, someone this actor manages) is sent again;
    // an account with a password belongs to someone who can sign in or reset it.
    const pending = existing.passwordHash === null && existing.erasedAt === null && existing.active && existing.countryCode !== null;
    if (!pending || !canManagePerson(actor, { role: existing.role, countryCode: existing.countryCode })) throw new DomainError('conflict', 'admin.invite.emailTaken');
    return resendInvitation(db, actor, existing, { ...options, now });
  }
  const specialistStatus = input.role === 'specialist' || input.specialist ? 'approved' : 'none';
  try {
    return await writeTransaction(db, async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          name: input.name.trim(),
          email: input.email.trim(),
          emailKey: emailKey(input.email),
          passwordHash: null,
          role: input.role,
          countryCode: institution.countryCode,
          institutionId: institution.id,
          locale: input.locale,
          specialistStatus,
        })
        .returning({ id: users.id });
      const token = await createEmailToken(tx, created!.id, 'invitation', INVITATION_LIFETIME, now);
      await enqueueMail(
        tx,
        invitationMail({ to: input.email.trim(), name: input.name.trim(), locale: input.locale, url: `${options.origin}/${input.locale}/invitation/${token}`, institution: institution.name, invitedBy: actor.name, expiresInDays: INVITATION_LIFETIME / 86_400_000 }),
        now,
      );
      await recordAudit(tx, { actorId: actor.id, action: 'user.invite', targetType: 'user', targetId: created!.id, countryCode: institution.countryCode, ip: options.ip, after: { role: input.role, institutionId: institution.id, specialistStatus } }, now);
      return { userId: created!.id };
    });
  } catch (error) {
    if (String(error).includes('UNIQUE') || String((error as { cause?: unknown }).cause).includes('UNIQUE')) throw new DomainError('conflict', 'admin.invite.emailTaken');
    throw error;
  }
}

/**
 * A new invitation link for a person who has not chosen a password yet (the earlier link stops working), with their
 * own name, institution and language; audited as user.reinvite.
 */
async function resendInvitation(db: Database, actor: Actor & { name: string }, person: typeof users.$inferSelect, options: { origin: string; ip?: string | null; now: number }): Promise<{ userId: number; resent: true }> {
  const { now } = options;
  const [last] = await db
    .select({ createdAt: emailTokens.createdAt })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, person.id), eq(emailTokens.purpose, 'invitation')))
    .orderBy(desc(emailTokens.createdAt))
    .limit(1);
  if (last && now - last.createdAt.getTime() < REINVITE_GAP_MS) throw new DomainError('tooMany', 'admin.invite.resentRecently');
  const [institution] = person.institutionId ? await db.select().from(institutions).where(eq(institutions.id, person.institutionId)) : [];
  await writeTransaction(db, async (tx) => {
    const token = await createEmailToken(tx, person.id, 'invitation', INVITATION_LIFETIME, now);
    await enqueueMail(
      tx,
      invitationMail({ to: person.email, name: person.name, locale: person.locale, url: `${options.origin}/${person.locale}/invitation/${token}`, institution: institution?.name ?? '', invitedBy: actor.name, expiresInDays: INVITATION_LIFETIME / 86_400_000 }),
      now,
    );
    await recordAudit(tx, { actorId: actor.id, action: 'user.reinvite', targetType: 'user', targetId: person.id, countryCode: person.countryCode, ip: options.ip }, now);
  });
  return { userId: person.id, resent: true };
}
