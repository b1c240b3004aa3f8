// Item analysis: % correct, discrimination (upper vs lower 27 %), most chosen wrong answer — worked out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupWeights, itemAnalysis } from '../../src/server/reports/items.ts';
import { rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, DAY, institutionId, NOW, submitQuiz, takeCourse } from './helpers/reports.ts';

let t: TestDatabase;
const COURSE = 'basico-fundamentos';

/*
 * Ten attempts in Guatemala on four questions. Attempt k (1…10) answers:
 *   q1 (easy):         correct in every attempt                             → 100 %, discrimination 0
 *   q2 (discriminating): correct in attempts 6…10 (the best ones)           →  50 %
 *   q3 (inverted):     correct in attempts 1…3 only                         →  30 %
 *   q4 (truefalse):    always wrong in 1…7 ("true" 5 times, … see below)     →  30 %
 * Scores: the number of correct answers. Group size round(0.27 · 10) = 3: upper = attempts 8, 9, 10; lower = 1, 2, 3
 * (scores are distinct enough at the ends, see the test).
 */
beforeAll(async () => {
  t = await createTestDatabase();
  const igm = await institutionId(t.db, 'GT', 'IGM');
  for (let k = 1; k <= 10; k++) {
    const user = await addPerson(t.db, 'GT', igm);
    const { enrolmentId } = await takeCourse(t.db, { userId: user, countryCode: 'GT', institutionId: igm, courseId: COURSE, programme: 'basico', enrolledAt: NOW - 10 * DAY, startedAt: NOW - 9 * DAY });
    const q2 = k >= 6;
    const q3 = k <= 3;
    const q4 = k >= 8;
    await submitQuiz(t.db, enrolmentId, user, 'GT', COURSE, [
      { questionId: 'q1', response: 'a', correct: true },
      { questionId: 'q2', response: q2 ? ['a', 'c'] : k % 2 ? ['a'] : ['a', 'b', 'c'], correct: q2 },
      { questionId: 'q3', response: q3 ? 'b' : k <= 8 ? 'd' : 'c', correct: q3 },
      { questionId: 'q4', response: q4 ? false : true, correct: q4 },
    ]);
  }
  // Honduras: one attempt that must not leak into Guatemala's analysis.
  const hn = await addPerson(t.db, 'HN', await institutionId(t.db, 'HN', 'INM'));
  const e = await takeCourse(t.db, { userId: hn, countryCode: 'HN', institutionId: await institutionId(t.db, 'HN', 'INM'), courseId: COURSE, programme: 'basico', enrolledAt: NOW, startedAt: NOW });
  await submitQuiz(t.db, e.enrolmentId, hn, 'HN', COURSE, [{ questionId: 'q1', response: 'd', correct: false }]);
});
afterAll(() => t.close());

describe('group weights', () => {
  it('fills a group exactly, counting the tie at its boundary fractionally', () => {
    const counts = new Map([[100, 2], [75, 4], [50, 4]]);
    expect(groupWeights(counts, 3, 'top')).toEqual(new Map([[100, 1], [75, 0.25], [50, 0]]));
    expect(groupWeights(counts, 3, 'bottom')).toEqual(new Map([[50, 0.75], [75, 0], [100, 0]]));
  });
});

describe('item analysis', () => {
  it('computes % correct, discrimination and the most chosen wrong answer', async () => {
    const r = await itemAnalysis(t.db, { kind: 'country', countryCode: 'GT' }, COURSE);
    expect(r.attempts).toBe(10);
    expect(r.groupSize).toBe(3);
    // Scores (q1..q4): k=1..3: 1+0+1+0 = 2 → 50 %; k=4,5: 1 → 25 %; k=6,7: 2 → 50 %; k=8..10: 3 → 75 %.
    // Upper 3 = the three 75 % attempts (k = 8, 9, 10). Lower 3 = the two 25 % (k = 4, 5) plus 1/5 of the five 50 %
    // attempts (k = 1, 2, 3, 6, 7).
    const item = (id: string) => r.items.find((i) => i.questionId === id)!;
    expect(item('q1')).toMatchObject({ answered: 10, correct: 10, pCorrect: 1, discrimination: 0, topWrong: null });
    // q2 upper: 3/3 = 1. Lower: k=4,5 wrong; of the 50 % group 2 of 5 are right (k=6,7) → (0 + 0.2·2) / 3 = 0.1333…
    expect(item('q2').pCorrect).toBe(0.5);
    expect(item('q2').discrimination).toBeCloseTo(1 - 0.4 / 3, 10);
    // Wrong answers: k = 1,3,5 chose ["a"]; k = 2,4 chose ["a","b","c"] → ["a"], 3 of 10.
    expect(item('q2').topWrong).toEqual({ response: '["a"]', n: 3, share: 0.3 });
    // q3 upper: 0. Lower: 50 % group has 3 of 5 right (k = 1,2,3) → 0.2·3 / 3 = 0.2 → −0.2.
    expect(item('q3').discrimination).toBeCloseTo(-0.2, 10);
    expect(item('q3').topWrong).toEqual({ response: '"d"', n: 5, share: 0.5 });
    // q4 upper 1, lower 0.
    expect(item('q4')).toMatchObject({ pCorrect: 0.3, discrimination: 1, topWrong: { response: 'true', n: 7, share: 0.7 } });
  });

  it('keeps countries apart, and a rebuild from the raw responses gives the same analysis', async () => {
    const before = await itemAnalysis(t.db, { kind: 'all' }, COURSE);
    expect(before.attempts).toBe(11);
    expect(before.items.find((i) => i.questionId === 'q1')).toMatchObject({ answered: 11, correct: 10 });
    await rebuildReportSummaries(t.db);
    expect(await itemAnalysis(t.db, { kind: 'all' }, COURSE)).toEqual(before);
  });
});

describe('item flags', () => {
  it('names the questions an author should look at, once there are enough answers', async () => {
    const { itemFlag: flag } = await import('../../src/server/reports/views/items.ts');
    // The flags are message keys (translated by the page); their last segment names the flag.
    const itemFlag = (i: Parameters<typeof flag>[0]) => {
      const term = flag(i) as { join: { message: string }[]; sep: string } | null;
      return term ? term.join.map((m) => m.message.split('.').pop()).join(term.sep) : '';
    };
    expect(itemFlag({ answered: 10, pCorrect: 0.1, discrimination: -0.5 })).toBe('');
    expect(itemFlag({ answered: 50, pCorrect: 0.6, discrimination: -0.1 })).toBe('flagNegative');
    expect(itemFlag({ answered: 50, pCorrect: 0.2, discrimination: 0.1 })).toBe('flagLow; flagHard');
    expect(itemFlag({ answered: 50, pCorrect: 0.97, discrimination: 0.3 })).toBe('flagEasy');
    expect(itemFlag({ answered: 50, pCorrect: 0.7, discrimination: 0.4 })).toBe('');
  });
});
