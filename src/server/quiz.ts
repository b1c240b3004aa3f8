// The graded final quiz: drawing a paper, presenting it without answers, grading on the server, attempt limits,
// cooldown, time limit and idempotent submission.
//
// Grading rules (each question is worth 1 point; the attempt's percentage is points / questions):
// - single, truefalse: 1 if right, else 0.
// - multiple: partial credit = (right options chosen − wrong options chosen) / number of right options, never below
//   0; "correct" only when exactly the right set is chosen. Choosing everything therefore earns nothing.
// - ordering: the share of items placed at their right position; "correct" only when all are.
// - matching: the share of left items matched with their right item; "correct" only when all are.
//
// What the browser sees: options are identified by their position on the paper ("0", "1", …), never by their ids
// (authors tend to write the right option first, so ids would leak answers); ordering items in shuffled order;
// matching right-hand items in their own shuffled order. The paper (question ids + shown orders) is stored in
// quiz_attempts.paper when the attempt starts, and the server maps positions back to ids when grading.
//
// Time limit: quiz_attempts.deadline_at is set at start. A submission received more than SUBMIT_GRACE_MS after the
// deadline is refused: the attempt is closed as submitted at the deadline with no answers counted (score 0) and the
// learner is told time ran out. An abandoned attempt past its deadline is closed the same way when next looked at.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { enrolments, quizAttempts, quizResponses, type Locale } from '../../db/schema.ts';
import type { Course, Question, QuestionBank } from './catalog.ts';
import { currentEnrolment } from './enrolment.ts';
import { completeIfDone, type CompletionResult, type Tx } from './progress.ts';
import { recordQuizSubmitted } from './reports/summary.ts';
import { writeTransaction } from '../../db/busy.ts';
import { mulberry32, seedFromText } from './random.ts';

const MINUTE = 60_000;
/** Network and clock slack accepted after the deadline. */
export const SUBMIT_GRACE_MS = 30_000;

// ——— Paper ———

export interface PaperEntry {
  id: string;
  /** single/multiple: option ids as shown; ordering: item ids as shown; matching: left pair ids as shown. */
  options?: string[];
  /** matching: right-hand pair ids as shown. */
  rights?: string[];
}
export interface Paper {
  questions: PaperEntry[];
}

export type Random = () => number;
export const secureRandom: Random = () => crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;

export function shuffle<T>(items: readonly T[], random: Random = secureRandom): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Draws `draw` questions (all of them when the bank is smaller) and shuffles each one's options. */
export function drawPaper(questions: readonly Question[], draw: number, random: Random = secureRandom): Paper {
  const chosen = shuffle(questions, random).slice(0, Math.min(draw, questions.length));
  return { questions: chosen.map((q) => paperEntryFor(q, random)) };
}

export function paperEntryFor(q: Question, random: Random = secureRandom): PaperEntry {
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'ordering':
      return { id: q.id, options: shuffle((q.options ?? []).map((o) => o.id), random) };
    case 'matching': {
      const ids = (q.pairs ?? []).map((p) => p.id);
      return { id: q.id, options: shuffle(ids, random), rights: shuffle(ids, random) };
    }
    case 'truefalse':
      return { id: q.id };
  }
}


/**
 * The fixed, stateless presentation of an ungraded practice question (knowledge check): options shuffled by a
 * generator seeded with the question id, so the page and the Action that grades it agree without storing anything,
 * and the authored order (often "right answer first") does not show.
 */
export function practiceEntry(q: Question): PaperEntry {
  return paperEntryFor(q, mulberry32(seedFromText(q.id)));
}

// ——— What the browser gets ———

export interface PresentedQuestion {
  /** Form field name prefix: q0, q1, … */
  name: string;
  number: number;
  type: Question['type'];
  text: string;
  /** single/multiple: choices; ordering: items; matching: left items. Values are positions on the paper. */
  options: { value: string; text: string }[];
  /** matching: the right-hand choices. */
  rights: { value: string; text: string }[];
}

/** A question as the browser may see it: text and choices in paper order, no answer, no explanation. */
export function presentQuestion(q: Question, entry: PaperEntry, index: number, locale: Locale): PresentedQuestion {
  const base = { name: `q${index}`, number: index + 1, type: q.type, text: q.text[locale], options: [] as PresentedQuestion['options'], rights: [] as PresentedQuestion['rights'] };
  if (q.type === 'matching') {
    const pairs = new Map((q.pairs ?? []).map((p) => [p.id, p]));
    base.options = (entry.options ?? []).map((id, i) => ({ value: String(i), text: pairs.get(id)?.left[locale] ?? '' }));
    base.rights = (entry.rights ?? []).map((id, i) => ({ value: String(i), text: pairs.get(id)?.right[locale] ?? '' }));
  } else if (q.type !== 'truefalse') {
    const options = new Map((q.options ?? []).map((o) => [o.id, o]));
    base.options = (entry.options ?? []).map((id, i) => ({ value: String(i), text: options.get(id)?.text[locale] ?? '' }));
  }
  return base;
}

// ——— Responses ———

export type Response =
  | { type: 'single'; choice: string | null }
  | { type: 'multiple'; choices: string[] }
  | { type: 'truefalse'; value: boolean | null }
  | { type: 'ordering'; positions: Record<string, number | null> }
  | { type: 'matching'; matches: Record<string, string | null> };

export type FormAnswers = Record<string, string[]>;

export function formAnswersFrom(form: FormData): FormAnswers {
  const out: FormAnswers = {};
  for (const [key, value] of form.entries()) if (typeof value === 'string') (out[key] ??= []).push(value);
  return out;
}

const byPosition = (list: readonly string[] | undefined, value: string | undefined): string | null => {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return list?.[Number(value)] ?? null;
};

/** Maps the posted fields of one question (positions on the paper) back to option ids. Unknown values count as unanswered. */
export function responseFromForm(q: Question, entry: PaperEntry, name: string, form: FormAnswers): Response {
  switch (q.type) {
    case 'single':
      return { type: 'single', choice: byPosition(entry.options, form[name]?.[0]) };
    case 'multiple': {
      const choices = new Set<string>();
      for (const v of form[name] ?? []) {
        const id = byPosition(entry.options, v);
        if (id) choices.add(id);
      }
      return { type: 'multiple', choices: [...choices] };
    }
    case 'truefalse': {
      const v = form[name]?.[0];
      return { type: 'truefalse', value: v === 'true' ? true : v === 'false' ? false : null };
    }
    case 'ordering': {
      const positions: Record<string, number | null> = {};
      const items = entry.options ?? [];
      items.forEach((id, i) => {
        const v = Number(form[`${name}.${i}`]?.[0]);
        positions[id] = Number.isInteger(v) && v >= 1 && v <= items.length ? v : null;
      });
      return { type: 'ordering', positions };
    }
    case 'matching': {
      const matches: Record<string, string | null> = {};
      (entry.options ?? []).forEach((id, i) => {
        matches[id] = byPosition(entry.rights, form[`${name}.${i}`]?.[0]);
      });
      return { type: 'matching', matches };
    }
  }
}

export function emptyResponse(q: Question): Response {
  return responseFromForm(q, paperEntryFor(q, () => 0), 'none', {});
}

// ——— Grading (pure) ———

export interface Grade {
  score: number;
  correct: boolean;
}

export function gradeQuestion(q: Question, response: Response): Grade {
  if (response.type !== q.type) return { score: 0, correct: false };
  switch (response.type) {
    case 'single': {
      const right = Array.isArray(q.answer) ? q.answer[0] : undefined;
      const correct = response.choice !== null && response.choice === right;
      return { score: correct ? 1 : 0, correct };
    }
    case 'truefalse': {
      const correct = response.value !== null && response.value === q.answer;
      return { score: correct ? 1 : 0, correct };
    }
    case 'multiple': {
      const right = new Set(Array.isArray(q.answer) ? q.answer : []);
      const chosen = new Set(response.choices);
      let hits = 0;
      let misses = 0;
      for (const c of chosen) right.has(c) ? hits++ : misses++;
      const score = right.size === 0 ? 0 : Math.max(0, (hits - misses) / right.size);
      return { score, correct: hits === right.size && misses === 0 };
    }
    case 'ordering': {
      const items = (q.options ?? []).map((o) => o.id);
      const placed = items.filter((id, i) => response.positions[id] === i + 1).length;
      return { score: items.length === 0 ? 0 : placed / items.length, correct: items.length > 0 && placed === items.length };
    }
    case 'matching': {
      const pairs = (q.pairs ?? []).map((p) => p.id);
      const matched = pairs.filter((id) => response.matches[id] === id).length;
      return { score: pairs.length === 0 ? 0 : matched / pairs.length, correct: pairs.length > 0 && matched === pairs.length };
    }
  }
}

export function isPass(score: number, maxScore: number, passMark: number): boolean {
  if (maxScore <= 0) return false;
  // Rounded to avoid 79.99999 for 12/15.
  return Math.round((score / maxScore) * 10_000) / 100 >= passMark;
}

// ——— Attempts (database) ———

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

function paperOf(row: AttemptRow): Paper {
  const paper = row.paper as Paper | { questions: string[] };
  return { questions: paper.questions.map((q) => (typeof q === 'string' ? { id: q } : q)) };
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

/** The paper of an attempt as the browser may see it. */
export function presentPaper(row: AttemptRow, bank: QuestionBank, locale: Locale): PresentedQuestion[] {
  const questions = new Map(bank.questions.map((q) => [q.id, q]));
  return paperOf(row).questions.flatMap((entry, i) => {
    const q = questions.get(entry.id);
    return q ? [presentQuestion(q, entry, i, locale)] : [];
  });
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

// ——— Feedback after submission ———

export interface ReviewedQuestion extends PresentedQuestion {
  correct: boolean;
  score: number;
  explanation: string;
  /** What the learner answered and what was right, in words. */
  given: string[];
  expected: string[];
}

/** Per-question feedback for a submitted attempt (never for an open one). */
export async function reviewAttempt(db: Tx, userId: number, attemptId: number, bank: QuestionBank, locale: Locale): Promise<{ attempt: AttemptRow; questions: ReviewedQuestion[] } | null> {
  const attempt = await getAttempt(db, userId, attemptId);
  if (!attempt || attempt.submittedAt === null) return null;
  const responses = await db.select().from(quizResponses).where(eq(quizResponses.attemptId, attemptId));
  const byQuestion = new Map(responses.map((r) => [r.questionId, r]));
  const questions = new Map(bank.questions.map((q) => [q.id, q]));
  const tf = (v: boolean) => (locale === 'es' ? (v ? 'Verdadero' : 'Falso') : v ? 'True' : 'False');
  const reviewed = paperOf(attempt).questions.flatMap((entry, i): ReviewedQuestion[] => {
    const q = questions.get(entry.id);
    if (!q) return [];
    const stored = byQuestion.get(q.id);
    const response = (stored?.response as Response | undefined) ?? emptyResponse(q);
    const option = (id: string | null | undefined) => q.options?.find((o) => o.id === id)?.text[locale] ?? '—';
    const pair = (id: string | null | undefined) => q.pairs?.find((p) => p.id === id);
    let given: string[] = [];
    let expected: string[] = [];
    if (response.type === 'single') given = [option(response.choice)];
    if (response.type === 'multiple') given = response.choices.map(option);
    if (response.type === 'truefalse') given = [response.value === null ? '—' : tf(response.value)];
    if (response.type === 'ordering')
      given = Object.entries(response.positions)
        .sort((a, b) => (a[1] ?? 99) - (b[1] ?? 99))
        .map(([id, pos]) => `${pos ?? '—'}. ${option(id)}`);
    if (response.type === 'matching') given = Object.entries(response.matches).map(([left, right]) => `${pair(left)?.left[locale]} → ${pair(right)?.right[locale] ?? '—'}`);
    if (q.type === 'single' || q.type === 'multiple') expected = (Array.isArray(q.answer) ? q.answer : []).map(option);
    if (q.type === 'truefalse') expected = [tf(q.answer === true)];
    if (q.type === 'ordering') expected = (q.options ?? []).map((o, n) => `${n + 1}. ${o.text[locale]}`);
    if (q.type === 'matching') expected = (q.pairs ?? []).map((p) => `${p.left[locale]} → ${p.right[locale]}`);
    return [{ ...presentQuestion(q, entry, i, locale), correct: stored?.correct ?? false, score: stored?.score ?? 0, explanation: q.explanation[locale], given, expected }];
  });
  return { attempt, questions: reviewed };
}
