// The course funnel (enrolled → started → completed → certified, by enrolment cohort), the median time to complete,
// and completions per month — all from the summary tables (src/server/reports/summary.ts). The regional scope is
// spelled country by country (scopeWhereEveryCountry) so each query walks the tables' covering country indexes.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { monthKey } from './summary.ts';
import { addMonths, institutionWhere, monthRange, scopeWhereEveryCountry, type CountryScope, type ReportFilters } from './scope.ts';

export interface FunnelRow {
  courseId: string;
  programme: ProgrammeId;
  enrolled: number;
  started: number;
  completed: number;
  certified: number;
  /** Median whole days from start to completion of the completions in the period (null without completions). */
  medianDays: number | null;
}

function courseWhere(filters: ReportFilters, table: 'report_course_month' | 'report_completion_days'): SQL {
  const parts: SQL[] = [];
  if (filters.courseId) parts.push(sql`course_id = ${filters.courseId}`);
  if (filters.programme) {
    parts.push(
      table === 'report_course_month'
        ? sql`programme = ${filters.programme}`
        : sql`course_id IN (SELECT DISTINCT course_id FROM report_course_month WHERE programme = ${filters.programme})`,
    );
  }
  return parts.length ? sql.join(parts, sql` AND `) : sql`1 = 1`;
}

const periodWhere = (filters: ReportFilters) => sql`month BETWEEN ${filters.from ?? 0} AND ${filters.to ?? 999999}`;

/**
 * The course rows a funnel sums: the period's months of report_course_month, or, without a period (the dashboards'
 * default), report_course_totals — the same rows summed over every month, a tenth as many to read.
 */
function cohortRows(filters: ReportFilters): { table: SQL; months: SQL } {
  return filters.from || filters.to ? { table: sql`report_course_month`, months: periodWhere(filters) } : { table: sql`report_course_totals`, months: sql`1 = 1` };
}

/** Likewise the days to complete: the period's months, or report_completion_day_totals. */
function completionDays(filters: ReportFilters): { table: SQL; months: SQL } {
  return filters.from || filters.to ? { table: sql`report_completion_days`, months: periodWhere(filters) } : { table: sql`report_completion_day_totals`, months: sql`1 = 1` };
}

/** The median of a multiset given as sorted (value, count) pairs. */
export function medianOfCounts(pairs: { value: number; n: number }[]): number | null {
  const total = pairs.reduce((s, p) => s + p.n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number) => {
    let seen = 0;
    for (const p of pairs) {
      seen += p.n;
      if (rank < seen) return p.value;
    }
    return pairs[pairs.length - 1]!.value;
  };
  return total % 2 === 1 ? valueAt((total - 1) / 2) : (valueAt(total / 2 - 1) + valueAt(total / 2)) / 2;
}

export async function funnelReport(db: Database, scope: CountryScope, filters: ReportFilters = {}): Promise<FunnelRow[]> {
  const cohort = cohortRows(filters);
  const rows = await db.all<{ course_id: string; programme: ProgrammeId; enrolled: number; started: number; completed: number; certified: number }>(sql`
    SELECT course_id, max(programme) AS programme, sum(enrolled) AS enrolled, sum(started) AS started, sum(completed) AS completed, sum(certified) AS certified
      FROM ${cohort.table}
     WHERE ${scopeWhereEveryCountry(scope, sql`country_code`)} AND ${cohort.months} AND ${courseWhere(filters, 'report_course_month')}
       AND ${institutionWhere(filters, sql`institution_id`)}
     GROUP BY course_id`);
  const completed = completionDays(filters);
  const days = await db.all<{ course_id: string; days: number; n: number }>(sql`
    SELECT course_id, days, sum(n) AS n FROM ${completed.table}
     WHERE ${scopeWhereEveryCountry(scope, sql`country_code`)} AND ${completed.months} AND ${courseWhere(filters, 'report_completion_days')}
       AND ${institutionWhere(filters, sql`institution_id`)}
     GROUP BY course_id, days ORDER BY course_id, days`);
  const byCourse = new Map<string, { value: number; n: number }[]>();
  for (const d of days) {
    const list = byCourse.get(d.course_id) ?? [];
    byCourse.set(d.course_id, list);
    list.push({ value: Number(d.days), n: Number(d.n) });
  }
  const order = (p: ProgrammeId) => PROGRAMMES.indexOf(p);
  return rows
    .map((r) => ({
      courseId: r.course_id,
      programme: r.programme,
      enrolled: Number(r.enrolled),
      started: Number(r.started),
      completed: Number(r.completed),
      certified: Number(r.certified),
      medianDays: medianOfCounts(byCourse.get(r.course_id) ?? []),
    }))
    .sort((a, b) => order(a.programme) - order(b.programme) || a.courseId.localeCompare(b.courseId));
}

export interface MonthlyCompletions {
  months: number[];
  /** Keyed by track (or by country for byCountry), one number per month. */
  series: { key: string; values: number[] }[];
}

/** Completions per calendar month over `months` months ending with filters.to (default: the current month), per track. */
export async function completionsPerMonth(
  db: Database,
  scope: CountryScope,
  filters: ReportFilters = {},
  options: { months?: number; now?: number; by?: 'track' | 'country' } = {},
): Promise<MonthlyCompletions> {
  const to = filters.to ?? monthKey(options.now ?? Date.now());
  const from = filters.from ?? addMonths(to, -((options.months ?? 24) - 1));
  const months = monthRange(from, to);
  const key = options.by === 'country' ? sql`country_code` : sql`programme`;
  const rows = await db.all<{ k: string; month: number; n: number }>(sql`
    SELECT ${key} AS k, month, sum(completions) AS n FROM report_course_month
     WHERE ${scopeWhereEveryCountry(scope, sql`country_code`)} AND month BETWEEN ${from} AND ${to} AND ${courseWhere(filters, 'report_course_month')}
       AND ${institutionWhere(filters, sql`institution_id`)}
     GROUP BY k, month`);
  const series = new Map<string, number[]>();
  if (options.by !== 'country') for (const p of filters.programme ? [filters.programme] : PROGRAMMES) series.set(p, months.map(() => 0));
  for (const r of rows) {
    const values = series.get(r.k) ?? months.map(() => 0);
    series.set(r.k, values);
    const i = months.indexOf(Number(r.month));
    if (i >= 0) values[i] = Number(r.n);
  }
  return { months, series: [...series.entries()].map(([k, values]) => ({ key: k, values })) };
}

/** Funnel totals per country (the regional comparison). */
export async function funnelByCountry(db: Database, scope: CountryScope, filters: ReportFilters = {}) {
  const cohort = cohortRows(filters);
  const rows = await db.all<{ country_code: string; enrolled: number; started: number; completed: number; certified: number }>(sql`
    SELECT country_code, sum(enrolled) AS enrolled, sum(started) AS started, sum(completed) AS completed, sum(certified) AS certified
      FROM ${cohort.table}
     WHERE ${scopeWhereEveryCountry(scope, sql`country_code`)} AND country_code <> '' AND ${cohort.months} AND ${courseWhere(filters, 'report_course_month')}
       AND ${institutionWhere(filters, sql`institution_id`)}
     GROUP BY country_code ORDER BY country_code`);
  return rows.map((r) => ({ countryCode: r.country_code, enrolled: Number(r.enrolled), started: Number(r.started), completed: Number(r.completed), certified: Number(r.certified) }));
}
