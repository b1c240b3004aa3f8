// Certificate holders by the optional "sex" answer of their profile (src/server/profile.ts), per track: the only place
// that answer is ever read, and only as counts — a committee's breakdown with every cell under 5 hidden, and hidden
// cells protected from being worked out from the totals (the rules of protect.ts, for one row), whoever reads it.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { institutionWhere, scopeWhere, scopeWhereByCountry, type CountryScope, type ReportFilters } from './scope.ts';
import { MIN_CELL, SUPPRESSED } from './table.ts';
import { holdersWithin } from './holder-counts.ts';

/** The columns of the breakdown; "notStated" is "prefer not to say" and "not answered" together. */
export const SEX_GROUPS = ['female', 'male', 'notStated'] as const;
export type SexGroup = (typeof SEX_GROUPS)[number];

export interface SexRow {
  track: ProgrammeId;
  /** Counts per group and their total; SUPPRESSED where hidden. */
  cells: Record<SexGroup | 'total', number | typeof SUPPRESSED>;
}

/** People holding a valid certificate of each track at `at` (default now), by sex, protected. Tracks without holders are left out. */
export async function holdersBySex(db: Database, scope: CountryScope, filters: ReportFilters = {}, options: { at?: number; now?: number } = {}): Promise<SexRow[]> {
  const now = options.now ?? Date.now();
  const at = options.at ?? now;
  const tracks = filters.programme ? [filters.programme] : [...PROGRAMMES];
  const trackList = sql.join(tracks.map((t) => sql`${t}`), sql`, `);
  const group = sql`CASE u.sex WHEN 'female' THEN 'female' WHEN 'male' THEN 'male' ELSE 'notStated' END`;
  // The same people as the coverage table (coverage.ts): report_holders now — whose rows carry the holder's sex group,
  // summed by expiry month (holder-counts.ts) — and the certificates for a past moment. There each holder's sex is read
  // from users_id_sex_idx (two columns), not from the whole row of each of tens of thousands of people; the planner
  // would take the row by its primary key, hence INDEXED BY.
  const rows =
    at >= now
      ? await db.all<{ track: ProgrammeId; grp: SexGroup; n: number }>(sql`
          SELECT track, sex AS grp, sum(n) AS n
            FROM (${holdersWithin({ after: at, until: null }, sql`${scopeWhere(scope, sql`country_code`)} AND track IN (${trackList}) AND ${institutionWhere(filters, sql`institution_id`)}`, ['track', 'sex'])})
           GROUP BY track, sex`)
      : await db.all<{ track: ProgrammeId; grp: SexGroup; n: number }>(sql`
          SELECT c.programme AS track, ${group} AS grp, count(DISTINCT c.user_id) AS n FROM certificates c JOIN users u INDEXED BY users_id_sex_idx ON u.id = c.user_id
           WHERE ${scopeWhereByCountry(scope, sql`c.country_code`)} AND c.programme IN (${trackList}) AND c.revoked_at IS NULL
             AND c.issued_at <= ${at} AND (c.expires_at IS NULL OR c.expires_at > ${at}) AND ${institutionWhere(filters, sql`c.institution_id`)}
           GROUP BY c.programme, grp`);
  const counts = new Map<ProgrammeId, Record<SexGroup, number>>();
  for (const r of rows) {
    const n = Number(r.n);
    if (!n) continue;
    const c = counts.get(r.track) ?? { female: 0, male: 0, notStated: 0 };
    c[r.grp] += n;
    counts.set(r.track, c);
  }
  return tracks
    .filter((t) => counts.has(t))
    .map((track) => {
      const c = counts.get(track)!;
      const values = [...SEX_GROUPS.map((g) => c[g]), SEX_GROUPS.reduce((s, g) => s + c[g], 0)];
      const hidden = protectRow(values);
      return { track, cells: Object.fromEntries([...SEX_GROUPS, 'total'].map((g, j) => [g, hidden[j] ? SUPPRESSED : values[j]!])) as SexRow['cells'] };
    });
}

/**
 * Which cells of one track's row to hide; the last value is the row's total, which the coverage table publishes.
 * Each row stands alone (no total across tracks is published: a person may hold several), so protect.ts's rules
 * reduce to a row's: every count under 5 hidden; never one hidden cell alone (it would be the total minus the
 * others); hidden cells that add up to under 5 get company (else "all of them are small" shows). A total under 5
 * hides the whole row.
 */
export function protectRow(values: number[]): boolean[] {
  const total = values[values.length - 1]!;
  const cells = values.slice(0, -1);
  if (total < MIN_CELL) return values.map(() => true);
  const hidden = cells.map((v) => v < MIN_CELL);
  for (;;) {
    const sum = cells.reduce((s, v, i) => (hidden[i] ? s + v : s), 0);
    const count = hidden.filter(Boolean).length;
    if (count === 0 || (count >= 2 && sum >= MIN_CELL)) break;
    const next = cells.map((v, i) => [v, i] as const).filter(([, i]) => !hidden[i]).sort((a, b) => a[0] - b[0])[0];
    if (!next) break;
    hidden[next[1]] = true;
  }
  return [...hidden, false];
}
