// Bringing one person in: an account without a password, and an e-mailed single-use link to choose one.
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { institutions, users, type Locale, type Role } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { createEmailToken, INVITATION_LIFETIME } from '../auth/email-token.ts';
import { emailKey, findUserByEmail } from '../auth/user.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { invitationMail } from '../mail/templates.ts';
import { canManagePerson, type Actor } from '../policy.ts';
import { AdminError, forbidden } from './errors.ts';

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

export async function inviteUser(db: Database, actor: Actor & { name: string }, input: Invitation, options: { origin: string; ip?: string | null; now?: number }): Promise<{ userId: number }> {
  const now = options.now ?? Date.now();
  const [institution] = await db.select().from(institutions).where(eq(institutions.id, input.institutionId));
  if (!institution || !institution.active) throw new AdminError('invalid', 'errors.institutionRequired');
  if (!INVITABLE_ROLES.includes(input.role)) throw new AdminError('invalid', 'errors.invalidInput');
  if (!canManagePerson(actor, { role: input.role, countryCode: institution.countryCode })) throw forbidden();
  if (await findUserByEmail(db, input.email)) throw new AdminError('conflict', 'admin.invite.emailTaken');
  const specialistStatus = input.role === 'specialist' || input.specialist ? 'approved' : 'none';
  try {
    return await db.transaction(async (tx) => {
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
    if (String(error).includes('UNIQUE') || String((error as { cause?: unknown }).cause).includes('UNIQUE')) throw new AdminError('conflict', 'admin.invite.emailTaken');
    throw error;
  }
}
