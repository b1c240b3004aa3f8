// Quiz attempts in the database: attempt limits, cooldown, time limit, answers saved as the learner goes, and
// idempotent submission.
//
// Time limit: quiz_attempts.deadline_at is set at start (the course's limit plus any extra time the person's committee
// granted, quiz/extra-time.ts). A submission received more than SUBMIT_GRACE_MS after the deadline does not count what
// it carries: the attempt is closed as submitted at the deadline, graded on the answers saved by then (drafts.ts), and
// marked `late`. An abandoned attempt is closed the same way by the next POST that looks at it (starting or submitting)
// or by the background sweep (closeExpiredAttempts) — never by a page view: a GET does not write.
//
// Round trips: a first start is one batch that reads and inserts together (one request to a libSQL server); a retake
// and a submission read once and then send their writes as one batch (db/batch.ts) — two requests, with no lock held
// between them. The batch checks that what was read still holds;
// when it does not (a concurrent request won), or in the rare cases that branch on more than one read (an expired
// attempt to close first, a submission that completes the course and issues the certificate, a repeated submission),
// the same decision is taken again inside an interactive write transaction.
import { and, asc, desc, eq, isNotNull, isNull, lt, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Database, Executor } from '../../../../db/client.ts';
import { WritePlan } from '../../../../db/batch.ts';
import { enrolments, lessonProgress, quizAttempts, quizDrafts, quizResponses, quizTimeExtensions } from '../../../../db/schema.ts';
import type { Course, QuestionBank } from '../catalog.ts';
import { currentEnrolment } from '../enrolment.ts';
import { completeIfDone, lessonsDoneColumn, lessonsFrom, type CompletionResult } from '../progress.ts';
import { recordQuizSubmitted } from '../../reports/summary.ts';
import { writeTransaction } from '../../../../db/busy.ts';
import { secureRandom, type Random } from '../random.ts';
import { fieldsOfQuestion, isAnswered, mergeAnswers, type QuestionFields } from './drafts.ts';
import { extraMinutesFor } from './extra-time.ts';
import { responseFromForm, type FormAnswers } from './form.ts';
import { gradeQuestion, isPass, scoreOf, type Response } from './grading.ts';
import { drawPaper, paperOf } from './paper.ts';
import { paperQuestions, questionVersion, requiredLessons } from '../versions.ts';

const MINUTE = 60_000;
/** Network and clock slack accepted after the deadline. */
export const SUBMIT_GRACE_MS = 30_000;

export type AttemptRow = typeof quizAttempts.$inferSelect;
type EnrolmentRow = typeof enrolments.$inferSelect;

export type StartRefusal =
  | { error: 'notEnrolled' }
  | { error: 'alreadyPassed' }
  | { error: 'noAttemptsLeft'; used: number; limit: number }
  | { error: 'coolingDown'; until: Date }
  | { error: 'emptyBank' };

export interface QuizState {
  enrolmentId: number | null;
  attempts: AttemptRow[];
  /** The attempt being answered (its time has not run out). */
  open: AttemptRow | null;
  /** An attempt whose time ran out and that no POST has closed yet: it is graded on its saved answers when one does. */
  timedOut: AttemptRow | null;
  used: number;
  limit: number;
  passed: boolean;
  /** Why a new attempt cannot start now, or null when it can. */
  refusal: StartRefusal | null;
}

const expired = (row: AttemptRow, now: Date) => row.submittedAt === null && row.deadlineAt !== null && now.getTime() > row.deadlineAt.getTime() + SUBMIT_GRACE_MS;

/** The person's latest enrolment in the course and its attempts, oldest first. */
async function readAttempts(db: Executor, userId: number, courseId: string) {
  const enrolment = await currentEnrolment(db, userId, courseId);
  const attempts = enrolment ? await db.select().from(quizAttempts).where(eq(quizAttempts.enrolmentId, enrolment.id)).orderBy(asc(quizAttempts.id)) : [];
  return { enrolment, attempts };
}

function stateOf({ enrolment, attempts }: Awaited<ReturnType<typeof readAttempts>>, course: Course, bank: QuestionBank, now: Date): QuizState {
  const limit = course.quiz.attempts;
  if (!enrolment) return { enrolmentId: null, attempts: [], open: null, timedOut: null, used: 0, limit, passed: false, refusal: { error: 'notEnrolled' } };
  const unsubmitted = attempts.find((a) => a.submittedAt === null) ?? null;
  const timedOut = unsubmitted && expired(unsubmitted, now) ? unsubmitted : null;
  const open = timedOut ? null : unsubmitted;
  const passed = attempts.some((a) => a.passed);
  const used = attempts.length;
  let refusal: StartRefusal | null = null;
  if (bank.questions.length === 0) refusal = { error: 'emptyBank' };
  else if (passed) refusal = { error: 'alreadyPassed' };
  else if (!unsubmitted && limit > 0 && used >= limit) refusal = { error: 'noAttemptsLeft', used, limit };
  else if (!unsubmitted && course.quiz.cooldownMinutes > 0) {
    const last = attempts.filter((a) => a.submittedAt).at(-1);
    const until = last ? new Date(last.submittedAt!.getTime() + course.quiz.cooldownMinutes * MINUTE) : null;
    if (until && until.getTime() > now.getTime()) refusal = { error: 'coolingDown', until };
  }
  return { enrolmentId: enrolment.id, attempts, open, timedOut, used, limit, passed, refusal };
}

/** The quiz as a page shows it: reads only (an attempt whose time ran out shows as `timedOut` until a POST closes it). */
export async function loadQuizState(db: Pick<Database, 'select'>, userId: number, course: Course, bank: QuestionBank, now = new Date()): Promise<QuizState> {
  return stateOf(await readAttempts(db as Executor, userId, course.id), course, bank, now);
}

/** quizState inside a write transaction: an attempt whose time ran out is closed (graded on its saved answers) first. */
export async function quizState(tx: Executor, userId: number, course: Course, bank: QuestionBank, now = new Date()): Promise<QuizState> {
  const read = await readAttempts(tx, userId, course.id);
  const stale = read.enrolment ? read.attempts.filter((a) => expired(a, now)) : [];
  if (stale.length === 0) return stateOf(read, course, bank, now);
  for (const a of stale) await closeTimedOut(tx, a, read.enrolment!, await readDrafts(tx, a.id), course, bank, now);
  return stateOf(await readAttempts(tx, userId, course.id), course, bank, now);
}

export type StartResult = { ok: true; attempt: AttemptRow; resumed: boolean } | ({ ok: false } & StartRefusal);

type NewAttempt = Omit<typeof quizAttempts.$inferInsert, 'enrolmentId'>;

/** A new attempt's row but for its enrolment (pure: the paper is drawn here). */
function newAttempt(userId: number, course: Course, bank: QuestionBank, extraMinutes: number, now: Date, random: Random): NewAttempt {
  const paper = drawPaper(bank.questions, course.quiz.draw, random);
  const minutes = course.quiz.timeLimitMinutes ? course.quiz.timeLimitMinutes + extraMinutes : null;
  const deadlineAt = minutes ? new Date(now.getTime() + minutes * MINUTE) : null;
  return { userId, courseId: course.id, courseVersion: course.version, paper, startedAt: now, deadlineAt };
}

/**
 * The start in one round trip for a first attempt: one write batch reads the enrolment, its attempts and any extra
 * time, and inserts the new attempt only if the latest enrolment has no attempt yet and no extra time (so the attempt
 * prepared here, deadline included, is the one stateOf and newAttempt would decide on). Anything else (a retake, an
 * open attempt to resume, a refusal, extra time) is decided from the same reads; a retake or extra time then sends the
 * insert in a second batch that first checks nothing it decided on has changed. Undefined when the transaction must
 * decide (an attempt to close first, or a concurrent change).
 */
async function startInOneBatch(db: Database, userId: number, course: Course, bank: QuestionBank, now: Date, random: Random): Promise<StartResult | undefined> {
  const latest = db.select({ id: enrolments.id }).from(enrolments).where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id))).orderBy(desc(enrolments.cycle)).limit(1);
  const extension = db.select({ minutes: quizTimeExtensions.minutes }).from(quizTimeExtensions).where(and(eq(quizTimeExtensions.userId, userId), eq(quizTimeExtensions.courseId, course.id)));
  const first = new WritePlan(db);
  first.add(db.select().from(enrolments).where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, course.id))).orderBy(desc(enrolments.cycle)).limit(1));
  first.add(db.select().from(quizAttempts).where(eq(quizAttempts.enrolmentId, sql`(${latest})`)).orderBy(asc(quizAttempts.id)));
  first.add(extension);
  const firstInsert = bank.questions.length > 0 ? first.add(insertFirstAttempt(db, latest, extension, newAttempt(userId, course, bank, 0, now, random))) : undefined;
  const read = await first.commit();
  if (read === 'stale') return undefined;
  const [[enrolment], attempts, [extra]] = read as [EnrolmentRow[], AttemptRow[], { minutes: number }[]];
  const [inserted] = firstInsert === undefined ? [] : (read[firstInsert] as AttemptRow[]);
  if (inserted) return { ok: true, attempt: inserted, resumed: false };
  if (enrolment && attempts.some((a) => expired(a, now))) return undefined;
  const state = stateOf({ enrolment: enrolment ?? null, attempts }, course, bank, now);
  if (state.open) return { ok: true, attempt: state.open, resumed: true };
  if (state.refusal) return { ok: false, ...state.refusal };
  const extraMinutes = extra?.minutes ?? 0;
  const plan = new WritePlan(db);
  plan.expect(sql`(${latest}) = ${state.enrolmentId}
    AND (SELECT count(*) FROM ${quizAttempts} WHERE ${quizAttempts.enrolmentId} = ${state.enrolmentId}) = ${attempts.length}
    AND coalesce((${extension}), 0) = ${extraMinutes}`);
  const insertedIndex = plan.add(db.insert(quizAttempts).values({ ...newAttempt(userId, course, bank, extraMinutes, now, random), enrolmentId: state.enrolmentId! }).returning());
  const results = await plan.commit();
  if (results === 'stale') return undefined;
  const [attempt] = results[insertedIndex] as AttemptRow[];
  return { ok: true, attempt: attempt!, resumed: false };
}

/**
 * `INSERT … SELECT` of `row` on the person's latest enrolment (`latest`), only when it has no attempt and the person
 * no extra time (`extension`); returns the inserted row, or none. Every column is named, in the table's order, as an
 * insert from a select requires (drizzle checks the keys).
 */
function insertFirstAttempt(db: Database, latest: SQLWrapper, extension: SQLWrapper, row: NewAttempt) {
  const value = <T>(v: T, column: { mapToDriverValue(v: T): unknown }) => sql`${sql.param(v, column as never)}`;
  return db
    .insert(quizAttempts)
    .select(
      db
        .select({
          id: sql<number>`NULL`.as('id'),
          enrolmentId: enrolments.id,
          userId: value(row.userId, quizAttempts.userId).as('user_id'),
          courseId: value(row.courseId, quizAttempts.courseId).as('course_id'),
          paper: value(row.paper, quizAttempts.paper).as('paper'),
          courseVersion: value(row.courseVersion ?? null, quizAttempts.courseVersion).as('course_version'),
          startedAt: value(row.startedAt, quizAttempts.startedAt).as('started_at'),
          deadlineAt: value(row.deadlineAt ?? null, quizAttempts.deadlineAt).as('deadline_at'),
          submittedAt: sql`NULL`.as('submitted_at'),
          score: sql`NULL`.as('score'),
          maxScore: sql`NULL`.as('max_score'),
          passed: sql`NULL`.as('passed'),
          late: sql`0`.as('late'),
        })
        .from(enrolments)
        .where(and(eq(enrolments.id, sql`(${latest})`), sql`NOT EXISTS (SELECT 1 FROM ${quizAttempts} WHERE ${quizAttempts.enrolmentId} = ${enrolments.id})`, sql`NOT EXISTS ${extension}`)),
    )
    .returning();
}

/** Starts an attempt (or returns the open one) after checking enrolment, attempt limit and cooldown. */
export async function startAttempt(db: Database, input: { userId: number; course: Course; bank: QuestionBank; now?: Date; random?: Random }): Promise<StartResult> {
  const { userId, course, bank, now = new Date(), random = secureRandom } = input;
  const batched = await startInOneBatch(db, userId, course, bank, now, random);
  if (batched) return batched;
  return writeTransaction(db, async (tx) => {
    const state = await quizState(tx, userId, course, bank, now);
    if (state.open) return { ok: true, attempt: state.open, resumed: true } as const;
    if (state.refusal) return { ok: false, ...state.refusal } as const;
    const [attempt] = await tx.insert(quizAttempts).values({ ...newAttempt(userId, course, bank, await extraMinutesFor(tx, userId, course.id), now, random), enrolmentId: state.enrolmentId! }).returning();
    return { ok: true, attempt: attempt!, resumed: false } as const;
  });
}

export async function getAttempt(db: Pick<Database, 'select'>, userId: number, attemptId: number): Promise<AttemptRow | null> {
  const [row] = await db.select().from(quizAttempts).where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)));
  return row ?? null;
}

// ——— Saved answers ———

export interface SavedAnswers {
  /** Per question of the paper (index), the saved form fields; empty when nothing was saved. */
  questions: QuestionFields[];
  /** The last save, or null. */
  savedAt: Date | null;
}

type DraftRow = { question: number; fields: QuestionFields; savedAt: number };

async function readDrafts(db: Pick<Database, 'select'>, attemptId: number): Promise<DraftRow[]> {
  const rows = await db.select().from(quizDrafts).where(eq(quizDrafts.attemptId, attemptId));
  return rows.map((r) => ({ question: r.question, fields: r.fields, savedAt: r.savedAt.getTime() }));
}

function savedFrom(drafts: readonly DraftRow[]): SavedAnswers {
  const questions: QuestionFields[] = [];
  let last = 0;
  for (const d of drafts) {
    questions[d.question] = d.fields;
    last = Math.max(last, d.savedAt);
  }
  return { questions: Array.from(questions, (q) => q ?? {}), savedAt: last ? new Date(last) : null };
}

/** The answers saved on an open attempt of the person (what the quiz page fills in when it is reopened). */
export async function loadSavedAnswers(db: Pick<Database, 'select'>, attemptId: number): Promise<SavedAnswers> {
  return savedFrom(await readDrafts(db, attemptId));
}

export type SaveResult = { ok: true; savedAt: Date; saved: number } | { ok: false; error: 'notFound' | 'submitted' | 'timeUp' };

/**
 * Saves answers of the person's own open attempt. `questions` lists the questions the post speaks for (a browser
 * saving one changed question, possibly now blank); without it, every question the post answers. Repeating a save, or
 * one arriving after a newer save of the same question (`seq`), changes nothing.
 */
export async function saveAnswers(
  db: Database,
  input: { userId: number; attemptId: number; course: Course; bank: QuestionBank; answers: FormAnswers; questions?: readonly number[]; seq?: number; now?: Date },
): Promise<SaveResult> {
  const { userId, attemptId, course, bank, answers, now = new Date() } = input;
  const seq = input.seq ?? now.getTime();
  const row = await getAttempt(db, userId, attemptId);
  if (!row || row.courseId !== course.id) return { ok: false, error: 'notFound' };
  if (row.submittedAt !== null) return { ok: false, error: 'submitted' };
  if (expired(row, now)) return { ok: false, error: 'timeUp' };
  const questions = paperQuestions(paperOf(row), bank);
  const wanted = input.questions ? new Set(input.questions) : null;
  const values = paperOf(row).questions.flatMap((entry, index) => {
    const q = questions.get(entry.id);
    if (!q || (wanted && !wanted.has(index))) return [];
    const fields = fieldsOfQuestion(q, entry, index, answers);
    if (!wanted && !isAnswered(fields)) return [];
    return [{ attemptId, question: index, fields, seq, savedAt: now }];
  });
  if (values.length > 0) {
    // The submitted_at check inside the statement: a save racing the submission cannot land after it.
    await db
      .insert(quizDrafts)
      .values(values)
      .onConflictDoUpdate({
        target: [quizDrafts.attemptId, quizDrafts.question],
        set: { fields: sql`excluded.fields`, seq: sql`excluded.seq`, savedAt: sql`excluded.saved_at` },
        setWhere: sql`excluded.seq > ${quizDrafts.seq} AND (SELECT submitted_at FROM ${quizAttempts} WHERE ${quizAttempts.id} = ${attemptId}) IS NULL`,
      });
  }
  return { ok: true, savedAt: now, saved: values.length };
}

// ——— Submission ———

export interface SubmitOutcome {
  attemptId: number;
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  /** True when this call was a repeat of a submission already recorded. */
  repeated: boolean;
  /** True when time ran out first: graded on the answers saved by the deadline. */
  late: boolean;
  completion: CompletionResult;
}

export type SubmitResult = { ok: true; outcome: SubmitOutcome } | { ok: false; error: 'notFound' };

type Graded = { questionId: string; questionVersion: string; response: Response; score: number; correct: boolean };

function gradePaper(row: AttemptRow, bank: QuestionBank, answers: FormAnswers): Graded[] {
  const questions = paperQuestions(paperOf(row), bank);
  return paperOf(row).questions.flatMap((entry, i) => {
    const q = questions.get(entry.id);
    if (!q) return [];
    const response = responseFromForm(q, entry, `q${i}`, answers);
    return [{ questionId: q.id, questionVersion: entry.version ?? questionVersion(q), response, ...gradeQuestion(q, response) }];
  });
}

/** Changes whenever a save lands on the attempt (a new question saved, or a newer save of one): the batched submit
 * checks that no save arrived between its read and its write, so no saved answer escapes the grading. */
const draftsMark = (attemptId: SQL) => sql<string>`(SELECT count(*) || ':' || total(d.seq) || ':' || total(d.saved_at) FROM ${quizDrafts} AS d WHERE d.attempt_id = ${attemptId})`;

/** The attempt, its enrolment, its saved answers and the lessons done, in one query (the submit path reads each once). */
async function readForGrading(tx: Executor, userId: number, attemptId: number) {
  const [row] = await tx
    .select({
      attempt: quizAttempts,
      enrolment: enrolments,
      drafts: sql<string>`(SELECT json_group_array(json_object('question', d.question, 'fields', json(d.fields), 'savedAt', d.saved_at)) FROM ${quizDrafts} AS d WHERE d.attempt_id = ${quizAttempts}.id)`,
      draftsMark: draftsMark(sql`${quizAttempts}.id`),
      lessonsDone: lessonsDoneColumn(),
    })
    .from(quizAttempts)
    .innerJoin(enrolments, eq(enrolments.id, quizAttempts.enrolmentId))
    .where(and(eq(quizAttempts.id, attemptId), eq(quizAttempts.userId, userId)));
  if (!row) return null;
  return { attempt: row.attempt, enrolment: row.enrolment, drafts: JSON.parse(row.drafts) as DraftRow[], draftsMark: row.draftsMark, lessonsDone: lessonsFrom(row.lessonsDone) };
}

/**
 * Records a graded attempt: claims it (UPDATE … WHERE submitted_at IS NULL, so a second submission cannot grade it
 * again), stores the responses and the item-analysis summary, and completes the course when this was the last step.
 * Null when another request claimed it first.
 */
async function record(tx: Executor, row: AttemptRow, enrolment: EnrolmentRow, graded: Graded[], course: Course, at: { submittedAt: Date; late: boolean; now: Date }): Promise<SubmitOutcome | null> {
  const { score, maxScore, passed } = totalOf(graded, course);
  const claimed = await tx
    .update(quizAttempts)
    .set({ submittedAt: at.submittedAt, score, maxScore, passed, late: at.late })
    .where(and(eq(quizAttempts.id, row.id), isNull(quizAttempts.submittedAt)))
    .returning({ id: quizAttempts.id });
  if (claimed.length === 0) return null;
  if (graded.length > 0) await tx.insert(quizResponses).values(graded.map((g) => ({ attemptId: row.id, questionId: g.questionId, questionVersion: g.questionVersion, response: g.response, score: g.score, correct: g.correct })));
  await recordQuizSubmitted(tx, { countryCode: enrolment.countryCode ?? null, courseId: row.courseId, score, maxScore, responses: graded });
  const completion = passed ? await completeIfDone(tx, enrolment, course, at.now) : ({ completed: false } as const);
  return { attemptId: row.id, ...scoreOf({ score, maxScore }), passed, repeated: false, late: at.late, completion };
}

function totalOf(graded: readonly Graded[], course: Course) {
  const score = graded.reduce((sum, g) => sum + g.score, 0);
  const maxScore = graded.length;
  return { score, maxScore, passed: isPass(score, maxScore, course.quiz.passMark) };
}

/** Whether passing could complete the enrolment now: then the certificate is issued, which the transaction does. */
function mayComplete(enrolment: EnrolmentRow, lessonsDone: readonly string[], course: Course): boolean {
  if (enrolment.completedAt) return true;
  const done = new Set(lessonsDone);
  return requiredLessons(enrolment, course).every((l) => done.has(l));
}

/**
 * The submission in two round trips: the read, then one batch that claims the attempt (and rolls back unless this
 * request claimed it), stores the responses and the item-analysis summary. It checks that no save arrived since the
 * read and, for a pass, that no lesson was completed meanwhile (the pass would then complete the course). Undefined
 * when the transaction must decide: a repeat, an expired attempt, a pass that completes the course, a concurrent change.
 */
async function submitInOneBatch(db: Database, input: { userId: number; attemptId: number; course: Course; bank: QuestionBank; answers: FormAnswers; now: Date }): Promise<SubmitResult | undefined> {
  const { userId, attemptId, course, bank, answers, now } = input;
  const found = await readForGrading(db, userId, attemptId);
  if (!found || found.attempt.courseId !== course.id) return { ok: false, error: 'notFound' };
  const { attempt: row, enrolment, drafts, lessonsDone } = found;
  if (row.submittedAt !== null || expired(row, now)) return undefined;
  const graded = gradePaper(row, bank, mergeAnswers(savedFrom(drafts).questions, postedFields(row, bank, answers)));
  const { score, maxScore, passed } = totalOf(graded, course);
  if (passed && mayComplete(enrolment, lessonsDone, course)) return undefined;
  const plan = new WritePlan(db);
  plan.add(db.update(quizAttempts).set({ submittedAt: now, score, maxScore, passed, late: false }).where(and(eq(quizAttempts.id, row.id), isNull(quizAttempts.submittedAt))));
  plan.expectChanged(1);
  plan.expect(sql`${draftsMark(sql`${row.id}`)} = ${found.draftsMark}`);
  if (passed) {
    plan.expect(sql`(SELECT count(*) FROM ${lessonProgress} WHERE ${lessonProgress.enrolmentId} = ${enrolment.id}) = ${lessonsDone.length}
      AND (SELECT ${enrolments.completedAt} FROM ${enrolments} WHERE ${enrolments.id} = ${enrolment.id}) IS NULL`);
  }
  if (graded.length > 0) plan.add(db.insert(quizResponses).values(graded.map((g) => ({ attemptId: row.id, questionId: g.questionId, questionVersion: g.questionVersion, response: g.response, score: g.score, correct: g.correct }))));
  await recordQuizSubmitted(plan, { countryCode: enrolment.countryCode ?? null, courseId: row.courseId, score, maxScore, responses: graded });
  if ((await plan.commit()) === 'stale') return undefined;
  return { ok: true, outcome: { attemptId: row.id, ...scoreOf({ score, maxScore }), passed, repeated: false, late: false, completion: { completed: false } } };
}

/** The answers on the submitted page, per question of the paper. */
function postedFields(row: AttemptRow, bank: QuestionBank, answers: FormAnswers): QuestionFields[] {
  const questions = paperQuestions(paperOf(row), bank);
  return paperOf(row).questions.map((entry, i) => {
    const q = questions.get(entry.id);
    return q ? fieldsOfQuestion(q, entry, i, answers) : {};
  });
}

/** Closes an attempt whose time ran out: submitted at the deadline, graded on the answers saved by then. */
async function closeTimedOut(tx: Executor, row: AttemptRow, enrolment: EnrolmentRow, drafts: readonly DraftRow[], course: Course, bank: QuestionBank, now: Date): Promise<SubmitOutcome | null> {
  const graded = gradePaper(row, bank, mergeAnswers(savedFrom(drafts).questions, []));
  return record(tx, row, enrolment, graded, course, { submittedAt: row.deadlineAt!, late: true, now });
}

async function repeatedOutcome(tx: Executor, userId: number, attemptId: number, course: Course, now: Date): Promise<SubmitResult> {
  const found = await readForGrading(tx, userId, attemptId);
  if (!found) return { ok: false, error: 'notFound' };
  const { attempt, enrolment } = found;
  const completion = attempt.passed ? await completeIfDone(tx, enrolment, course, now) : ({ completed: false } as const);
  return { ok: true, outcome: { attemptId, ...scoreOf(attempt), passed: Boolean(attempt.passed), repeated: true, late: attempt.late, completion } };
}

/**
 * Grades and records a submission: per question, the answer on the submitted page, or the saved one when the page
 * has none. Idempotent: a second submission of the same attempt returns the stored result. Completion (and the
 * certificate) is decided in the same transaction.
 */
export async function submitAttempt(db: Database, input: { userId: number; attemptId: number; course: Course; bank: QuestionBank; answers: FormAnswers; now?: Date }): Promise<SubmitResult> {
  const { userId, attemptId, course, bank, answers, now = new Date() } = input;
  const batched = await submitInOneBatch(db, { userId, attemptId, course, bank, answers, now });
  if (batched) return batched;
  return writeTransaction(db, async (tx) => {
    const found = await readForGrading(tx, userId, attemptId);
    if (!found || found.attempt.courseId !== course.id) return { ok: false, error: 'notFound' } as const;
    const { attempt: row, enrolment, drafts } = found;
    if (row.submittedAt !== null) return repeatedOutcome(tx, userId, attemptId, course, now);
    if (expired(row, now)) {
      const outcome = await closeTimedOut(tx, row, enrolment, drafts, course, bank, now);
      return outcome ? ({ ok: true, outcome } as const) : repeatedOutcome(tx, userId, attemptId, course, now);
    }
    const graded = gradePaper(row, bank, mergeAnswers(savedFrom(drafts).questions, postedFields(row, bank, answers)));
    const outcome = await record(tx, row, enrolment, graded, course, { submittedAt: now, late: false, now });
    return outcome ? ({ ok: true, outcome } as const) : repeatedOutcome(tx, userId, attemptId, course, now);
  });
}

/**
 * The background sweep: closes attempts whose time ran out (graded on their saved answers), a few at a time, each in
 * its own transaction. Returns how many it closed. `contentOf` gives the course and bank an attempt was drawn from.
 */
export async function closeExpiredAttempts(db: Database, contentOf: (courseId: string) => Promise<{ course: Course; bank: QuestionBank } | null>, now = new Date(), limit = 20): Promise<number> {
  const due = await db
    .select({ id: quizAttempts.id, userId: quizAttempts.userId, courseId: quizAttempts.courseId })
    .from(quizAttempts)
    .where(and(isNull(quizAttempts.submittedAt), isNotNull(quizAttempts.deadlineAt), lt(quizAttempts.deadlineAt, new Date(now.getTime() - SUBMIT_GRACE_MS))))
    .limit(limit);
  let closed = 0;
  for (const attempt of due) {
    const content = await contentOf(attempt.courseId);
    if (!content) continue;
    const outcome = await writeTransaction(db, async (tx) => {
      const found = await readForGrading(tx, attempt.userId, attempt.id);
      if (!found || !expired(found.attempt, now)) return null;
      return closeTimedOut(tx, found.attempt, found.enrolment, found.drafts, content.course, content.bank, now);
    });
    if (outcome) closed++;
  }
  return closed;
}
