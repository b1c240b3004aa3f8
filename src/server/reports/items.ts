// Quiz item analysis for content owners: per question the share of correct answers, the discrimination index
// (share correct in the upper group − share correct in the lower group) and the most chosen wrong answer.
//
// Groups: attempts are ranked by total score; the upper group is the top 27 % of attempts (round(0.27·N), at least
// one), the lower group the bottom 27 %. Attempts tied at a group's boundary score count with the fraction that
// fills the group exactly, so the result never depends on the order rows happen to come in.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { scopeWhere, type CountryScope } from './scope.ts';

export const GROUP_SHARE = 0.27;

export interface ItemStats {
  questionId: string;
  /** The question's version (src/server/learning/versions.ts): a reworded question is counted apart, from zero. */
  questionVersion: string;
  answered: number;
  correct: number;
  /** correct ÷ answered */
  pCorrect: number | null;
  /** p(upper) − p(lower), −1…1; null when a group did not answer the question */
  discrimination: number | null;
  /** The stored JSON of the most chosen wrong response, how many chose it, and its share of all answers. */
  topWrong: { response: string; n: number; share: number } | null;
}

export interface ItemReport {
  courseId: string;
  attempts: number;
  groupSize: number;
  items: ItemStats[];
}

/**
 * One key per distinct answer, whatever order the page listed the options in: multiple-choice ids sorted, object keys
 * (ordering positions, matching pairs) sorted.
 */
export function canonicalResponse(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return json;
  }
  const sortKeys = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const r = { ...(value as Record<string, unknown>) };
    if (Array.isArray(r.choices)) r.choices = [...(r.choices as string[])].sort();
    return JSON.stringify(sortKeys(r));
  }
  return JSON.stringify(value);
}

/** Weight (0–1) of each score in the top (or bottom) `size` attempts of a score → count distribution. */
export function groupWeights(counts: Map<number, number>, size: number, from: 'top' | 'bottom'): Map<number, number> {
  const scores = [...counts.keys()].sort((a, b) => (from === 'top' ? b - a : a - b));
  const weights = new Map<number, number>();
  let left = size;
  for (const s of scores) {
    const n = counts.get(s)!;
    const take = Math.max(0, Math.min(n, left));
    weights.set(s, n > 0 ? take / n : 0);
    left -= take;
  }
  return weights;
}

export async function itemAnalysis(db: Database, scope: CountryScope, courseId: string): Promise<ItemReport> {
  const scoreRows = await db.all<{ score_pct: number; n: number }>(sql`
    SELECT score_pct, sum(n) AS n FROM report_attempt_scores
     WHERE ${scopeWhere(scope, sql`country_code`)} AND course_id = ${courseId} GROUP BY score_pct`);
  const counts = new Map(scoreRows.map((r) => [Number(r.score_pct), Number(r.n)]));
  const attempts = [...counts.values()].reduce((a, b) => a + b, 0);
  const groupSize = attempts > 0 ? Math.max(1, Math.round(GROUP_SHARE * attempts)) : 0;
  const upper = groupWeights(counts, groupSize, 'top');
  const lower = groupWeights(counts, groupSize, 'bottom');

  const rows = await db.all<{ question_id: string; question_version: string; score_pct: number; response: string; correct: number; n: number }>(sql`
    SELECT question_id, question_version, score_pct, response, max(correct) AS correct, sum(n) AS n FROM report_item_responses
     WHERE ${scopeWhere(scope, sql`country_code`)} AND course_id = ${courseId}
     GROUP BY question_id, question_version, score_pct, response`);
  const acc = new Map<string, { answered: number; correct: number; uA: number; uC: number; lA: number; lC: number; wrong: Map<string, number> }>();
  for (const r of rows) {
    const n = Number(r.n);
    const pct = Number(r.score_pct);
    const item = JSON.stringify([r.question_id, r.question_version]);
    const a = acc.get(item) ?? { answered: 0, correct: 0, uA: 0, uC: 0, lA: 0, lC: 0, wrong: new Map() };
    acc.set(item, a);
    const ok = Number(r.correct) === 1;
    const wu = upper.get(pct) ?? 0;
    const wl = lower.get(pct) ?? 0;
    a.answered += n;
    a.uA += wu * n;
    a.lA += wl * n;
    if (ok) {
      a.correct += n;
      a.uC += wu * n;
      a.lC += wl * n;
    } else {
      const key = canonicalResponse(r.response);
      a.wrong.set(key, (a.wrong.get(key) ?? 0) + n);
    }
  }
  const items: ItemStats[] = [...acc.entries()]
    .map(([item, a]) => {
      const [questionId, questionVersion] = JSON.parse(item) as [string, string];
      let topWrong: ItemStats['topWrong'] = null;
      for (const [response, n] of [...a.wrong.entries()].sort((x, y) => x[0].localeCompare(y[0]))) {
        if (!topWrong || n > topWrong.n) topWrong = { response, n, share: n / a.answered };
      }
      return {
        questionId,
        questionVersion,
        answered: a.answered,
        correct: a.correct,
        pCorrect: a.answered > 0 ? a.correct / a.answered : null,
        discrimination: a.uA > 0 && a.lA > 0 ? a.uC / a.uA - a.lC / a.lA : null,
        topWrong,
      };
    })
    .sort((x, y) => x.questionId.localeCompare(y.questionId) || x.questionVersion.localeCompare(y.questionVersion));
  return { courseId, attempts, groupSize, items };
}
