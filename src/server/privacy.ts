// A person's rights over their data: a copy of everything held about them (JSON), and erasure of their account.
// Erasure removes what identifies them and keeps what the coverage statistics and certificate verification need:
// the anonymous account row (country, institution, role), its enrolments, results and certificates, and its places on
// workshop rosters with the days attended (the workshops' participant, credited and hours figures, and the certificates
// a workshop issued, rest on them; none of those rows holds a name or free text).
import { and, eq, inArray, or } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { writeTransaction } from '../../db/busy.ts';
import {
  activityResults,
  activityState,
  auditLog,
  certificateNameCorrections,
  certificates,
  emailTokens,
  enrolments,
  institutions,
  lessonProgress,
  mailOutbox,
  offlineSyncReceipts,
  quizAttempts,
  quizDrafts,
  recoveryCodes,
  sessions,
  throttle,
  users,
  xapiForwardQueue,
  xapiStatements,
} from '../../db/schema.ts';
import { recordAudit } from './audit.ts';
import { verifyPasswordHash } from './auth/password.ts';
import { can, type Actor } from './policy.ts';
import { forbidden, notFound } from './errors.ts';
import { quizAttemptsForExport, type AnswerWording } from './learning/quiz/record.ts';
// The file, not the workshops face: the face reaches the learning face, whose certificates import this module.
import { listOwnWorkshops } from './workshops/own.ts';

/** What an erased holder's certificates carry instead of a name: /verify shows "valid, holder anonymised". */
export const ANONYMISED_HOLDER_NAME = '';

export function isAnonymisedHolder(holderName: string): boolean {
  return holderName === ANONYMISED_HOLDER_NAME;
}

/** `wording` puts quiz answers in words (the page passes the banks and translations); without it they are left out. */
export async function exportPersonalData(db: Database, actor: Actor, now = Date.now(), wording?: AnswerWording) {
  if (!can(actor, 'account.privacy')) throw forbidden();
  const userId = actor.id;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw forbidden();
  const [institution] = user.institutionId ? await db.select({ name: institutions.name }).from(institutions).where(eq(institutions.id, user.institutionId)) : [];
  const myEnrolments = await db.select().from(enrolments).where(eq(enrolments.userId, userId));
  const enrolmentIds = myEnrolments.map((e) => e.id);
  return {
    exportedAt: new Date(now).toISOString(),
    about:
      'Capacita: all personal data held about this account. Password and second-factor secrets are never exported (only whether they are set).',
    account: {
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      country: user.countryCode,
      institution: institution?.name ?? null,
      mediaOutlet: user.mediaOutlet,
      position: user.position,
      sex: user.sex,
      locale: user.locale,
      specialistStatus: user.specialistStatus,
      active: user.active,
      hasPassword: user.passwordHash !== null,
      twoFactorEnrolled: user.totpKey !== null,
      createdAt: user.createdAt,
    },
    sessions: (await db.select().from(sessions).where(eq(sessions.userId, userId))).map((s) => ({ createdAt: s.createdAt, expiresAt: s.expiresAt, ip: s.ip, userAgent: s.userAgent })),
    enrolments: myEnrolments,
    lessonProgress: enrolmentIds.length ? await db.select().from(lessonProgress).where(inArray(lessonProgress.enrolmentId, enrolmentIds)) : [],
    // What the learner answered and scored, never the paper or option ids (src/server/learning/quiz/record.ts).
    quizAttempts: await quizAttemptsForExport(db, userId, wording),
    activityResults: await db.select().from(activityResults).where(eq(activityResults.userId, userId)),
    certificates: await db.select().from(certificates).where(eq(certificates.userId, userId)),
    // The workshops they are on the roster of: each day with its hours and their mark, the rule, the tally, and when
    // the close credited them (and the certificate it issued). Who ticked the list is not theirs to export.
    workshops: await listOwnWorkshops(db, actor),
    // What their browser sent while offline, as the server received it; the stored answer and refusal reason are left
    // out (the answers themselves are in quizAttempts/activityResults).
    offlineSyncReceipts: await db
      .select({ kind: offlineSyncReceipts.kind, clientId: offlineSyncReceipts.clientId, receivedAt: offlineSyncReceipts.receivedAt, outcome: offlineSyncReceipts.outcome })
      .from(offlineSyncReceipts)
      .where(eq(offlineSyncReceipts.userId, userId))
      .orderBy(offlineSyncReceipts.receivedAt),
    // Name corrections asked for; who in the committee decided is not theirs to export.
    certificateNameCorrections: await db
      .select({ certificateId: certificateNameCorrections.certificateId, requestedName: certificateNameCorrections.requestedName, status: certificateNameCorrections.status, requestedAt: certificateNameCorrections.requestedAt, decidedAt: certificateNameCorrections.decidedAt, decisionReason: certificateNameCorrections.decisionReason })
      .from(certificateNameCorrections)
      .where(eq(certificateNameCorrections.userId, userId)),
    emails: (await db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email))).map((m) => ({ kind: m.kind, subject: m.subject, status: m.status, createdAt: m.createdAt, sentAt: m.sentAt })),
    auditLog: await db
      .select({ at: auditLog.at, action: auditLog.action, ip: auditLog.ip, actorId: auditLog.actorId, targetType: auditLog.targetType, targetId: auditLog.targetId })
      .from(auditLog)
      .where(or(eq(auditLog.actorId, userId), and(eq(auditLog.targetType, 'user'), eq(auditLog.targetId, String(userId))))),
  };
}

export type EraseResult = { ok: true } | { ok: false; error: 'wrongPassword' };

/**
 * Erases the signed-in person's account, after they confirm with their password. Identifying data goes (name,
 * e-mail, outlet, password, second factor, sessions, tokens, queued mail); the pseudonymous rows that statistics and
 * certificate verification rest on stay, pointing to an account that no longer names anyone.
 */
export async function eraseOwnAccount(db: Database, actor: Actor, password: string, ip?: string | null, now = Date.now()): Promise<EraseResult> {
  if (!can(actor, 'account.privacy')) throw forbidden();
  const [user] = await db.select().from(users).where(eq(users.id, actor.id));
  if (!user || user.erasedAt) throw notFound();
  if (!user.passwordHash || !(await verifyPasswordHash(user.passwordHash, password))) return { ok: false, error: 'wrongPassword' };
  await eraseAccount(db, user.id, { actorId: actor.id, ip, now });
  return { ok: true };
}

export async function eraseAccount(db: Database, userId: number, options: { actorId: number; ip?: string | null; now?: number }): Promise<void> {
  const now = options.now ?? Date.now();
  await writeTransaction(db, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user || user.erasedAt) return;
    const placeholder = `erased-${user.id}@erased.invalid`;
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(throttle).where(eq(throttle.key, `account:${user.emailKey}`));
    await tx.delete(mailOutbox).where(eq(mailOutbox.toAddress, user.email));
    // What the learner typed into activities (saved state, statements' responses) is free text: it goes. Best/last
    // scores stay in activity_results, like quiz results.
    await tx.delete(activityState).where(eq(activityState.userId, userId));
    await tx.delete(xapiForwardQueue).where(inArray(xapiForwardQueue.statementId, tx.select({ id: xapiStatements.id }).from(xapiStatements).where(eq(xapiStatements.userId, userId))));
    await tx.delete(xapiStatements).where(eq(xapiStatements.userId, userId));
    // Answers saved on a quiz attempt not yet graded (quiz_drafts) are the learner's; the graded results stay.
    await tx.delete(quizDrafts).where(inArray(quizDrafts.attemptId, tx.select({ id: quizAttempts.id }).from(quizAttempts).where(eq(quizAttempts.userId, userId))));
    // Offline receipts only answer a replay from this person's browser, which can no longer sign in; what they applied
    // is in the results that stay.
    await tx.delete(offlineSyncReceipts).where(eq(offlineSyncReceipts.userId, userId));
    // Workshop rosters and attendance stay, like enrolments: the anonymous account still counts as a participant.
    await tx.update(certificates).set({ holderName: ANONYMISED_HOLDER_NAME }).where(eq(certificates.userId, userId));
    // Names asked for on certificates go with the name; a pending request can no longer be approved.
    await tx.update(certificateNameCorrections).set({ requestedName: ANONYMISED_HOLDER_NAME }).where(eq(certificateNameCorrections.userId, userId));
    await tx
      .update(users)
      .set({ name: '', email: placeholder, emailKey: placeholder, passwordHash: null, totpKey: null, totpLastStep: null, mediaOutlet: null, position: null, sex: null, active: false, erasedAt: new Date(now) })
      .where(eq(users.id, userId));
    await recordAudit(tx, { actorId: options.actorId, action: 'privacy.erase', targetType: 'user', targetId: userId, countryCode: user.countryCode, ip: options.ip, before: { role: user.role, institutionId: user.institutionId } }, now);
  });
}
