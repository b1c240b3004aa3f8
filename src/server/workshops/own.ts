// A person's own workshops: the ones they are on the roster of, each day's mark, the rule and whether it was met.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { certificates, workshopAttendance, workshopParticipants, workshops, workshopSessions, type WorkshopMode, type WorkshopState } from '../../../db/schema.ts';
import { forbidden } from '../errors.ts';
import { can, type Actor } from '../policy.ts';
import { tallyAttendance, type AttendanceTally } from './rules.ts';

export interface OwnWorkshop {
  id: number;
  titleEs: string;
  titleEn: string;
  courseSlug: string;
  mode: WorkshopMode;
  place: string;
  startsOn: string;
  endsOn: string;
  state: WorkshopState;
  attendanceRulePercent: number;
  days: { day: string; hours: number; present: boolean | null }[];
  tally: AttendanceTally;
  creditedAt: Date | null;
  certificateCode: string | null;
}

export async function listOwnWorkshops(db: Pick<Database, 'select'>, actor: Actor): Promise<OwnWorkshop[]> {
  if (!can(actor, 'workshop.ownAttendance')) throw forbidden();
  const rows = await db
    .select({ workshop: workshops, creditedAt: workshopParticipants.creditedAt })
    .from(workshopParticipants)
    .innerJoin(workshops, eq(workshops.id, workshopParticipants.workshopId))
    .where(eq(workshopParticipants.userId, actor.id))
    .orderBy(asc(workshops.startsOn));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.workshop.id);
  const sessions = await db.select().from(workshopSessions).where(inArray(workshopSessions.workshopId, ids)).orderBy(asc(workshopSessions.day));
  const marks = await db
    .select({ sessionId: workshopAttendance.sessionId, present: workshopAttendance.present })
    .from(workshopAttendance)
    .where(and(eq(workshopAttendance.userId, actor.id), inArray(workshopAttendance.sessionId, sessions.map((s) => s.id))));
  const markOf = new Map(marks.map((m) => [m.sessionId, m.present]));
  const certs = await db.select({ workshopId: certificates.workshopId, code: certificates.code }).from(certificates).where(and(eq(certificates.userId, actor.id), inArray(certificates.workshopId, ids)));
  return rows.map(({ workshop, creditedAt }) => {
    const own = sessions.filter((s) => s.workshopId === workshop.id);
    const present = new Set(own.filter((s) => markOf.get(s.id) === true).map((s) => s.id));
    return {
      id: workshop.id,
      titleEs: workshop.titleEs,
      titleEn: workshop.titleEn,
      courseSlug: workshop.courseSlug,
      mode: workshop.mode,
      place: workshop.place,
      startsOn: workshop.startsOn,
      endsOn: workshop.endsOn,
      state: workshop.state,
      attendanceRulePercent: workshop.attendanceRulePercent,
      days: own.map((s) => ({ day: s.day, hours: s.hours, present: markOf.get(s.id) ?? null })),
      tally: tallyAttendance(own, present, workshop.attendanceRulePercent),
      creditedAt,
      certificateCode: certs.find((c) => c.workshopId === workshop.id)?.code ?? null,
    };
  });
}
