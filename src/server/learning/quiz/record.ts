// A person's quiz attempts for their personal-data download: when, what they answered (in words) and how it scored.
// Never the paper (the questions drawn and the order of their options) nor any option id: an open attempt's paper
// in the learner's hands would help answer it, and authors' ids carry their order ("a" is often right).
import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { quizAttempts, quizDrafts, quizResponses, type Locale } from '../../../../db/schema.ts';
import type { QuestionBank } from '../catalog.ts';
import { describeResponse, type ResponseWords } from './describe.ts';
import { responseFromForm } from './form.ts';
import { scoreOf, type Response } from './grading.ts';
import { paperOf } from './paper.ts';
import { paperQuestions } from '../versions.ts';

/** What the download needs to put answers in words; without it, answers are left out (scores stay). */
export interface AnswerWording {
  locale: Locale;
  words: ResponseWords;
  bankOf: (courseId: string) => Promise<QuestionBank | null>;
}

export interface ExportedAnswer {
  question: string;
  answer: string[];
  /** Null while the attempt is open (nothing is graded before submission). */
  score: number | null;
  correct: boolean | null;
}

export interface ExportedAttempt {
  courseId: string;
  status: 'open' | 'submitted';
  startedAt: Date;
  deadlineAt: Date | null;
  submittedAt: Date | null;
  late: boolean;
  score: number | null;
  maxScore: number | null;
  percent: number | null;
  passed: boolean | null;
  questions: number;
  /** Submitted: the graded answers; open: the answers saved so far. Absent without an AnswerWording. */
  answers?: ExportedAnswer[];
}

export async function quizAttemptsForExport(db: Pick<Database, 'select'>, userId: number, wording?: AnswerWording): Promise<ExportedAttempt[]> {
  const attempts = await db.select().from(quizAttempts).where(eq(quizAttempts.userId, userId));
  const ids = attempts.map((a) => a.id);
  const responses = ids.length ? await db.select().from(quizResponses).where(inArray(quizResponses.attemptId, ids)) : [];
  const drafts = ids.length ? await db.select().from(quizDrafts).where(inArray(quizDrafts.attemptId, ids)) : [];
  const out: ExportedAttempt[] = [];
  for (const a of attempts) {
    const paper = paperOf(a).questions;
    const submitted = a.submittedAt !== null;
    const entry: ExportedAttempt = {
      courseId: a.courseId,
      status: submitted ? 'submitted' : 'open',
      startedAt: a.startedAt,
      deadlineAt: a.deadlineAt,
      submittedAt: a.submittedAt,
      late: a.late,
      score: submitted ? a.score : null,
      maxScore: submitted ? a.maxScore : null,
      percent: submitted ? scoreOf(a).percent : null,
      passed: submitted ? Boolean(a.passed) : null,
      questions: paper.length,
    };
    const bank = wording ? await wording.bankOf(a.courseId) : null;
    if (wording && bank) {
      const questions = paperQuestions({ questions: paper }, bank);
      entry.answers = paper.flatMap((p, i): ExportedAnswer[] => {
        const q = questions.get(p.id);
        if (!q) return [];
        const text = q.text[wording.locale];
        if (submitted) {
          const r = responses.find((x) => x.attemptId === a.id && x.questionId === q.id);
          return r ? [{ question: text, answer: describeResponse(q, r.response as Response, wording.locale, wording.words), score: r.score, correct: r.correct }] : [];
        }
        const saved = drafts.find((d) => d.attemptId === a.id && d.question === i);
        return saved ? [{ question: text, answer: describeResponse(q, responseFromForm(q, p, `q${i}`, saved.fields), wording.locale, wording.words), score: null, correct: null }] : [];
      });
    }
    out.push(entry);
  }
  return out;
}
