// The placement test: Actualización (and the Básico requirement of every course) opened to people trained elsewhere.
// A person who has not passed Básico here draws a paper from the Básico bank — the same draw, pass mark and time limit
// as Básico's final quiz, graded by the same functions — and a passed paper counts as "Básico requirement met" in
// the enrolment rules (enrolment.ts, `placedOut`). It is not an enrolment and issues no certificate: what they hold
// from elsewhere is not ours to certify.
//
// Rules: officials only (policy 'learning.placement'); not for someone who already holds a Básico certificate or has
// passed the placement; at most PLACEMENT_ATTEMPTS papers; one open paper at a time (a unique index), resumed rather
// than redrawn. A submission more than SUBMIT_GRACE_MS after the deadline counts nothing (score 0), as in the quiz.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { certificates, placementAttempts } from '../../../db/schema.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { can, type Actor } from '../policy.ts';
import type { Course, QuestionBank } from './catalog.ts';
import { drawPaper, paperOf, type Paper } from './quiz/paper.ts';
import { responseFromForm, type FormAnswers } from './quiz/form.ts';
import { gradeQuestion, isPass, type Response } from './quiz/grading.ts';
import { SUBMIT_GRACE_MS } from './quiz/attempts.ts';
import { paperQuestions } from './versions.ts';

/** Papers a person may draw: a second chance, then Básico itself. */
export const PLACEMENT_ATTEMPTS = 2;
const MINUTE = 60_000;

export type PlacementRow = typeof placementAttempts.$inferSelect;

export type PlacementRefusal = 'notAllowed' | 'hasBasico' | 'alreadyPassed' | 'noAttemptsLeft';

export interface PlacementState {
  attempts: PlacementRow[];
  open: PlacementRow | null;
  passed: boolean;
  attemptsLeft: number;
  /** Why no new paper can be drawn (null when one can, or one is open). */
  refusal: PlacementRefusal | null;
}

async function holdsBasico(db: Pick<Database, 'select'>, userId: number): Promise<boolean> {
  const rows = await db
    .select({ id: certificates.id })
    .from(certificates)
    .where(and(eq(certificates.userId, userId), eq(certificates.programme, 'basico'), isNull(certificates.revokedAt)))
    .limit(1);
  return rows.length > 0;
}

async function readAttempts(db: Pick<Database, 'select'>, userId: number): Promise<PlacementRow[]> {
  return db.select().from(placementAttempts).where(eq(placementAttempts.userId, userId)).orderBy(asc(placementAttempts.id));
}

/** Pure: what a person may do next, from their role, their Básico certificate and their papers. */
export function placementDecision(actor: Actor, hasBasico: boolean, attempts: readonly PlacementRow[]): Omit<PlacementState, 'attempts'> {
  const open = attempts.find((a) => a.submittedAt === null) ?? null;
  const passed = attempts.some((a) => a.passed === true);
  const attemptsLeft = Math.max(0, PLACEMENT_ATTEMPTS - attempts.length);
  let refusal: PlacementRefusal | null = null;
  if (!can(actor, 'learning.placement')) refusal = 'notAllowed';
  else if (hasBasico) refusal = 'hasBasico';
  else if (passed) refusal = 'alreadyPassed';
  else if (!open && attemptsLeft === 0) refusal = 'noAttemptsLeft';
  return { open: refusal === 'notAllowed' ? null : open, passed, attemptsLeft, refusal };
}

/** The person's placement papers and what they may do next (reads only). */
export async function placementState(db: Pick<Database, 'select'>, actor: Actor): Promise<PlacementState> {
  const attempts = await readAttempts(db, actor.id);
  return { attempts, ...placementDecision(actor, await holdsBasico(db, actor.id), attempts) };
}

/** The Básico courses whose requirement a passed placement meets for this person (enrolment.ts). */
export async function loadPlacedOut(db: Pick<Database, 'select'>, userId: number): Promise<string[]> {
  const rows = await db
    .select({ courseId: placementAttempts.courseId })
    .from(placementAttempts)
    .where(and(eq(placementAttempts.userId, userId), eq(placementAttempts.passed, true)));
  return [...new Set(rows.map((r) => r.courseId))];
}

export type StartPlacementResult = { ok: true; attempt: PlacementRow; resumed: boolean } | { ok: false; error: PlacementRefusal };

/** Draws a paper from the Básico bank, or resumes the open one. `basico` is the Básico course (programme basico). */
export async function startPlacement(db: Database, input: { actor: Actor; basico: Course; bank: QuestionBank; now?: Date }): Promise<StartPlacementResult> {
  const { actor, basico, bank, now = new Date() } = input;
  if (basico.programme !== 'basico') throw new Error(`placement papers come from a Básico course, not ${basico.id}`);
  return writeTransaction(db, async (tx) => {
    const attempts = await readAttempts(tx, actor.id);
    const decision = placementDecision(actor, await holdsBasico(tx, actor.id), attempts);
    if (decision.refusal) return { ok: false, error: decision.refusal };
    if (decision.open) return { ok: true, attempt: decision.open, resumed: true };
    const limit = basico.quiz.timeLimitMinutes;
    const [row] = await tx
      .insert(placementAttempts)
      .values({ userId: actor.id, courseId: basico.id, paper: drawPaper(bank.questions, basico.quiz.draw), startedAt: now, deadlineAt: limit ? new Date(now.getTime() + limit * MINUTE) : null })
      .onConflictDoNothing()
      .returning();
    if (row) return { ok: true, attempt: row, resumed: false };
    // A concurrent start drew the paper first: resume it.
    const open = (await readAttempts(tx, actor.id)).find((a) => a.submittedAt === null)!;
    return { ok: true, attempt: open, resumed: true };
  });
}

export interface PlacementOutcome {
  attemptId: number;
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  late: boolean;
}

export type SubmitPlacementResult = { ok: true; outcome: PlacementOutcome } | { ok: false; error: 'notFound' };

function outcomeOf(row: PlacementRow, late: boolean): PlacementOutcome {
  const score = row.score ?? 0;
  const maxScore = row.maxScore ?? 0;
  return { attemptId: row.id, score, maxScore, percent: maxScore > 0 ? Math.round((score / maxScore) * 1000) / 10 : 0, passed: row.passed === true, late };
}

/** Grades the person's own paper on the server. Submitting twice returns the stored result. */
export async function submitPlacement(db: Database, input: { userId: number; attemptId: number; basico: Course; bank: QuestionBank; answers: FormAnswers; now?: Date }): Promise<SubmitPlacementResult> {
  const { userId, attemptId, basico, bank, answers, now = new Date() } = input;
  return writeTransaction(db, async (tx) => {
    const [row] = await tx.select().from(placementAttempts).where(and(eq(placementAttempts.id, attemptId), eq(placementAttempts.userId, userId)));
    if (!row) return { ok: false, error: 'notFound' };
    if (row.submittedAt !== null) return { ok: true, outcome: outcomeOf(row, row.score === 0 && row.deadlineAt !== null && row.submittedAt.getTime() === row.deadlineAt.getTime()) };
    const late = row.deadlineAt !== null && now.getTime() > row.deadlineAt.getTime() + SUBMIT_GRACE_MS;
    const paper: Paper = paperOf(row);
    const questions = paperQuestions(paper, bank);
    const responses: { questionId: string; response: Response | null; score: number }[] = paper.questions.map((entry, i) => {
      const q = questions.get(entry.id);
      if (!q || late) return { questionId: entry.id, response: null, score: 0 };
      const response = responseFromForm(q, entry, `q${i}`, answers);
      return { questionId: entry.id, response, score: gradeQuestion(q, response).score };
    });
    const score = responses.reduce((sum, r) => sum + r.score, 0);
    const maxScore = paper.questions.length;
    // Claimed only if still open, so a concurrent submission cannot grade the paper twice.
    const [claimed] = await tx
      .update(placementAttempts)
      .set({ submittedAt: late ? row.deadlineAt! : now, score, maxScore, passed: isPass(score, maxScore, basico.quiz.passMark), responses })
      .where(and(eq(placementAttempts.id, row.id), isNull(placementAttempts.submittedAt)))
      .returning();
    if (claimed) return { ok: true, outcome: outcomeOf(claimed, late) };
    const [stored] = await tx.select().from(placementAttempts).where(eq(placementAttempts.id, row.id));
    return { ok: true, outcome: outcomeOf(stored!, false) };
  });
}
