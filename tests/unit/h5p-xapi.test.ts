// xAPI intake: what the browser may report, what is stored, best/last score, required-activity completion, learner
// state, the coordinator's export and forwarding to an external LRS — on a real libSQL database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users, xapiForwardQueue, xapiStatements } from '../../db/schema.ts';
import { nextActivityResult, recordActivityStatement, requiredActivitiesDone, activityResultsFor } from '../../src/server/h5p/activityResults.ts';
import { loadActivityState, saveActivityState } from '../../src/server/h5p/activityState.ts';
import { listStatementsForExport, streamStatementsAsJson } from '../../src/server/h5p/exportStatements.ts';
import { forwardPendingStatements, lrsConfigFrom, nextAttemptDelay } from '../../src/server/h5p/forwardToLrs.ts';
import { listLessonActivities, requiredActivityIds } from '../../src/server/h5p/listLessonActivities.ts';
import { buildStoredStatement, xapiReportSchema, type XapiReport } from '../../src/server/h5p/xapiStatement.ts';
import type { ActivitiesDone } from '../../src/server/learning/progress.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const ORIGIN = 'https://capacita.test';

/** A statement as H5P core builds it in the browser for one of our types. */
function browserStatement(verb: 'answered' | 'completed' | 'interacted', raw: number, max: number, extra: Record<string, unknown> = {}) {
  return {
    actor: { account: { name: 'forged-uuid', homePage: 'https://evil.test' }, objectType: 'Agent' },
    verb: { id: `http://adlnet.gov/expapi/verbs/${verb}`, display: { 'en-US': verb } },
    object: {
      id: 'https://evil.test/anything',
      objectType: 'Activity',
      definition: { extensions: { 'http://h5p.org/x-api/h5p-local-content-id': 'demo-classify-es' }, name: { es: 'Demo' }, interactionType: 'matching' },
    },
    context: { contextActivities: { category: [{ id: 'http://h5p.org/libraries/Capacita.Classify-1.0', objectType: 'Activity' }] } },
    result: { score: { min: 0, max, raw, scaled: raw / max }, completion: true, success: raw === max, duration: 'PT12.5S', response: 'card0[.]trata' },
    ...extra,
  };
}

function report(statement: unknown, activityId = 'demo-classify-es', courseId?: string): XapiReport {
  return xapiReportSchema.parse({ activityId, courseId, statement });
}

describe('xAPI statement validation', () => {
  it('accepts a top-level answered/completed statement from H5P and drops what the browser may not decide', () => {
    const stored = buildStoredStatement({ report: report(browserStatement('answered', 3, 4), 'demo-classify-es', 'basico-fundamentos'), actor: { userId: 42 }, origin: ORIGIN, id: 'fixed-id', now: Date.UTC(2026, 0, 2) });
    expect(stored).toMatchObject({ id: 'fixed-id', verb: 'answered', scoreRaw: 3, scoreMax: 4, success: false, completed: true });
    expect(stored.statement).toMatchObject({
      id: 'fixed-id',
      version: '1.0.3',
      actor: { objectType: 'Agent', account: { homePage: ORIGIN, name: '42' } },
      object: { objectType: 'Activity', id: `${ORIGIN}/h5p/demo-classify-es`, definition: { interactionType: 'matching', name: { es: 'Demo' } } },
      result: { score: { raw: 3, max: 4, min: 0, scaled: 0.75 }, success: false, duration: 'PT12.5S', response: 'card0[.]trata' },
      context: { contextActivities: { grouping: [{ id: `${ORIGIN}/courses/basico-fundamentos` }] } },
      timestamp: '2026-01-02T00:00:00.000Z',
    });
    expect(JSON.stringify(stored.statement)).not.toContain('evil.test');
  });

  it('recomputes the scaled score instead of trusting the browser', () => {
    const forged = browserStatement('completed', 1, 4);
    (forged.result.score as { scaled: number }).scaled = 1;
    expect(buildStoredStatement({ report: report(forged), actor: { userId: 1 }, origin: ORIGIN }).statement.result).toMatchObject({ score: { scaled: 0.25 } });
  });

  it('refuses other verbs, sub-content statements, impossible scores and unknown activity ids', () => {
    const refused = (body: unknown) => xapiReportSchema.safeParse(body).success === false;
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('interacted', 1, 1) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', 1, 1, { context: { contextActivities: { parent: [{ id: 'x' }] } } }) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', 5, 4) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', -1, 4) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', 1, 0) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', 1, 1e9) })).toBe(true);
    expect(refused({ activityId: '../etc', statement: browserStatement('answered', 1, 1) })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: { verb: { id: 'http://adlnet.gov/expapi/verbs/completed' } } })).toBe(true);
    expect(refused({ activityId: 'demo-classify-es', statement: browserStatement('answered', 1, 1, { result: { score: { raw: 1, max: 1 }, duration: 'soon' } }) })).toBe(true);
  });
});

describe('best and last score', () => {
  it('keeps the best and the last attempt', () => {
    let result = nextActivityResult(null, { raw: 2, max: 4, completed: true });
    expect(result).toEqual({ bestScore: 2, lastScore: 2, maxScore: 4, completed: true });
    result = nextActivityResult(result, { raw: 4, max: 4, completed: true });
    expect(result).toEqual({ bestScore: 4, lastScore: 4, maxScore: 4, completed: true });
    result = nextActivityResult(result, { raw: 1, max: 4, completed: true });
    expect(result).toEqual({ bestScore: 4, lastScore: 1, maxScore: 4, completed: true });
  });

  it('never un-completes an activity', () => {
    expect(nextActivityResult({ bestScore: 1, lastScore: 1, maxScore: 1, completed: true }, { raw: 0, max: 1, completed: false }).completed).toBe(true);
  });

  it('keeps the best proportion when the activity is edited and its maximum changes', () => {
    expect(nextActivityResult({ bestScore: 3, lastScore: 3, maxScore: 4, completed: true }, { raw: 2, max: 8, completed: true })).toEqual({ bestScore: 6, lastScore: 2, maxScore: 8, completed: true });
  });
});

describe('lesson activities in MDX', () => {
  it('finds the activities of a lesson and which are required', () => {
    const mdx = `# Lesson\n<H5P id="bas-clasificar-es" required />\n\ntext\n<H5P id='bas-decidir-es' />\n<H5P required={true} id={"bas-terminos-es"}/>\n<H5P id="x-es" required={false} />`;
    expect(listLessonActivities(mdx)).toEqual([
      { id: 'bas-clasificar-es', required: true },
      { id: 'bas-decidir-es', required: false },
      { id: 'bas-terminos-es', required: true },
      { id: 'x-es', required: false },
    ]);
    expect(requiredActivityIds(mdx)).toEqual(['bas-clasificar-es', 'bas-terminos-es']);
  });
});

describe('recording on the database', () => {
  let test: TestDatabase;
  let db: Database;
  let learner: number;
  let other: number;

  beforeEach(async () => {
    test = await createTestDatabase();
    db = test.db;
    const inserted = await db
      .insert(users)
      .values([
        { name: 'Ana', email: 'ana@x.test', emailKey: 'ana@x.test', countryCode: 'HN' },
        { name: 'Beto', email: 'beto@x.test', emailKey: 'beto@x.test', countryCode: 'GT' },
      ])
      .returning({ id: users.id });
    learner = inserted[0]!.id;
    other = inserted[1]!.id;
  });
  afterEach(() => test.close());

  async function record(userId: number, countryCode: string, activityId: string, raw: number, max: number, now: number, verb: 'answered' | 'completed' = 'completed', forward = false, courseId: string | null = 'basico-fundamentos') {
    const stored = buildStoredStatement({ report: report(browserStatement(verb, raw, max), activityId, courseId ?? undefined), actor: { userId }, origin: ORIGIN, now });
    return recordActivityStatement(db, { userId, activityId, courseId, countryCode, stored, forward, now });
  }

  it('stores each statement and the best/last score', async () => {
    await record(learner, 'HN', 'demo-classify-es', 2, 4, 1000);
    await record(learner, 'HN', 'demo-classify-es', 4, 4, 2000);
    const after = await record(learner, 'HN', 'demo-classify-es', 1, 4, 3000);
    expect(after).toEqual({ bestScore: 4, lastScore: 1, maxScore: 4, completed: true });
    expect(await db.$count(xapiStatements, eq(xapiStatements.userId, learner))).toBe(3);
    expect((await activityResultsFor(db, learner, ['demo-classify-es'])).get('demo-classify-es')).toEqual(after);
  });

  it('counts required activities as done only when each one is completed', async () => {
    expect(await requiredActivitiesDone(db, learner, [])).toBe(true);
    expect(await requiredActivitiesDone(db, learner, ['demo-classify-es', 'demo-scenario-es'])).toBe(false);
    await record(learner, 'HN', 'demo-classify-es', 0, 4, 1000);
    expect(await requiredActivitiesDone(db, learner, ['demo-classify-es', 'demo-scenario-es'])).toBe(false);
    await record(other, 'GT', 'demo-scenario-es', 1, 1, 1000);
    expect(await requiredActivitiesDone(db, learner, ['demo-classify-es', 'demo-scenario-es'])).toBe(false);
    await record(learner, 'HN', 'demo-scenario-es', 0, 1, 2000, 'answered');
    expect(await requiredActivitiesDone(db, learner, ['demo-classify-es', 'demo-scenario-es'])).toBe(true);

    // What the lessons code plugs in: markLessonDone(db, { …, activitiesDone: requiredActivitiesDone }), in its transaction.
    const lessonCheck: ActivitiesDone = requiredActivitiesDone;
    expect(await db.transaction((tx) => lessonCheck(tx, learner, ['demo-classify-es', 'demo-scenario-es']))).toBe(true);
    expect(await db.transaction((tx) => lessonCheck(tx, other, ['demo-classify-es']))).toBe(false);
  });

  it('saves and loads where the learner left an activity', async () => {
    expect(await loadActivityState(db, learner, 'demo-classify-es')).toBeNull();
    await saveActivityState(db, learner, 'demo-classify-es', '{"answers":{"0":"trata"}}');
    await saveActivityState(db, learner, 'demo-classify-es', '{"answers":{"0":"trafico"}}');
    expect(await loadActivityState(db, learner, 'demo-classify-es')).toBe('{"answers":{"0":"trafico"}}');
    expect(await loadActivityState(db, other, 'demo-classify-es')).toBeNull();
  });

  it('exports statements filtered by scope, country, course and date, page by page', async () => {
    await record(learner, 'HN', 'demo-classify-es', 1, 4, Date.UTC(2026, 0, 1));
    await record(learner, 'HN', 'demo-scenario-es', 1, 1, Date.UTC(2026, 0, 5), 'completed', false, 'medios-cobertura');
    await record(other, 'GT', 'demo-classify-es', 4, 4, Date.UTC(2026, 0, 10));
    const all = await listStatementsForExport(db, { scope: { kind: 'all' } });
    expect(all.statements).toHaveLength(3);
    expect((await listStatementsForExport(db, { scope: { kind: 'all' }, countryCode: 'GT' })).statements.map((s) => s.actor.account.name)).toEqual([String(other)]);
    expect((await listStatementsForExport(db, { scope: { kind: 'country', countryCode: 'HN' } })).statements).toHaveLength(2);
    expect((await listStatementsForExport(db, { scope: { kind: 'none' } })).statements).toHaveLength(0);
    expect((await listStatementsForExport(db, { scope: { kind: 'all' }, courseId: 'medios-cobertura' })).statements.map((s) => s.object.id)).toEqual([`${ORIGIN}/h5p/demo-scenario-es`]);
    expect((await listStatementsForExport(db, { scope: { kind: 'all' }, from: new Date(Date.UTC(2026, 0, 2)), to: new Date(Date.UTC(2026, 0, 10)) })).statements).toHaveLength(1);

    const firstPage = await listStatementsForExport(db, { scope: { kind: 'all' } }, { limit: 2 });
    const secondPage = await listStatementsForExport(db, { scope: { kind: 'all' } }, { limit: 2, after: firstPage.next });
    expect([...firstPage.statements, ...secondPage.statements].map((s) => s.id)).toEqual(all.statements.map((s) => s.id));
    expect(secondPage.next).toBeNull();

    const text = await new Response(streamStatementsAsJson(db, { scope: { kind: 'all' } }, 2)).text();
    expect(JSON.parse(text).map((s: { id: string }) => s.id)).toEqual(all.statements.map((s) => s.id));
    expect(JSON.parse(await new Response(streamStatementsAsJson(db, { scope: { kind: 'none' } })).text())).toEqual([]);
  });

  it('forwards queued statements to the LRS, retrying failures with back-off', async () => {
    expect(lrsConfigFrom({})).toBeNull();
    const lrs = lrsConfigFrom({ XAPI_LRS_ENDPOINT: 'https://lrs.test/xapi/', XAPI_LRS_USERNAME: 'key', XAPI_LRS_PASSWORD: 'secret' })!;
    await record(learner, 'HN', 'demo-classify-es', 1, 4, 1000, 'completed', true);
    await record(learner, 'HN', 'demo-scenario-es', 1, 1, 1000, 'completed', true);
    await record(learner, 'HN', 'demo-termmatch-en', 1, 1, 1000, 'completed', false);

    const calls: Array<{ url: string; init: RequestInit }> = [];
    let answer = 500;
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status: answer });
    }) as unknown as typeof fetch;

    expect(await forwardPendingStatements(db, lrs, { fetch: fakeFetch, now: 2000 })).toEqual({ sent: 0, failed: 2 });
    const [queued] = await db.select().from(xapiForwardQueue).limit(1);
    expect(queued).toMatchObject({ attempts: 1, lastError: 'HTTP 500', nextAttemptAt: new Date(2000 + nextAttemptDelay(1)) });
    expect(await forwardPendingStatements(db, lrs, { fetch: fakeFetch, now: 2001 })).toEqual({ sent: 0, failed: 0 }); // not due yet

    answer = 204;
    expect(await forwardPendingStatements(db, lrs, { fetch: fakeFetch, now: 2000 + nextAttemptDelay(1) })).toEqual({ sent: 2, failed: 0 });
    expect(await db.$count(xapiForwardQueue)).toBe(0);
    const last = calls.at(-1)!;
    expect(last.url).toMatch(/^https:\/\/lrs\.test\/xapi\/statements\?statementId=[0-9a-f-]{36}$/);
    expect(last.init.method).toBe('PUT');
    expect((last.init.headers as Record<string, string>)['X-Experience-API-Version']).toBe('1.0.3');
    expect((last.init.headers as Record<string, string>).Authorization).toBe(`Basic ${Buffer.from('key:secret').toString('base64')}`);
    expect(JSON.parse(String(last.init.body)).actor.account.name).toBe(String(learner));
    expect(nextAttemptDelay(30)).toBe(6 * 60 * 60_000);
  });
});
