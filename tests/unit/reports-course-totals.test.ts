// Without a period the funnels read report_course_totals and report_completion_day_totals, report_course_month and
// report_completion_days summed over every month by triggers (migration 0019). Enrolments, starts, completions, certificates and revocations go through the summary functions
// the learning code calls; the totals must equal the month rows summed, and every funnel without a period must equal
// the same funnel asked for a period that covers every month (which reads the month rows) or, split by mode, the one
// computed from the enrolments themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ProgrammeId } from '../../db/schema.ts';
import { funnelByCountry, funnelReport } from '../../src/server/reports/funnel.ts';
import { funnelByMode, periodBounds } from '../../src/server/reports/modes.ts';
import { rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import type { CountryScope, ReportFilters } from '../../src/server/reports/scope.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, DAY, NOW, revoke, takeCourse } from './helpers/reports.ts';

let t: TestDatabase;
const COURSES: [string, ProgrammeId][] = [
  ['basico-fundamentos', 'basico'],
  ['autocuidado-seguridad', 'autocuidado'],
  ['especializado-investigacion', 'especializado'],
];

beforeAll(async () => {
  t = await createTestDatabase();
  const places = [['GT', await anyInstitution(t.db, 'GT', 0)], ['GT', await anyInstitution(t.db, 'GT', 1)], ['HN', await anyInstitution(t.db, 'HN', 0)]] as const;
  const certificates: number[] = [];
  for (let i = 0; i < 40; i++) {
    const [country, institution] = places[i % 3]!;
    const [courseId, programme] = COURSES[Math.floor(i / 3) % COURSES.length]!;
    const userId = await addPerson(t.db, country, institution);
    // Cohorts over three years, some only enrolled, some started, some completed and certified.
    const enrolledAt = NOW - (i * 29 + 3) * DAY;
    const stage = i % 4;
    const { certificateId } = await takeCourse(t.db, {
      userId, countryCode: country, institutionId: institution, courseId, programme, enrolledAt,
      startedAt: stage >= 1 ? enrolledAt + DAY : null,
      completedAt: stage >= 2 ? enrolledAt + (5 + i) * DAY : null,
      certificate: stage === 3 ? false : { validityDays: 730 },
    });
    if (certificateId) certificates.push(certificateId);
  }
  // Four completions alike (same place, course, month and days): the summaries' rows are updated, not only inserted.
  for (let k = 0; k < 4; k++) {
    const [country, institution] = places[0]!;
    const userId = await addPerson(t.db, country, institution);
    await takeCourse(t.db, { userId, countryCode: country, institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: NOW - 40 * DAY, startedAt: NOW - 39 * DAY, completedAt: NOW - 30 * DAY });
  }
  await revoke(t.db, certificates[0]!, NOW - DAY);
  await revoke(t.db, certificates[5]!, NOW - 2 * DAY);
});
afterAll(() => t.close());

const daysDump = () => t.db.all(sql`SELECT country_code, course_id, days, institution_id, n FROM report_completion_day_totals ORDER BY 1, 2, 3, 4`);
const totalsDump = () => t.db.all(sql`SELECT country_code, course_id, institution_id, programme, enrolled, started, completed, certified, completions FROM report_course_totals ORDER BY 1, 2, 3`);

describe('funnels without a period (report_course_totals, report_completion_day_totals)', () => {
  it('hold the month rows summed, after every event and after a rebuild', async () => {
    const summed = await t.db.all(sql`
      SELECT country_code, course_id, institution_id, max(programme) AS programme, sum(enrolled) AS enrolled, sum(started) AS started,
             sum(completed) AS completed, sum(certified) AS certified, sum(completions) AS completions
        FROM report_course_month GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
    expect(summed.length).toBeGreaterThan(3);
    expect(await totalsDump()).toEqual(summed);
    const days = await t.db.all(sql`SELECT country_code, course_id, days, institution_id, sum(n) AS n FROM report_completion_days GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
    expect(days.length).toBeGreaterThan(3);
    expect(await daysDump()).toEqual(days);
    const [before, daysBefore] = [await totalsDump(), await daysDump()];
    await rebuildReportSummaries(t.db);
    expect(await totalsDump()).toEqual(before);
    expect(await daysDump()).toEqual(daysBefore);
  });

  it('give the funnel of a period covering every month, for every scope and filter', async () => {
    const gt2 = await anyInstitution(t.db, 'GT', 1);
    const every = { from: 190001, to: 999912 };
    const scopes: CountryScope[] = [{ kind: 'country', countryCode: 'GT' }, { kind: 'country', countryCode: 'HN' }, { kind: 'all' }];
    const filters: ReportFilters[] = [{}, { programme: 'basico' }, { courseId: 'autocuidado-seguridad' }, { institutionId: gt2 }];
    let rows = 0;
    for (const scope of scopes) {
      for (const f of filters) {
        const label = `${JSON.stringify(scope)} ${JSON.stringify(f)}`;
        const funnel = await funnelReport(t.db, scope, f);
        rows += funnel.length;
        expect(funnel, label).toEqual(await funnelReport(t.db, scope, { ...f, ...every }));
        expect(await funnelByCountry(t.db, scope, f), label).toEqual(await funnelByCountry(t.db, scope, { ...f, ...every }));
        // Split by mode: the totals path against the one that counts the enrolments themselves (a bound off a month start).
        const all = periodBounds({});
        expect(await funnelByMode(t.db, scope, f, all), label).toEqual(await funnelByMode(t.db, scope, f, { start: -1, end: all.end }));
      }
    }
    expect(rows).toBeGreaterThan(20); // the comparisons do see courses
  });
});
