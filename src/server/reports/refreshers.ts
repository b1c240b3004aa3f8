// Refreshers due: officials whose Básico/Actualización training (the later of the two certificates) has expired or
// expires within the warning window — the same window learners are told about (REFRESHER_NOTICE_DAYS, learning). Read from report_holders, track 'refresh'. Deactivated and erased
// accounts are left out of both the counts and the list, so the two always agree.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { REFRESHER_NOTICE_DAYS } from '../learning/index.ts';
import { DAY_MS } from './summary.ts';
import { institutionWhere, scopeWhere, type CountryScope, type ReportFilters } from './scope.ts';
import { holdersWithin } from './holder-counts.ts';

/** One number for the dashboards and for what a learner is shown (docs/LEARNING.md, docs/DASHBOARDS.md). */
export const REFRESH_WINDOW_DAYS = REFRESHER_NOTICE_DAYS;

export interface RefresherCounts {
  institutionId: number;
  countryCode: string;
  name: string;
  sector: string;
  /** valid_until ≤ now */
  expired: number;
  /** now < valid_until ≤ now + REFRESH_WINDOW_DAYS */
  dueSoon: number;
}

/** A certificate expiring exactly at `now` has expired; one expiring exactly at the end of the window is due soon. */
export async function refreshersByInstitution(db: Database, scope: CountryScope, filters: ReportFilters = {}, options: { now?: number } = {}): Promise<RefresherCounts[]> {
  const now = options.now ?? Date.now();
  const limit = now + REFRESH_WINDOW_DAYS * DAY_MS;
  // Summed by expiry month (holder-counts.ts); report_holders' active column is the account's state (migration 0019).
  const where = sql`${scopeWhere(scope, sql`country_code`)} AND track = 'refresh' AND active = 1 AND ${institutionWhere(filters, sql`institution_id`)}`;
  const keys = ['institution_id', 'country_code'] as const;
  const rows = await db.all<{ institution_id: number; country_code: string; name: string | null; sector_code: string | null; expired: number; due_soon: number }>(sql`
    SELECT h.institution_id, h.country_code, i.name, i.sector_code, sum(h.expired) AS expired, sum(h.due_soon) AS due_soon FROM (
      SELECT institution_id, country_code, n AS expired, 0 AS due_soon FROM (${holdersWithin({ after: null, until: now }, where, keys)})
      UNION ALL
      SELECT institution_id, country_code, 0, n FROM (${holdersWithin({ after: now, until: limit }, where, keys)})
    ) h LEFT JOIN institutions i ON i.id = h.institution_id
     GROUP BY h.institution_id, h.country_code HAVING sum(h.expired) <> 0 OR sum(h.due_soon) <> 0 ORDER BY h.country_code, i.name`);
  return rows.map((r) => ({
    institutionId: Number(r.institution_id),
    countryCode: r.country_code,
    name: r.name ?? '—',
    sector: r.sector_code ?? '',
    expired: Number(r.expired),
    dueSoon: Number(r.due_soon),
  }));
}

export interface RefresherPerson {
  userId: number;
  name: string;
  email: string;
  countryCode: string;
  institution: string;
  validUntil: number;
  expired: boolean;
}

/**
 * The named list for the committee (policy action 'reports.exportPeople'; never for observers). Erased and
 * deactivated accounts are left out.
 */
export async function refresherPeople(db: Database, scope: CountryScope, filters: ReportFilters = {}, options: { now?: number; limit?: number } = {}): Promise<RefresherPerson[]> {
  const now = options.now ?? Date.now();
  const until = now + REFRESH_WINDOW_DAYS * DAY_MS;
  const rows = await db.all<{ user_id: number; name: string; email: string; country_code: string; institution: string | null; valid_until: number }>(sql`
    SELECT h.user_id, u.name, u.email, h.country_code, i.name AS institution, h.valid_until
      FROM report_holders h JOIN users u ON u.id = h.user_id LEFT JOIN institutions i ON i.id = h.institution_id
     WHERE ${scopeWhere(scope, sql`h.country_code`)} AND h.track = 'refresh' AND h.valid_until <= ${until}
       AND u.active = 1 AND u.erased_at IS NULL AND ${institutionWhere(filters, sql`h.institution_id`)}
     ORDER BY h.valid_until, u.name LIMIT ${options.limit ?? 1_000_000}`);
  return rows.map((r) => ({
    userId: Number(r.user_id),
    name: r.name,
    email: r.email,
    countryCode: r.country_code,
    institution: r.institution ?? '—',
    validUntil: Number(r.valid_until),
    expired: Number(r.valid_until) <= now,
  }));
}
