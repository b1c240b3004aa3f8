// Which activities a learner may save state and results for, and the quotas per learner and activity — on a real
// libSQL database and a temp content/h5p folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { enrolments, users, xapiStatements } from '../../db/schema.ts';
import { activityAccessFor, coursesUsingActivities } from '../../src/server/h5p/activityAccess.ts';
import { MAX_STATEMENTS_PER_ACTIVITY, recordActivityStatement } from '../../src/server/h5p/activityResults.ts';
import { loadActivityState, MAX_STATE_BYTES, saveActivityState } from '../../src/server/h5p/activityState.ts';
import { buildStoredStatement, xapiReportSchema } from '../../src/server/h5p/xapiStatement.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const LESSONS = [
  { courseId: 'basico', source: 'Texto.\n\n<H5P id="bas-clasificar-es" required />\n' },
  { courseId: 'basico', source: '<H5P id="bas-clasificar-en" required />' },
  { courseId: 'medios', source: '<H5P id="med-terminos-es" />\n<H5P id="compartida-es" />' },
  { courseId: 'basico', source: '<H5P id="compartida-es" />' },
  { courseId: 'basico', source: '<H5P id="sin-paquete-es" />' },
];

describe('activities a learner may record', () => {
  let test: TestDatabase;
  let db: Database;
  let root: string;
  let learner: number;

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.db;
    root = mkdtempSync(join(tmpdir(), 'capacita-h5p-access-'));
    for (const id of ['bas-clasificar-es', 'bas-clasificar-en', 'med-terminos-es', 'compartida-es', 'demo-classify-es']) {
      mkdirSync(join(root, id));
      writeFileSync(join(root, id, 'h5p.json'), '{}');
    }
    const [row] = await db.insert(users).values({ name: 'Ana', email: 'ana@x.test', emailKey: 'ana@x.test', countryCode: 'HN' }).returning({ id: users.id });
    learner = row!.id;
    await db.insert(enrolments).values({ userId: learner, courseId: 'basico', programme: 'basico', countryCode: 'HN', enrolledAt: new Date() });
  });
  afterEach(() => {
    test.close();
    rmSync(root, { recursive: true, force: true });
  });

  const access = (activityId: string, requestedCourseId?: string) =>
    activityAccessFor(db, { userId: learner, activityId, root, courses: coursesUsingActivities(LESSONS), requestedCourseId });

  it('maps each activity to the courses whose lessons show it', () => {
    const courses = coursesUsingActivities(LESSONS);
    expect(courses.get('bas-clasificar-es')).toEqual(['basico']);
    expect(courses.get('compartida-es')).toEqual(['medios', 'basico']);
    expect(courses.has('demo-classify-es')).toBe(false);
  });

  it('accepts an installed activity of a lesson in an enrolled course, filed under that course', async () => {
    expect(await access('bas-clasificar-es')).toEqual({ ok: true, courseId: 'basico' });
    // The browser's course is taken only when it is one the learner may record under.
    expect(await access('bas-clasificar-es', 'medios')).toEqual({ ok: true, courseId: 'basico' });
    expect(await access('compartida-es', 'medios')).toEqual({ ok: true, courseId: 'basico' });
  });

  it('refuses an id no lesson uses, a lesson id with no installed package, and a course the learner is not in', async () => {
    expect(await access('made-up-activity')).toEqual({ ok: false, reason: 'unknownActivity' });
    expect(await access('demo-classify-es')).toEqual({ ok: false, reason: 'unknownActivity' });
    expect(await access('sin-paquete-es')).toEqual({ ok: false, reason: 'unknownActivity' });
    expect(await access('../libraries')).toEqual({ ok: false, reason: 'unknownActivity' });
    expect(await access('med-terminos-es')).toEqual({ ok: false, reason: 'notEnrolled' });
    await db.insert(enrolments).values({ userId: learner, courseId: 'medios', programme: 'medios', countryCode: 'HN', enrolledAt: new Date() });
    expect(await access('med-terminos-es')).toEqual({ ok: true, courseId: 'medios' });
    expect(await access('compartida-es', 'medios')).toEqual({ ok: true, courseId: 'medios' });
  });
});

describe('quotas per learner and activity', () => {
  let test: TestDatabase;
  let db: Database;
  let learner: number;

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.db;
    const [row] = await db.insert(users).values({ name: 'Ana', email: 'ana@x.test', emailKey: 'ana@x.test', countryCode: 'HN' }).returning({ id: users.id });
    learner = row!.id;
  });
  afterEach(() => test.close());

  const record = (activityId: string, i: number) => {
    const report = xapiReportSchema.parse({ activityId, statement: { verb: { id: 'http://adlnet.gov/expapi/verbs/answered' }, result: { score: { raw: 0, max: 1 }, response: 'x'.repeat(4000) } } });
    const stored = buildStoredStatement({ report, actor: { userId: learner }, origin: 'https://capacita.test', now: 1000 + i });
    return recordActivityStatement(db, { userId: learner, activityId, courseId: 'basico', countryCode: 'HN', stored, forward: false, now: 1000 + i });
  };

  it(`keeps at most ${MAX_STATEMENTS_PER_ACTIVITY} statements per learner and activity`, async () => {
    for (let i = 0; i < MAX_STATEMENTS_PER_ACTIVITY; i += 1) await record('bas-clasificar-es', i);
    await expect(record('bas-clasificar-es', 999)).rejects.toMatchObject({ name: 'DomainError', code: 'tooMany' });
    const kept = await db.$count(xapiStatements, and(eq(xapiStatements.userId, learner), eq(xapiStatements.activityId, 'bas-clasificar-es')));
    expect(kept).toBe(MAX_STATEMENTS_PER_ACTIVITY);
    // Another activity has its own quota.
    await expect(record('bas-indicadores-es', 0)).resolves.toMatchObject({ lastScore: 0 });
  });

  it('refuses a saved state above the size limit, counted in bytes, and keeps the last good one', async () => {
    await saveActivityState(db, learner, 'bas-clasificar-es', JSON.stringify({ a: 'x'.repeat(MAX_STATE_BYTES - 20) }));
    // Two bytes per character in UTF-8: under the limit in characters, over it in bytes.
    const wide = JSON.stringify({ a: 'ñ'.repeat(MAX_STATE_BYTES / 2) });
    expect(wide.length).toBeLessThan(MAX_STATE_BYTES + 20);
    await expect(saveActivityState(db, learner, 'bas-clasificar-es', wide)).rejects.toMatchObject({ name: 'DomainError', code: 'tooLarge' });
    expect((await loadActivityState(db, learner, 'bas-clasificar-es'))!.length).toBe(MAX_STATE_BYTES - 20 + 8);
  });
});
