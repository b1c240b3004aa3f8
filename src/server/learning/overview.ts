// A person's view of the catalogue: for each course whether it is available, locked (and why), in progress or
// completed — and what the "My learning" page shows. Reads only; the rules come from enrolment.ts.
import { and, desc, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { certificates, enrolments } from '../../../db/schema.ts';
import type { Course } from './catalog.ts';
import { checkEnrolment, learningRecordFrom, loadCertificates, planEnrolment, refresherStatus, type LockReason, type Person, type RefresherStatus } from './enrolment.ts';
import { enrolmentProgress, type CourseProgress } from './progress.ts';
import { loadPlacedOut } from './placement.ts';

export type CourseStatus =
  | { kind: 'available'; refresherDue: Date | null }
  | { kind: 'locked'; reasons: LockReason[] }
  | { kind: 'enrolled'; progress: CourseProgress }
  | { kind: 'completed'; completedAt: Date; certificateCode: string | null };

export interface Overview {
  statuses: Map<string, CourseStatus>;
  refresher: RefresherStatus;
}

export async function learnerOverview(db: Database, person: Person & { id: number }, courses: readonly Course[], now = new Date()): Promise<Overview> {
  const certs = await loadCertificates(db, person.id);
  const record = learningRecordFrom(certs, await loadPlacedOut(db, person.id));
  const refresher = refresherStatus(certs, now);
  const rows = await db.select().from(enrolments).where(eq(enrolments.userId, person.id)).orderBy(desc(enrolments.cycle));
  const codes = await db.select({ enrolmentId: certificates.enrolmentId, code: certificates.code }).from(certificates).where(eq(certificates.userId, person.id));
  const statuses = new Map<string, CourseStatus>();
  for (const course of courses) {
    const rounds = rows.filter((r) => r.courseId === course.id);
    const plan = planEnrolment(course, rounds, refresher);
    const decision = checkEnrolment(person, course, record);
    if (plan.kind === 'resume') {
      const open = rounds.find((r) => r.id === plan.enrolmentId);
      if (open) statuses.set(course.id, { kind: 'enrolled', progress: await enrolmentProgress(db, open, course) });
      continue;
    }
    if (plan.kind === 'alreadyCompleted') {
      const last = rounds[0]!;
      statuses.set(course.id, { kind: 'completed', completedAt: last.completedAt!, certificateCode: codes.find((c) => c.enrolmentId === last.id)?.code ?? null });
      continue;
    }
    if (!decision.allowed) statuses.set(course.id, { kind: 'locked', reasons: decision.reasons });
    else statuses.set(course.id, { kind: 'available', refresherDue: course.programme === 'actualizacion' && refresher.state === 'due' ? refresher.dueDate : null });
  }
  return { statuses, refresher };
}

/** The status of one course (the course page). */
export async function courseStatus(db: Database, person: Person & { id: number }, course: Course, now = new Date()): Promise<{ status: CourseStatus; refresher: RefresherStatus }> {
  const { statuses, refresher } = await learnerOverview(db, person, [course], now);
  return { status: statuses.get(course.id)!, refresher };
}

export async function openCertificateCode(db: Database, enrolmentId: number): Promise<string | null> {
  const [row] = await db.select({ code: certificates.code }).from(certificates).where(eq(certificates.enrolmentId, enrolmentId));
  return row?.code ?? null;
}
