// Quiz attempts in the database: attempt limits, cooldown, time limit and idempotent submission.
//
// Time limit: quiz_attempts.deadline_at is set at start. A submission received more than SUBMIT_GRACE_MS after the
// deadline is refused: the attempt is closed as submitted at the deadline with no answers counted (score 0) and the
// learner is told time ran out. An abandoned attempt past its deadline is closed the same way when next looked at.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { enrolments, quizAttempts, quizResponses } from '../../../../db/schema.ts';
import type { Course, QuestionBank } from '../catalog.ts';
import { currentEnrolment } from '../enrolment.ts';
import { completeIfDone, type CompletionResult, type Tx } from '../progress.ts';
import { recordQuizSubmitted } from '../../reports/summary.ts';
import { writeTransaction } from '../../../../db/busy.ts';
import { secureRandom, type Random } from '../random.ts';
import { emptyResponse, responseFromForm, type FormAnswers } from './form.ts';
import { gradeQuestion, isPass, type Response } from './grading.ts';
import { drawPaper, paperOf } from './paper.ts';

const MINUTE = 60_000;
/** Network and clock slack accepted after the deadline. */
export const SUBMIT_GRACE_MS = 30_000;

export type AttemptRow = typeof quizAttempts.$inferSelect;

export type StartRefusal =
  | { error: 'notEnrolled' }
  | { error: 'alreadyPassed' }
  | { error: 'noAttemptsLeft'; used: number; limit: number }
  | { error: 'coolingDown'; until: Date }
  | { error: 'emptyBank' };

export interface QuizState {
  enrolmentId: number | null;
  attempts: AttemptRow[];
  open: AttemptRow | null;
  used: number;
  limit: number;
  passed: boolean;
  /** Why a new attempt cannot start now, or null when it can. */
  refusal: StartRefusal | null;
}

/** Closes an attempt whose time ran out without a submission: submitted at the deadline, nothing answered. */
async function closeExpired(tx: Tx, row: AttemptRow, bank: QuestionBank): Promise<void> {
  const maxScore = paperOf(row).questions.length;
  const closed = await tx
    .update(quizAttempts)
    .set({ submittedAt: row.deadlineAt!, score: 0, maxScore, passed: false })
    .where(and(eq(quizAttempts.id, row.id), isNull(quizAttempts.submittedAt)))
    .returning({ id: quizAttempts.id });
  if (closed.length === 0) return;
  const questions = new Map(bank.questions.map((q) => [q.id, q]));
  const rows = paperOf(row).questions.flatMap((e) => {
    const q = questions.get(e.id);
    return q ? [{ attemptId: row.id, questionId: e.id, response: emptyResponse(q), score: 0, correct: false }] : [];
  });
  if (rows.length > 0) await tx.insert(quizResponses).values(rows).onConflictDoNothing();
  await recordQuizForReports(tx, row, 0, maxScore, rows);
}

/** Item analysis summary (src/server/reports/summary.ts), in the transaction that submits the attempt. */
async function recordQuizForReports(tx: Tx, row: AttemptRow, score: number, maxScore: number, responses: { questionId: string; response: Response; correct: boolean }[]): Promise<void> {
  const [enrolment] = await tx.select({ countryCode: enrolments.countryCode }).from(enrolments).where(eq(enrolments.id, row.enrolmentId));
  await recordQuizSubmitted(tx, { countryCode: enrolment?.countryCode ?? null, courseId: row.courseId, score, maxScore, responses });
}

const expired = (row: AttemptRow, now: Date) => row.submittedAt === null && row.deadlineAt !== null && now.getTime() > row.deadlineAt.getTime() + SUBMIT_GRACE_MS;

/** The person's latest enrolment in the course and its attempts, oldest first. */
async function readAttempts(db: Tx, userId: number, courseId: string) {
  const enrolment = await currentEnrolment(db, userId, courseId);
  const attempts = enrolment ? await db.select().from(quizAttempts).where(eq(quizAttempts.enrolmentId, enrolment.id)).orderBy(asc(quizAttempts.id)) : [];
  return { enrolment, attempts };
}

export async function quizState(db: Tx, userId: number, course: Course, bank: QuestionBank, now = new Date()): Promise<QuizState> {
  let read = await readAttempts(db, userId, course.id);
  const stale = read.attempts.filter((a) => expired(a, now));
  if (stale.length > 0) {
    for (const a of stale) await closeExpired(db, a, bank);
    read = await readAttempts(db, userId, course.id);
  }
  return stateOf(read, course, bank, now);
}

function stateOf({ enrolment, attempts }: Awaited<ReturnType<typeof readAttempts>>, course: Course, bank: QuestionBank, now: Date): QuizState {
  const limit = course.quiz.attempts;
  if (!enrolment) return { enrolmentId: null, attempts: [], open: null, used: 0, limit, passed: false, refusal: { error: 'notEnrolled' } };
  const open = attempts.find((a) => a.submittedAt === null) ?? null;
  const passed = attempts.some((a) => a.passed);
  const used = attempts.length;
  let refusal: StartRefusal | null = null;
  if (bank.questions.length === 0) refusal = { error: 'emptyBank' };
  else if (passed) refusal = { error: 'alreadyPassed' };
  else if (!open && limit > 0 && used >= limit) refusal = { error: 'noAttemptsLeft', used, limit };
  else if (!open && course.quiz.cooldownMinutes > 0) {
    const last = attempts.filter((a) => a.submittedAt).at(-1);
    const until = last ? new Date(last.submittedAt!.getTime() + course.quiz.cooldownMinutes * MINUTE) : null;
    if (until && until.getTime() > now.getTime()) refusal = { error: 'coolingDown', until };
  }
  return { enrolmentId: enrolment.id, attempts, open, used, limit, passed, refusal };
}

/**
 * quizState for a page. Only when an attempt has run out of time does it take the write lock (closing it is two writes
 * that belong together); otherwise a page view is reads alone and never queues behind quiz submissions.
 */
export async function loadQuizState(db: Database, userId: number, course: Course, bank: QuestionBank, now = new Date()): Promise<QuizState> {
  const read = await readAttempts(db, userId, course.id);
  if (!read.attempts.some((a) => expired(a, now))) return stateOf(read, course, bank, now);
  return writeTransaction(db, (tx) => quizState(tx, userId, course, bank, now));
}

export type StartResult = { ok: true; attempt: AttemptRow; resumed: boolean } | ({ ok: false } & StartRefusal);

/** Starts an attempt (or returns the open one) after checking enrolment, attempt limit and cooldown. */
export async function startAttempt(db: Database, input: { userId: number; course: Course; bank: QuestionBank; now?: Date; random?: Random }): Promise<StartResult> {
  const { userId, course, bank, now = new Date(), random = secureRandom } = input;
  return writeTransaction(db, async (tx) => {
    const state = await quizState(tx, userId, course, bank, now);
    if (state.open) return { ok: true, attempt: state.open, resumed: true } as const;
    if (state.refusal) return { ok: false, ...state.refusal } as const;
    const paper = drawPaper(bank.questions, course.quiz.draw, random);
    const deadlineAt = course.quiz.timeLimitMinutes ? new Date(now.getTime() + course.quiz.timeLimitMinutes * MINUTE) : null;
    const [attempt] = await tx
      .insert(quizAttempts)
      .values({ enrolmentId: state.enrolmentId!, userId, courseId: course.id, paper, startedAt: now, deadlineAt })
      .returning();
    return { ok: true, attempt: attempt!, resumed: false } as const;
  });
}

export async function getAttempt(db: Tx, userId: number, attemptId: number): Promise<AttemptRow | null> {
  const [row] = await db.select().from(quizAttempts).where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)));
  return row ?? null;
}

export interface SubmitOutcome {
  attemptId: number;
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  /** True when this call was a repeat of a submission already recorded. */
  repeated: boolean;
  /** True when the submission came after the deadline and was not counted. */
  late: boolean;
  completion: CompletionResult;
}

export type SubmitResult = { ok: true; outcome: SubmitOutcome } | { ok: false; error: 'notFound' };

const percentOf = (score: number, max: number) => (max > 0 ? Math.round((score / max) * 1000) / 10 : 0);

/**
 * Grades and records a submission. Idempotent: the attempt is claimed with UPDATE … WHERE submitted_at IS NULL inside
 * the transaction; a second submission of the same attempt returns the stored result. Completion (and the certificate)
 * is decided in the same transaction.
 */
export async function submitAttempt(db: Database, input: { userId: number; attemptId: number; course: Course; bank: QuestionBank; answers: FormAnswers; now?: Date }): Promise<SubmitResult> {
  const { userId, attemptId, course, bank, answers, now = new Date() } = input;
  return writeTransaction(db, async (tx) => {
    const row = await getAttempt(tx, userId, attemptId);
    if (!row || row.courseId !== course.id) return { ok: false, error: 'notFound' } as const;
    const stored = async (repeated: boolean, late: boolean): Promise<SubmitResult> => {
      const fresh = (await getAttempt(tx, userId, attemptId))!;
      const completion = fresh.passed ? await completeIfDone(tx, fresh.enrolmentId, course, now) : ({ completed: false } as const);
      const score = fresh.score ?? 0;
      const maxScore = fresh.maxScore ?? 0;
      return { ok: true, outcome: { attemptId, score, maxScore, percent: percentOf(score, maxScore), passed: Boolean(fresh.passed), repeated, late, completion } };
    };
    if (row.submittedAt !== null) return stored(true, false);
    if (expired(row, now)) {
      await closeExpired(tx, row, bank);
      return stored(false, true);
    }
    const questions = new Map(bank.questions.map((q) => [q.id, q]));
    const graded = paperOf(row).questions.flatMap((entry, i) => {
      const q = questions.get(entry.id);
      if (!q) return [];
      const response = responseFromForm(q, entry, `q${i}`, answers);
      return [{ questionId: q.id, response, ...gradeQuestion(q, response) }];
    });
    const score = graded.reduce((sum, g) => sum + g.score, 0);
    const maxScore = graded.length;
    const passed = isPass(score, maxScore, course.quiz.passMark);
    const claimed = await tx
      .update(quizAttempts)
      .set({ submittedAt: now, score, maxScore, passed })
      .where(and(eq(quizAttempts.id, attemptId), isNull(quizAttempts.submittedAt)))
      .returning({ id: quizAttempts.id });
    if (claimed.length === 0) return stored(true, false);
    if (graded.length > 0) await tx.insert(quizResponses).values(graded.map((g) => ({ attemptId, questionId: g.questionId, response: g.response, score: g.score, correct: g.correct })));
    await recordQuizForReports(tx, row, score, maxScore, graded);
    const completion = passed ? await completeIfDone(tx, row.enrolmentId, course, now) : ({ completed: false } as const);
    return { ok: true, outcome: { attemptId, score, maxScore, percent: percentOf(score, maxScore), passed, repeated: false, late: false, completion } } as const;
  });
}
