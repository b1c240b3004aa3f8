// What a learner sees of a submitted attempt: per question, whether it was right, what they answered and the key.
import { eq } from 'drizzle-orm';
import { quizResponses, type Locale } from '../../../../db/schema.ts';
import type { QuestionBank } from '../catalog.ts';
import type { Tx } from '../progress.ts';
import { getAttempt, type AttemptRow } from './attempts.ts';
import { emptyResponse, presentQuestion, type PresentedQuestion } from './form.ts';
import type { Response } from './grading.ts';
import { paperOf } from './paper.ts';

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
