// Coverage: people who hold a valid certificate of a track ÷ the target headcount, per institution and sector.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { institutionWhere, scopeWhere, scopeWhereByCountry, type CountryScope, type ReportFilters } from './scope.ts';
import { holdersByMode } from './modes.ts';
import { holdersValidAt } from './holder-counts.ts';

export interface CoverageCell {
  holders: number;
  target: number;
  /** holders ÷ target, 0–1+ (null without a target). */
  rate: number | null;
}

export interface InstitutionCoverage {
  /** 0 for a country's holders without an active institution (journalists, people of a deactivated institution). */
  institutionId: number;
  countryCode: string;
  name: string;
  acronym: string | null;
  sector: string;
  tracks: Partial<Record<ProgrammeId, CoverageCell>>;
}

export interface CoverageReport {
  /** The instant the figures describe. */
  at: number;
  tracks: ProgrammeId[];
  institutions: InstitutionCoverage[];
  sectors: { sector: string; tracks: Partial<Record<ProgrammeId, CoverageCell>> }[];
  total: Partial<Record<ProgrammeId, CoverageCell>>;
  /** The holder counts the figures were built from, and where they were read (report_holders: the present, all modes). */
  holders: { source: 'report_holders' | 'certificates' | 'mode'; rows: HolderCount[] };
}

export interface HolderCount {
  institution_id: number;
  country_code: string;
  track: ProgrammeId;
  n: number;
}

const cell = (holders: number, target: number): CoverageCell => ({ holders, target, rate: target > 0 ? holders / target : null });

function add(into: Partial<Record<ProgrammeId, CoverageCell>>, track: ProgrammeId, holders: number, target: number) {
  const c = into[track] ?? cell(0, 0);
  into[track] = cell(c.holders + holders, c.target + target);
}

/**
 * Coverage at `at` (default now). At the present it reads report_holders (one row per person and track), summed by
 * expiry month (holder-counts.ts); for a moment in the past it counts, from certificates, the people whose
 * certificate was issued by then and still valid.
 */
export async function coverageReport(db: Database, scope: CountryScope, filters: ReportFilters = {}, options: { at?: number; now?: number } = {}): Promise<CoverageReport> {
  const now = options.now ?? Date.now();
  const at = options.at ?? now;
  const tracks = filters.programme ? [filters.programme] : [...PROGRAMMES];
  const trackList = sql.join(tracks.map((t) => sql`${t}`), sql`, `);

  // Deactivated institutions are not listed and their targets no longer count; their holders still do (in "other").
  const institutionRows = await db.all<{ id: number; country_code: string; name: string; acronym: string | null; sector_code: string }>(sql`
    SELECT id, country_code, name, acronym, sector_code FROM institutions
     WHERE active = 1 AND ${scopeWhere(scope, sql`country_code`)} AND ${institutionWhere(filters, sql`id`)} ORDER BY country_code, name`);
  const targetRows = await db.all<{ institution_id: number; programme: ProgrammeId; target: number }>(sql`
    SELECT t.institution_id, t.programme, t.target FROM institution_targets t JOIN institutions i ON i.id = t.institution_id
     WHERE i.active = 1 AND ${scopeWhere(scope, sql`i.country_code`)} AND ${institutionWhere(filters, sql`t.institution_id`)} AND t.programme IN (${trackList})`);
  // One mode (modes.ts): the same holders, split by how they were trained.
  const source = filters.mode ? 'mode' : at >= now ? 'report_holders' : 'certificates';
  const holderRows = filters.mode
    ? (await holdersByMode(db, scope, filters, { at, now })).map((r) => ({ institution_id: r.institutionId, country_code: r.countryCode, track: r.track, n: r.n }))
    : at >= now
      ? await holdersValidAt(db, scope, filters, tracks, at)
      : await db.all<HolderCount>(sql`
          SELECT COALESCE(institution_id, 0) AS institution_id, COALESCE(country_code, '') AS country_code, programme AS track, count(DISTINCT user_id) AS n FROM certificates
           WHERE ${scopeWhereByCountry(scope, sql`country_code`)} AND programme IN (${trackList}) AND revoked_at IS NULL
             AND issued_at <= ${at} AND (expires_at IS NULL OR expires_at > ${at})
             AND ${institutionWhere(filters, sql`institution_id`)}
           GROUP BY country_code, programme, institution_id`); // grouped in the order of certificates_history_idx

  const byId = new Map<number, InstitutionCoverage>();
  for (const r of institutionRows) {
    byId.set(Number(r.id), { institutionId: Number(r.id), countryCode: r.country_code, name: r.name, acronym: r.acronym, sector: r.sector_code, tracks: {} });
  }
  for (const r of targetRows) {
    const inst = byId.get(Number(r.institution_id));
    if (inst) add(inst.tracks, r.programme, 0, Number(r.target));
  }
  // Holders without an active institution of the scope (journalists have none; an institution may have been
  // deactivated) count in their country's "other" row, so every total adds up to everyone certified there.
  const others = new Map<string, InstitutionCoverage>();
  for (const r of holderRows) {
    const n = Number(r.n);
    if (n === 0) continue;
    let inst = byId.get(Number(r.institution_id));
    if (!inst) {
      if (!r.country_code) continue; // staff of the coordination, outside every country
      inst = others.get(r.country_code) ?? { institutionId: 0, countryCode: r.country_code, name: '', acronym: null, sector: '', tracks: {} };
      others.set(r.country_code, inst);
    }
    add(inst.tracks, r.track, n, 0);
  }
  const all = [...byId.values(), ...others.values()];
  const sectors = new Map<string, Partial<Record<ProgrammeId, CoverageCell>>>();
  const total: Partial<Record<ProgrammeId, CoverageCell>> = {};
  for (const inst of all) {
    const s = sectors.get(inst.sector) ?? {}; // the "other" rows make a sector '' of their own
    sectors.set(inst.sector, s);
    for (const [track, c] of Object.entries(inst.tracks) as [ProgrammeId, CoverageCell][]) {
      add(s, track, c.holders, c.target);
      add(total, track, c.holders, c.target);
    }
  }
  return {
    at,
    tracks,
    institutions: all,
    sectors: [...sectors.entries()].map(([sector, t]) => ({ sector, tracks: t })),
    total,
    holders: { source, rows: holderRows },
  };
}

/** Coverage per country × track (the regional comparison). */
export async function coverageByCountry(db: Database, scope: CountryScope, filters: ReportFilters = {}, options: { at?: number; now?: number } = {}) {
  return countriesOf(await coverageReport(db, scope, filters, options));
}

/** A coverage report summed per country × track. */
export function countriesOf(report: CoverageReport) {
  const countries = new Map<string, Partial<Record<ProgrammeId, CoverageCell>>>();
  for (const inst of report.institutions) {
    const c = countries.get(inst.countryCode) ?? {};
    countries.set(inst.countryCode, c);
    for (const [track, v] of Object.entries(inst.tracks) as [ProgrammeId, CoverageCell][]) add(c, track, v.holders, v.target);
  }
  return { at: report.at, tracks: report.tracks, countries: [...countries.entries()].map(([countryCode, tracks]) => ({ countryCode, tracks })), total: report.total };
}
