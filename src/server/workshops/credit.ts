// Closing a workshop credits its attendees. Each participant who met the rule — at least attendance_rule_percent of
// the session hours and, when the workshop asks for it, a passed final quiz of the course since the workshop began —
// gets the equivalent course completed, with a certificate that names the workshop, under the course's own rules:
// the same validity, the same refresher cycle, and no second credit for a course the person already completed
// (online or at another workshop). Everything happens in one transaction, claimed by moving the state held → closed:
// a second close (double submit, another node) finds it closed and changes nothing.
import { and, desc, eq, gte, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { certificates, enrolments, placementAttempts, quizAttempts, users, workshopParticipants, workshops } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy.ts';
import type { Course } from '../learning/catalog.ts';
import { issueCertificate } from '../learning/certificates.ts';
import { checkEnrolment, learningRecordFrom, planEnrolment, refresherStatus, type CertificateRecord } from '../learning/enrolment.ts';
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

type EnrolmentRound = typeof enrolments.$inferSelect;

/** What deciding one participant's credit needs to know about them, read for the whole roster at once. */
interface LearnerFacts {
  person: { role: (typeof users.$inferSelect)['role']; specialistStatus: (typeof users.$inferSelect)['specialistStatus']; active: boolean; countryCode: string | null; institutionId: number | null };
  certs: CertificateRecord[];
  placedOut: string[];
  /** Their rounds of the workshop's course, latest cycle first. */
  rounds: EnrolmentRound[];
}

const groupBy = <T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> => {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const id = key(row);
    const group = groups.get(id);
    if (group) group.push(row);
    else groups.set(id, [row]);
  }
  return groups;
};

/**
 * The accounts, certificates, passed placement tests and rounds of the course of everyone closing may credit: four
 * reads for the roster instead of four per participant, inside the close's transaction. Each participant's own
 * writes (their enrolment, their certificate) touch only their rows, so reading everyone's first sees what a read
 * just before each credit would.
 */
async function loadLearnerFacts(tx: Tx, userIds: number[], course: Course): Promise<Map<number, LearnerFacts>> {
  if (userIds.length === 0) return new Map();
  const people = await tx
    .select({ id: users.id, role: users.role, specialistStatus: users.specialistStatus, active: users.active, countryCode: users.countryCode, institutionId: users.institutionId })
    .from(users)
    .where(inArray(users.id, userIds));
  const certs = groupBy(
    await tx
      .select({ userId: certificates.userId, courseId: certificates.courseId, programme: certificates.programme, issuedAt: certificates.issuedAt, expiresAt: certificates.expiresAt, revokedAt: certificates.revokedAt })
      .from(certificates)
      .where(inArray(certificates.userId, userIds)),
    (c) => c.userId,
  );
  const placed = groupBy(
    await tx.select({ userId: placementAttempts.userId, courseId: placementAttempts.courseId }).from(placementAttempts).where(and(inArray(placementAttempts.userId, userIds), eq(placementAttempts.passed, true))),
    (p) => p.userId,
  );
  const rounds = groupBy(
    await tx.select().from(enrolments).where(and(inArray(enrolments.userId, userIds), eq(enrolments.courseId, course.id))).orderBy(desc(enrolments.cycle)),
    (r) => r.userId,
  );
  return new Map(
    people.map(({ id, ...person }) => [
      id,
      {
        person,
        certs: (certs.get(id) ?? []).map(({ userId: _u, ...c }) => c),
        placedOut: [...new Set((placed.get(id) ?? []).map((p) => p.courseId))],
        rounds: rounds.get(id) ?? [],
      },
    ]),
  );
}

/** Completes the course for one person who met the rule: their open enrolment, or a new round; never a second one. */
async function creditCourse(tx: Tx, userId: number, facts: LearnerFacts | undefined, course: Course, workshop: WorkshopRow, minutes: number, now: Date): Promise<{ outcome: 'credited' | 'alreadyHeld' | 'notEligible'; certificateCode: string | null }> {
  if (!facts) return { outcome: 'notEligible', certificateCode: null };
  const { person, certs, placedOut, rounds } = facts;
  if (!checkEnrolment(person, course, learningRecordFrom(certs, placedOut)).allowed) return { outcome: 'notEligible', certificateCode: null };
  const plan = planEnrolment(course, rounds, refresherStatus(certs, now));
  if (plan.kind === 'alreadyCompleted') return { outcome: 'alreadyHeld', certificateCode: null };
  const delivery = { deliveryMode: workshop.mode === 'in_person' ? ('in_person' as const) : ('online' as const), workshopId: workshop.id, minutes };

  let enrolment: EnrolmentRound;
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
  const certificate = await issueCertificate(tx, enrolment, course, now, delivery);
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
    const facts = await loadLearnerFacts(tx, roster.filter((r) => r.tally.met && (!workshop.requiresPostTest || postTest.has(r.userId))).map((r) => r.userId), course);
    const outcomes = emptyOutcomes();
    const people: CloseResult['people'] = [];
    for (const person of roster) {
      let outcome: CreditOutcome;
      let certificateCode: string | null = null;
      if (!person.tally.met) outcome = 'belowAttendance';
      else if (workshop.requiresPostTest && !postTest.has(person.userId)) outcome = 'noPostTest';
      else ({ outcome, certificateCode } = await creditCourse(tx, person.userId, facts.get(person.userId), course, workshop, minutes, now));
      outcomes[outcome]++;
      people.push({ userId: person.userId, outcome, certificateCode });
    }
    const met = people.filter((p) => p.outcome === 'credited' || p.outcome === 'alreadyHeld').map((p) => p.userId);
    if (met.length > 0) await tx.update(workshopParticipants).set({ creditedAt: now }).where(and(eq(workshopParticipants.workshopId, workshopId), inArray(workshopParticipants.userId, met)));
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
