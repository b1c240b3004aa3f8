// A learner's results in interactive activities: every reported statement is kept, and activity_results holds the
// best and the last score per activity. Lessons ask requiredActivitiesDone() whether the required ones are finished.
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { activityResults, enrolments, xapiForwardQueue, xapiStatements } from '../../../db/schema.ts';
import { DomainError } from '../errors.ts';
import type { StoredStatement } from './xapiStatement.ts';

export interface ActivityResult {
  bestScore: number;
  lastScore: number;
  maxScore: number;
  completed: boolean;
}

/** The database or an open transaction: lessons check required activities inside the transaction that marks a lesson done. */
export type Reader = Pick<Database, 'select'>;

export interface ScoredAttempt {
  raw: number;
  max: number;
  completed: boolean;
}

/**
 * The result after one more attempt. Scores are points out of `maxScore`; when an activity is edited and its maximum
 * changes, the best earlier result keeps its proportion (3/4 stays 75 % when the maximum becomes 8, i.e. 6/8).
 * Completion never goes back: once finished, an activity stays finished.
 */
export function nextActivityResult(previous: ActivityResult | null, attempt: ScoredAttempt): ActivityResult {
  if (!previous) return { bestScore: attempt.raw, lastScore: attempt.raw, maxScore: attempt.max, completed: attempt.completed };
  const previousBest = previous.maxScore > 0 ? previous.bestScore / previous.maxScore : 0;
  const current = attempt.raw / attempt.max;
  return {
    bestScore: current >= previousBest ? attempt.raw : roundPoints(previousBest * attempt.max),
    lastScore: attempt.raw,
    maxScore: attempt.max,
    completed: previous.completed || attempt.completed,
  };
}

function roundPoints(points: number): number {
  return Math.round(points * 10_000) / 10_000;
}

/**
 * Statements kept per learner and activity. A learner retrying an activity many times stays far below it; past it,
 * further statements are refused (429) so that one account cannot fill the table (statements can hold free text).
 */
export const MAX_STATEMENTS_PER_ACTIVITY = 200;

export interface RecordStatementInput {
  userId: number;
  activityId: string;
  courseId: string | null;
  countryCode: string | null;
  stored: StoredStatement;
  /** Queue the statement for the external LRS (only when one is configured). */
  forward: boolean;
  now?: number;
}

/**
 * Stores the statement and updates best/last score in one transaction; returns the activity's result after it.
 * Refuses with `tooMany` when the learner already has MAX_STATEMENTS_PER_ACTIVITY statements for the activity (the
 * count and the insert share the transaction, so concurrent posts cannot both pass the last free place).
 */
export async function recordActivityStatement(db: Database, input: RecordStatementInput): Promise<ActivityResult> {
  const now = input.now ?? Date.now();
  const { stored } = input;
  return writeTransaction(db, async (tx) => {
    const [kept] = await tx
      .select({ n: count() })
      .from(xapiStatements)
      .where(and(eq(xapiStatements.userId, input.userId), eq(xapiStatements.activityId, input.activityId)));
    if ((kept?.n ?? 0) >= MAX_STATEMENTS_PER_ACTIVITY) throw new DomainError('tooMany', 'h5p.form.tooMany', `statements of activity ${input.activityId}`);
    await tx.insert(xapiStatements).values({
      id: stored.id,
      userId: input.userId,
      activityId: input.activityId,
      courseId: input.courseId,
      // The course version the learner's enrolment is taken under (docs/LEARNING.md, "When a course changes").
      courseVersion: input.courseId ? sql<string | null>`(SELECT ${enrolments.courseVersion} FROM ${enrolments} WHERE ${enrolments.userId} = ${input.userId} AND ${enrolments.courseId} = ${input.courseId} ORDER BY ${enrolments.cycle} DESC LIMIT 1)` : null,
      countryCode: input.countryCode,
      verb: stored.verb,
      scoreRaw: stored.scoreRaw,
      scoreMax: stored.scoreMax,
      success: stored.success,
      statement: stored.statement,
      storedAt: new Date(now),
    });
    if (input.forward) await tx.insert(xapiForwardQueue).values({ statementId: stored.id, nextAttemptAt: new Date(now) });

    const [row] = await tx
      .select()
      .from(activityResults)
      .where(and(eq(activityResults.userId, input.userId), eq(activityResults.activityId, input.activityId)));
    const next = nextActivityResult(row ?? null, { raw: stored.scoreRaw, max: stored.scoreMax, completed: stored.completed });
    await tx
      .insert(activityResults)
      .values({ userId: input.userId, activityId: input.activityId, courseId: input.courseId, ...next, updatedAt: new Date(now) })
      .onConflictDoUpdate({
        target: [activityResults.userId, activityResults.activityId],
        set: { ...next, courseId: input.courseId ?? row?.courseId ?? null, updatedAt: new Date(now) },
      });
    return next;
  });
}

/** The learner's result per activity, for the given ids (ids without a result are absent). */
export async function activityResultsFor(db: Reader, userId: number, activityIds: readonly string[]): Promise<Map<string, ActivityResult>> {
  if (activityIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(activityResults)
    .where(and(eq(activityResults.userId, userId), inArray(activityResults.activityId, [...new Set(activityIds)])));
  return new Map(rows.map((row) => [row.activityId, { bestScore: row.bestScore, lastScore: row.lastScore, maxScore: row.maxScore, completed: row.completed }]));
}

/**
 * Whether the learner has finished every one of these activities (any score: they are practice). The lessons code
 * calls it with the ids of the lesson's `<H5P … required />` activities; no ids → true. It has the shape of
 * `ActivitiesDone` in src/server/learning/progress.ts: `markLessonDone(db, { …, activitiesDone: requiredActivitiesDone })`.
 */
export async function requiredActivitiesDone(db: Reader, userId: number, activityIds: readonly string[]): Promise<boolean> {
  const ids = [...new Set(activityIds)];
  if (ids.length === 0) return true;
  const results = await activityResultsFor(db, userId, ids);
  return ids.every((id) => results.get(id)?.completed === true);
}
