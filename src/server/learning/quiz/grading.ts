// Grading on the server, as pure functions. Each question is worth 1 point; the attempt's percentage is
// points / questions:
// - single, truefalse: 1 if right, else 0.
// - multiple: partial credit = (right options chosen − wrong options chosen) / number of right options, never below
//   0; "correct" only when exactly the right set is chosen. Choosing everything therefore earns nothing.
// - ordering: the share of items placed at their right position; "correct" only when all are.
// - matching: the share of left items matched with their right item; "correct" only when all are.
import type { Question } from '../catalog.ts';

/** A learner's answer to one question, in option ids (the shape stored in quiz_responses.response). */
export type Response =
  | { type: 'single'; choice: string | null }
  | { type: 'multiple'; choices: string[] }
  | { type: 'truefalse'; value: boolean | null }
  | { type: 'ordering'; positions: Record<string, number | null> }
  | { type: 'matching'; matches: Record<string, string | null> };

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

/** An attempt's score as the learner sees it: the one place the percent is computed (one decimal). */
export function scoreOf(attempt: { score: number | null; maxScore: number | null }): { score: number; maxScore: number; percent: number } {
  const score = attempt.score ?? 0;
  const maxScore = attempt.maxScore ?? 0;
  return { score, maxScore, percent: maxScore > 0 ? Math.round((score / maxScore) * 1000) / 10 : 0 };
}
