// How people were trained, for the dashboards' split by mode (issue 17.4; definitions in docs/DASHBOARDS.md, "Modes"):
//
//   online     — through the course itself: an enrolment of the track completed online (completed_via 'online'),
//                or a certificate of the track that no workshop issued;
//   in_person  — through a workshop: credited participant (credited_at) of a workshop of a course of the track,
//                in person or live online — a workshop is facilitated training, whatever the room;
//   both       — both of the above.
//
// The three are a partition: every holder (or person × course of a funnel) is in exactly one, so online + in person +
// both = the total the other tables show.
//
// Why it is cheap at 200 000 officials: only someone on a workshop roster can be "in person" or "both" — for everyone
// else each definition reduces to "online". So the mode is worked out from the raw rows (certificates, enrolments,
// workshop tables) only for the people workshops touched, found through workshop_participants (a few hundred); every
// other person is online, and their count is the total minus those people's: the total from report_holders (coverage
// now) and report_course_month (the funnel), the same summaries the tables without a split read. A moment in the past
// and the observers' frozen figures (a certificate revoked after `at` still counts) read certificates and enrolments
// for the total, still working out a mode only for the people a workshop touched.
// tests/unit/reports-modes-fast.test.ts compares every path with the definitions written as one query per person.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { institutionWhere, scopeWhere, scopeWhereEveryCountry, type CountryScope, type LearningMode, type ReportFilters } from './scope.ts';
import { monthKey } from './summary.ts';
import { holdersValidAt } from './holder-counts.ts';

export { MODES, parseMode, type LearningMode } from './scope.ts';

const modeCase = (online: SQL, workshop: SQL) => sql`CASE WHEN (${online}) AND (${workshop}) THEN 'both' WHEN (${workshop}) THEN 'in_person' ELSE 'online' END`;

/** Sorted like the rows of a GROUP BY over (country, institution or course, track, mode). */
const byKeys = <T>(keys: (row: T) => (string | number)[]) => (a: T, b: T) => {
  const ka = keys(a);
  const kb = keys(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
};

export interface HolderModeRow {
  countryCode: string;
  institutionId: number;
  track: ProgrammeId;
  mode: LearningMode;
  n: number;
}

export interface HolderModeOptions {
  /** The instant coverage describes. */
  at: number;
  /** The present (default Date.now()): at or after it, holders are read from report_holders like the coverage table. */
  now?: number;
  /**
   * At the present: the report_holders counts at `at` for the same scope and filters (but the mode), when the caller
   * has read them already (the coverage report) — the split then reads only the people workshops credited.
   */
  totals?: { country_code: string; institution_id: number; track: ProgrammeId; n: number }[];
  /**
   * Observers' frozen figures: a certificate revoked after `at` still counts at `at`, and a person certified in two
   * countries counts in each (as in the coverage cube). Otherwise revoked certificates never count, and a person
   * counts once, at the country and institution of their latest certificate of the track (as report_holders).
   */
  frozen?: boolean;
}

type HolderSqlRow = { country_code: string; institution_id: number; track: ProgrammeId; mode: LearningMode; n: number };

/**
 * Holders of a valid certificate at `at`, per country, institution, track and mode. Institution and sector filters
 * apply to the institution the holder is counted at; `filters.mode` keeps one mode.
 */
export async function holdersByMode(db: Database, scope: CountryScope, filters: ReportFilters, { at, now = Date.now(), frozen = false, totals: given }: HolderModeOptions): Promise<HolderModeRow[]> {
  const tracks = filters.programme ? [filters.programme] : [...PROGRAMMES];
  const trackList = sql.join(tracks.map((t) => sql`${t}`), sql`, `);
  const counts = (alias: string) => {
    const c = sql.raw(alias);
    return frozen
      ? sql`${c}.issued_at < ${at} AND (${c}.revoked_at IS NULL OR ${c}.revoked_at >= ${at})`
      : sql`${c}.issued_at <= ${at} AND ${c}.revoked_at IS NULL`;
  };
  const online = sql`EXISTS (SELECT 1 FROM enrolments e WHERE e.user_id = h.user_id AND e.programme = h.track AND e.completed_via = 'online' AND e.completed_at IS NOT NULL AND e.completed_at <= ${at})
    OR EXISTS (SELECT 1 FROM certificates c2 WHERE c2.user_id = h.user_id AND c2.programme = h.track AND c2.workshop_id IS NULL AND ${counts('c2')})`;
  const workshop = sql`EXISTS (SELECT 1 FROM workshop_participants wp JOIN workshops w ON w.id = wp.workshop_id
     WHERE wp.user_id = h.user_id AND wp.credited_at IS NOT NULL AND wp.credited_at <= ${at}
       AND w.course_slug IN (SELECT c3.course_id FROM certificates c3 WHERE c3.user_id = h.user_id AND c3.programme = h.track))`;
  // Without a credit by `at` the workshop side is false, so the mode is online: the EXISTS run for those people only.
  const credited = sql`SELECT user_id FROM workshop_participants WHERE credited_at IS NOT NULL AND credited_at <= ${at}`;
  const workshopOnly = filters.mode === 'in_person' || filters.mode === 'both';
  const keep = (rows: HolderModeRow[]) => rows.filter((r) => !filters.mode || r.mode === filters.mode);
  const toRow = (r: HolderSqlRow): HolderModeRow => ({ countryCode: r.country_code, institutionId: Number(r.institution_id), track: r.track, mode: r.mode, n: Number(r.n) });

  if (!frozen && at >= now) {
    // Now: report_holders (one row per person and track, at their latest certificate), as the coverage table counts.
    // Read person by person through the primary key: the unary + keeps the planner off the country and expiry indexes,
    // which would walk every holder of the scope for a few hundred credited people.
    const where = sql`${scopeWhereEveryCountry(scope, sql`+h.country_code`)} AND h.track IN (${trackList}) AND ${institutionWhere(filters, sql`h.institution_id`)}`;
    const [totals, touched] = await Promise.all([
      workshopOnly
        ? []
        : (given ??
          holdersValidAt(db, scope, filters, tracks, at)), // as the coverage table counts (coverage.ts)
      // Not online exactly when there is workshop evidence (modeCase): that is tested once per holder, the online
      // evidence only for those, to tell "both" from "in a workshop".
      db.all<HolderSqlRow>(sql`
        SELECT h.country_code, h.institution_id, h.track, CASE WHEN (${online}) THEN 'both' ELSE 'in_person' END AS mode, count(*) AS n
          FROM report_holders h
         WHERE h.user_id IN (${credited}) AND +h.valid_until > ${at} AND ${where} AND (${workshop})
         GROUP BY h.country_code, h.institution_id, h.track, mode`),
    ]);
    const key = (r: { country_code: string; institution_id: number; track: string }) => `${r.country_code}|${Number(r.institution_id)}|${r.track}`;
    const notOnline = new Map<string, number>();
    for (const r of touched) notOnline.set(key(r), (notOnline.get(key(r)) ?? 0) + Number(r.n));
    const rows = [
      ...totals.map((r) => ({ ...r, mode: 'online' as const, n: Number(r.n) - (notOnline.get(key(r)) ?? 0) })).filter((r) => r.n > 0),
      ...touched,
    ].map(toRow);
    return keep(rows).sort(byKeys((r) => [r.countryCode, r.institutionId, r.track, r.mode]));
  }

  // A past moment, or frozen: each person's latest certificate valid at `at` (per country, when frozen).
  const partition = frozen ? sql`c.user_id, c.programme, c.country_code` : sql`c.user_id, c.programme`;
  const modeOf = sql`CASE WHEN h.user_id IN (${credited}) THEN ${modeCase(online, workshop)} ELSE 'online' END`;
  const rows = await db.all<HolderSqlRow>(sql`
    SELECT country_code, institution_id, track, mode, count(*) AS n FROM (
      SELECT h.country_code, h.institution_id, h.track, ${modeOf} AS mode FROM (
        SELECT c.user_id, COALESCE(c.country_code, '') AS country_code, COALESCE(c.institution_id, 0) AS institution_id, c.programme AS track,
               row_number() OVER (PARTITION BY ${partition} ORDER BY c.issued_at DESC, c.id DESC) AS rn
          FROM certificates c
         WHERE ${scopeWhere(scope, sql`c.country_code`)} AND c.programme IN (${trackList}) AND ${counts('c')}
           AND (c.expires_at IS NULL OR c.expires_at > ${at}) ${workshopOnly ? sql`AND c.user_id IN (${credited})` : sql``}
      ) h WHERE h.rn = 1 AND ${institutionWhere(filters, sql`h.institution_id`)}
    ) ${filters.mode ? sql`WHERE mode = ${filters.mode}` : sql``}
    GROUP BY country_code, institution_id, track, mode`);
  return rows.map(toRow);
}

export interface FunnelModeRow {
  countryCode: string;
  courseId: string;
  programme: ProgrammeId | null;
  mode: LearningMode;
  enrolled: number;
  started: number;
  completed: number;
  certified: number;
}

export interface FunnelModeOptions {
  /** The cohort: enrolments made, and workshops starting, in [start, end). */
  start: number;
  end: number;
  /** Steps counted only when they happened before this instant (observers: the semester's end). */
  until?: number;
  /** Observers' frozen figures: a certificate revoked after `until` still counts. */
  frozen?: boolean;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whether `ms` is the first instant of a UTC month (the cohort bounds the summaries can answer). */
const isMonthStart = (ms: number) => {
  const d = new Date(ms);
  return ms >= 0 && d.getUTCDate() === 1 && ms % 86_400_000 === 0;
};

type StepSqlRow = { country_code: string; course_id: string; programme: ProgrammeId | null; enrolled: number; started: number; completed: number; certified: number };
const STEP_KEYS = ['enrolled', 'started', 'completed', 'certified'] as const;

/**
 * The funnel of one cohort, per country, course and mode, counting people × courses: a person who enrolled online and
 * also took a workshop of the same course in the period is one row, "both", and a step counts when it happened
 * either way. Online side: enrolments of the period (not the ones a workshop credit created: completed_via 'workshop',
 * enrolled at the instant of that completion or never started); enrolled → started → completed online → certified online. Workshop side: participants of
 * workshops starting in the period; registered → attended a session → credited → certified by the workshop.
 *
 * Computed person by person only for the people on a workshop roster or with a second round of a course (only they
 * can make a person × course other than one online enrolment); everyone else's enrolments are one online row each,
 * summed from report_course_month (or, frozen, from the enrolments) minus those people's.
 */
export async function funnelByMode(db: Database, scope: CountryScope, filters: ReportFilters, { start, end, until = Number.MAX_SAFE_INTEGER, frozen = false }: FunnelModeOptions): Promise<FunnelModeRow[]> {
  const notRevoked = (alias: string) => (frozen ? sql`(${sql.raw(alias)}.revoked_at IS NULL OR ${sql.raw(alias)}.revoked_at >= ${until})` : sql`${sql.raw(alias)}.revoked_at IS NULL`);
  // The people counted one by one. The partial index holds only the later rounds; the planner, without statistics
  // for it, would rather scan a whole index of enrolments, hence INDEXED BY.
  const special = sql`SELECT user_id FROM workshop_participants UNION SELECT user_id FROM enrolments INDEXED BY enrolments_later_cycle_idx WHERE cycle > 1`;
  const cohort: SQL[] = [scopeWhere(scope, sql`e.country_code`), sql`e.enrolled_at >= ${start}`, sql`e.enrolled_at < ${end}`];
  const workshopWhere: SQL[] = [scopeWhere(scope, sql`COALESCE(w.country_code, u.country_code)`), sql`w.starts_on >= ${isoDay(start)}`, sql`w.starts_on < ${isoDay(end)}`];
  if (filters.courseId) {
    cohort.push(sql`e.course_id = ${filters.courseId}`);
    workshopWhere.push(sql`w.course_slug = ${filters.courseId}`);
  }
  if (filters.programme) {
    cohort.push(sql`e.programme = ${filters.programme}`);
    workshopWhere.push(sql`w.course_slug IN (SELECT DISTINCT course_id FROM report_course_month WHERE programme = ${filters.programme})`);
  }
  if (filters.institutionId !== undefined) {
    cohort.push(sql`e.institution_id = ${filters.institutionId}`);
    workshopWhere.push(sql`u.institution_id = ${filters.institutionId}`);
  }
  if (filters.sector) {
    cohort.push(sql`e.institution_id IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
    workshopWhere.push(sql`u.institution_id IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
  }
  // An enrolment a workshop credit created is not the online side: the close makes it, starts it and completes it at
  // once (src/server/workshops/credit.ts), so it is enrolled at the instant it was completed (or, older rows, never started).
  const onlineWhere = [...cohort, sql`NOT (e.completed_via = 'workshop' AND (e.started_at IS NULL OR e.enrolled_at = e.completed_at))`];
  const started = sql`e.started_at IS NOT NULL AND e.started_at < ${until}`;
  const completedOnline = sql`e.completed_via = 'online' AND e.completed_at IS NOT NULL AND e.completed_at < ${until}`;
  const certifiedOnline = sql`EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id AND c.workshop_id IS NULL AND c.issued_at < ${until} AND ${notRevoked('c')})`;
  const workshopOnly = filters.mode === 'in_person' || filters.mode === 'both';

  // The special people, person × course, by the definition.
  const exact = db.all<StepSqlRow & { mode: LearningMode }>(sql`
    WITH sides AS (
      SELECT e.user_id, e.course_id, COALESCE(e.country_code, '') AS country_code, 1 AS online, 0 AS workshop,
             ${started} AS started, ${completedOnline} AS completed, ${certifiedOnline} AS certified
        FROM enrolments e WHERE e.user_id IN (${special}) AND ${sql.join(onlineWhere, sql` AND `)}
      UNION ALL
      SELECT wp.user_id, w.course_slug, COALESCE(w.country_code, u.country_code, ''), 0, 1,
             EXISTS (SELECT 1 FROM workshop_attendance a JOIN workshop_sessions s ON s.id = a.session_id
                      WHERE s.workshop_id = w.id AND a.user_id = wp.user_id AND a.present = 1 AND a.recorded_at < ${until}),
             wp.credited_at IS NOT NULL AND wp.credited_at < ${until},
             EXISTS (SELECT 1 FROM certificates c WHERE c.workshop_id = w.id AND c.user_id = wp.user_id AND c.issued_at < ${until} AND ${notRevoked('c')})
        FROM workshop_participants wp JOIN workshops w ON w.id = wp.workshop_id JOIN users u ON u.id = wp.user_id
       WHERE ${sql.join(workshopWhere, sql` AND `)}
    ), pairs AS (
      SELECT user_id, course_id, max(country_code) AS country_code, max(online) AS online, max(workshop) AS workshop,
             max(started) AS started, max(completed) AS completed, max(certified) AS certified
        FROM sides GROUP BY user_id, course_id
    )
    SELECT country_code, course_id, (SELECT programme FROM enrolments WHERE course_id = pairs.course_id LIMIT 1) AS programme,
           CASE WHEN online AND workshop THEN 'both' WHEN workshop THEN 'in_person' ELSE 'online' END AS mode,
           count(*) AS enrolled, sum(started) AS started, sum(completed) AS completed, sum(certified) AS certified
      FROM pairs GROUP BY country_code, course_id, mode`);

  // Everyone else: one online person × course per enrolment of the cohort.
  const others = async (): Promise<StepSqlRow[]> => {
    if (workshopOnly) return [];
    if (frozen || until !== Number.MAX_SAFE_INTEGER || !isMonthStart(start) || !isMonthStart(end)) {
      return db.all<StepSqlRow>(sql`
        SELECT COALESCE(e.country_code, '') AS country_code, e.course_id, max(e.programme) AS programme, count(*) AS enrolled,
               sum(${started}) AS started, sum(${completedOnline}) AS completed, sum(${certifiedOnline}) AS certified
          FROM enrolments e WHERE e.user_id NOT IN (${special}) AND ${sql.join(onlineWhere, sql` AND `)}
         GROUP BY 1, 2`);
    }
    // The summary counts every enrolment of the cohort months; the special people's are taken off as it counted them.
    // Every month (the dashboards' default): the same rows summed over all months (report_course_totals).
    const everything = start <= 0 && end >= periodBounds({}).end;
    const summaryWhere = [
      scopeWhereEveryCountry(scope, sql`country_code`),
      everything ? sql`1 = 1` : sql`month BETWEEN ${monthKey(start)} AND ${monthKey(end - 1)}`,
      ...(filters.courseId ? [sql`course_id = ${filters.courseId}`] : []),
      ...(filters.programme ? [sql`programme = ${filters.programme}`] : []),
      institutionWhere(filters, sql`institution_id`),
    ];
    const [all, theirs] = await Promise.all([
      db.all<StepSqlRow>(sql`
        SELECT country_code, course_id, max(programme) AS programme, sum(enrolled) AS enrolled, sum(started) AS started, sum(completed) AS completed, sum(certified) AS certified
          FROM ${everything ? sql`report_course_totals` : sql`report_course_month`} WHERE ${sql.join(summaryWhere, sql` AND `)} GROUP BY country_code, course_id`),
      db.all<StepSqlRow>(sql`
        SELECT COALESCE(e.country_code, '') AS country_code, e.course_id, NULL AS programme, count(*) AS enrolled, sum(e.started_at IS NOT NULL) AS started,
               sum(e.completed_at IS NOT NULL) AS completed, sum(EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id AND c.revoked_at IS NULL)) AS certified
          FROM enrolments e WHERE e.user_id IN (${special}) AND ${sql.join(cohort, sql` AND `)} GROUP BY 1, 2`),
    ]);
    const key = (r: StepSqlRow) => `${r.country_code}|${r.course_id}`;
    const minus = new Map(theirs.map((r) => [key(r), r]));
    return all.map((r) => {
      const m = minus.get(key(r));
      return m ? { ...r, ...Object.fromEntries(STEP_KEYS.map((s) => [s, Number(r[s]) - Number(m[s])])) } : r;
    });
  };

  const [special_, rest] = await Promise.all([exact, others()]);
  const out = new Map<string, FunnelModeRow>();
  for (const r of [...rest.map((r) => ({ ...r, mode: 'online' as const })), ...special_]) {
    const k = `${r.country_code}|${r.course_id}|${r.mode}`;
    const row = out.get(k) ?? { countryCode: r.country_code, courseId: r.course_id, programme: r.programme, mode: r.mode, enrolled: 0, started: 0, completed: 0, certified: 0 };
    out.set(k, row);
    row.programme ??= r.programme;
    for (const s of STEP_KEYS) row[s] += Number(r[s]);
  }
  return [...out.values()]
    .filter((r) => r.enrolled > 0 && (!filters.mode || r.mode === filters.mode))
    .sort(byKeys((r) => [r.countryCode, r.courseId, r.mode]));
}

/** The cohort bounds of dashboard filters: the months from..to, or everything. */
export function periodBounds(filters: ReportFilters): { start: number; end: number } {
  const startOf = (m: number) => Date.UTC(Math.floor(m / 100), (m % 100) - 1, 1);
  return { start: filters.from ? startOf(filters.from) : 0, end: filters.to ? Date.UTC(Math.floor(filters.to / 100), filters.to % 100, 1) : Date.UTC(9999, 0, 1) };
}
