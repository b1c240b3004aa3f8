// Holders whose valid_until lies in a window, as rows (country, track, institution, sex or active…, n) to sum.
// report_holder_counts holds report_holders counted by month of valid_until (triggers keep it exact, migration
// 0019), so whole months inside the window are a few summed rows per country, and only the one or two months the
// window's ends fall in are read row by row from report_holders (report_holders_expiry_idx), to the millisecond.
// A figure read this way is the figure of report_holders itself: tests/unit/reports-holder-counts.test.ts.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import type { ProgrammeId } from '../../../db/schema.ts';
import { addMonths, institutionWhere, scopeWhereEveryCountry, type CountryScope, type ReportFilters } from './scope.ts';
import { monthKey } from './summary.ts';

const startOfMonth = (month: number) => Date.UTC(Math.floor(month / 100), (month % 100) - 1, 1);

/** The columns report_holders and report_holder_counts share, by which a reader may group. */
export type HolderKey = 'country_code' | 'track' | 'institution_id' | 'sex' | 'active';

/**
 * Rows (keys…, n) to sum over, grouped by `keys`, for holders with `after` < valid_until ≤ `until` (null: no bound on
 * that side). `where` filters both tables by their common columns. A month a bound falls in is read row by row on its
 * shorter side of the bound: the rows up to the bound are added, or its whole month is taken from the counts and the
 * rows beyond the bound subtracted (so a bound on the 1st reads a day of rows, not a month). Each part is grouped
 * before the reader sums the parts, so the reader merges a few hundred rows rather than every month of every
 * institution. Sums may be 0 for a group: readers skip those.
 */
export function holdersWithin(window: { after: number | null; until: number | null }, where: SQL, keys: readonly HolderKey[]): SQL {
  const { after, until } = window;
  const first = after === null ? null : monthKey(after);
  const last = until === null ? null : monthKey(until);
  const columns = sql.raw(keys.join(', '));
  const rows = (sign: 1 | -1, bounds: SQL[]) =>
    sql`SELECT ${columns}, ${sql.raw(sign === 1 ? '' : '-')}count(*) AS n FROM report_holders WHERE ${sql.join(bounds, sql` AND `)} AND ${where} GROUP BY ${columns}`;
  if (first !== null && first === last) return rows(1, [sql`valid_until > ${after}`, sql`valid_until <= ${until}`]);
  const parts: SQL[] = [];
  const months: SQL[] = [];
  if (after !== null && first !== null) {
    const [from, to] = [startOfMonth(first), startOfMonth(addMonths(first, 1))];
    if (after - from < to - after) {
      parts.push(rows(-1, [sql`valid_until >= ${from}`, sql`valid_until <= ${after}`]));
      months.push(sql`expiry_month >= ${first}`);
    } else {
      parts.push(rows(1, [sql`valid_until > ${after}`, sql`valid_until < ${to}`]));
      months.push(sql`expiry_month > ${first}`);
    }
  }
  if (until !== null && last !== null) {
    const [from, to] = [startOfMonth(last), startOfMonth(addMonths(last, 1))];
    if (to - until < until - from) {
      parts.push(rows(-1, [sql`valid_until > ${until}`, sql`valid_until < ${to}`]));
      months.push(sql`expiry_month <= ${last}`);
    } else {
      parts.push(rows(1, [sql`valid_until >= ${from}`, sql`valid_until <= ${until}`]));
      months.push(sql`expiry_month < ${last}`);
    }
  }
  parts.push(sql`SELECT ${columns}, sum(n) AS n FROM report_holder_counts WHERE ${sql.join([...months, where], sql` AND `)} GROUP BY ${columns}`);
  return sql.join(parts, sql` UNION ALL `);
}

/** People holding a valid certificate at `at` (the present), per country, track and institution: the coverage tables' counts. */
export function holdersValidAt(db: Database, scope: CountryScope, filters: ReportFilters, tracks: readonly ProgrammeId[], at: number) {
  const where = sql`${scopeWhereEveryCountry(scope, sql`country_code`)} AND track IN (${sql.join(tracks.map((t) => sql`${t}`), sql`, `)}) AND ${institutionWhere(filters, sql`institution_id`)}`;
  return db.all<{ institution_id: number; country_code: string; track: ProgrammeId; n: number }>(sql`
    SELECT institution_id, country_code, track, sum(n) AS n FROM (${holdersWithin({ after: at, until: null }, where, ['country_code', 'track', 'institution_id'])})
     GROUP BY country_code, track, institution_id HAVING sum(n) <> 0`);
}
