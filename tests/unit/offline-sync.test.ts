// Progress made offline and sent later (src/server/offline/sync.ts): item validation, and applying on a real libSQL
// database exactly once — an item sent twice, or twice at the same moment, counts once and gets the same answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { enrolments, lessonProgress, offlineSyncReceipts, xapiStatements } from '../../db/schema.ts';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone } from '../../src/server/learning/progress.ts';
import { recordActivityStatement } from '../../src/server/h5p/activityResults.ts';
import { buildStoredStatement } from '../../src/server/h5p/xapiStatement.ts';
import { isDuplicateStatement, parseOfflineItem, statementIdFor, syncOfflineItems, type ApplyOfflineItem } from '../../src/server/offline/sync.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const { course } = fixtureCourse('fx-basico');
const id = (n: number) => `0b6f2a9e-1c3d-4e5f-8a7b-${String(n).padStart(12, '0')}`;
const lessonDone = (n: number, lesson = course.lessons[0]!) => ({ id: id(n), kind: 'form', action: 'learning.markDone', lang: 'es', queuedAt: 1, fields: [['course', course.id], ['lesson', lesson]] });
const statement = (verb: 'answered' | 'completed') => ({
  verb: { id: `http://adlnet.gov/expapi/verbs/${verb}` },
  result: { score: { min: 0, max: 4, raw: 4 }, completion: true, success: true },
});
const xapi = (n: number) => ({ id: id(n), kind: 'xapi', lang: 'es', queuedAt: 2, report: { activityId: 'demo-classify-es', statement: statement('completed') } });

/** What the app's applier does for these two kinds, with the domain functions themselves (no Astro content). */
function applier(db: TestDatabase['db'], userId: number): ApplyOfflineItem {
  return async (item, statementId) => {
    if (item.kind === 'xapi') {
      const stored = buildStoredStatement({ report: item.report, actor: { userId }, origin: 'http://capacita.test', id: statementId });
      try {
        await recordActivityStatement(db, { userId, activityId: item.report.activityId, courseId: course.id, countryCode: null, stored, forward: false });
      } catch (error) {
        if (isDuplicateStatement(error)) return { outcome: 'applied' };
        throw error;
      }
      return { outcome: 'applied' };
    }
    if (item.kind === 'attendance') throw new Error('attendance marks: tests/unit/workshops-offline.test.ts');
    const lesson = item.fields.find(([name]) => name === 'lesson')?.[1] ?? '';
    const result = await markLessonDone(db, { userId, course, lesson });
    return result.ok ? { outcome: 'applied', result: { lesson } } : { outcome: 'rejected', reason: result.error === 'notEnrolled' ? 'offline.reject.notEnrolled' : 'offline.reject.unknownLesson' };
  };
}

describe('queued items', () => {
  it('accepts the three queueable form Actions and the xAPI report, each with a client id', () => {
    expect(parseOfflineItem(lessonDone(1)).ok).toBe(true);
    expect(parseOfflineItem({ ...lessonDone(1), action: 'learning.practice' }).ok).toBe(true);
    expect(parseOfflineItem({ ...lessonDone(1), action: 'activities.answer' }).ok).toBe(true);
    expect(parseOfflineItem(xapi(2)).ok).toBe(true);
  });

  it('refuses the final quiz, other Actions, missing or short ids, and oversized fields — keeping the id when it has one', () => {
    expect(parseOfflineItem({ ...lessonDone(1), action: 'learning.submitQuiz' })).toEqual({ ok: false, id: id(1) });
    expect(parseOfflineItem({ ...lessonDone(1), action: 'admin.setRole' })).toEqual({ ok: false, id: id(1) });
    expect(parseOfflineItem({ ...lessonDone(1), id: 'short' })).toEqual({ ok: false, id: null });
    expect(parseOfflineItem({ ...lessonDone(1), id: undefined })).toEqual({ ok: false, id: null });
    expect(parseOfflineItem({ ...lessonDone(1), fields: [['lesson', 'x'.repeat(2001)]] }).ok).toBe(false);
    expect(parseOfflineItem({ ...lessonDone(1), lang: 'fr' }).ok).toBe(false);
    expect(parseOfflineItem(null)).toEqual({ ok: false, id: null });
    expect(parseOfflineItem({ ...xapi(2), report: { activityId: '../etc', statement: statement('completed') } }).ok).toBe(false);
  });

  it('derives the statement id from learner and client id: stable, a valid UUID, and another learner gets another', () => {
    expect(statementIdFor(7, id(1))).toBe(statementIdFor(7, id(1)));
    expect(statementIdFor(7, id(1))).not.toBe(statementIdFor(8, id(1)));
    expect(statementIdFor(7, id(1))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('syncing on a real database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  async function enrolled() {
    const learner = await createPerson(t.db);
    await enrol(t.db, learner, course);
    return learner;
  }

  const statementsOf = (userId: number) => t.db.select().from(xapiStatements).where(eq(xapiStatements.userId, userId));
  const receiptsOf = (userId: number) => t.db.select().from(offlineSyncReceipts).where(eq(offlineSyncReceipts.userId, userId));

  it('applies each item once: a second delivery answers the same, repeated, and records nothing more', async () => {
    const learner = await enrolled();
    const items = [lessonDone(10), xapi(11)];
    const first = await syncOfflineItems(t.db, learner.id, items, applier(t.db, learner.id));
    expect(first.map((a) => [a.outcome, a.repeated])).toEqual([['applied', false], ['applied', false]]);
    const again = await syncOfflineItems(t.db, learner.id, items, applier(t.db, learner.id));
    expect(again).toEqual(first.map((a) => ({ ...a, repeated: true })));
    const [enrolment] = await t.db.select().from(enrolments).where(eq(enrolments.userId, learner.id));
    expect(await t.db.select().from(lessonProgress).where(eq(lessonProgress.enrolmentId, enrolment!.id))).toHaveLength(1);
    expect(await statementsOf(learner.id)).toHaveLength(1);
    expect((await statementsOf(learner.id))[0]!.id).toBe(statementIdFor(learner.id, id(11)));
    expect(await receiptsOf(learner.id)).toHaveLength(2);
  });

  it('two deliveries of one result at the same moment record one statement', async () => {
    const learner = await enrolled();
    const answers = await Promise.all([
      syncOfflineItems(t.db, learner.id, [xapi(20)], applier(t.db, learner.id)),
      syncOfflineItems(t.db, learner.id, [xapi(20)], applier(t.db, learner.id)),
    ]);
    expect(answers.flat().every((a) => a.outcome === 'applied')).toBe(true);
    expect(await statementsOf(learner.id)).toHaveLength(1);
    expect(await receiptsOf(learner.id)).toHaveLength(1);
  });

  it('the same client id from two learners is two items', async () => {
    const [a, b] = [await enrolled(), await enrolled()];
    await syncOfflineItems(t.db, a.id, [xapi(30)], applier(t.db, a.id));
    await syncOfflineItems(t.db, b.id, [xapi(30)], applier(t.db, b.id));
    expect(await statementsOf(a.id)).toHaveLength(1);
    expect(await statementsOf(b.id)).toHaveLength(1);
  });

  it('a refused item keeps its reason: sent again it is explained again, never applied later by accident', async () => {
    const stranger = await createPerson(t.db);
    const first = await syncOfflineItems(t.db, stranger.id, [lessonDone(40)], applier(t.db, stranger.id));
    expect(first).toEqual([{ id: id(40), outcome: 'rejected', reason: 'offline.reject.notEnrolled', repeated: false }]);
    await enrol(t.db, stranger, course);
    const again = await syncOfflineItems(t.db, stranger.id, [lessonDone(40)], applier(t.db, stranger.id));
    expect(again).toEqual([{ id: id(40), outcome: 'rejected', reason: 'offline.reject.notEnrolled', repeated: true }]);
    const [receipt] = await t.db.select().from(offlineSyncReceipts).where(and(eq(offlineSyncReceipts.userId, stranger.id), eq(offlineSyncReceipts.clientId, id(40))));
    expect(receipt).toMatchObject({ kind: 'lessonDone', outcome: 'rejected', reason: 'offline.reject.notEnrolled' });
  });

  it('a malformed item is refused on its own; the valid items of the same request are applied', async () => {
    const learner = await enrolled();
    const answers = await syncOfflineItems(t.db, learner.id, [{ id: id(50), kind: 'form', action: 'learning.submitQuiz' }, 'junk', lessonDone(51)], applier(t.db, learner.id));
    expect(answers.map((a) => [a.id, a.outcome, a.reason ?? null])).toEqual([
      [id(50), 'rejected', 'offline.sync.invalidItem'],
      [null, 'rejected', 'offline.sync.invalidItem'],
      [id(51), 'applied', null],
    ]);
  });

  it('an unexpected failure leaves the item unreceived, so it is applied when sent again', async () => {
    const learner = await enrolled();
    const failing: ApplyOfflineItem = async () => {
      throw new Error('database busy');
    };
    await expect(syncOfflineItems(t.db, learner.id, [xapi(60)], failing)).rejects.toThrow('database busy');
    expect(await receiptsOf(learner.id)).toHaveLength(0);
    const later = await syncOfflineItems(t.db, learner.id, [xapi(60)], applier(t.db, learner.id));
    expect(later[0]).toMatchObject({ outcome: 'applied', repeated: false });
    expect(await statementsOf(learner.id)).toHaveLength(1);
  });
});
