// Closing a workshop credits its attendees. Each participant who met the rule — at least attendance_rule_percent of
// the session hours and, when the workshop asks for it, a passed final quiz of the course since the workshop began —
// gets the equivalent course completed, with a certificate that names the workshop, under the course's own rules:
// the same validity, the same refresher cycle, and no second credit for a course the person already completed
// (online or at another workshop). Everything happens in one transaction, claimed by moving the state held → closed:
// a second close (double submit, another node) finds it closed and changes nothing.
import { and, desc, eq, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { certificates, enrolments, quizAttempts, users, workshopParticipants, workshops } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy.ts';
import type { Course } from '../learning/catalog.ts';
import { issueCertificate } from '../learning/certificates.ts';
import { checkEnrolment, learningRecordFrom, loadCertificates, planEnrolment, refresherStatus } from '../learning/enrolment.ts';
import { loadPlacedOut } from '../learning/placement.ts';
import { versionAtStart } from '../learning/versions.ts';
import { recordCompletion, recordEnrolment, recordStarted } from '../reports/summary.ts';
import { loadRoster } from './roster.ts';
import { minutesOf, startOfDay } from './rules.ts';
import { authorizedWorkshop, loadSessions, type WorkshopRow } from './workshops.ts';

/** What closing did for one participant. */
export type CreditOutcome =
  | 'credited' // course completed through the workshop, certificate issued
  | 'alreadyHeld' // met the rule, but had already completed the course: no second credit
  | 'belowAttendance'
  | 'noPostTest' // attended enough, but the post-test (the course's quiz) was not passed
  | 'notEligible'; // met the rule, but the course's own conditions are not met (e.g. Actualización without Básico)

export interface CloseResult {
  alreadyClosed: boolean;
  outcomes: Record<CreditOutcome, number>;
  /** Per person, for the page that shows the result. Empty when the workshop was already closed. */
  people: { userId: number; outcome: CreditOutcome; certificateCode: string | null }[];
}

type Tx = Parameters<Parameters<typeof writeTransaction>[1]>[0];

const emptyOutcomes = (): Record<CreditOutcome, number> => ({ credited: 0, alreadyHeld: 0, belowAttendance: 0, noPostTest: 0, notEligible: 0 });

/** The people who passed the course's quiz since the workshop began. */
async function passedPostTest(tx: Tx, workshop: WorkshopRow, userIds: number[]): Promise<Set<number>> {
  if (!workshop.requiresPostTest || userIds.length === 0) return new Set();
  const rows = await tx
    .select({ userId: quizAttempts.userId })
    .from(quizAttempts)
    .where(and(inArray(quizAttempts.userId, userIds), eq(quizAttempts.courseId, workshop.courseSlug), eq(quizAttempts.passed, true), isNotNull(quizAttempts.submittedAt), gte(quizAttempts.submittedAt, startOfDay(workshop.startsOn))));
  return new Set(rows.map((r) => r.userId));
}

/** Completes the course for one person who met the rule: their open enrolment, or a new round; never a second one. */
async function creditCourse(tx: Tx, userId: number, course: Course, workshop: WorkshopRow, minutes: number, now: Date): Promise<{ outcome: 'credited' | 'alreadyHeld' | 'notEligible'; certificateCode: string | null }> {
  const [person] = await tx
    .select({ role: users.role, specialistStatus: users.specialistStatus, active: users.active, countryCode: users.countryCode, institutionId: users.institutionId })
    .from(users)
    .where(eq(users.id, userId));
  if (!person) return { outcome: 'notEligible', certificateCode: null };
  const certs = await loadCertificates(tx, userId);
  if (!checkEnrolment(person, course, learningRecordFrom(certs, await loadPlacedOut(tx, userId))).allowed) return { outcome: 'notEligible', certificateCode: null };
  const rounds = await tx.select().from(enrolments).where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id))).orderBy(desc(enrolments.cycle));
  const plan = planEnrolment(course, rounds, refresherStatus(certs, now));
  if (plan.kind === 'alreadyCompleted') return { outcome: 'alreadyHeld', certificateCode: null };
  const delivery = { deliveryMode: workshop.mode === 'in_person' ? ('in_person' as const) : ('online' as const), workshopId: workshop.id, minutes };

  let enrolment: typeof enrolments.$inferSelect;
  if (plan.kind === 'resume') {
    // Started online and finished at the workshop: the same enrolment, so the funnel counts the person once.
    enrolment = rounds.find((r) => r.id === plan.enrolmentId)!;
    if (!enrolment.startedAt) {
      await tx.update(enrolments).set({ startedAt: now }).where(eq(enrolments.id, enrolment.id));
      await recordStarted(tx, enrolment);
    }
  } else {
    const [row] = await tx
      .insert(enrolments)
      .values({ userId, courseId: course.id, programme: course.programme, cycle: plan.cycle, countryCode: person.countryCode, institutionId: person.institutionId, enrolledAt: now, startedAt: now, ...versionAtStart(course) })
      .returning();
    enrolment = row!;
    await recordEnrolment(tx, enrolment);
    await recordStarted(tx, enrolment);
  }
  const completed = await tx
    .update(enrolments)
    .set({ completedAt: now, completedVia: 'workshop' })
    .where(and(eq(enrolments.id, enrolment.id), isNull(enrolments.completedAt)))
    .returning({ id: enrolments.id });
  if (completed.length > 0) await recordCompletion(tx, { ...enrolment, startedAt: enrolment.startedAt ?? now, completedAt: now });
  const certificate = await issueCertificate(tx, enrolment.id, course, now, delivery);
  return { outcome: 'credited', certificateCode: certificate.code };
}

/**
 * Closes a held workshop and credits every participant who met its rule. `course` is the workshop's course
 * (course_slug) from the catalogue. Idempotent: closing a closed workshop answers alreadyClosed and writes nothing.
 */
export async function closeWorkshop(db: Database, actor: Actor, workshopId: number, course: Course, options: { ip?: string | null; now?: number } = {}): Promise<CloseResult> {
  const workshop = await authorizedWorkshop(db, actor, 'workshop.manage', workshopId);
  if (workshop.state === 'closed') return closedResult(db, workshopId);
  if (workshop.state !== 'held') throw new DomainError('conflict', 'workshops.close.notHeld', `workshop ${workshopId}`);
  if (course.id !== workshop.courseSlug) throw new Error(`closeWorkshop: course ${course.id} is not the workshop's ${workshop.courseSlug}`);
  const now = new Date(options.now ?? Date.now());

  const result = await writeTransaction(db, async (tx): Promise<CloseResult | null> => {
    // The claim: of two closes racing, one moves the state and the other finds nothing to move.
    const claimed = await tx
      .update(workshops)
      .set({ state: 'closed', closedAt: now, closedBy: actor.id })
      .where(and(eq(workshops.id, workshopId), eq(workshops.state, 'held')))
      .returning({ id: workshops.id });
    if (claimed.length === 0) return null;
    const sessions = await loadSessions(tx, workshopId);
    if (sessions.length === 0) throw new DomainError('conflict', 'workshops.close.noSessions');
    const minutes = sessions.reduce((sum, s) => sum + minutesOf(s.hours), 0);
    const roster = await loadRoster(tx, workshop, sessions);
    const postTest = await passedPostTest(tx, workshop, roster.map((r) => r.userId));
    const outcomes = emptyOutcomes();
    const people: CloseResult['people'] = [];
    for (const person of roster) {
      let outcome: CreditOutcome;
      let certificateCode: string | null = null;
      if (!person.tally.met) outcome = 'belowAttendance';
      else if (workshop.requiresPostTest && !postTest.has(person.userId)) outcome = 'noPostTest';
      else ({ outcome, certificateCode } = await creditCourse(tx, person.userId, course, workshop, minutes, now));
      if (outcome === 'credited' || outcome === 'alreadyHeld') {
        await tx.update(workshopParticipants).set({ creditedAt: now }).where(and(eq(workshopParticipants.workshopId, workshopId), eq(workshopParticipants.userId, person.userId)));
      }
      outcomes[outcome]++;
      people.push({ userId: person.userId, outcome, certificateCode });
    }
    await recordAudit(tx, { actorId: actor.id, action: 'workshop.close', targetType: 'workshop', targetId: workshopId, countryCode: workshop.countryCode, ip: options.ip, before: { state: 'held' }, after: { state: 'closed', ...outcomes } }, now.getTime());
    return { alreadyClosed: false, outcomes, people };
  });
  return result ?? closedResult(db, workshopId);
}

/** What a closed workshop's close did, read back: who met the rule (credited_at) and who got a certificate from it. */
async function closedResult(db: Pick<Database, 'select'>, workshopId: number): Promise<CloseResult> {
  const met = await db.select({ userId: workshopParticipants.userId }).from(workshopParticipants).where(and(eq(workshopParticipants.workshopId, workshopId), isNotNull(workshopParticipants.creditedAt)));
  const issued = await db.select({ userId: certificates.userId }).from(certificates).where(eq(certificates.workshopId, workshopId));
  const outcomes = emptyOutcomes();
  outcomes.credited = issued.length;
  outcomes.alreadyHeld = met.length - issued.length;
  return { alreadyClosed: true, outcomes, people: [] };
}

/** The certificates a workshop's close issued, by holder (read by pages that already authorised the workshop). */
export async function loadWorkshopCertificates(db: Pick<Database, 'select'>, workshopId: number): Promise<Map<number, string>> {
  const rows = await db.select({ userId: certificates.userId, code: certificates.code }).from(certificates).where(eq(certificates.workshopId, workshopId));
  return new Map(rows.map((r) => [r.userId, r.code]));
}
