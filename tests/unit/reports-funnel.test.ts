// The funnel, the median time to complete and completions per month on a hand-made set of enrolments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { completionsPerMonth, funnelByCountry, funnelReport, medianOfCounts } from '../../src/server/reports/funnel.ts';
import { monthKey, rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, DAY, institutionId, NOW, takeCourse } from './helpers/reports.ts';

const GT = { kind: 'country', countryCode: 'GT' } as const;
let t: TestDatabase;
const MAY = Date.UTC(2026, 4, 10);
const MARCH = Date.UTC(2026, 2, 3);

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  const igm = await institutionId(db, 'GT', 'IGM');
  const pnc = await institutionId(db, 'GT', 'PNC');
  const inm = await institutionId(db, 'HN', 'INM');
  const course = (userId: number, inst: number, enrolledAt: number, startedAfter: number | null, days: number | null, country = 'GT', certificate = true) =>
    takeCourse(db, {
      userId, countryCode: country, institutionId: inst, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt,
      startedAt: startedAfter === null ? null : enrolledAt + startedAfter * DAY,
      completedAt: startedAfter === null || days === null ? null : enrolledAt + startedAfter * DAY + days * DAY + 3_600_000,
      certificate: certificate ? { validityDays: 730 } : false,
    });
  // Guatemala, cohort of March: 6 enrolled, 5 started, 3 completed (in 2, 10 and 30 days), 2 certified.
  await course(await addPerson(db, 'GT', igm), igm, MARCH, null, null);
  await course(await addPerson(db, 'GT', igm), igm, MARCH, 1, null);
  await course(await addPerson(db, 'GT', igm), igm, MARCH, 1, null);
  await course(await addPerson(db, 'GT', igm), igm, MARCH, 1, 2);
  await course(await addPerson(db, 'GT', pnc), pnc, MARCH, 0, 10);
  await course(await addPerson(db, 'GT', pnc), pnc, MARCH, 2, 30, 'GT', false);
  // Cohort of May: 2 enrolled, both completed (4 and 6 days).
  await course(await addPerson(db, 'GT', igm), igm, MAY, 0, 4);
  await course(await addPerson(db, 'GT', igm), igm, MAY, 0, 6);
  // Honduras: 3 enrolled, 1 completed.
  await course(await addPerson(db, 'HN', inm), inm, MAY, 0, 1, 'HN');
  await course(await addPerson(db, 'HN', inm), inm, MAY, null, null, 'HN');
  await course(await addPerson(db, 'HN', inm), inm, MAY, null, null, 'HN');
  // An Autocuidado course, to check the track filter.
  await takeCourse(db, { userId: await addPerson(db, 'GT', igm), countryCode: 'GT', institutionId: igm, courseId: 'autocuidado-seguridad', programme: 'autocuidado', enrolledAt: MAY, startedAt: MAY, completedAt: MAY + 8 * DAY });
});
afterAll(() => t.close());

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(medianOfCounts([])).toBeNull();
    expect(medianOfCounts([{ value: 2, n: 1 }, { value: 10, n: 1 }, { value: 30, n: 1 }])).toBe(10);
    expect(medianOfCounts([{ value: 2, n: 1 }, { value: 4, n: 1 }, { value: 6, n: 1 }, { value: 10, n: 1 }])).toBe(5);
    expect(medianOfCounts([{ value: 1, n: 3 }, { value: 9, n: 1 }])).toBe(1);
  });
});

describe('funnel', () => {
  it('counts enrolled → started → completed → certified for the scope only', async () => {
    const [basico] = await funnelReport(t.db, GT, { programme: 'basico' });
    // 8 enrolled, 7 started, 5 completed (2, 10, 30, 4, 6 days: median 6), 4 certified.
    expect(basico).toEqual({ courseId: 'basico-fundamentos', programme: 'basico', enrolled: 8, started: 7, completed: 5, certified: 4, medianDays: 6 });
  });

  it('restricts to the enrolment cohorts of the period (and completions of the period for the median)', async () => {
    const march = await funnelReport(t.db, GT, { programme: 'basico', from: 202603, to: 202603 });
    expect(march[0]).toMatchObject({ enrolled: 6, started: 5, completed: 3, certified: 2 });
    // Completions in March: after 2 and 10 days (the 30-day one finished in April) → median 6.
    expect(march[0]!.medianDays).toBe(6);
    const may = await funnelReport(t.db, GT, { programme: 'basico', from: 202605, to: 202605 });
    expect(may[0]).toMatchObject({ enrolled: 2, completed: 2, medianDays: 5 });
  });

  it('filters by institution and by track', async () => {
    const pnc = await institutionId(t.db, 'GT', 'PNC');
    expect((await funnelReport(t.db, GT, { institutionId: pnc }))[0]).toMatchObject({ enrolled: 2, started: 2, completed: 2, certified: 1, medianDays: 20 });
    expect((await funnelReport(t.db, GT, { sector: 'police' }))[0]).toMatchObject({ enrolled: 2 });
    const all = await funnelReport(t.db, GT);
    expect(all.map((r) => r.courseId)).toEqual(['basico-fundamentos', 'autocuidado-seguridad']);
  });

  it('compares countries', async () => {
    const rows = await funnelByCountry(t.db, { kind: 'all' }, { programme: 'basico' });
    expect(rows).toEqual([
      { countryCode: 'GT', enrolled: 8, started: 7, completed: 5, certified: 4 },
      { countryCode: 'HN', enrolled: 3, started: 1, completed: 1, certified: 1 },
    ]);
  });
});

describe('completions per month', () => {
  it('counts completions in the month they happened, per track, with empty months as 0', async () => {
    const data = await completionsPerMonth(t.db, GT, {}, { now: NOW, months: 24 });
    expect(data.months).toHaveLength(24);
    expect(data.months.at(-1)).toBe(monthKey(NOW));
    const basico = data.series.find((s) => s.key === 'basico')!.values;
    const at = (m: number) => basico[data.months.indexOf(m)];
    expect([at(202603), at(202604), at(202605), at(202606)]).toEqual([2, 1, 2, 0]);
    expect(data.series.find((s) => s.key === 'autocuidado')!.values.reduce((a, b) => a + b, 0)).toBe(1);
  });
});

describe('summary consistency', () => {
  it('rebuilding the summaries from raw rows gives what the events recorded', async () => {
    const dump = async () => ({
      months: await t.db.all(sql`SELECT * FROM report_course_month ORDER BY country_code, institution_id, course_id, month`),
      days: await t.db.all(sql`SELECT * FROM report_completion_days ORDER BY country_code, course_id, institution_id, month, days`),
      holders: await t.db.all(sql`SELECT * FROM report_holders ORDER BY user_id, track`),
    });
    const incremental = await dump();
    await rebuildReportSummaries(t.db);
    expect(await dump()).toEqual(incremental);
  });
});
