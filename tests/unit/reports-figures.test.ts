// Figures that add up to everyone (issue 18): holders without an institution (journalists) and of a deactivated
// institution count in an "other / no institution" row of their country, so country and regional totals include them;
// deactivated institutions are not listed and their targets no longer count; the semester report's refreshers leave
// out deactivated and erased accounts like the dashboard; staff without a country get a named column.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { semesterReport } from '../../src/server/reports/semester.ts';
import { parseSemester } from '../../src/server/reports/semesters.ts';
import { buildViews } from '../../src/server/reports/views/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, clearTargets, DAY, NOW, setTarget, takeCourse } from './helpers/reports.ts';

let t: TestDatabase;
let gone = 0;
let kept = 0;
const GT = { kind: 'country', countryCode: 'GT' } as const;

async function journalist(countryCode: string): Promise<number> {
  const email = `j-${Math.random().toString(36).slice(2)}@test.capacita`;
  const rows = await t.db.all<{ id: number }>(sql`INSERT INTO users (name, email, email_key, role, country_code, institution_id) VALUES ('Periodista', ${email}, ${email}, 'journalist', ${countryCode}, NULL) RETURNING id`);
  return Number(rows[0]!.id);
}

const certified = (userId: number, countryCode: string | null, institutionId: number | null, programme: 'basico' | 'medios', completedAgo: number, validityDays = 730) =>
  takeCourse(t.db, {
    userId,
    countryCode: countryCode as string,
    institutionId: institutionId as number,
    courseId: programme === 'medios' ? 'medios-cobertura' : 'basico-fundamentos',
    programme,
    enrolledAt: NOW - (completedAgo + 10) * DAY,
    startedAt: NOW - (completedAgo + 9) * DAY,
    completedAt: NOW - completedAgo * DAY,
    certificate: { validityDays },
  });

/*
 * Guatemala: `kept` (target Básico 5) has 2 Básico holders; `gone` (target Básico 7) has 1 holder and is then
 * deactivated; 2 journalists hold Medios (no institution). One more official of `kept`, deactivated, is due for a
 * refresher (expires in 10 days), next to an active one due too. A coordinator (no country) completes Básico.
 * Coverage of Guatemala: Básico 5 holders (4 in `kept`, the two soon-due ones still valid, + 1 in "other") / target
 * 5 (the deactivated institution's 7 is gone); Medios 2 (all in "other"), no target. Refreshers due in the semester
 * report: 1 (the deactivated account is out).
 */
beforeAll(async () => {
  t = await createTestDatabase();
  await clearTargets(t.db);
  kept = await anyInstitution(t.db, 'GT', 0);
  gone = await anyInstitution(t.db, 'GT', 1);
  await setTarget(t.db, kept, 'basico', 5);
  await setTarget(t.db, gone, 'basico', 7);
  for (let i = 0; i < 2; i++) await certified(await addPerson(t.db, 'GT', kept), 'GT', kept, 'basico', 30);
  await certified(await addPerson(t.db, 'GT', gone), 'GT', gone, 'basico', 30);
  await t.db.run(sql`UPDATE institutions SET active = 0 WHERE id = ${gone}`);
  for (let i = 0; i < 2; i++) await certified(await journalist('GT'), 'GT', null, 'medios', 20);
  await certified(await addPerson(t.db, 'GT', kept, 'Activa Pronto'), 'GT', kept, 'basico', 720);
  const inactive = await addPerson(t.db, 'GT', kept, 'Inactiva Pronto', false);
  await certified(inactive, 'GT', kept, 'basico', 720);
  const email = 'coord-x@test.capacita';
  const [coord] = await t.db.all<{ id: number }>(sql`INSERT INTO users (name, email, email_key, role) VALUES ('Coordinación', ${email}, ${email}, 'coordinator') RETURNING id`);
  await certified(Number(coord!.id), null, null, 'basico', 15);
});
afterAll(() => t.close());

describe('figures that add up to everyone', () => {
  it('counts holders without an active institution in an "other" row, and in every total', async () => {
    const v = await buildViews(['coverage', 'coverage-institutions', 'coverage-sectors'], { db: t.db, scope: GT, filters: {}, now: NOW });
    expect(v.coverage.rows).toEqual([
      [{ track: 'basico' }, 5, 5, 1],
      [{ track: 'medios' }, 2, 0, null],
    ]);
    const other = v['coverage-institutions'].rows.find((r) => JSON.stringify(r[0]) === JSON.stringify({ message: 'dashboard.coverage.other' }))!;
    expect(other).toEqual([{ message: 'dashboard.coverage.other' }, '', 1, 0, null, 2, 0, null]);
    const goneName = (await institutionName(gone))!;
    expect(v['coverage-institutions'].rows.some((r) => String(r[0]).startsWith(goneName))).toBe(false);
    const sectors = v['coverage-sectors'];
    expect(sectors.rows.at(-1)).toEqual([{ message: 'dashboard.coverage.other' }, 1, 0, null, 2, 0, null]);
    expect(sectors.fixedLast).toBe(1);
  });

  it('gives the region the same totals per country', async () => {
    const v = await buildViews(['region-coverage'], { db: t.db, scope: { kind: 'all' }, filters: {}, now: NOW });
    const gt = v['region-coverage'].rows.find((r) => JSON.stringify(r[0]) === JSON.stringify({ country: 'GT' }))!;
    expect(gt.slice(1)).toEqual([5, 5, 1, 2, 0, null]);
  });

  it('names the column of completions by staff without a country', async () => {
    const v = await buildViews(['region-completions'], { db: t.db, scope: { kind: 'all' }, filters: {}, now: NOW });
    const column = v['region-completions'].columns.find((c) => c.key === 'none');
    expect(column?.label).toEqual({ message: 'dashboard.col.noCountry' });
    expect(v['region-completions'].columns.every((c) => JSON.stringify(c.label) !== JSON.stringify({ country: '' }))).toBe(true);
  });

  it('gives Medios its row in the semester report’s coverage: journalists have no institution targets, not no figures', async () => {
    const report = await semesterReport(t.db, GT, parseSemester('2026-1')!, { now: NOW });
    const medios = report.tables.find((x) => x.id === 'semester-coverage')!.rows.find((r) => JSON.stringify(r[0]) === JSON.stringify({ track: 'medios' }));
    expect(medios?.slice(0, 4)).toEqual([{ track: 'medios' }, 2, 0, null]);
  });

  it('leaves deactivated accounts out of the semester report’s refreshers', async () => {
    const report = await semesterReport(t.db, GT, parseSemester('2026-1')!, { now: NOW });
    expect(report.tables.find((x) => x.id === 'semester-refreshers')!.rows).toEqual([[{ message: 'dashboard.col.total' }, 0, 1]]);
  });
});

async function institutionName(id: number): Promise<string | undefined> {
  const [row] = await t.db.all<{ name: string }>(sql`SELECT name FROM institutions WHERE id = ${id}`);
  return row?.name;
}
