// Every dashboard view of the registry (src/server/reports/views/) on a small population whose figures are worked
// out by hand in the comments, plus the semester report (src/server/reports/semester.ts). Tables come out with
// their words as Terms (message keys, ids of named data): the page translates them.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { semesterReport } from '../../src/server/reports/semester.ts';
import { parseSemester } from '../../src/server/reports/semesters.ts';
import type { ViewTable } from '../../src/server/reports/table.ts';
import { buildViews, COUNTRY_VIEWS, REGION_VIEWS } from '../../src/server/reports/views/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, clearTargets, DAY, NOW, revoke, setTarget, submitQuiz, takeCourse } from './helpers/reports.ts';

const GT = { kind: 'country', countryCode: 'GT' } as const;
let t: TestDatabase;
let g1: { id: number; name: string; acronym: string | null; sector: string };
let g2: typeof g1;

/*
 * Guatemala, two institutions of different sectors; Honduras, one. Now = 15 June 2026 (helpers NOW).
 *   g1: 3 complete Básico 100 days ago; 1 enrolled 10 days ago and started; 1 completed Básico 800 days ago (valid
 *       730 days: expired 70 days ago).
 *   g2: 2 complete Básico 30 days ago; 1 more 30 days ago, revoked yesterday; 1 completed Básico 700 days ago (expires
 *       in 30 days: due for a refresher); that one also completed Especializado 150 days ago (valid 1 095 days).
 *   h1: 6 complete Básico 50 days ago.
 * Targets: g1 Básico 10; g2 Básico 4, Especializado 2; h1 Básico 8.
 *
 * Coverage now: g1 Básico 3/10; g2 Básico 3/4 (2 + the one due soon; the revoked one is out), Especializado 1/2;
 * Guatemala Básico 6/14, Especializado 1/2; Honduras 6/8; region Básico 12/22.
 * Funnel (all time), basico-fundamentos in Guatemala: enrolled 9, started 9, completed 8, certified 7 (one revoked).
 * Refreshers due: g1 1 expired; g2 1 due soon.
 */
beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await clearTargets(db);
  const two = await db.all<{ id: number; name: string; acronym: string | null; sector_code: string }>(sql`
    SELECT id, name, acronym, sector_code FROM institutions WHERE country_code = 'GT' AND active = 1
     AND sector_code IN (SELECT sector_code FROM institutions WHERE country_code = 'GT' GROUP BY sector_code ORDER BY sector_code LIMIT 2)
     GROUP BY sector_code ORDER BY sector_code`);
  [g1, g2] = two.map((r) => ({ id: Number(r.id), name: r.name, acronym: r.acronym, sector: r.sector_code })) as [typeof g1, typeof g1];
  const [h1] = await db.all<{ id: number }>(sql`SELECT id FROM institutions WHERE country_code = 'HN' ORDER BY id LIMIT 1`);
  const hn = Number(h1!.id);
  await setTarget(db, g1.id, 'basico', 10);
  await setTarget(db, g2.id, 'basico', 4);
  await setTarget(db, g2.id, 'especializado', 2);
  await setTarget(db, hn, 'basico', 8);
  const take = (userId: number, country: string, inst: number, completedAgo: number | null, opts: { programme?: 'basico' | 'especializado'; validity?: number; enrolledAgo?: number } = {}) => {
    const enrolledAgo = opts.enrolledAgo ?? (completedAgo ?? 0) + 20;
    return takeCourse(db, {
      userId,
      countryCode: country,
      institutionId: inst,
      courseId: opts.programme === 'especializado' ? 'especializado-investigacion' : 'basico-fundamentos',
      programme: opts.programme ?? 'basico',
      enrolledAt: NOW - enrolledAgo * DAY,
      startedAt: NOW - (enrolledAgo - 1) * DAY,
      completedAt: completedAgo === null ? null : NOW - completedAgo * DAY,
      certificate: { validityDays: opts.validity ?? 730 },
    });
  };
  const first = await addPerson(db, 'GT', g1.id, 'Ana Uno');
  const story = await take(first, 'GT', g1.id, 100);
  for (let i = 0; i < 2; i++) await take(await addPerson(db, 'GT', g1.id), 'GT', g1.id, 100);
  await take(await addPerson(db, 'GT', g1.id), 'GT', g1.id, null, { enrolledAgo: 10 });
  await take(await addPerson(db, 'GT', g1.id, 'Berta Vencida'), 'GT', g1.id, 800);
  for (let i = 0; i < 2; i++) await take(await addPerson(db, 'GT', g2.id), 'GT', g2.id, 30);
  const revoked = await take(await addPerson(db, 'GT', g2.id), 'GT', g2.id, 30);
  await revoke(db, revoked.certificateId!, NOW - DAY);
  const specialist = await addPerson(db, 'GT', g2.id, 'Carla Pronto');
  await take(specialist, 'GT', g2.id, 700);
  await take(specialist, 'GT', g2.id, 150, { programme: 'especializado', validity: 1095 });
  for (let i = 0; i < 6; i++) await take(await addPerson(db, 'HN', hn), 'HN', hn, 50);
  // Item analysis: two attempts at basico-fundamentos in Guatemala; q1 right once, q2 wrong twice with the same answer.
  for (const right of [true, false]) {
    await submitQuiz(db, story.enrolmentId, first, 'GT', 'basico-fundamentos', [
      { questionId: 'q1', response: { type: 'single', choice: right ? 'a' : 'b' }, correct: right },
      { questionId: 'q2', response: { type: 'single', choice: 'c' }, correct: false },
    ]);
  }
});
afterAll(() => t.close());

const ctx = (extra: Partial<Parameters<typeof buildViews>[1]> = {}) => ({ db: t.db, scope: GT, filters: {}, now: NOW, ...extra });
const byKey = (table: ViewTable, row: number) => Object.fromEntries(table.columns.map((c, i) => [c.key, table.rows[row]![i]]));

describe('country views', () => {
  it('coverage per track, sector and institution', async () => {
    const v = await buildViews(['coverage', 'coverage-sectors', 'coverage-institutions'], ctx());
    expect(v.coverage.rows).toEqual([
      [{ track: 'basico' }, 6, 14, 6 / 14],
      [{ track: 'especializado' }, 1, 2, 0.5],
    ]);
    expect(v.coverage.title).toEqual({ message: 'dashboard.coverage.byTrack' });
    const sector = (code: string) => v['coverage-sectors'].rows.find((r) => (r[0] as { sector: string }).sector === code)!;
    expect(sector(g1.sector)).toEqual([{ sector: g1.sector }, 3, 10, 0.3, 0, 0, null]);
    expect(sector(g2.sector)).toEqual([{ sector: g2.sector }, 3, 4, 0.75, 1, 2, 0.5]);
    expect(v['coverage-sectors'].sortBy).toBe(0);
    const institution = (i: typeof g1) => v['coverage-institutions'].rows.find((r) => r[0] === (i.acronym ? `${i.name} (${i.acronym})` : i.name))!;
    expect(institution(g1).slice(1)).toEqual([{ sector: g1.sector }, 3, 10, 0.3, 0, 0, null]);
    expect(institution(g2).slice(1)).toEqual([{ sector: g2.sector }, 3, 4, 0.75, 1, 2, 0.5]);
    expect(v['coverage-institutions'].columns.map((c) => c.key)).toEqual(['institution', 'sector', 'basico.holders', 'basico.target', 'basico.rate', 'especializado.holders', 'especializado.target', 'especializado.rate']);
    expect(v['coverage-institutions'].columns[2]!.label).toEqual({ join: [{ track: 'basico' }, { message: 'dashboard.col.holders' }] });
  });

  it('the funnel per course and completions per month', async () => {
    const v = await buildViews(['funnel', 'completions'], ctx());
    expect(byKey(v.funnel, 0)).toMatchObject({ course: { course: 'basico-fundamentos' }, track: { track: 'basico' }, enrolled: 9, started: 9, completed: 8, certified: 7, completionRate: 8 / 9 });
    expect(byKey(v.funnel, 1)).toMatchObject({ course: { course: 'especializado-investigacion' }, enrolled: 1, completed: 1, certified: 1, medianDays: 19 });
    // Completions by month of completion, last 24 months ending June 2026: March (100 days ago) 3, May (30) 3, Jan (150) 1.
    const month = (m: string) => byKey(v.completions, v.completions.rows.findIndex((r) => r[0] === m));
    expect(v.completions.rows).toHaveLength(24);
    expect(month('2026-03')).toMatchObject({ basico: 3, especializado: 0 });
    expect(month('2026-05')).toMatchObject({ basico: 3 });
    expect(month('2026-01')).toMatchObject({ especializado: 1 });
  });

  it('refreshers per institution, and the named list', async () => {
    const v = await buildViews(['refreshers', 'refresher-people'], ctx());
    expect(v.refreshers.rows).toEqual(expect.arrayContaining([[g1.name, { sector: g1.sector }, 1, 0, 1], [g2.name, { sector: g2.sector }, 0, 1, 1]]));
    expect(v.refreshers.rows).toHaveLength(2);
    expect(v['refresher-people'].rows.map((r) => [r[0], r[4]])).toEqual([
      ['Berta Vencida', { message: 'dashboard.refreshers.expired' }],
      ['Carla Pronto', { message: 'dashboard.refreshers.dueSoon' }],
    ]);
    expect(v['refresher-people'].rows[1]![3]).toEqual({ date: NOW - 700 * DAY + 730 * DAY });
  });

  it('item analysis per question and per topic', async () => {
    const topics: Record<string, string> = { q1: 'indicadores', q2: 'referencia' };
    const v = await buildViews(['items', 'items-topics'], ctx({ courseId: 'basico-fundamentos', topicOf: (id) => topics[id] }));
    expect(v.items.rows.map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ['q1', 'indicadores', 2, 0.5],
      ['q2', 'referencia', 2, 0],
    ]);
    expect(byKey(v.items, 1).topWrong).toEqual({ response: JSON.stringify({ choice: 'c', type: 'single' }), question: 'q2' }); // canonical: keys sorted
    expect(v['items-topics'].rows).toEqual([
      ['referencia', 1, 2, 0],
      ['indicadores', 1, 2, 0.5],
    ]);
  });

  it('builds the whole country dashboard at once and never reaches another country', async () => {
    const v = await buildViews(COUNTRY_VIEWS, ctx());
    expect(Object.keys(v)).toEqual([...COUNTRY_VIEWS]);
    expect(JSON.stringify(v)).not.toContain('"HN"');
  });
});

describe('region views for the coordination', () => {
  it('coverage, funnel and completions per country with the region', async () => {
    const v = await buildViews(REGION_VIEWS, ctx({ scope: { kind: 'all' } }));
    const row = (table: ViewTable, code: string) => table.rows.find((r) => JSON.stringify(r[0]) === JSON.stringify({ country: code }))!;
    expect(row(v['region-coverage'], 'GT').slice(1, 4)).toEqual([6, 14, 6 / 14]);
    expect(row(v['region-coverage'], 'HN').slice(1, 4)).toEqual([6, 8, 0.75]);
    expect(v['region-coverage'].rows.at(-1)!.slice(0, 4)).toEqual([{ message: 'dashboard.region.total' }, 12, 22, 12 / 22]);
    expect(v['region-coverage'].fixedLast).toBe(1);
    expect(row(v['region-funnel'], 'GT').slice(1, 5)).toEqual([10, 10, 9, 8]);
    expect(row(v['region-funnel'], 'HN').slice(1, 5)).toEqual([6, 6, 6, 6]);
    const april = v['region-completions'].rows.find((r) => r[0] === '2026-04')!; // Honduras' six, 50 days ago
    expect(april[v['region-completions'].columns.findIndex((c) => c.key === 'HN')]).toBe(6);
  });
});

describe('the semester report', () => {
  it('coverage now and at the end of the previous semester, completions, refreshers, top and bottom institutions', async () => {
    const report = await semesterReport(t.db, GT, parseSemester('2026-1')!, { now: NOW });
    const table = (id: string) => report.tables.find((x) => x.id === id)!;
    expect(report.at).toBe(NOW); // the semester is running
    // At the end of 2025-2 (1 Jan 2026, 165 days ago) only the 800- and 700-day-old Básico certificates were held.
    expect(table('semester-coverage').rows).toEqual([
      [{ track: 'basico' }, 6, 14, 6 / 14, 2, 2 / 14, Math.round((6 / 14 - 2 / 14) * 1000) / 10],
      [{ track: 'especializado' }, 1, 2, 0.5, 0, 0, 50],
    ]);
    const completions = Object.fromEntries(table('semester-completions').rows.map((r) => [(r[0] as { track: string }).track, [r[1], r[2]]]));
    expect(completions).toMatchObject({ basico: [6, 0], especializado: [1, 0], medios: [0, 0] });
    expect(table('semester-refreshers').rows).toEqual([[{ message: 'dashboard.col.total' }, 1, 1]]);
    expect(table('semester-top').rows.map((r) => [r[0], r[1], r[2]])).toEqual([[g2.name, 3, 4], [g1.name, 3, 10]]);
    expect(table('semester-bottom').rows.map((r) => r[0])).toEqual([g1.name, g2.name]);
  });

  it('for the region, per country', async () => {
    const report = await semesterReport(t.db, { kind: 'all' }, parseSemester('2026-1')!, { now: NOW, byCountry: true });
    const countries = report.tables.find((x) => x.id === 'semester-countries')!;
    expect(countries.rows).toEqual(expect.arrayContaining([[{ country: 'GT' }, 6, 6 / 14, 1, 0.5], [{ country: 'HN' }, 6, 0.75, 0, null]]));
    const refreshers = report.tables.find((x) => x.id === 'semester-refreshers')!;
    expect(refreshers.rows.at(-1)).toEqual([{ message: 'dashboard.region.total' }, 1, 1]);
  });
});
