// The semester report for the Coalition's plenary meetings: coverage at the end of the semester and its change since
// the previous one, completions, refreshers due, top and bottom institutions — for one country or the region.
// Built as ReportTables so the printable page and the PDF show the same figures.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { coverageReport, type CoverageCell } from './coverage.ts';
import { DAY_MS, NO_EXPIRY } from './summary.ts';
import { REFRESH_WINDOW_DAYS } from './refreshers.ts';
import { scopeWhere, scopeWhereByCountry, type CountryScope } from './scope.ts';
import type { Cell, ReportTable } from './table.ts';
import { track, type Names } from './views.ts';

export interface Semester {
  id: string; // "2025-2"
  year: number;
  half: 1 | 2;
  start: number; // first instant, UTC
  end: number; // first instant of the next semester
  firstMonth: number; // yyyymm
  lastMonth: number;
}

export function parseSemester(id: string | null | undefined): Semester | null {
  const m = id ? /^(\d{4})-([12])$/.exec(id) : null;
  if (!m) return null;
  const year = Number(m[1]);
  const half = Number(m[2]) as 1 | 2;
  const start = Date.UTC(year, half === 1 ? 0 : 6, 1);
  const end = half === 1 ? Date.UTC(year, 6, 1) : Date.UTC(year + 1, 0, 1);
  return { id: `${year}-${half}`, year, half, start, end, firstMonth: year * 100 + (half === 1 ? 1 : 7), lastMonth: year * 100 + (half === 1 ? 6 : 12) };
}

export function semesterOf(at: number): Semester {
  const d = new Date(at);
  return parseSemester(`${d.getUTCFullYear()}-${d.getUTCMonth() < 6 ? 1 : 2}`)!;
}

export function previousSemester(s: Semester): Semester {
  return parseSemester(s.half === 2 ? `${s.year}-1` : `${s.year - 1}-2`)!;
}

/** The last `count` semesters up to the current one, newest first (for the picker). */
export function recentSemesters(now: number, count = 6): Semester[] {
  const out = [semesterOf(now)];
  while (out.length < count) out.push(previousSemester(out[out.length - 1]!));
  return out;
}

/** People whose Básico/Actualización training had expired, or expired within 90 days, as of `at` (from certificates). */
async function refreshersAt(db: Database, scope: CountryScope, at: number): Promise<{ countryCode: string; expired: number; dueSoon: number }[]> {
  const rows = await db.all<{ country_code: string; expired: number; due_soon: number }>(sql`
    SELECT country_code, sum(v <= ${at}) AS expired, sum(v > ${at}) AS due_soon FROM (
      SELECT user_id, max(COALESCE(expires_at, ${NO_EXPIRY})) AS v, country_code FROM certificates
       WHERE ${scopeWhereByCountry(scope, sql`country_code`)} AND programme IN ('basico', 'actualizacion') AND revoked_at IS NULL AND issued_at <= ${at}
       GROUP BY country_code, user_id
    ) WHERE v <= ${at + REFRESH_WINDOW_DAYS * DAY_MS} GROUP BY country_code`);
  return rows.map((r) => ({ countryCode: r.country_code, expired: Number(r.expired), dueSoon: Number(r.due_soon) }));
}

export interface SemesterReport {
  semester: Semester;
  previous: Semester;
  /** The instant coverage is measured at: the end of the semester, or now while it is running. */
  at: number;
  tables: ReportTable[];
}

export async function semesterReport(
  db: Database,
  scope: CountryScope,
  semester: Semester,
  names: Names,
  options: { now?: number; institutions?: boolean; byCountry?: boolean } = {},
): Promise<SemesterReport> {
  const now = options.now ?? Date.now();
  const t = names.t;
  const previous = previousSemester(semester);
  const at = Math.min(now, semester.end);
  const prevAt = Math.min(now, previous.end);
  const [current, before] = await Promise.all([coverageReport(db, scope, {}, { at, now }), coverageReport(db, scope, {}, { at: prevAt, now })]);
  const tracks = PROGRAMMES.filter((p) => (current.total[p]?.target ?? 0) > 0);
  const pct = (c: CoverageCell | undefined) => c?.rate ?? null;
  const tables: ReportTable[] = [];

  tables.push({
    id: 'semester-coverage',
    title: t('dashboard.report.progress'),
    columns: [
      { key: 'track', label: t('dashboard.col.track'), kind: 'text' },
      { key: 'holders', label: t('dashboard.col.holders'), kind: 'count' },
      { key: 'target', label: t('dashboard.col.target'), kind: 'number' },
      { key: 'rate', label: t('dashboard.report.current'), kind: 'percent', dependsOn: 'holders' },
      { key: 'prevHolders', label: `${t('dashboard.report.previous')} · ${t('dashboard.col.holders')}`, kind: 'count' },
      { key: 'prevRate', label: `${t('dashboard.report.previous')} · ${t('dashboard.col.coverage')}`, kind: 'percent', dependsOn: 'prevHolders' },
      { key: 'change', label: t('dashboard.report.change'), kind: 'number', dependsOn: 'holders' },
    ],
    rows: tracks.map((p) => {
      const c = current.total[p];
      const b = before.total[p];
      const change = pct(c) !== null && pct(b) !== null ? Math.round((pct(c)! - pct(b)!) * 1000) / 10 : null;
      return [track(names, p), c?.holders ?? 0, c?.target ?? 0, pct(c), b?.holders ?? 0, pct(b), change];
    }),
    rowHeader: 0,
  });

  const completionRows = await db.all<{ programme: ProgrammeId; cur: number; prev: number }>(sql`
    SELECT programme, sum(CASE WHEN month >= ${semester.firstMonth} THEN completions ELSE 0 END) AS cur,
           sum(CASE WHEN month < ${semester.firstMonth} THEN completions ELSE 0 END) AS prev
      FROM report_course_month WHERE ${scopeWhere(scope, sql`country_code`)} AND month BETWEEN ${previous.firstMonth} AND ${semester.lastMonth}
     GROUP BY programme`);
  const byProgramme = new Map(completionRows.map((r) => [r.programme, r]));
  tables.push({
    id: 'semester-completions',
    title: t('dashboard.report.completions'),
    columns: [
      { key: 'track', label: t('dashboard.col.track'), kind: 'text' },
      { key: 'current', label: t('dashboard.report.current'), kind: 'count' },
      { key: 'previous', label: t('dashboard.report.previous'), kind: 'count' },
    ],
    rows: PROGRAMMES.map((p) => [track(names, p), Number(byProgramme.get(p)?.cur ?? 0), Number(byProgramme.get(p)?.prev ?? 0)]),
    rowHeader: 0,
  });

  const refreshers = await refreshersAt(db, scope, at);
  const sum = (k: 'expired' | 'dueSoon') => refreshers.reduce((s, r) => s + r[k], 0);
  tables.push({
    id: 'semester-refreshers',
    title: t('dashboard.report.refreshers'),
    columns: [
      { key: 'scope', label: options.byCountry ? t('dashboard.col.country') : '', kind: 'text' },
      { key: 'expired', label: t('dashboard.col.expired'), kind: 'count' },
      { key: 'dueSoon', label: t('dashboard.col.dueSoon'), kind: 'count' },
    ],
    rows: [
      ...(options.byCountry ? refreshers.map((r): Cell[] => [names.country(r.countryCode), r.expired, r.dueSoon]).sort((a, b) => String(a[0]).localeCompare(String(b[0]), names.locale)) : []),
      [options.byCountry ? t('dashboard.region.total') : t('dashboard.col.total'), sum('expired'), sum('dueSoon')],
    ],
    rowHeader: 0,
  });

  if (options.byCountry) {
    const countries = new Map<string, { cur: Partial<Record<ProgrammeId, CoverageCell>>; prev: CoverageCell | undefined }>();
    const addTo = (m: Partial<Record<ProgrammeId, CoverageCell>>, p: ProgrammeId, c: CoverageCell) => {
      const x = m[p] ?? { holders: 0, target: 0, rate: null };
      const holders = x.holders + c.holders;
      const target = x.target + c.target;
      m[p] = { holders, target, rate: target > 0 ? holders / target : null };
    };
    for (const inst of current.institutions) {
      const e = countries.get(inst.countryCode) ?? { cur: {}, prev: undefined };
      countries.set(inst.countryCode, e);
      for (const [p, c] of Object.entries(inst.tracks) as [ProgrammeId, CoverageCell][]) addTo(e.cur, p, c);
    }
    tables.push({
      id: 'semester-countries',
      title: t('dashboard.report.countries'),
      columns: [
        { key: 'country', label: t('dashboard.col.country'), kind: 'text' },
        ...tracks.flatMap((p) => [
          { key: `${p}.holders`, label: `${track(names, p)} · ${t('dashboard.col.holders')}`, kind: 'count' as const },
          { key: `${p}.rate`, label: `${track(names, p)} · ${t('dashboard.col.coverage')}`, kind: 'percent' as const, dependsOn: `${p}.holders` },
        ]),
      ],
      rows: [...countries.entries()]
        .map(([code, e]): Cell[] => [names.country(code), ...tracks.flatMap((p) => [e.cur[p]?.holders ?? 0, e.cur[p]?.rate ?? null])])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]), names.locale)),
      rowHeader: 0,
    });
  }

  if (options.institutions !== false) {
    const ranked = current.institutions
      .filter((i) => (i.tracks.basico?.target ?? 0) > 0)
      .map((i) => ({ name: options.byCountry ? `${i.name} (${names.country(i.countryCode)})` : i.name, c: i.tracks.basico! }))
      .sort((a, b) => (b.c.rate ?? 0) - (a.c.rate ?? 0) || a.name.localeCompare(b.name));
    const table = (id: string, title: string, list: typeof ranked): ReportTable => ({
      id,
      title,
      columns: [
        { key: 'institution', label: t('dashboard.col.institution'), kind: 'text' },
        { key: 'holders', label: t('dashboard.col.holders'), kind: 'count' },
        { key: 'target', label: t('dashboard.col.target'), kind: 'number' },
        { key: 'rate', label: t('dashboard.col.coverage'), kind: 'percent', dependsOn: 'holders' },
      ],
      rows: list.map((r) => [r.name, r.c.holders, r.c.target, r.c.rate]),
      rowHeader: 0,
    });
    tables.push(table('semester-top', t('dashboard.report.top'), ranked.slice(0, 5)));
    tables.push(table('semester-bottom', t('dashboard.report.bottom'), ranked.slice(-5).reverse()));
  }
  return { semester, previous, at, tables };
}
