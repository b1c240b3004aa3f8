// The semester report for the Coalition's plenary meetings: coverage at the end of the semester and its change since
// the previous one, completions, refreshers due, top and bottom institutions — for one country or the region.
// Built as view tables (words as Terms, translated by the page) so the printable page and the PDF show the same
// figures. Observers get the protected variant (aggregateSemesterReport).
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { coverageReport, type CoverageCell } from './coverage.ts';
import { DAY_MS, NO_EXPIRY } from './summary.ts';
import { REFRESH_WINDOW_DAYS } from './refreshers.ts';
import { scopeWhere, scopeWhereByCountry, type CountryScope } from './scope.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { completionsCube, coverageCube, cubeCell, protectedRate, refresherCube, REGION, targetsByCountry } from './aggregate.ts';
import { SUPPRESSED, type Cell, type ReportColumn, type Term, type ViewTable } from './table.ts';
import { modesCoverage } from './views/modes-coverage.ts';

export { closedSemesters, parseSemester, previousSemester, recentSemesters, semesterOf, type Semester } from './semesters.ts';
import { previousSemester, type Semester } from './semesters.ts';

/**
 * People whose Básico/Actualización training had expired, or expired within the refresher window, as of `at` (from
 * certificates). Deactivated and erased accounts are left out, as on the dashboard: nobody will take a refresher.
 */
async function refreshersAt(db: Database, scope: CountryScope, at: number): Promise<{ countryCode: string; expired: number; dueSoon: number }[]> {
  const rows = await db.all<{ country_code: string; expired: number; due_soon: number }>(sql`
    SELECT country_code, sum(v <= ${at}) AS expired, sum(v > ${at}) AS due_soon FROM (
      SELECT c.user_id, max(COALESCE(c.expires_at, ${NO_EXPIRY})) AS v, c.country_code FROM certificates c JOIN users u ON u.id = c.user_id
       WHERE ${scopeWhereByCountry(scope, sql`c.country_code`)} AND c.programme IN ('basico', 'actualizacion') AND c.revoked_at IS NULL AND c.issued_at <= ${at}
         AND u.active = 1 AND u.erased_at IS NULL
       GROUP BY c.country_code, c.user_id
    ) WHERE v <= ${at + REFRESH_WINDOW_DAYS * DAY_MS} GROUP BY country_code`);
  return rows.map((r) => ({ countryCode: r.country_code, expired: Number(r.expired), dueSoon: Number(r.due_soon) }));
}

export interface SemesterReport {
  semester: Semester;
  previous: Semester;
  /** The instant coverage is measured at: the end of the semester, or now while it is running. */
  at: number;
  tables: ViewTable[];
}

const column = (key: string, label: Term, kind: ReportColumn['kind'], dependsOn?: string | string[]): ReportColumn<Term> => ({ key, label, kind, ...(dependsOn ? { dependsOn } : {}) });
const m = (key: MessageKey): Term => ({ message: key });
const tl = (track: string, key: MessageKey): Term => ({ join: [{ track }, m(key)] });
const previousLabel = (key: MessageKey): Term => ({ join: [m('dashboard.report.previous'), m(key)] });
const changeOf = (c: number | string | null, b: number | string | null) => (typeof c === 'number' && typeof b === 'number' ? Math.round((c - b) * 1000) / 10 : c === SUPPRESSED || b === SUPPRESSED ? SUPPRESSED : null);

export async function semesterReport(
  db: Database,
  scope: CountryScope,
  semester: Semester,
  options: { now?: number; institutions?: boolean; byCountry?: boolean; aggregate?: boolean } = {},
): Promise<SemesterReport> {
  if (options.aggregate) return aggregateSemesterReport(db, scope, semester);
  const now = options.now ?? Date.now();
  const previous = previousSemester(semester);
  const at = Math.min(now, semester.end);
  const prevAt = Math.min(now, previous.end);
  const [current, before] = await Promise.all([coverageReport(db, scope, {}, { at, now }), coverageReport(db, scope, {}, { at: prevAt, now })]);
  // Every track with a target or a holder: Medios has no institution targets (journalists have no institution), and
  // a report that left it out said nothing of the journalists trained.
  const tracks = PROGRAMMES.filter((p) => (current.total[p]?.target ?? 0) > 0 || (current.total[p]?.holders ?? 0) > 0 || (before.total[p]?.holders ?? 0) > 0);
  const pct = (c: CoverageCell | undefined) => c?.rate ?? null;
  const tables: ViewTable[] = [];

  tables.push({
    id: 'semester-coverage',
    title: m('dashboard.report.progress'),
    columns: coverageColumns(),
    rows: tracks.map((p) => {
      const c = current.total[p];
      const b = before.total[p];
      return [{ track: p }, c?.holders ?? 0, c?.target ?? 0, pct(c), b?.holders ?? 0, pct(b), changeOf(pct(c), pct(b))];
    }),
    rowHeader: 0,
  });
  tables.push(await modesTable(db, scope, semester, now));

  const completionRows = await db.all<{ programme: ProgrammeId; cur: number; prev: number }>(sql`
    SELECT programme, sum(CASE WHEN month >= ${semester.firstMonth} THEN completions ELSE 0 END) AS cur,
           sum(CASE WHEN month < ${semester.firstMonth} THEN completions ELSE 0 END) AS prev
      FROM report_course_month WHERE ${scopeWhere(scope, sql`country_code`)} AND month BETWEEN ${previous.firstMonth} AND ${semester.lastMonth}
     GROUP BY programme`);
  const byProgramme = new Map(completionRows.map((r) => [r.programme, r]));
  tables.push({
    id: 'semester-completions',
    title: m('dashboard.report.completions'),
    columns: completionColumns(),
    rows: PROGRAMMES.map((p) => [{ track: p }, Number(byProgramme.get(p)?.cur ?? 0), Number(byProgramme.get(p)?.prev ?? 0)]),
    rowHeader: 0,
  });

  const refreshers = await refreshersAt(db, scope, at);
  const sum = (k: 'expired' | 'dueSoon') => refreshers.reduce((s, r) => s + r[k], 0);
  tables.push({
    id: 'semester-refreshers',
    title: m('dashboard.report.refreshers'),
    columns: refresherColumns(Boolean(options.byCountry)),
    rows: [
      ...(options.byCountry ? refreshers.map((r): (Cell | Term)[] => [{ country: r.countryCode }, r.expired, r.dueSoon]) : []),
      [m(options.byCountry ? 'dashboard.region.total' : 'dashboard.col.total'), sum('expired'), sum('dueSoon')],
    ],
    rowHeader: 0,
    ...(options.byCountry ? { sortBy: 0, fixedLast: 1 } : {}),
  });

  if (options.byCountry) {
    const countries = new Map<string, Partial<Record<ProgrammeId, CoverageCell>>>();
    for (const inst of current.institutions) {
      const e = countries.get(inst.countryCode) ?? {};
      countries.set(inst.countryCode, e);
      for (const [p, c] of Object.entries(inst.tracks) as [ProgrammeId, CoverageCell][]) {
        const x = e[p] ?? { holders: 0, target: 0, rate: null };
        const holders = x.holders + c.holders;
        const target = x.target + c.target;
        e[p] = { holders, target, rate: target > 0 ? holders / target : null };
      }
    }
    tables.push({
      id: 'semester-countries',
      title: m('dashboard.report.countries'),
      columns: countryColumns(tracks),
      rows: [...countries.entries()].map(([code, e]): (Cell | Term)[] => [{ country: code }, ...tracks.flatMap((p) => [e[p]?.holders ?? 0, e[p]?.rate ?? null])]),
      rowHeader: 0,
      sortBy: 0,
    });
  }

  if (options.institutions !== false) {
    const ranked = current.institutions
      .filter((i) => (i.tracks.basico?.target ?? 0) > 0)
      .map((i) => ({ name: i.name, countryCode: i.countryCode, c: i.tracks.basico! }))
      .sort((a, b) => (b.c.rate ?? 0) - (a.c.rate ?? 0) || a.name.localeCompare(b.name));
    const table = (id: string, title: MessageKey, list: typeof ranked): ViewTable => ({
      id,
      title: m(title),
      columns: [
        column('institution', m('dashboard.col.institution'), 'text'),
        column('holders', m('dashboard.col.holders'), 'count'),
        column('target', m('dashboard.col.target'), 'number'),
        column('rate', m('dashboard.col.coverage'), 'percent', 'holders'),
      ],
      rows: list.map((r) => [options.byCountry ? { message: 'dashboard.report.institutionIn', params: { institution: r.name, country: { country: r.countryCode } } } : r.name, r.c.holders, r.c.target, r.c.rate]),
      rowHeader: 0,
    });
    tables.push(table('semester-top', 'dashboard.report.top', ranked.slice(0, 5)));
    tables.push(table('semester-bottom', 'dashboard.report.bottom', ranked.slice(-5).reverse()));
  }
  return { semester, previous, at, tables };
}

/**
 * Holders by mode at the semester's end, or now for the running one (the dashboard's split with the period ending
 * with the semester, docs/DASHBOARDS.md "Modes"); for observers the region's protected split of its coverage cube.
 * `now` stays the present: the view reads report_holders only for the present, the certificates for a past moment.
 */
async function modesTable(db: Database, scope: CountryScope, semester: Semester, now: number, aggregate = false): Promise<ViewTable> {
  const table = await modesCoverage.build({ db, scope, filters: { to: semester.lastMonth }, now, shared: new Map(), ...(aggregate ? { aggregate: { semester } } : {}) });
  return { ...table, id: 'semester-modes', title: m('dashboard.report.modes') };
}

function coverageColumns(): ReportColumn<Term>[] {
  return [
    column('track', m('dashboard.col.track'), 'text'),
    column('holders', m('dashboard.col.holders'), 'count'),
    column('target', m('dashboard.col.target'), 'number'),
    column('rate', m('dashboard.report.current'), 'percent', 'holders'),
    column('prevHolders', previousLabel('dashboard.col.holders'), 'count'),
    column('prevRate', previousLabel('dashboard.col.coverage'), 'percent', 'prevHolders'),
    column('change', m('dashboard.report.change'), 'number', ['holders', 'prevHolders']),
  ];
}

const completionColumns = () => [column('track', m('dashboard.col.track'), 'text'), column('current', m('dashboard.report.current'), 'count'), column('previous', m('dashboard.report.previous'), 'count')];

const refresherColumns = (byCountry: boolean) => [
  column('scope', byCountry ? m('dashboard.col.country') : { join: [] }, 'text'),
  column('expired', m('dashboard.col.expired'), 'count'),
  column('dueSoon', { message: 'dashboard.col.dueSoon', params: { days: REFRESH_WINDOW_DAYS } }, 'count'),
];

const countryColumns = (tracks: readonly string[]) => [
  column('country', m('dashboard.col.country'), 'text'),
  ...tracks.flatMap((p) => [column(`${p}.holders`, tl(p, 'dashboard.col.holders'), 'count'), column(`${p}.rate`, tl(p, 'dashboard.col.coverage'), 'percent', `${p}.holders`)]),
];

/**
 * The regional report for observers: every figure cut from the protected cubes of aggregate.ts (the semester and the
 * one before, as they stood at their ends), so it hides the same cells as the dashboard and its exports.
 */
async function aggregateSemesterReport(db: Database, scope: CountryScope, semester: Semester): Promise<SemesterReport> {
  const previous = previousSemester(semester);
  const [cov, prevCov, done, prevDone, refresh, targets] = await Promise.all([
    coverageCube(db, scope, semester),
    coverageCube(db, scope, previous),
    completionsCube(db, scope, semester),
    completionsCube(db, scope, previous),
    refresherCube(db, scope, semester),
    targetsByCountry(db, scope),
  ]);
  const tracks = [...PROGRAMMES];
  const note = m('dashboard.protectedNote');
  const countryRows = (cells: (i: number, code: string) => (Cell | Term)[]) => [
    ...cov.countries.map((code, i): (Cell | Term)[] => [{ country: code }, ...cells(i, code)]),
    [m('dashboard.region.total'), ...cells(REGION, '')],
  ];
  return {
    semester,
    previous,
    at: semester.end,
    tables: [
      {
        id: 'semester-coverage',
        title: m('dashboard.report.progress'),
        columns: coverageColumns(),
        rows: tracks.map((p) => {
          const target = targets.get(`|${p}`) ?? 0;
          const holders = cubeCell(cov, REGION, p);
          const prevHolders = cubeCell(prevCov, REGION, p);
          const rate = protectedRate(holders, target);
          const prevRate = protectedRate(prevHolders, target);
          return [{ track: p }, holders, target, rate, prevHolders, prevRate, changeOf(rate, prevRate)];
        }),
        rowHeader: 0,
        note,
      },
      await modesTable(db, scope, semester, semester.end, true),
      {
        id: 'semester-completions',
        title: m('dashboard.report.completions'),
        columns: completionColumns(),
        rows: tracks.map((p) => [{ track: p }, cubeCell(done, REGION, p), cubeCell(prevDone, REGION, p)]),
        rowHeader: 0,
        note,
      },
      {
        id: 'semester-refreshers',
        title: m('dashboard.report.refreshers'),
        columns: refresherColumns(true),
        rows: countryRows((i) => [cubeCell(refresh, i, 'expired'), cubeCell(refresh, i, 'dueSoon')]),
        rowHeader: 0,
        sortBy: 0,
        fixedLast: 1,
        note,
      },
      {
        id: 'semester-countries',
        title: m('dashboard.report.countries'),
        columns: countryColumns(tracks),
        rows: countryRows((i, code) =>
          tracks.flatMap((p) => {
            const holders = cubeCell(cov, i, p);
            return [holders, protectedRate(holders, code ? (targets.get(`${code}|${p}`) ?? 0) : (targets.get(`|${p}`) ?? 0))];
          }),
        ),
        rowHeader: 0,
        sortBy: 0,
        fixedLast: 1,
        note,
      },
    ],
  };
}
