// A learner asks to join a specialised unit (which opens Especializado once the national committee approves): the
// unit and the reason they give are kept with the date, so the committee decides knowing who asks and why, together
// with the requester's Básico certificate.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { certificates, specialistRequests, users } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';

export const MAX_UNIT_LENGTH = 160;
export const MAX_REASON_LENGTH = 1000;

/** Records the request; false when one is already pending or was approved (a second click changes nothing). */
export async function requestSpecialistStatus(
  db: Database,
  person: { id: number; countryCode: string | null },
  input: { unit: string; reason: string },
  ip: string | null = null,
  now = new Date(),
): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    const updated = await tx
      .update(users)
      .set({ specialistStatus: 'requested' })
      .where(and(eq(users.id, person.id), inArray(users.specialistStatus, ['none', 'rejected'])))
      .returning({ id: users.id });
    if (updated.length === 0) return false;
    await tx.insert(specialistRequests).values({ userId: person.id, unit: input.unit, reason: input.reason, requestedAt: now });
    await recordAudit(tx, { actorId: person.id, action: 'learning.specialist.request', targetType: 'user', targetId: person.id, countryCode: person.countryCode, ip });
    return true;
  });
}

export interface SpecialistRequestDetail {
  unit: string | null;
  reason: string | null;
  requestedAt: Date | null;
  /** The requester's Básico certificate: issued when, and whether it is still valid; null without one. */
  basico: { issuedAt: Date; valid: boolean } | null;
}

/** For the committee's list (already scoped to its country by listSpecialistRequests): the latest request of each person. */
export async function specialistRequestDetails(db: Database, userIds: number[], now = new Date()): Promise<Map<number, SpecialistRequestDetail>> {
  const details = new Map<number, SpecialistRequestDetail>();
  if (userIds.length === 0) return details;
  const requests = await db.select().from(specialistRequests).where(inArray(specialistRequests.userId, userIds)).orderBy(desc(specialistRequests.requestedAt), desc(specialistRequests.id));
  const basico = await db
    .select({ userId: certificates.userId, issuedAt: certificates.issuedAt, expiresAt: certificates.expiresAt })
    .from(certificates)
    .where(and(inArray(certificates.userId, userIds), eq(certificates.programme, 'basico'), isNull(certificates.revokedAt)))
    .orderBy(desc(certificates.issuedAt));
  for (const id of userIds) {
    const request = requests.find((r) => r.userId === id);
    const cert = basico.find((c) => c.userId === id);
    details.set(id, {
      unit: request?.unit ?? null,
      reason: request?.reason ?? null,
      requestedAt: request?.requestedAt ?? null,
      basico: cert ? { issuedAt: cert.issuedAt, valid: !cert.expiresAt || cert.expiresAt.getTime() > now.getTime() } : null,
    });
  }
  return details;
}
