// How people were trained, for the dashboards' split by mode (issue 17.4; definitions in docs/DASHBOARDS.md, "Modes"):
//
//   online     — through the course itself: an enrolment of the track completed online (completed_via 'online'),
//                or a certificate of the track that no workshop issued;
//   in_person  — through a workshop: credited participant (credited_at) of a workshop of a course of the track,
//                in person or live online — a workshop is facilitated training, whatever the room;
//   both       — both of the above.
//
// The three are a partition: every holder (or person × course of a funnel) is in exactly one, so online + in person +
// both = the total the other tables show. Figures are read from the raw rows (certificates, enrolments, workshop
// tables), like the observers' frozen figures, because the summary tables carry no mode.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { scopeWhere, type CountryScope, type LearningMode, type ReportFilters } from './scope.ts';

export { MODES, parseMode, type LearningMode } from './scope.ts';

const modeCase = (online: SQL, workshop: SQL) => sql`CASE WHEN (${online}) AND (${workshop}) THEN 'both' WHEN (${workshop}) THEN 'in_person' ELSE 'online' END`;

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
  /**
   * Observers' frozen figures: a certificate revoked after `at` still counts at `at`, and a person certified in two
   * countries counts in each (as in the coverage cube). Otherwise revoked certificates never count, and a person
   * counts once, at the country and institution of their latest certificate of the track (as report_holders).
   */
  frozen?: boolean;
}

/**
 * Holders of a valid certificate at `at`, per country, institution, track and mode. Institution and sector filters
 * apply to the institution the holder is counted at; `filters.mode` keeps one mode.
 */
export async function holdersByMode(db: Database, scope: CountryScope, filters: ReportFilters, { at, frozen = false }: HolderModeOptions): Promise<HolderModeRow[]> {
  const tracks = filters.programme ? [filters.programme] : [...PROGRAMMES];
  const trackList = sql.join(tracks.map((t) => sql`${t}`), sql`, `);
  const counts = (alias: string) => {
    const c = sql.raw(alias);
    return frozen
      ? sql`${c}.issued_at < ${at} AND (${c}.revoked_at IS NULL OR ${c}.revoked_at >= ${at})`
      : sql`${c}.issued_at <= ${at} AND ${c}.revoked_at IS NULL`;
  };
  const partition = frozen ? sql`c.user_id, c.programme, c.country_code` : sql`c.user_id, c.programme`;
  const online = sql`EXISTS (SELECT 1 FROM enrolments e WHERE e.user_id = h.user_id AND e.programme = h.track AND e.completed_via = 'online' AND e.completed_at IS NOT NULL AND e.completed_at <= ${at})
    OR EXISTS (SELECT 1 FROM certificates c2 WHERE c2.user_id = h.user_id AND c2.programme = h.track AND c2.workshop_id IS NULL AND ${counts('c2')})`;
  const workshop = sql`EXISTS (SELECT 1 FROM workshop_participants wp JOIN workshops w ON w.id = wp.workshop_id
     WHERE wp.user_id = h.user_id AND wp.credited_at IS NOT NULL AND wp.credited_at <= ${at}
       AND w.course_slug IN (SELECT c3.course_id FROM certificates c3 WHERE c3.user_id = h.user_id AND c3.programme = h.track))`;
  const institutionFilter: SQL[] = [];
  if (filters.institutionId !== undefined) institutionFilter.push(sql`h.institution_id = ${filters.institutionId}`);
  if (filters.sector) institutionFilter.push(sql`h.institution_id IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
  const rows = await db.all<{ country_code: string; institution_id: number; track: ProgrammeId; mode: LearningMode; n: number }>(sql`
    SELECT country_code, institution_id, track, mode, count(*) AS n FROM (
      SELECT h.country_code, h.institution_id, h.track, ${modeCase(online, workshop)} AS mode FROM (
        SELECT c.user_id, COALESCE(c.country_code, '') AS country_code, COALESCE(c.institution_id, 0) AS institution_id, c.programme AS track,
               row_number() OVER (PARTITION BY ${partition} ORDER BY c.issued_at DESC, c.id DESC) AS rn
          FROM certificates c
         WHERE ${scopeWhere(scope, sql`c.country_code`)} AND c.programme IN (${trackList}) AND ${counts('c')}
           AND (c.expires_at IS NULL OR c.expires_at > ${at})
      ) h WHERE h.rn = 1 ${institutionFilter.length ? sql`AND ${sql.join(institutionFilter, sql` AND `)}` : sql``}
    ) ${filters.mode ? sql`WHERE mode = ${filters.mode}` : sql``}
    GROUP BY country_code, institution_id, track, mode`);
  return rows.map((r) => ({ countryCode: r.country_code, institutionId: Number(r.institution_id), track: r.track, mode: r.mode, n: Number(r.n) }));
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

/**
 * The funnel of one cohort, per country, course and mode, counting people × courses: a person who enrolled online and
 * also took a workshop of the same course in the period is one row, "both", and a step counts when it happened
 * either way. Online side: enrolments of the period (not the ones a workshop credit created: completed_via 'workshop'
 * and never started); enrolled → started → completed online → certified online. Workshop side: participants of
 * workshops starting in the period; registered → attended a session → credited → certified by the workshop.
 */
export async function funnelByMode(db: Database, scope: CountryScope, filters: ReportFilters, { start, end, until = Number.MAX_SAFE_INTEGER, frozen = false }: FunnelModeOptions): Promise<FunnelModeRow[]> {
  const notRevoked = (alias: string) => (frozen ? sql`(${sql.raw(alias)}.revoked_at IS NULL OR ${sql.raw(alias)}.revoked_at >= ${until})` : sql`${sql.raw(alias)}.revoked_at IS NULL`);
  const onlineWhere: SQL[] = [scopeWhere(scope, sql`e.country_code`), sql`e.enrolled_at >= ${start}`, sql`e.enrolled_at < ${end}`, sql`NOT (e.completed_via = 'workshop' AND e.started_at IS NULL)`];
  const workshopWhere: SQL[] = [scopeWhere(scope, sql`COALESCE(w.country_code, u.country_code)`), sql`w.starts_on >= ${isoDay(start)}`, sql`w.starts_on < ${isoDay(end)}`];
  if (filters.courseId) {
    onlineWhere.push(sql`e.course_id = ${filters.courseId}`);
    workshopWhere.push(sql`w.course_slug = ${filters.courseId}`);
  }
  if (filters.programme) {
    onlineWhere.push(sql`e.programme = ${filters.programme}`);
    workshopWhere.push(sql`w.course_slug IN (SELECT DISTINCT course_id FROM report_course_month WHERE programme = ${filters.programme})`);
  }
  if (filters.institutionId !== undefined) {
    onlineWhere.push(sql`e.institution_id = ${filters.institutionId}`);
    workshopWhere.push(sql`u.institution_id = ${filters.institutionId}`);
  }
  if (filters.sector) {
    onlineWhere.push(sql`e.institution_id IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
    workshopWhere.push(sql`u.institution_id IN (SELECT id FROM institutions WHERE sector_code = ${filters.sector})`);
  }
  const rows = await db.all<{ country_code: string; course_id: string; programme: ProgrammeId | null; mode: LearningMode; enrolled: number; started: number; completed: number; certified: number }>(sql`
    WITH sides AS (
      SELECT e.user_id, e.course_id, COALESCE(e.country_code, '') AS country_code, 1 AS online, 0 AS workshop,
             e.started_at IS NOT NULL AND e.started_at < ${until} AS started,
             e.completed_via = 'online' AND e.completed_at IS NOT NULL AND e.completed_at < ${until} AS completed,
             EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = e.id AND c.workshop_id IS NULL AND c.issued_at < ${until} AND ${notRevoked('c')}) AS certified
        FROM enrolments e WHERE ${sql.join(onlineWhere, sql` AND `)}
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
  return rows
    .map((r) => ({ countryCode: r.country_code, courseId: r.course_id, programme: r.programme, mode: r.mode, enrolled: Number(r.enrolled), started: Number(r.started), completed: Number(r.completed), certified: Number(r.certified) }))
    .filter((r) => !filters.mode || r.mode === filters.mode);
}

/** The cohort bounds of dashboard filters: the months from..to, or everything. */
export function periodBounds(filters: ReportFilters): { start: number; end: number } {
  const startOf = (m: number) => Date.UTC(Math.floor(m / 100), (m % 100) - 1, 1);
  return { start: filters.from ? startOf(filters.from) : 0, end: filters.to ? Date.UTC(Math.floor(filters.to / 100), filters.to % 100, 1) : Date.UTC(9999, 0, 1) };
}
