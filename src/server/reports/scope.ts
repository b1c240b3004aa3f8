// Filters and scope for every report query. The scope comes from policy.countryScope(); each query applies it
// itself (scopeWhere), so a page can never forget it.
import { sql, type SQL } from 'drizzle-orm';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { scopeIncludes, type CountryScope } from '../policy.ts';

export type { CountryScope };

export interface ReportFilters {
  programme?: ProgrammeId;
  courseId?: string;
  sector?: string;
  institutionId?: number;
  /** First and last month of the period, yyyymm (inclusive). */
  from?: number;
  to?: number;
  /** How people were trained (src/server/reports/modes.ts): only one of the three, or all without it. */
  mode?: LearningMode;
}

export const MODES = ['online', 'in_person', 'both'] as const;
export type LearningMode = (typeof MODES)[number];

export function parseMode(value: string | null | undefined): LearningMode | undefined {
  return (MODES as readonly string[]).includes(value ?? '') ? (value as LearningMode) : undefined;
}

/** `column` restricted to the scope's countries. */
export function scopeWhere(scope: CountryScope, column: SQL): SQL {
  if (scope.kind === 'all') return sql`1 = 1`;
  if (scope.kind === 'none') return sql`1 = 0`;
  return sql`${column} = ${scope.countryCode}`;
}

/**
 * Like scopeWhere, but the regional scope is spelled as "one of the countries", so SQLite can walk an index that
 * starts with the country column country by country (used on certificates, where such covering indexes exist).
 */
export function scopeWhereByCountry(scope: CountryScope, column: SQL): SQL {
  if (scope.kind === 'all') return sql`${column} IN (SELECT code FROM countries)`;
  return scopeWhere(scope, column);
}

/**
 * Exactly scopeWhere, for a column that holds a country code or '' (the summaries' "no country"), with the regional
 * scope spelled as "one of the countries, or ''": SQLite then walks an index that starts with (country, track)
 * country by country and skips the tracks a query does not ask for (report_holders' 'refresh' rows, half the table).
 */
export function scopeWhereEveryCountry(scope: CountryScope, column: SQL): SQL {
  if (scope.kind === 'all') return sql`${column} IN (SELECT code FROM countries UNION ALL SELECT '')`;
  return scopeWhere(scope, column);
}

/** A regional scope narrowed to one country, or null when the scope does not include it. */
export function narrowScope(scope: CountryScope, countryCode: string): CountryScope | null {
  if (!/^[A-Z]{2}$/.test(countryCode) || !scopeIncludes(scope, countryCode)) return null;
  return { kind: 'country', countryCode };
}

/** Institution and sector filters on a table that has an institution_id column. */
export function institutionWhere(filters: ReportFilters, column: SQL): SQL {
  const parts: SQL[] = [];
  if (filters.institutionId !== undefined) parts.push(sql`${column} = ${filters.institutionId}`);
  if (filters.sector) parts.push(sql`${column} IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`1 = 1`;
}

const MONTH = /^(\d{4})-(\d{2})$/;

/** yyyymm from "yyyy-mm" (the value of an <input type="month">), or undefined. */
export function parseMonth(value: string | null | undefined): number | undefined {
  const m = value ? MONTH.exec(value) : null;
  if (!m) return undefined;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? Number(m[1]) * 100 + month : undefined;
}

export function formatMonth(month: number): string {
  return `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;
}

export function addMonths(month: number, delta: number): number {
  const index = Math.floor(month / 100) * 12 + (month % 100) - 1 + delta;
  return Math.floor(index / 12) * 100 + (index % 12) + 1;
}

/** The months from..to inclusive. */
export function monthRange(from: number, to: number): number[] {
  const out: number[] = [];
  for (let m = from; m <= to && out.length < 600; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Filters from a query string; anything malformed is ignored rather than trusted. */
export function parseFilters(params: URLSearchParams): ReportFilters {
  const filters: ReportFilters = {};
  const programme = params.get('track');
  if (programme && (PROGRAMMES as readonly string[]).includes(programme)) filters.programme = programme as ProgrammeId;
  const course = params.get('course');
  if (course && /^[a-z0-9-]{1,80}$/.test(course)) filters.courseId = course;
  const sector = params.get('sector');
  if (sector && /^[a-z_]{1,40}$/.test(sector)) filters.sector = sector;
  const institution = Number(params.get('institution'));
  if (Number.isInteger(institution) && institution > 0) filters.institutionId = institution;
  filters.from = parseMonth(params.get('from'));
  filters.to = parseMonth(params.get('to'));
  filters.mode = parseMode(params.get('mode'));
  if (filters.from && filters.to && filters.from > filters.to) [filters.from, filters.to] = [filters.to, filters.from];
  for (const key of Object.keys(filters) as (keyof ReportFilters)[]) if (filters[key] === undefined) delete filters[key];
  return filters;
}

/** The filters back as a query string (for links and export URLs). */
export function filtersToQuery(filters: ReportFilters): string {
  const p = new URLSearchParams();
  if (filters.programme) p.set('track', filters.programme);
  if (filters.courseId) p.set('course', filters.courseId);
  if (filters.sector) p.set('sector', filters.sector);
  if (filters.institutionId) p.set('institution', String(filters.institutionId));
  if (filters.from) p.set('from', formatMonth(filters.from));
  if (filters.to) p.set('to', formatMonth(filters.to));
  if (filters.mode) p.set('mode', filters.mode);
  const s = p.toString();
  return s ? `?${s}` : '';
}
