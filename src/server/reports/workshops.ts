// The workshop list of the dashboards (issue 17.4): per workshop, who was registered, who attended at least the
// share of hours its rule asks, the hours delivered so far and who was credited. Counts of people, no names.
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import type { WorkshopMode, WorkshopState } from '../../../db/schema.ts';
import { scopeWhere, type CountryScope, type ReportFilters } from './scope.ts';

export interface WorkshopFigures {
  id: number;
  countryCode: string | null;
  titleEs: string;
  titleEn: string;
  courseId: string;
  mode: WorkshopMode;
  startsOn: string;
  endsOn: string;
  state: WorkshopState;
  rulePercent: number;
  participants: number;
  /** Participants present for at least rulePercent of the workshop's hours. */
  attendedRule: number;
  /** Hours of the sessions held so far (session day ≤ today) and of all its sessions. */
  hoursDelivered: number;
  hoursPlanned: number;
  credited: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (m: number) => `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}-01`;
const nextMonthStart = (m: number) => isoDay(Date.UTC(Math.floor(m / 100), m % 100, 1));

/** Workshops of the scope starting in the period (regional ones, without a country, only for a regional scope). */
export async function workshopFigures(db: Database, scope: CountryScope, filters: ReportFilters, now: number): Promise<WorkshopFigures[]> {
  const where: SQL[] = [scopeWhere(scope, sql`w.country_code`)];
  if (filters.from) where.push(sql`w.starts_on >= ${monthStart(filters.from)}`);
  if (filters.to) where.push(sql`w.starts_on < ${nextMonthStart(filters.to)}`);
  if (filters.courseId) where.push(sql`w.course_slug = ${filters.courseId}`);
  if (filters.programme) where.push(sql`w.course_slug IN (SELECT DISTINCT course_id FROM report_course_month WHERE programme = ${filters.programme})`);
  const today = isoDay(now);
  const rows = await db.all<{ id: number; country_code: string | null; title_es: string; title_en: string; course_slug: string; mode: WorkshopMode; starts_on: string; ends_on: string; state: WorkshopState; rule: number; participants: number; credited: number; planned: number; delivered: number }>(sql`
    SELECT w.id, w.country_code, w.title_es, w.title_en, w.course_slug, w.mode, w.starts_on, w.ends_on, w.state, w.attendance_rule_percent AS rule,
           (SELECT count(*) FROM workshop_participants p WHERE p.workshop_id = w.id) AS participants,
           (SELECT count(*) FROM workshop_participants p WHERE p.workshop_id = w.id AND p.credited_at IS NOT NULL) AS credited,
           (SELECT COALESCE(sum(s.hours), 0) FROM workshop_sessions s WHERE s.workshop_id = w.id) AS planned,
           (SELECT COALESCE(sum(s.hours), 0) FROM workshop_sessions s WHERE s.workshop_id = w.id AND s.day <= ${today}) AS delivered
      FROM workshops w WHERE ${sql.join(where, sql` AND `)}
     ORDER BY w.starts_on DESC, w.id DESC`);
  if (rows.length === 0) return [];
  const ids = sql.join(rows.map((r) => sql`${r.id}`), sql`, `);
  // Hours each participant was present (a missing attendance row is an absence). From the workshops' sessions to
  // their attendance (CROSS JOIN keeps that order: the planner would rather read every attendance row of every workshop).
  const present = await db.all<{ workshop_id: number; hours: number }>(sql`
    SELECT s.workshop_id, sum(s.hours) AS hours FROM workshop_sessions s
      CROSS JOIN workshop_attendance a ON a.session_id = s.id
      CROSS JOIN workshop_participants p ON p.workshop_id = s.workshop_id AND p.user_id = a.user_id
     WHERE a.present = 1 AND s.workshop_id IN (${ids})
     GROUP BY s.workshop_id, a.user_id`);
  const byWorkshop = new Map<number, number[]>();
  for (const r of present) byWorkshop.set(Number(r.workshop_id), [...(byWorkshop.get(Number(r.workshop_id)) ?? []), Number(r.hours)]);
  return rows.map((r) => {
    const planned = Number(r.planned);
    const rule = Number(r.rule);
    // Compared in hundredths of an hour × percent, so 80 % of 12.5 h is exactly 10 h.
    const attendedRule = planned > 0 ? (byWorkshop.get(Number(r.id)) ?? []).filter((h) => Math.round(h * 100) * 100 >= rule * Math.round(planned * 100)).length : 0;
    return {
      id: Number(r.id),
      countryCode: r.country_code,
      titleEs: r.title_es,
      titleEn: r.title_en,
      courseId: r.course_slug,
      mode: r.mode,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      state: r.state,
      rulePercent: rule,
      participants: Number(r.participants),
      attendedRule,
      hoursDelivered: Number(r.delivered),
      hoursPlanned: planned,
      credited: Number(r.credited),
    };
  });
}
