// Report summaries, kept current in the same transaction as the learning events that change them (never a nightly
// job): the learning code calls these functions inside its own transactions, with its transaction handle.
//
//   enrolment created           → recordEnrolment(tx, enrolment)
//   first lesson opened         → recordStarted(tx, enrolment)            (when started_at goes from NULL to a time)
//   course completed            → recordCompletion(tx, enrolment)         (when completed_at is set)
//   certificate issued          → recordCertificateIssued(tx, certificate, enrolment)
//   certificate revoked         → recordCertificateRevoked(tx, certificate, enrolment)
//   quiz attempt submitted      → recordQuizSubmitted(tx, attempt)
//
// report_holder_counts (holder-counts.ts), report_course_totals and report_completion_day_totals (funnel.ts) are not
// written here: triggers keep them equal to report_holders, report_course_month and report_completion_days, and
// report_holders' sex and active columns equal to the account's (migration 0019), whichever code writes.
//
// rebuildReportSummaries(db) recomputes every summary from the raw tables (the demo generator calls it after its bulk
// load; it is also the repair tool). tests/unit/reports-learning.test.ts checks that both ways agree.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import type { ProgrammeId } from '../../../db/schema.ts';

/**
 * Where the summary statements go: an Executor (db/client.ts: the database or a transaction handle) runs each at
 * once; a WritePlan (db/batch.ts) collects them into the caller's batch.
 */
export interface SqlRunner {
  run: (query: SQL) => Promise<unknown>;
}

export const DAY_MS = 86_400_000;
/** valid_until of a certificate that never expires (31 Dec 9999). */
export const NO_EXPIRY = 253_402_300_799_000;

/** yyyymm (UTC) of a timestamp: the month key of every summary. */
export function monthKey(at: number | Date): number {
  const d = new Date(at);
  return d.getUTCFullYear() * 100 + d.getUTCMonth() + 1;
}

/** Same as monthKey, in SQL, for a millisecond column. */
const sqlMonth = (column: string) => `CAST(strftime('%Y%m', ${column} / 1000, 'unixepoch') AS INTEGER)`;

const ms = (at: number | Date | null | undefined) => (at == null ? null : typeof at === 'number' ? at : at.getTime());

export interface EnrolmentFacts {
  countryCode: string | null;
  institutionId: number | null;
  courseId: string;
  programme: ProgrammeId;
  enrolledAt: number | Date;
  startedAt?: number | Date | null;
  completedAt?: number | Date | null;
}

async function bumpCourseMonth(tx: SqlRunner, e: EnrolmentFacts, month: number, column: 'enrolled' | 'started' | 'completed' | 'certified' | 'completions', by: number) {
  const col = sql.raw(column);
  await tx.run(sql`INSERT INTO report_course_month (country_code, institution_id, course_id, programme, month, ${col})
    VALUES (${e.countryCode ?? ''}, ${e.institutionId ?? 0}, ${e.courseId}, ${e.programme}, ${month}, ${by})
    ON CONFLICT (country_code, institution_id, course_id, month) DO UPDATE SET ${col} = ${col} + excluded.${col}`);
}

export async function recordEnrolment(tx: SqlRunner, e: EnrolmentFacts): Promise<void> {
  await bumpCourseMonth(tx, e, monthKey(ms(e.enrolledAt)!), 'enrolled', 1);
}

export async function recordStarted(tx: SqlRunner, e: EnrolmentFacts): Promise<void> {
  await bumpCourseMonth(tx, e, monthKey(ms(e.enrolledAt)!), 'started', 1);
}

/** Call once, when completed_at is set (startedAt falls back to enrolledAt for the time to complete). */
export async function recordCompletion(tx: SqlRunner, e: EnrolmentFacts & { completedAt: number | Date }): Promise<void> {
  const completed = ms(e.completedAt)!;
  const from = ms(e.startedAt) ?? ms(e.enrolledAt)!;
  const month = monthKey(completed);
  await bumpCourseMonth(tx, e, monthKey(ms(e.enrolledAt)!), 'completed', 1);
  await bumpCourseMonth(tx, e, month, 'completions', 1);
  const days = Math.max(0, Math.floor((completed - from) / DAY_MS));
  await tx.run(sql`INSERT INTO report_completion_days (country_code, institution_id, course_id, month, days, n)
    VALUES (${e.countryCode ?? ''}, ${e.institutionId ?? 0}, ${e.courseId}, ${month}, ${days}, 1)
    ON CONFLICT DO UPDATE SET n = n + 1`);
}

/** SQL that recomputes a person's rows in report_holders (or everyone's, without userId) from their certificates. */
function holdersSql(userId?: number): string {
  if (userId !== undefined && !Number.isInteger(userId)) throw new Error(`Not a user id: ${userId}`);
  const only = userId === undefined ? '' : ` AND user_id = ${userId}`;
  // The account's sex group and state travel with each row (the users trigger of migration 0019 keeps them current).
  return `INSERT INTO report_holders (user_id, track, country_code, institution_id, valid_until, sex, active)
    SELECT h.user_id, h.track, h.country_code, h.institution_id, h.valid_until,
           CASE u.sex WHEN 'female' THEN 'female' WHEN 'male' THEN 'male' ELSE 'notStated' END, u.active = 1 AND u.erased_at IS NULL
      FROM (
      SELECT user_id, track, COALESCE(country_code, '') AS country_code, COALESCE(institution_id, 0) AS institution_id,
             max(COALESCE(expires_at, ${NO_EXPIRY})) OVER (PARTITION BY user_id, track) AS valid_until,
             row_number() OVER (PARTITION BY user_id, track ORDER BY issued_at DESC, id DESC) AS rn
      FROM (
        SELECT id, user_id, programme AS track, country_code, institution_id, issued_at, expires_at
          FROM certificates WHERE revoked_at IS NULL${only}
        UNION ALL
        SELECT id, user_id, 'refresh', country_code, institution_id, issued_at, expires_at
          FROM certificates WHERE revoked_at IS NULL AND programme IN ('basico', 'actualizacion')${only}
      )
    ) h JOIN users u ON u.id = h.user_id WHERE h.rn = 1`;
}

async function refreshHolders(tx: SqlRunner, userId: number): Promise<void> {
  await tx.run(sql`DELETE FROM report_holders WHERE user_id = ${userId}`);
  await tx.run(sql.raw(holdersSql(userId)));
}

export interface CertificateFacts {
  userId: number;
}

/** After the certificate row is inserted. `enrolment` (the one it certifies) feeds the funnel's "certified" step. */
export async function recordCertificateIssued(tx: SqlRunner, certificate: CertificateFacts, enrolment: EnrolmentFacts | null): Promise<void> {
  if (enrolment) await bumpCourseMonth(tx, enrolment, monthKey(ms(enrolment.enrolledAt)!), 'certified', 1);
  await refreshHolders(tx, certificate.userId);
}

/** After revoked_at is set on the certificate row. */
export async function recordCertificateRevoked(tx: SqlRunner, certificate: CertificateFacts, enrolment: EnrolmentFacts | null): Promise<void> {
  if (enrolment) await bumpCourseMonth(tx, enrolment, monthKey(ms(enrolment.enrolledAt)!), 'certified', -1);
  await refreshHolders(tx, certificate.userId);
}

export interface QuizSubmissionFacts {
  countryCode: string | null;
  courseId: string;
  score: number;
  maxScore: number;
  /** `response` is the value stored in quiz_responses.response (it is JSON-encoded here the same way). */
  responses: { questionId: string; questionVersion?: string | null; response: unknown; correct: boolean }[];
}

/** The attempt's total score as a whole percent: the key that orders attempts into upper and lower groups. */
export function scorePercent(score: number, maxScore: number): number {
  return maxScore > 0 ? Math.round((100 * score) / maxScore) : 0;
}

export async function recordQuizSubmitted(tx: SqlRunner, a: QuizSubmissionFacts): Promise<void> {
  const pct = scorePercent(a.score, a.maxScore);
  const country = a.countryCode ?? '';
  await tx.run(sql`INSERT INTO report_attempt_scores (country_code, course_id, score_pct, n) VALUES (${country}, ${a.courseId}, ${pct}, 1)
    ON CONFLICT DO UPDATE SET n = n + 1`);
  if (a.responses.length === 0) return;
  // One statement for the whole paper: against a libSQL server each statement of a transaction is a round trip.
  const rows = a.responses.map((r) => sql`(${country}, ${a.courseId}, ${r.questionId}, ${r.questionVersion ?? ''}, ${pct}, ${JSON.stringify(r.response)}, ${r.correct ? 1 : 0}, 1)`);
  await tx.run(sql`INSERT INTO report_item_responses (country_code, course_id, question_id, question_version, score_pct, response, correct, n)
    VALUES ${sql.join(rows, sql`, `)}
    ON CONFLICT DO UPDATE SET n = n + 1`);
}

/** Recomputes every summary table from enrolments, certificates, quiz attempts and responses, in one transaction. */
export async function rebuildReportSummaries(db: Database): Promise<void> {
  await writeTransaction(db, async (tx) => {
    // report_holder_counts follows report_holders by trigger; emptied first, so a repair starts from nothing and
    // the per-row triggers of emptying report_holders find nothing to decrement.
    for (const t of ['report_holder_counts', 'report_holders', 'report_course_totals', 'report_course_month', 'report_completion_day_totals', 'report_completion_days', 'report_item_responses', 'report_attempt_scores']) await tx.run(sql.raw(`DELETE FROM ${t}`));
    await tx.run(sql.raw(`INSERT INTO report_course_month (country_code, institution_id, course_id, programme, month, enrolled, started, completed, certified, completions)
      SELECT country_code, institution_id, course_id, max(programme), month, sum(enrolled), sum(started), sum(completed), sum(certified), sum(completions) FROM (
        SELECT COALESCE(e.country_code, '') AS country_code, COALESCE(e.institution_id, 0) AS institution_id, e.course_id, e.programme,
               ${sqlMonth('e.enrolled_at')} AS month, 1 AS enrolled, e.started_at IS NOT NULL AS started, e.completed_at IS NOT NULL AS completed,
               EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id AND c.revoked_at IS NULL) AS certified, 0 AS completions
          FROM enrolments e
        UNION ALL
        SELECT COALESCE(country_code, ''), COALESCE(institution_id, 0), course_id, programme, ${sqlMonth('completed_at')}, 0, 0, 0, 0, 1
          FROM enrolments WHERE completed_at IS NOT NULL
      ) GROUP BY country_code, institution_id, course_id, month`));
    await tx.run(sql.raw(`INSERT INTO report_completion_days (country_code, institution_id, course_id, month, days, n)
      SELECT COALESCE(country_code, ''), COALESCE(institution_id, 0), course_id, ${sqlMonth('completed_at')} AS month,
             max(0, CAST((completed_at - COALESCE(started_at, enrolled_at)) / ${DAY_MS} AS INTEGER)) AS days, count(*)
        FROM enrolments WHERE completed_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5`));
    await tx.run(sql.raw(`INSERT INTO report_attempt_scores (country_code, course_id, score_pct, n)
      SELECT COALESCE(e.country_code, ''), a.course_id, CASE WHEN a.max_score > 0 THEN CAST(round(100.0 * a.score / a.max_score) AS INTEGER) ELSE 0 END, count(*)
        FROM quiz_attempts a JOIN enrolments e ON e.id = a.enrolment_id WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3`));
    await tx.run(sql.raw(`INSERT INTO report_item_responses (country_code, course_id, question_id, question_version, score_pct, response, correct, n)
      SELECT COALESCE(e.country_code, ''), a.course_id, r.question_id, COALESCE(r.question_version, ''),
             CASE WHEN a.max_score > 0 THEN CAST(round(100.0 * a.score / a.max_score) AS INTEGER) ELSE 0 END AS pct, r.response, max(r.correct), count(*)
        FROM quiz_attempts a JOIN enrolments e ON e.id = a.enrolment_id JOIN quiz_responses r ON r.attempt_id = a.id
       WHERE a.submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`));
    await tx.run(sql.raw(holdersSql()));
  });
}
