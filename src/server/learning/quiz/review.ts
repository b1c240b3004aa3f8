// What a learner sees of a submitted attempt: per question, whether it was right and what they answered — and the
// key (right answer and explanation) only when the course's review policy allows it (catalog.ts, ReviewPolicy), so
// that several attempts cannot be used to harvest the key. The key is never shown while an attempt is open.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { quizAttempts, quizResponses, type Locale } from '../../../../db/schema.ts';
import type { Course, QuestionBank, ReviewPolicy } from '../catalog.ts';
import { SUBMIT_GRACE_MS, type AttemptRow } from './attempts.ts';
import { describeKey, describeResponse, type ResponseWords } from './describe.ts';
import { emptyResponse, presentQuestion, type PresentedQuestion } from './form.ts';
import type { Response } from './grading.ts';
import { paperOf } from './paper.ts';
import { paperQuestions } from '../versions.ts';

export const DEFAULT_REVIEW: ReviewPolicy = 'after-last-attempt';

/** Whether the key may be shown, given the enrolment's attempts. */
export function keyShown(policy: ReviewPolicy, attempts: { passed: boolean; used: number; limit: number; open: boolean }): boolean {
  if (attempts.open) return false;
  switch (policy) {
    case 'full':
      return true;
    case 'correctness':
      return false;
    case 'after-pass':
      return attempts.passed;
    case 'after-last-attempt':
      return attempts.passed || (attempts.limit > 0 && attempts.used >= attempts.limit);
  }
}

export interface ReviewedQuestion extends PresentedQuestion {
  correct: boolean;
  score: number;
  /** What the learner answered, in words. */
  given: string[];
  /** The right answer and its explanation; null until the review policy shows the key. */
  key: { expected: string[]; explanation: string } | null;
}

export interface Review {
  attempt: AttemptRow;
  questions: ReviewedQuestion[];
  /** False: the review says which questions were wrong, not what was right. */
  keyShown: boolean;
  /** Why the key is hidden: an attempt is open, or the course's policy (its translations say when it will show). */
  keyHiddenBecause: 'open' | Exclude<ReviewPolicy, 'full'> | null;
}

/** Per-question feedback for a submitted attempt of the person (never for an open one). */
export async function reviewAttempt(
  db: Pick<Database, 'select'>,
  input: { userId: number; attemptId: number; course: Course; bank: QuestionBank; locale: Locale; words: ResponseWords; now?: Date },
): Promise<Review | null> {
  const { userId, attemptId, course, bank, locale, words, now = new Date() } = input;
  // The person's attempts at this course (a handful): the one reviewed, and what decides whether the key shows.
  const siblings = await db.select().from(quizAttempts).where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.courseId, course.id)));
  const attempt = siblings.find((a) => a.id === attemptId);
  if (!attempt || attempt.submittedAt === null) return null;
  const sameRound = siblings.filter((a) => a.enrolmentId === attempt.enrolmentId);
  const open = siblings.some((a) => a.submittedAt === null && !(a.deadlineAt && now.getTime() > a.deadlineAt.getTime() + SUBMIT_GRACE_MS));
  const policy = course.quiz.review ?? DEFAULT_REVIEW;
  const shown = keyShown(policy, { passed: sameRound.some((a) => a.passed), used: sameRound.length, limit: course.quiz.attempts, open });
  const keyHiddenBecause = shown ? null : open ? 'open' : policy === 'full' ? null : policy;
  const responses = await db.select().from(quizResponses).where(eq(quizResponses.attemptId, attemptId));
  const byQuestion = new Map(responses.map((r) => [r.questionId, r]));
  const questions = paperQuestions(paperOf(attempt), bank);
  const reviewed = paperOf(attempt).questions.flatMap((entry, i): ReviewedQuestion[] => {
    const q = questions.get(entry.id);
    if (!q) return [];
    const stored = byQuestion.get(q.id);
    const response = (stored?.response as Response | undefined) ?? emptyResponse(q);
    return [
      {
        ...presentQuestion(q, entry, i, locale),
        correct: stored?.correct ?? false,
        score: stored?.score ?? 0,
        given: describeResponse(q, response, locale, words),
        key: shown ? { expected: describeKey(q, locale, words), explanation: q.explanation[locale] } : null,
      },
    ];
  });
  return { attempt, questions: reviewed, keyShown: shown, keyHiddenBecause };
}
