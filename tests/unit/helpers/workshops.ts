// Workshops for the report tests, written as the workshops domain writes them (docs in /work/brief/workshops-schema.md
// and src/server/workshops/): sessions with hours, participants, attendance rows, and the credit of a closed workshop
// (credited_at; the enrolment it creates or completes with completed_via 'workshop'; its certificate with
// workshop_id, delivery_mode 'in_person' for an in-person workshop and 'online' for a live online one, unless the
// person already held the course: then no enrolment or certificate, no double credit).
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import type { ProgrammeId, WorkshopMode } from '../../../db/schema.ts';
import type { WorkshopInput } from '../../../src/server/workshops/index.ts';
import { recordCertificateIssued, recordCompletion, recordEnrolment, recordStarted } from '../../../src/server/reports/summary.ts';
import { DAY } from './reports.ts';

export interface WorkshopSpec {
  countryCode: string | null;
  courseId: string;
  mode?: WorkshopMode;
  /** Session days 'YYYY-MM-DD' with their hours. */
  sessions: [string, number][];
  createdBy: number;
  state?: 'planned' | 'held' | 'closed';
  rulePercent?: number;
  title?: string;
}

export async function createWorkshopRow(db: Database, w: WorkshopSpec): Promise<{ id: number; sessionIds: number[] }> {
  const days = w.sessions.map(([d]) => d).sort();
  const [row] = await db.all<{ id: number }>(sql`INSERT INTO workshops (country_code, title_es, title_en, course_slug, mode, place, facilitators, capacity, starts_on, ends_on, state, attendance_rule_percent, created_by)
    VALUES (${w.countryCode}, ${`Taller ${w.title ?? w.courseId}`}, ${`Workshop ${w.title ?? w.courseId}`}, ${w.courseId}, ${w.mode ?? 'in_person'}, 'Sala 1', 'Equipo facilitador', 30, ${days[0]!}, ${days[days.length - 1]!}, ${w.state ?? 'held'}, ${w.rulePercent ?? 80}, ${w.createdBy}) RETURNING id`);
  const sessionIds: number[] = [];
  for (const [day, hours] of w.sessions) {
    const [s] = await db.all<{ id: number }>(sql`INSERT INTO workshop_sessions (workshop_id, day, hours) VALUES (${row!.id}, ${day}, ${hours}) RETURNING id`);
    sessionIds.push(Number(s!.id));
  }
  return { id: Number(row!.id), sessionIds };
}

export async function addParticipant(db: Database, workshopId: number, userId: number, addedBy: number, at: number): Promise<void> {
  await db.run(sql`INSERT INTO workshop_participants (workshop_id, user_id, added_by, added_at) VALUES (${workshopId}, ${userId}, ${addedBy}, ${at})`);
}

export async function markPresent(db: Database, sessionId: number, userId: number, recordedBy: number, at: number, present = true): Promise<void> {
  await db.run(sql`INSERT INTO workshop_attendance (session_id, user_id, present, recorded_by, recorded_at, client_id)
    VALUES (${sessionId}, ${userId}, ${present ? 1 : 0}, ${recordedBy}, ${at}, ${`test:${sessionId}:${userId}:${Math.random()}`})`);
}

/**
 * A credited participant at `at`: their open enrolment of the course (if any) is completed by the workshop, else a new
 * one is made; a certificate names the workshop — unless `alreadyHeld` (then only credited_at is set). As
 * src/server/workshops/credit.ts does, the enrolment counts as started at the close when it had not been.
 */
export async function credit(
  db: Database,
  p: { workshopId: number; userId: number; countryCode: string; institutionId: number; courseId: string; programme: ProgrammeId; mode: WorkshopMode; at: number; alreadyHeld?: boolean },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(sql`UPDATE workshop_participants SET credited_at = ${p.at} WHERE workshop_id = ${p.workshopId} AND user_id = ${p.userId}`);
    if (p.alreadyHeld) return;
    const open = (await tx.all<{ id: number; enrolled_at: number; started_at: number | null }>(sql`SELECT id, enrolled_at, started_at FROM enrolments WHERE user_id = ${p.userId} AND course_id = ${p.courseId} AND completed_at IS NULL`))[0];
    const facts = { countryCode: p.countryCode, institutionId: p.institutionId, courseId: p.courseId, programme: p.programme, enrolledAt: open ? Number(open.enrolled_at) : p.at, startedAt: open?.started_at ?? null };
    let enrolmentId: number;
    if (open) {
      enrolmentId = Number(open.id);
      await tx.run(sql`UPDATE enrolments SET started_at = COALESCE(started_at, ${p.at}), completed_at = ${p.at}, completed_via = 'workshop' WHERE id = ${enrolmentId}`);
      if (open.started_at === null) await recordStarted(tx, facts);
    } else {
      const [e] = await tx.all<{ id: number }>(sql`INSERT INTO enrolments (user_id, course_id, programme, country_code, institution_id, enrolled_at, started_at, completed_at, completed_via)
        VALUES (${p.userId}, ${p.courseId}, ${p.programme}, ${p.countryCode}, ${p.institutionId}, ${p.at}, ${p.at}, ${p.at}, 'workshop') RETURNING id`);
      enrolmentId = Number(e!.id);
      await recordEnrolment(tx, facts);
      await recordStarted(tx, facts);
    }
    await recordCompletion(tx, { ...facts, completedAt: p.at });
    await tx.run(sql`INSERT INTO certificates (code, user_id, enrolment_id, course_id, programme, holder_name, country_code, institution_id, issued_at, expires_at, delivery_mode, workshop_id)
      VALUES (${`W-${p.workshopId}-${p.userId}`}, ${p.userId}, ${enrolmentId}, ${p.courseId}, ${p.programme}, 'x', ${p.countryCode}, ${p.institutionId}, ${p.at}, ${p.at + 730 * DAY}, ${p.mode === 'in_person' ? 'in_person' : 'online'}, ${p.workshopId})`);
    await recordCertificateIssued(tx, { userId: p.userId }, facts);
  });
}

/** What a committee fills in for a workshop through the domain: Guatemala, two days of 4 h, the 80 % rule, no post-test. */
export function workshopInput(courseSlug: string, overrides: Partial<WorkshopInput> = {}): WorkshopInput {
  return {
    countryCode: 'GT',
    titleEs: 'Taller',
    titleEn: 'Workshop',
    courseSlug,
    mode: 'in_person',
    place: 'Sala',
    facilitators: 'Comisión',
    capacity: 30,
    startsOn: '2026-03-02',
    endsOn: '2026-03-03',
    attendanceRulePercent: 80,
    requiresPostTest: false,
    sessions: [
      { day: '2026-03-02', hours: 4 },
      { day: '2026-03-03', hours: 4 },
    ],
    institutionIds: [],
    ...overrides,
  };
}
