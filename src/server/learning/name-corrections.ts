// Correcting the name printed on a certificate. A certificate keeps the name it was issued with (a later change of the
// account's name does not rewrite documents already handed to employers); the holder asks for one certificate to carry
// their account's current name, and the committee of their country approves it. Approval re-issues the certificate
// under the same public code with the next revision, so a printed copy still verifies and /verify says it was revised.
// Every request and decision is in the audit log — by request id and revision, never the names: the log is
// append-only and outlives an erasure, while the request rows are blanked by it (src/server/privacy.ts).
import { and, asc, desc, eq, isNull, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { certificateNameCorrections, certificates, users } from '../../../db/schema.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { recordAudit } from '../audit.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { nameCorrectionDecisionMail } from '../mail/templates.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { can, countryScope, type Actor } from '../policy.ts';
import { isAnonymisedHolder } from '../privacy.ts';
import { checkPersonName } from '../person-name.ts';
import { normaliseCertificateCode } from './certificates.ts';

export interface NameCorrectionHolder {
  id: number;
  name: string;
  countryCode: string | null;
}

/** The holder asks for the certificate to carry their account's current name. */
export async function requestNameCorrection(db: Database, holder: Actor & NameCorrectionHolder, rawCode: string, options: { ip?: string | null; now?: Date } = {}): Promise<{ id: number }> {
  const { ip = null, now = new Date() } = options;
  if (!can(holder, 'certificate.requestNameCorrection')) throw forbidden();
  const code = normaliseCertificateCode(rawCode);
  if (!code) throw notFound();
  const checked = checkPersonName(holder.name);
  if (!checked.ok) throw new DomainError('invalid', checked.error);
  return writeTransaction(db, async (tx) => {
    const [cert] = await tx.select().from(certificates).where(eq(certificates.code, code));
    if (!cert || cert.userId !== holder.id) throw notFound();
    if (cert.revokedAt) throw new DomainError('conflict', 'learning.nameCorrection.revoked');
    if (cert.holderName === checked.name) throw new DomainError('conflict', 'learning.nameCorrection.sameName');
    const inserted = await tx
      .insert(certificateNameCorrections)
      .values({ certificateId: cert.id, userId: holder.id, countryCode: holder.countryCode ?? cert.countryCode, requestedName: checked.name, requestedAt: now })
      .onConflictDoNothing()
      .returning({ id: certificateNameCorrections.id });
    // The partial unique index allows one pending request per certificate: a second one (or a double click) is refused.
    if (!inserted[0]) throw new DomainError('conflict', 'learning.nameCorrection.pending');
    await recordAudit(tx, { actorId: holder.id, action: 'certificate.nameCorrection.request', targetType: 'certificate', targetId: cert.code, countryCode: holder.countryCode ?? cert.countryCode, ip, after: { requestId: inserted[0].id } }, now.getTime());
    return inserted[0];
  });
}

export interface NameCorrectionStatus {
  status: 'requested' | 'approved' | 'rejected';
  requestedName: string;
  requestedAt: Date;
  decidedAt: Date | null;
  decisionReason: string | null;
}

/** The latest request for a certificate, for its holder's page. */
export async function latestNameCorrection(db: Pick<Database, 'select'>, certificateCode: string): Promise<NameCorrectionStatus | null> {
  const [row] = await db
    .select({
      status: certificateNameCorrections.status,
      requestedName: certificateNameCorrections.requestedName,
      requestedAt: certificateNameCorrections.requestedAt,
      decidedAt: certificateNameCorrections.decidedAt,
      decisionReason: certificateNameCorrections.decisionReason,
    })
    .from(certificateNameCorrections)
    .innerJoin(certificates, eq(certificates.id, certificateNameCorrections.certificateId))
    .where(eq(certificates.code, certificateCode))
    .orderBy(desc(certificateNameCorrections.id))
    .limit(1);
  return row ?? null;
}

export interface PendingNameCorrection {
  id: number;
  certificateCode: string;
  courseId: string;
  issuedAt: Date;
  currentName: string;
  requestedName: string;
  requestedAt: Date;
  userId: number;
  countryCode: string | null;
}

/** Pending requests the actor may decide: their country's for a committee, every country (or one) for the region. */
export async function listPendingNameCorrections(db: Pick<Database, 'select'>, actor: Actor, countryCode?: string | null): Promise<PendingNameCorrection[]> {
  const scope = countryScope(actor, 'certificate.approveNameCorrection');
  if (scope.kind === 'none' || (scope.kind === 'country' && countryCode && countryCode !== scope.countryCode)) throw forbidden();
  const country = scope.kind === 'country' ? scope.countryCode : countryCode || null;
  const where: SQL[] = [eq(certificateNameCorrections.status, 'requested'), isNull(users.erasedAt)];
  if (country) where.push(eq(certificateNameCorrections.countryCode, country));
  return db
    .select({
      id: certificateNameCorrections.id,
      certificateCode: certificates.code,
      courseId: certificates.courseId,
      issuedAt: certificates.issuedAt,
      currentName: certificates.holderName,
      requestedName: certificateNameCorrections.requestedName,
      requestedAt: certificateNameCorrections.requestedAt,
      userId: certificateNameCorrections.userId,
      countryCode: certificateNameCorrections.countryCode,
    })
    .from(certificateNameCorrections)
    .innerJoin(certificates, eq(certificates.id, certificateNameCorrections.certificateId))
    .innerJoin(users, eq(users.id, certificateNameCorrections.userId))
    .where(and(...where))
    .orderBy(asc(certificateNameCorrections.requestedAt), asc(certificateNameCorrections.id))
    .limit(200);
}

export interface NameCorrectionDecision {
  approve: boolean;
  reason: string;
}

/**
 * The committee's decision. Approval re-issues the certificate in the same transaction: the requested name, the next
 * revision, the date of revision. A request decided already (a second click, a second committee member) is a conflict.
 */
export async function decideNameCorrection(db: Database, actor: Actor, requestId: number, decision: NameCorrectionDecision, options: { origin: string; ip?: string | null; now?: Date }): Promise<{ certificateCode: string; revision: number }> {
  const { origin, ip = null, now = new Date() } = options;
  const reason = decision.reason.trim();
  return writeTransaction(db, async (tx) => {
    const [request] = await tx
      .select({ request: certificateNameCorrections, cert: certificates, holder: { email: users.email, name: users.name, locale: users.locale } })
      .from(certificateNameCorrections)
      .innerJoin(certificates, eq(certificates.id, certificateNameCorrections.certificateId))
      .innerJoin(users, eq(users.id, certificateNameCorrections.userId))
      .where(eq(certificateNameCorrections.id, requestId));
    if (!request) throw notFound();
    // Nobody decides about their own certificate.
    if (request.request.userId === actor.id || !can(actor, 'certificate.approveNameCorrection', { countryCode: request.request.countryCode })) throw forbidden();
    if (!decision.approve && reason.length < 3) throw new DomainError('invalid', 'admin.nameCorrections.reasonRequired');
    const status = decision.approve ? 'approved' : 'rejected';
    const decided = await tx
      .update(certificateNameCorrections)
      .set({ status, decidedAt: now, decidedBy: actor.id, decisionReason: reason.slice(0, 500) || null })
      .where(and(eq(certificateNameCorrections.id, requestId), eq(certificateNameCorrections.status, 'requested')))
      .returning({ id: certificateNameCorrections.id });
    if (decided.length === 0) throw new DomainError('conflict', 'admin.nameCorrections.notPending');
    const { cert } = request;
    let revision = cert.revision;
    if (decision.approve) {
      // An erased holder's certificate stays anonymous; a revoked one is not re-issued.
      if (cert.revokedAt || isAnonymisedHolder(cert.holderName)) throw new DomainError('conflict', 'admin.nameCorrections.notReissuable');
      const [reissued] = await tx
        .update(certificates)
        .set({ holderName: request.request.requestedName, revision: cert.revision + 1, revisedAt: now })
        .where(and(eq(certificates.id, cert.id), eq(certificates.revision, cert.revision)))
        .returning({ revision: certificates.revision });
      if (!reissued) throw new DomainError('conflict', 'admin.nameCorrections.notPending');
      revision = reissued.revision;
    }
    const { holder } = request;
    await enqueueMail(tx, nameCorrectionDecisionMail({ to: holder.email, name: holder.name, locale: holder.locale, approved: decision.approve, requestedName: request.request.requestedName, reason, url: `${origin}/${holder.locale}/certificates/${cert.code}` }), now.getTime());
    await recordAudit(
      tx,
      {
        actorId: actor.id,
        action: decision.approve ? 'certificate.nameCorrection.approve' : 'certificate.nameCorrection.reject',
        targetType: 'certificate',
        targetId: cert.code,
        countryCode: request.request.countryCode,
        ip,
        before: { revision: cert.revision },
        after: decision.approve ? { requestId, revision, reason: reason || null } : { requestId, reason },
      },
      now.getTime(),
    );
    return { certificateCode: cert.code, revision };
  });
}
