// What a committee sees of one person's learning: per course (and per round, for a refresher), when they enrolled,
// started and finished, how many lessons they have done of those their enrolment requires, and every quiz attempt with
// its score. The same rule as the person page (people.view over the person's country): a committee sees its own
// country's people only; an observer sees nobody.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { enrolments, lessonProgress, quizAttempts, users } from '../../../db/schema.ts';
import { scoreOf } from '../learning/index.ts';
import { countryScope, scopeIncludes, type Actor } from '../policy.ts';
import { forbidden, notFound } from '../errors.ts';

export interface AttemptSummary {
  startedAt: Date;
  submittedAt: Date | null;
  percent: number | null;
  passed: boolean | null;
  late: boolean;
}

export interface CourseProgressRow {
  courseId: string;
  cycle: number;
  enrolledAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  lessonsDone: number;
  /** The lessons this enrolment requires (its course version's list); null for enrolments older than that record. */
  lessonsRequired: number | null;
  attempts: AttemptSummary[];
}

export async function personProgress(db: Database, actor: Actor, personId: number): Promise<CourseProgressRow[]> {
  const [person] = await db.select({ countryCode: users.countryCode }).from(users).where(and(eq(users.id, personId), isNull(users.erasedAt)));
  if (!person) throw notFound();
  const scope = countryScope(actor, 'people.view');
  if (!(scope.kind === 'all' || scopeIncludes(scope, person.countryCode))) throw forbidden();

  const rows = await db
    .select({
      id: enrolments.id,
      courseId: enrolments.courseId,
      cycle: enrolments.cycle,
      enrolledAt: enrolments.enrolledAt,
      startedAt: enrolments.startedAt,
      completedAt: enrolments.completedAt,
      lessonsAtStart: enrolments.lessonsAtStart,
      lessonsDone: sql<number>`(SELECT count(*) FROM ${lessonProgress} WHERE ${lessonProgress.enrolmentId} = ${enrolments.id})`,
    })
    .from(enrolments)
    .where(eq(enrolments.userId, personId))
    .orderBy(asc(enrolments.enrolledAt), asc(enrolments.id));
  const ids = rows.map((r) => r.id);
  const attempts = ids.length
    ? await db
        .select({ enrolmentId: quizAttempts.enrolmentId, startedAt: quizAttempts.startedAt, submittedAt: quizAttempts.submittedAt, score: quizAttempts.score, maxScore: quizAttempts.maxScore, passed: quizAttempts.passed, late: quizAttempts.late })
        .from(quizAttempts)
        .where(inArray(quizAttempts.enrolmentId, ids))
        .orderBy(asc(quizAttempts.startedAt), asc(quizAttempts.id))
    : [];
  return rows.map((r) => ({
    courseId: r.courseId,
    cycle: r.cycle,
    enrolledAt: r.enrolledAt,
    startedAt: r.startedAt,
    completedAt: r.completedAt,
    lessonsDone: Number(r.lessonsDone),
    lessonsRequired: r.lessonsAtStart ? r.lessonsAtStart.length : null,
    attempts: attempts
      .filter((a) => a.enrolmentId === r.id)
      .map((a) => ({ startedAt: a.startedAt, submittedAt: a.submittedAt, percent: a.submittedAt ? scoreOf(a).percent : null, passed: a.submittedAt ? a.passed : null, late: a.late })),
  }));
}
