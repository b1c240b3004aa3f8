// Holders whose valid_until lies in a window, as rows (country, track, institution, sex or active…, n) to sum.
// report_holder_counts holds report_holders counted by month of valid_until (triggers keep it exact, migration
// 0019), so whole months inside the window are a few summed rows per country, and only the one or two months the
// window's ends fall in are counted row by row from report_holders (report_holders_expiry_idx), to the millisecond.
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
 * that side). `where` filters both tables by their common columns. Each part is grouped before the reader sums the
 * parts, so the reader merges a few hundred rows rather than every month of every institution.
 */
export function holdersWithin(window: { after: number | null; until: number | null }, where: SQL, keys: readonly HolderKey[]): SQL {
  const { after, until } = window;
  const first = after === null ? null : monthKey(after);
  const last = until === null ? null : monthKey(until);
  const columns = sql.raw(keys.join(', '));
  const exact = (bounds: SQL[]) =>
    sql`SELECT ${columns}, count(*) AS n FROM report_holders WHERE ${sql.join(bounds, sql` AND `)} AND ${where} GROUP BY ${columns}`;
  if (first !== null && first === last) return exact([sql`valid_until > ${after}`, sql`valid_until <= ${until}`]);
  const parts: SQL[] = [];
  const months: SQL[] = [];
  if (first !== null) {
    parts.push(exact([sql`valid_until > ${after}`, sql`valid_until < ${startOfMonth(addMonths(first, 1))}`]));
    months.push(sql`expiry_month > ${first}`);
  }
  if (last !== null) {
    parts.push(exact([sql`valid_until >= ${startOfMonth(last)}`, sql`valid_until <= ${until}`]));
    months.push(sql`expiry_month < ${last}`);
  }
  parts.push(sql`SELECT ${columns}, sum(n) AS n FROM report_holder_counts WHERE ${sql.join([...months, where], sql` AND `)} GROUP BY ${columns}`);
  return sql.join(parts, sql` UNION ALL `);
}

/** People holding a valid certificate at `at` (the present), per country, track and institution: the coverage tables' counts. */
export function holdersValidAt(db: Database, scope: CountryScope, filters: ReportFilters, tracks: readonly ProgrammeId[], at: number) {
  const where = sql`${scopeWhereEveryCountry(scope, sql`country_code`)} AND track IN (${sql.join(tracks.map((t) => sql`${t}`), sql`, `)}) AND ${institutionWhere(filters, sql`institution_id`)}`;
  return db.all<{ institution_id: number; country_code: string; track: ProgrammeId; n: number }>(sql`
    SELECT institution_id, country_code, track, sum(n) AS n FROM (${holdersWithin({ after: at, until: null }, where, ['country_code', 'track', 'institution_id'])})
     GROUP BY country_code, track, institution_id`);
}
