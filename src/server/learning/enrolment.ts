// Who may enrol in which course. The rules are pure functions over a person, a course and the person's learning
// record, so every track is unit-tested; `enrol` applies them on the server and writes the enrolment.
//
// - Básico: every official and journalists.          - Autocuidado: every official.
// - Medios: journalists and officials.                 - Observers never enrol.
// - Actualización: officials with a completed Básico. It falls due when the last Básico/Actualización certificate
//   has expired or expires within 60 days.
// - Especializado: officials with a completed Básico AND an approved specialised-unit membership.
// - Any course: every course listed in its `prerequisites` completed first.
// "Official" means the roles learner, specialist, committee, coordinator and admin.
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { certificates, enrolments, type ProgrammeId, type Role, type SpecialistStatus } from '../../../db/schema.ts';
import type { Course } from './catalog.ts';
import { isApprovedSpecialist } from '../policy.ts';
import { recordEnrolment } from '../reports/summary.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { versionAtStart } from './versions.ts';
import { loadPlacedOut } from './placement.ts';

const DAY = 86_400_000;
/** A refresher shows as due this many days before the certificate expires. */
export const REFRESHER_NOTICE_DAYS = 60;

export type Audience = 'official' | 'journalist' | 'none';

const OFFICIAL_ROLES: ReadonlySet<Role> = new Set<Role>(['learner', 'specialist', 'committee', 'coordinator', 'admin']);

export function audienceOf(role: Role): Audience {
  if (OFFICIAL_ROLES.has(role)) return 'official';
  if (role === 'journalist') return 'journalist';
  return 'none';
}

/** Who each programme is open to (before the programme's further conditions). */
export const PROGRAMME_AUDIENCE: Record<ProgrammeId, readonly Audience[]> = {
  basico: ['official', 'journalist'],
  actualizacion: ['official'],
  especializado: ['official'],
  autocuidado: ['official'],
  medios: ['official', 'journalist'],
};

export interface Person {
  role: Role;
  specialistStatus: SpecialistStatus;
  active: boolean;
}

export interface CertificateRecord {
  courseId: string;
  programme: ProgrammeId;
  issuedAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** What the rules need to know about a person's history. */
export interface LearningRecord {
  /** Courses with a certificate that was not revoked (expired ones still count as completed). */
  completedCourses: ReadonlySet<string>;
  completedProgrammes: ReadonlySet<ProgrammeId>;
  certificates: readonly CertificateRecord[];
  /** Básico courses whose requirement a passed placement test meets, without a certificate (placement.ts). */
  placedOut: ReadonlySet<string>;
}

export function learningRecordFrom(certs: readonly CertificateRecord[], placedOut: readonly string[] = []): LearningRecord {
  const valid = certs.filter((c) => c.revokedAt === null);
  return {
    completedCourses: new Set(valid.map((c) => c.courseId)),
    completedProgrammes: new Set(valid.map((c) => c.programme)),
    certificates: certs,
    placedOut: new Set(placedOut),
  };
}

export type LockReason =
  | { code: 'inactive' }
  | { code: 'observer' }
  | { code: 'audience'; audience: readonly Audience[] }
  | { code: 'needsBasico' }
  | { code: 'needsSpecialist'; status: SpecialistStatus }
  | { code: 'prerequisite'; courseId: string };

export type EnrolmentDecision = { allowed: true } | { allowed: false; reasons: LockReason[] };

/** Whether a person may enrol in a course, and if not, everything that is missing. */
export function checkEnrolment(person: Person, course: Pick<Course, 'programme' | 'prerequisites'>, record: LearningRecord): EnrolmentDecision {
  if (!person.active) return { allowed: false, reasons: [{ code: 'inactive' }] };
  const audience = audienceOf(person.role);
  if (audience === 'none') return { allowed: false, reasons: [{ code: 'observer' }] };
  const allowedAudience = PROGRAMME_AUDIENCE[course.programme];
  const reasons: LockReason[] = [];
  if (!allowedAudience.includes(audience)) reasons.push({ code: 'audience', audience: allowedAudience });
  // A passed placement test (only ever drawn from Básico) meets the Básico requirement too.
  const basicoMet = record.completedProgrammes.has('basico') || record.placedOut.size > 0;
  if ((course.programme === 'actualizacion' || course.programme === 'especializado') && !basicoMet) {
    reasons.push({ code: 'needsBasico' });
  }
  if (course.programme === 'especializado' && !isApprovedSpecialist(person)) reasons.push({ code: 'needsSpecialist', status: person.specialistStatus });
  for (const prerequisite of course.prerequisites) {
    if (!record.completedCourses.has(prerequisite) && !record.placedOut.has(prerequisite)) reasons.push({ code: 'prerequisite', courseId: prerequisite });
  }
  return reasons.length === 0 ? { allowed: true } : { allowed: false, reasons };
}

export type RefresherStatus =
  | { state: 'none' } // never completed Básico/Actualización
  | { state: 'current'; dueDate: Date | null } // valid; dueDate null when the certificate never expires
  | { state: 'due'; dueDate: Date }; // expired, or expires within REFRESHER_NOTICE_DAYS

/** The refresher (Actualización) falls due from the last Básico/Actualización certificate's expiry. */
export function refresherStatus(certs: readonly CertificateRecord[], now: Date): RefresherStatus {
  const last = certs
    .filter((c) => c.revokedAt === null && (c.programme === 'basico' || c.programme === 'actualizacion'))
    .sort((a, b) => b.issuedAt.getTime() - a.issuedAt.getTime())[0];
  if (!last) return { state: 'none' };
  if (!last.expiresAt) return { state: 'current', dueDate: null };
  const dueFrom = last.expiresAt.getTime() - REFRESHER_NOTICE_DAYS * DAY;
  return now.getTime() >= dueFrom ? { state: 'due', dueDate: last.expiresAt } : { state: 'current', dueDate: last.expiresAt };
}

export interface EnrolmentRow {
  id: number;
  cycle: number;
  completedAt: Date | null;
}

export type EnrolmentPlan = { kind: 'resume'; enrolmentId: number } | { kind: 'new'; cycle: number } | { kind: 'alreadyCompleted' };

/**
 * What enrolling means given the person's earlier rounds of the course: resume an open one, start the first, or —
 * for the refresher once it is due again — start a new cycle. A completed course is otherwise not taken twice.
 */
export function planEnrolment(course: Pick<Course, 'programme'>, rounds: readonly EnrolmentRow[], refresher: RefresherStatus): EnrolmentPlan {
  const open = rounds.find((r) => r.completedAt === null);
  if (open) return { kind: 'resume', enrolmentId: open.id };
  if (rounds.length === 0) return { kind: 'new', cycle: 1 };
  const next = Math.max(...rounds.map((r) => r.cycle)) + 1;
  if (course.programme === 'actualizacion' && refresher.state === 'due') return { kind: 'new', cycle: next };
  return { kind: 'alreadyCompleted' };
}

export async function loadCertificates(db: Pick<Database, 'select'>, userId: number): Promise<CertificateRecord[]> {
  return db
    .select({ courseId: certificates.courseId, programme: certificates.programme, issuedAt: certificates.issuedAt, expiresAt: certificates.expiresAt, revokedAt: certificates.revokedAt })
    .from(certificates)
    .where(eq(certificates.userId, userId));
}

export interface Enrollee extends Person {
  id: number;
  countryCode: string | null;
  institutionId: number | null;
}

export type EnrolResult =
  | { ok: true; enrolmentId: number; cycle: number; created: boolean }
  | { ok: false; error: 'locked'; reasons: LockReason[] }
  | { ok: false; error: 'alreadyCompleted' };

/** Enrols a person after checking every rule on the server; enrolling twice returns the open enrolment. */
export async function enrol(db: Database, person: Enrollee, course: Course, now = new Date()): Promise<EnrolResult> {
  const certs = await loadCertificates(db, person.id);
  const decision = checkEnrolment(person, course, learningRecordFrom(certs, await loadPlacedOut(db, person.id)));
  if (!decision.allowed) return { ok: false, error: 'locked', reasons: decision.reasons };
  const rounds = await db
    .select({ id: enrolments.id, cycle: enrolments.cycle, completedAt: enrolments.completedAt })
    .from(enrolments)
    .where(and(eq(enrolments.userId, person.id), eq(enrolments.courseId, course.id)))
    .orderBy(desc(enrolments.cycle));
  const plan = planEnrolment(course, rounds, refresherStatus(certs, now));
  if (plan.kind === 'alreadyCompleted') return { ok: false, error: 'alreadyCompleted' };
  if (plan.kind === 'resume') return { ok: true, enrolmentId: plan.enrolmentId, cycle: rounds.find((r) => r.id === plan.enrolmentId)!.cycle, created: false };
  // The dashboards' summary counts the enrolment in the same transaction (src/server/reports/summary.ts).
  const inserted = await writeTransaction(db, async (tx) => {
    const rows = await tx
      .insert(enrolments)
      .values({ userId: person.id, courseId: course.id, programme: course.programme, cycle: plan.cycle, countryCode: person.countryCode, institutionId: person.institutionId, enrolledAt: now, ...versionAtStart(course) })
      .onConflictDoNothing()
      .returning({ id: enrolments.id });
    if (rows[0]) await recordEnrolment(tx, { countryCode: person.countryCode, institutionId: person.institutionId, courseId: course.id, programme: course.programme, enrolledAt: now });
    return rows;
  });
  if (inserted[0]) return { ok: true, enrolmentId: inserted[0].id, cycle: plan.cycle, created: true };
  // A concurrent request enrolled first: answer with its row.
  const [row] = await db
    .select({ id: enrolments.id })
    .from(enrolments)
    .where(and(eq(enrolments.userId, person.id), eq(enrolments.courseId, course.id), eq(enrolments.cycle, plan.cycle)));
  return { ok: true, enrolmentId: row!.id, cycle: plan.cycle, created: false };
}

/** The person's current round of a course: the open one, else the latest. */
export async function currentEnrolment(db: Pick<Database, 'select'>, userId: number, courseId: string) {
  const [row] = await db
    .select()
    .from(enrolments)
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)))
    .orderBy(desc(enrolments.cycle))
    .limit(1);
  return row ?? null;
}
