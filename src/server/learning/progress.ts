// Lesson progress and course completion. Completion is decided in the same transaction that records the last
// requirement (a lesson marked done or a passed quiz, in either order), so the certificate exists the moment the
// course is complete: no cron, no lag.
//
// Round trips: a lesson marked done, or opened for the first time, is one read and one batch of writes
// (db/batch.ts), which checks the facts it was decided on; only the step that completes the course (and issues the
// certificate), or a concurrent change, takes an interactive transaction.
import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { WritePlan } from '../../../db/batch.ts';
import { enrolments, lessonProgress, quizAttempts } from '../../../db/schema.ts';
import type { Course } from './catalog.ts';
import { issueCertificate } from './certificates.ts';
import { recordCompletion, recordStarted } from '../reports/summary.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { requiredLessons } from './versions.ts';

/**
 * Whether a person has completed the required interactive activities of a lesson. The lesson Action passes the H5P
 * area's `requiredActivitiesDone` (src/server/h5p/activityResults.ts); without a hook, required activities count as done.
 */
export type ActivitiesDone = (db: Pick<Database, 'select'>, userId: number, activityIds: readonly string[]) => Promise<boolean>;
export const activitiesAssumedDone: ActivitiesDone = async () => true;

/** Separates lesson slugs in a group_concat (slugs are kebab-case; never contain it). */
const SLUG_SEPARATOR = '\u001f';

/**
 * The lessons done of the enrolment row a query reads, as one column (a correlated subquery, qualified by hand:
 * drizzle leaves columns unqualified in a one-table select, and an unqualified "id" inside would name the inner
 * table's column). Split it with lessonsFrom.
 */
export const lessonsDoneColumn = () => sql<string | null>`(SELECT group_concat(lp.lesson, ${SLUG_SEPARATOR}) FROM ${lessonProgress} AS lp WHERE lp.enrolment_id = ${enrolments}.id)`;
export const lessonsFrom = (column: string | null): string[] => (column ? column.split(SLUG_SEPARATOR) : []);

export type CompletionResult = { completed: false } | { completed: true; certificateCode: string; newlyCompleted: boolean };

/**
 * Completes the enrolment and issues its certificate when every lesson is done and a quiz attempt has passed. Takes
 * the enrolment row its caller read in the same transaction (no second read).
 */
export async function completeIfDone(tx: Executor, enrolment: typeof enrolments.$inferSelect, course: Course, now: Date): Promise<CompletionResult> {
  const enrolmentId = enrolment.id;
  if (enrolment.completedAt) {
    const cert = await issueCertificate(tx, enrolment, course, enrolment.completedAt);
    return { completed: true, certificateCode: cert.code, newlyCompleted: false };
  }
  const done = await tx.select({ lesson: lessonProgress.lesson }).from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolmentId));
  const doneSet = new Set(done.map((d) => d.lesson));
  // The lessons this enrolment must do: a lesson added by a later version is not required of it (versions.ts).
  if (!requiredLessons(enrolment, course).every((l) => doneSet.has(l))) return { completed: false };
  const [passed] = await tx
    .select({ n: count() })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true)));
  if (!passed || passed.n === 0) return { completed: false };
  const updated = await tx
    .update(enrolments)
    .set({ completedAt: now })
    .where(and(eq(enrolments.id, enrolmentId), isNull(enrolments.completedAt)))
    .returning({ id: enrolments.id });
  if (updated.length > 0) await recordCompletion(tx, { ...enrolment, completedAt: now });
  const cert = await issueCertificate(tx, enrolment, course, now);
  return { completed: true, certificateCode: cert.code, newlyCompleted: updated.length > 0 };
}

export type MarkDoneResult =
  | { ok: true; completion: CompletionResult }
  | { ok: false; error: 'notEnrolled' | 'unknownLesson' | 'activitiesPending' };

export interface MarkDoneInput {
  userId: number;
  course: Course;
  lesson: string;
  /** Ids of the lesson's required H5P activities (extracted from its MDX at build). */
  requiredActivities?: readonly string[];
  activitiesDone?: ActivitiesDone;
  now?: Date;
}

/** Records a lesson as done for the person's open enrolment and completes the course if that was the last step. */
export async function markLessonDone(db: Database, input: MarkDoneInput): Promise<MarkDoneResult> {
  const { userId, course, lesson, requiredActivities = [], activitiesDone = activitiesAssumedDone, now = new Date() } = input;
  if (!course.lessons.includes(lesson)) return { ok: false, error: 'unknownLesson' };
  // Checked before the transaction: a completed activity stays completed, so the answer cannot go stale.
  if (requiredActivities.length > 0 && !(await activitiesDone(db, userId, requiredActivities))) return { ok: false, error: 'activitiesPending' };
  const batched = await markDoneInOneBatch(db, userId, course, lesson, now);
  if (batched) return batched;
  return writeTransaction(db, async (tx) => {
    const enrolment = await openOrLatestEnrolment(tx, userId, course.id);
    if (!enrolment) return { ok: false, error: 'notEnrolled' } as const;
    await tx.insert(lessonProgress).values({ enrolmentId: enrolment.id, lesson, completedAt: now }).onConflictDoNothing();
    await tx.update(enrolments).set({ lastLesson: lesson }).where(eq(enrolments.id, enrolment.id));
    await markStarted(tx, enrolment, now);
    const completion = await completeIfDone(tx, enrolment, course, now);
    return { ok: true, completion } as const;
  });
}

/**
 * The lesson marked done in two round trips when it cannot complete the course: the read (enrolments, lessons done,
 * a passed attempt), then one batch that checks completion is still out of reach. Undefined when the transaction
 * must decide (this step may complete the course, or something changed meanwhile).
 */
async function markDoneInOneBatch(db: Database, userId: number, course: Course, lesson: string, now: Date): Promise<MarkDoneResult | undefined> {
  const rows = await db
    .select({
      enrolment: enrolments,
      lessonsDone: lessonsDoneColumn(),
      quizPassed: sql<number>`EXISTS (SELECT 1 FROM ${quizAttempts} AS qa WHERE qa.enrolment_id = ${enrolments}.id AND qa.passed = 1)`,
    })
    .from(enrolments)
    .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id)));
  const row = rows.find((r) => r.enrolment.completedAt === null) ?? rows.sort((a, b) => b.enrolment.cycle - a.enrolment.cycle)[0];
  if (!row) return { ok: false, error: 'notEnrolled' };
  const { enrolment } = row;
  if (enrolment.completedAt) return undefined;
  const done = new Set(lessonsFrom(row.lessonsDone));
  const doneBefore = done.size;
  done.add(lesson);
  const quizPassed = Boolean(row.quizPassed);
  if (quizPassed && requiredLessons(enrolment, course).every((l) => done.has(l))) return undefined;
  const plan = new WritePlan(db);
  // Completion stays out of reach: no attempt passed since the read, or (passed) no other lesson was done meanwhile.
  plan.expect(
    quizPassed
      ? sql`(SELECT count(*) FROM ${lessonProgress} WHERE ${lessonProgress.enrolmentId} = ${enrolment.id}) = ${doneBefore}`
      : sql`NOT EXISTS (SELECT 1 FROM ${quizAttempts} WHERE ${quizAttempts.enrolmentId} = ${enrolment.id} AND ${quizAttempts.passed} = 1)`,
  );
  plan.add(db.insert(lessonProgress).values({ enrolmentId: enrolment.id, lesson, completedAt: now }).onConflictDoNothing());
  await rememberLesson(plan, db, enrolment, lesson, now);
  if ((await plan.commit()) === 'stale') return undefined;
  return { ok: true, completion: { completed: false } };
}

/** The resume point, and the course counted as started the first time (the summary row only if this write started it). */
async function rememberLesson(plan: WritePlan, db: Database, enrolment: typeof enrolments.$inferSelect, lesson: string, now: Date): Promise<void> {
  plan.add(db.update(enrolments).set({ lastLesson: lesson }).where(eq(enrolments.id, enrolment.id)));
  if (enrolment.startedAt) return;
  plan.add(db.update(enrolments).set({ startedAt: now }).where(and(eq(enrolments.id, enrolment.id), isNull(enrolments.startedAt))));
  plan.expectChanged(1);
  await recordStarted(plan, enrolment);
}

/** Remembers where the person is, so "continue" resumes there. */

/** The read every lesson view makes, built once per database handle (building it took longer than running it). */
function prepareVisitRead(db: Database) {
  return db
    .select({
      enrolment: enrolments,
      // Correlated subqueries, qualified by hand (see lessonsDoneColumn).
      lessonsDone: lessonsDoneColumn(),
      quizPassed: sql<number>`EXISTS (SELECT 1 FROM ${quizAttempts} AS qa WHERE qa.enrolment_id = ${enrolments}.id AND qa.passed = 1)`,
    })
    .from(enrolments)
    .where(and(eq(enrolments.userId, sql.placeholder('userId')), eq(enrolments.courseId, sql.placeholder('courseId'))))
    .orderBy(desc(enrolments.cycle))
    .limit(1)
    .prepare();
}
const visitReads = new WeakMap<Database, ReturnType<typeof prepareVisitRead>>();

/**
 * Opens a lesson for the person's latest enrolment in the course and returns the progress the lesson page shows. With
 * `record`, the lesson becomes the resume point (and the course counts as started) — a write only when that changes,
 * so reading a lesson again is one indexed query. Null when the person is not enrolled.
 */
export async function visitLesson(db: Database, userId: number, course: Course, lesson: string, { record = true, now = new Date() } = {}): Promise<CourseProgress | null> {
  let read = visitReads.get(db);
  if (!read) visitReads.set(db, (read = prepareVisitRead(db)));
  const [row] = await read.all({ userId, courseId: course.id });
  if (!row) return null;
  const { enrolment } = row;
  if (record && !enrolment.completedAt && enrolment.lastLesson !== lesson) {
    const plan = new WritePlan(db);
    await rememberLesson(plan, db, enrolment, lesson, now);
    // Stale: another request counted the start first; only the resume point is left to write.
    if ((await plan.commit()) === 'stale') await db.update(enrolments).set({ lastLesson: lesson }).where(eq(enrolments.id, enrolment.id));
    enrolment.lastLesson = lesson;
  }
  const progress = progressFrom(enrolment, lessonsFrom(row.lessonsDone), Boolean(row.quizPassed), course);
  // A new version that removed the last lesson missing leaves nothing to do: the visit completes the course.
  if (record && !enrolment.completedAt && progress.quizPassed && progress.lessonsDone.length >= progress.lessonsTotal && requiredLessons(enrolment, course).every((l) => progress.lessonsDone.includes(l))) {
    const completion = await writeTransaction(db, (tx) => completeIfDone(tx, enrolment, course, now));
    if (completion.completed) return { ...progress, completedAt: enrolment.completedAt ?? now, percent: 100 };
  }
  return progress;
}

/** Sets started_at once (a conditional UPDATE, so two requests cannot both count the start in the dashboards). */
async function markStarted(tx: Executor, enrolment: typeof enrolments.$inferSelect, now: Date): Promise<void> {
  if (enrolment.startedAt) return;
  const started = await tx
    .update(enrolments)
    .set({ startedAt: now })
    .where(and(eq(enrolments.id, enrolment.id), isNull(enrolments.startedAt)))
    .returning({ id: enrolments.id });
  if (started.length > 0) await recordStarted(tx, enrolment);
}

async function openOrLatestEnrolment(tx: Executor, userId: number, courseId: string) {
  const rows = await tx.select().from(enrolments).where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)));
  return rows.find((r) => r.completedAt === null) ?? rows.sort((a, b) => b.cycle - a.cycle)[0] ?? null;
}

export interface CourseProgress {
  enrolmentId: number;
  cycle: number;
  lessonsDone: string[];
  lessonsTotal: number;
  quizPassed: boolean;
  completedAt: Date | null;
  lastLesson: string | null;
  /** Percentage of steps done: every lesson and the final quiz. */
  percent: number;
}

/** The progress of an enrolment row already read (two indexed reads). */
export async function enrolmentProgress(db: Executor, enrolment: typeof enrolments.$inferSelect, course: Course): Promise<CourseProgress> {
  const done = await db.select({ lesson: lessonProgress.lesson }).from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolment.id));
  // A completed enrolment has passed its quiz (completion requires it): no need to ask.
  const quizPassed = enrolment.completedAt !== null || (await hasPassedQuiz(db, enrolment.id));
  return progressFrom(enrolment, done.map((d) => d.lesson), quizPassed, course);
}

/**
 * Steps are the lessons the enrolment must do (those of the course now that it also had when the enrolment began,
 * src/server/learning/versions.ts) and the final quiz. `lessonsDone` lists every current lesson done, required or not.
 */
export function progressFrom(enrolment: typeof enrolments.$inferSelect, doneLessons: readonly string[], quizPassed: boolean, course: Course): CourseProgress {
  const done = new Set(doneLessons);
  const lessonsDone = course.lessons.filter((l) => done.has(l));
  const required = requiredLessons(enrolment, course);
  const steps = required.length + 1;
  const requiredDone = required.filter((l) => done.has(l)).length;
  const percent = enrolment.completedAt ? 100 : Math.round(((requiredDone + (quizPassed ? 1 : 0)) / steps) * 100);
  return { enrolmentId: enrolment.id, cycle: enrolment.cycle, lessonsDone, lessonsTotal: required.length, quizPassed: quizPassed || enrolment.completedAt !== null, completedAt: enrolment.completedAt, lastLesson: enrolment.lastLesson, percent };
}

async function hasPassedQuiz(db: Executor, enrolmentId: number): Promise<boolean> {
  const [passed] = await db.select({ id: quizAttempts.id }).from(quizAttempts).where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true))).limit(1);
  return passed !== undefined;
}
