// Figures for aggregate-only readers (observers): what they may ask for, and the protected cubes every one of their
// tables is cut from. The rule (docs/DASHBOARDS.md, "Observers"):
//
// - Periods: closed calendar semesters only. Semesters do not overlap and there is no "all time", so the only sums an
//   observer can form are sums of shown periods. A figure describes the semester as it stood at its end (later
//   revocations, completions of that cohort, deactivations do not change it), so downloading it again later
//   reveals nothing either.
// - Filters: a track at most. No institution, sector, course or date range.
// - Every country is a row of every table (a missing row would say "0"), every track is a column, with the region's
//   row and the all-tracks column as totals.
// - One cube per measure and semester (countries × tracks + totals), protected as a whole by protect.ts. A track
//   filter shows one column of the same protected cube, so the per-track tables and the unfiltered one hide
//   consistent cells and subtracting them reveals nothing.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { protectGrid, type Mask } from './protect.ts';
import { scopeWhere, type CountryScope } from './scope.ts';
import { closedSemesters, parseSemester, type Semester } from './semesters.ts';
import { DAY_MS, NO_EXPIRY } from './summary.ts';
import { REFRESH_WINDOW_DAYS } from './refreshers.ts';
import { MIN_CELL, SUPPRESSED } from './table.ts';

export interface AggregateQuery {
  semester: Semester;
  programme?: ProgrammeId;
}

/** An observer's query from a URL: `semester` must be a closed one (else the latest closed), `track` optional; nothing else is read. */
export function parseAggregateQuery(params: URLSearchParams, now: number): AggregateQuery {
  const offered = closedSemesters(now);
  const asked = parseSemester(params.get('semester'));
  const semester = offered.find((s) => s.id === asked?.id) ?? offered[0]!;
  const track = params.get('track');
  return (PROGRAMMES as readonly string[]).includes(track ?? '') ? { semester, programme: track as ProgrammeId } : { semester };
}

/** The query back as a query string (links, export URLs). */
export function aggregateQueryString(q: AggregateQuery): string {
  return `?semester=${q.semester.id}${q.programme ? `&track=${q.programme}` : ''}`;
}

/** Countries × keys of counts, with the region's row and the all-keys column last, and the cells to hide. */
export interface Cube {
  countries: string[];
  keys: string[];
  /** (countries + region) × (keys + all) */
  grid: number[][];
  hidden: Mask;
  /** Whether the all-keys column is a published figure. */
  allColumn: boolean;
}

export const REGION = -1;
export const ALL = 'all';

/** `allColumn: false`: the all-keys column is never published (people can count in several keys), so it protects nothing. */
function buildCube(countries: string[], keys: string[], rows: { country: string; key: string; n: number }[], { allColumn = true } = {}): Cube {
  const grid = [...countries, null].map(() => [...keys, null].map(() => 0));
  const ci = new Map(countries.map((c, i) => [c, i]));
  const ki = new Map(keys.map((k, i) => [k, i]));
  for (const r of rows) {
    const i = ci.get(r.country);
    const j = ki.get(r.key);
    if (i === undefined || j === undefined) continue; // a row outside the cube would break its totals: never counted
    grid[i]![j]! += r.n;
    grid[i]![keys.length]! += r.n;
    grid[countries.length]![j]! += r.n;
    grid[countries.length]![keys.length]! += r.n;
  }
  const unpublished = allColumn ? undefined : grid.map((row) => row.map((_, j) => j === keys.length));
  return { countries, keys, grid, hidden: protectGrid(grid, MIN_CELL, unpublished), allColumn };
}

/** A cube's cell as shown: the count, or the hidden mark. `country` REGION = the region's row; `key` ALL = the all-keys column. */
export function cubeCell(cube: Cube, country: number, key: string): number | typeof SUPPRESSED {
  if (key === ALL && !cube.allColumn) throw new Error('This cube publishes no all-keys column');
  const i = country === REGION ? cube.countries.length : country;
  const j = key === ALL ? cube.keys.length : cube.keys.indexOf(key);
  if (j < 0) throw new Error(`No column ${key} in the cube`);
  return cube.hidden[i]![j] ? SUPPRESSED : cube.grid[i]![j]!;
}

async function countriesOf(db: Database, scope: CountryScope): Promise<string[]> {
  const rows = await db.all<{ code: string }>(sql`SELECT code FROM countries WHERE member = 1 AND ${scopeWhere(scope, sql`code`)} ORDER BY code`);
  return rows.map((r) => r.code);
}

const tracks = [...PROGRAMMES] as string[];
const num = (rows: { country_code: string; k: string; n: number }[]) => rows.map((r) => ({ country: r.country_code, key: r.k, n: Number(r.n) }));

/**
 * People holding a valid certificate of each track at the end of the semester (a person counts once per country and
 * track; a certificate revoked after the semester still counts in it, so the figure never changes).
 */
export async function coverageCube(db: Database, scope: CountryScope, semester: Semester): Promise<Cube> {
  const at = semester.end;
  const rows = await db.all<{ country_code: string; k: string; n: number }>(sql`
    SELECT country_code, programme AS k, count(DISTINCT user_id) AS n FROM certificates
     WHERE ${scopeWhere(scope, sql`country_code`)} AND issued_at < ${at} AND (expires_at IS NULL OR expires_at > ${at})
       AND (revoked_at IS NULL OR revoked_at >= ${at})
     GROUP BY country_code, programme`);
  return buildCube(await countriesOf(db, scope), tracks, num(rows), { allColumn: false });
}

/** Targets (not people: never hidden) per country and track, from active institutions. */
export async function targetsByCountry(db: Database, scope: CountryScope): Promise<Map<string, number>> {
  const rows = await db.all<{ country_code: string; programme: string; n: number }>(sql`
    SELECT i.country_code, t.programme, sum(t.target) AS n FROM institution_targets t JOIN institutions i ON i.id = t.institution_id
     WHERE ${scopeWhere(scope, sql`i.country_code`)} AND i.active = 1 GROUP BY i.country_code, t.programme`);
  const out = new Map<string, number>();
  for (const r of rows) {
    out.set(`${r.country_code}|${r.programme}`, Number(r.n));
    out.set(`|${r.programme}`, (out.get(`|${r.programme}`) ?? 0) + Number(r.n));
  }
  return out;
}

export const STAGES = ['enrolled', 'started', 'completed', 'certified'] as const;
export type Stage = (typeof STAGES)[number];

/** The semester's enrolment cohort as it stood at the semester's end: one cube per stage. */
export async function funnelCubes(db: Database, scope: CountryScope, semester: Semester): Promise<Record<Stage, Cube>> {
  const { start, end } = semester;
  const rows = await db.all<{ country_code: string; k: string; enrolled: number; started: number; completed: number; certified: number }>(sql`
    SELECT e.country_code, e.programme AS k, count(*) AS enrolled,
           sum(e.started_at IS NOT NULL AND e.started_at < ${end}) AS started,
           sum(e.completed_at IS NOT NULL AND e.completed_at < ${end}) AS completed,
           sum(EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id AND c.issued_at < ${end} AND (c.revoked_at IS NULL OR c.revoked_at >= ${end}))) AS certified
      FROM enrolments e
     WHERE ${scopeWhere(scope, sql`e.country_code`)} AND e.enrolled_at >= ${start} AND e.enrolled_at < ${end}
     GROUP BY e.country_code, e.programme`);
  const countries = await countriesOf(db, scope);
  const cube = (stage: Stage) => buildCube(countries, tracks, rows.map((r) => ({ country: r.country_code, key: r.k, n: Number(r[stage]) })));
  return { enrolled: cube('enrolled'), started: cube('started'), completed: cube('completed'), certified: cube('certified') };
}

/** Courses completed during the semester, by the country and track of the enrolment. */
export async function completionsCube(db: Database, scope: CountryScope, semester: Semester): Promise<Cube> {
  // The semester's completions from enrolments_completed_idx (covering); the planner would rather skip through the
  // country and course index and read every enrolment's row, hence INDEXED BY.
  const rows = await db.all<{ country_code: string; k: string; n: number }>(sql`
    SELECT country_code, programme AS k, count(*) AS n FROM enrolments INDEXED BY enrolments_completed_idx
     WHERE ${scopeWhere(scope, sql`country_code`)} AND completed_at >= ${semester.start} AND completed_at < ${semester.end}
     GROUP BY country_code, programme`);
  return buildCube(await countriesOf(db, scope), tracks, num(rows));
}

/**
 * People whose Básico/Actualización training had expired, or expired within the refresher window, at the end of the
 * semester — everyone who held it then (accounts deactivated or erased since still count: the figure never changes).
 */
export async function refresherCube(db: Database, scope: CountryScope, semester: Semester): Promise<Cube> {
  const at = semester.end;
  const rows = await db.all<{ country_code: string; expired: number; due_soon: number }>(sql`
    SELECT country_code, sum(v <= ${at}) AS expired, sum(v > ${at}) AS due_soon FROM (
      SELECT user_id, country_code, max(COALESCE(expires_at, ${NO_EXPIRY})) AS v FROM certificates
       WHERE ${scopeWhere(scope, sql`country_code`)} AND programme IN ('basico', 'actualizacion') AND issued_at < ${at}
         AND (revoked_at IS NULL OR revoked_at >= ${at})
       GROUP BY country_code, user_id
    ) WHERE v <= ${at + REFRESH_WINDOW_DAYS * DAY_MS} GROUP BY country_code`);
  return buildCube(
    await countriesOf(db, scope),
    ['expired', 'dueSoon'],
    rows.flatMap((r) => [
      { country: r.country_code, key: 'expired', n: Number(r.expired) },
      { country: r.country_code, key: 'dueSoon', n: Number(r.due_soon) },
    ]),
    { allColumn: false },
  );
}

/** A rate shown only when every count it is computed from is shown. */
export function protectedRate(numerator: number | string, denominator: number | string): number | string | null {
  if (numerator === SUPPRESSED || denominator === SUPPRESSED) return SUPPRESSED;
  return Number(denominator) > 0 ? Number(numerator) / Number(denominator) : null;
}
