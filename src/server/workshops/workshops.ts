// Workshops as records: a committee creates and edits those of its country, the coordinator those of any country or
// the region (country null). States move forward only: planned → held → closed (closing is credit.ts). A closed
// workshop is history and is not edited.
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import {
  countries,
  institutions,
  workshopAttendance,
  workshopInstitutions,
  workshopParticipants,
  workshops,
  workshopSessions,
  type WorkshopMode,
  type WorkshopState,
} from '../../../db/schema.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { recordAudit } from '../audit.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { can, countryScope, type Action, type Actor } from '../policy.ts';
import { isCalendarDay } from './rules.ts';

export const MAX_SESSIONS = 31;
export const MAX_CAPACITY = 2_000;

export interface SessionInput {
  day: string;
  hours: number;
}

export interface WorkshopInput {
  /** Null for a regional workshop (coordinator only). Fixed once the workshop exists. */
  countryCode: string | null;
  titleEs: string;
  titleEn: string;
  courseSlug: string;
  mode: WorkshopMode;
  place: string;
  facilitators: string;
  capacity: number;
  startsOn: string;
  endsOn: string;
  attendanceRulePercent: number;
  requiresPostTest: boolean;
  sessions: SessionInput[];
  institutionIds: number[];
}

export interface WriteOptions {
  /** The course ids a workshop may count as (the catalogue). */
  courseIds: readonly string[];
  ip?: string | null;
  now?: number;
}

export type WorkshopRow = typeof workshops.$inferSelect;

export async function loadWorkshop(db: Pick<Database, 'select'>, id: number): Promise<WorkshopRow> {
  const [row] = await db.select().from(workshops).where(eq(workshops.id, id));
  if (!row) throw notFound(`workshop ${id}`);
  return row;
}

/** The workshop, if the actor may use `action` on it (its country, or the region for a regional one). */
export async function authorizedWorkshop(db: Pick<Database, 'select'>, actor: Actor, action: Action, id: number): Promise<WorkshopRow> {
  const row = await loadWorkshop(db, id);
  if (!can(actor, action, { countryCode: row.countryCode })) throw forbidden();
  return row;
}

export function refuseIfClosed(workshop: Pick<WorkshopRow, 'state' | 'id'>): void {
  if (workshop.state === 'closed') throw new DomainError('conflict', 'workshops.error.closed', `workshop ${workshop.id}`);
}

const invalid = (key: MessageKey, item?: string) => new DomainError('invalid', key, item);

/** Every rule the fields must meet together (single fields are also checked by the Action's schema). */
async function checkInput(db: Pick<Database, 'select'>, input: WorkshopInput, courseIds: readonly string[]): Promise<void> {
  if (!courseIds.includes(input.courseSlug)) throw invalid('workshops.error.course', input.courseSlug);
  if (!isCalendarDay(input.startsOn) || !isCalendarDay(input.endsOn)) throw invalid('workshops.error.dates');
  if (input.endsOn < input.startsOn) throw invalid('workshops.error.dateOrder');
  if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > MAX_CAPACITY) throw invalid('workshops.error.capacity');
  if (!Number.isInteger(input.attendanceRulePercent) || input.attendanceRulePercent < 1 || input.attendanceRulePercent > 100) throw invalid('workshops.error.rule');
  if (input.sessions.length === 0) throw invalid('workshops.error.noSessions');
  if (input.sessions.length > MAX_SESSIONS) throw invalid('workshops.error.tooManySessions');
  const days = new Set<string>();
  for (const session of input.sessions) {
    if (!isCalendarDay(session.day)) throw invalid('workshops.error.sessionDay', session.day);
    if (session.day < input.startsOn || session.day > input.endsOn) throw invalid('workshops.error.sessionOutside', session.day);
    if (days.has(session.day)) throw invalid('workshops.error.sessionTwice', session.day);
    if (!(session.hours > 0 && session.hours <= 12)) throw invalid('workshops.error.sessionHours', session.day);
    days.add(session.day);
  }
  const wanted = [...new Set(input.institutionIds)];
  if (wanted.length > 0) {
    const found = await db
      .select({ id: institutions.id, countryCode: institutions.countryCode })
      .from(institutions)
      .where(inArray(institutions.id, wanted));
    // A country's workshop invites that country's institutions; a regional one any.
    const ok = found.filter((i) => input.countryCode === null || i.countryCode === input.countryCode);
    if (ok.length !== wanted.length) throw invalid('workshops.error.institution');
  }
  if (input.countryCode !== null) {
    const [country] = await db.select({ code: countries.code }).from(countries).where(eq(countries.code, input.countryCode));
    if (!country) throw invalid('errors.countryRequired', input.countryCode);
  }
}

function fieldsOf(input: WorkshopInput) {
  return {
    titleEs: input.titleEs,
    titleEn: input.titleEn,
    courseSlug: input.courseSlug,
    mode: input.mode,
    place: input.place,
    facilitators: input.facilitators,
    capacity: input.capacity,
    startsOn: input.startsOn,
    endsOn: input.endsOn,
    attendanceRulePercent: input.attendanceRulePercent,
    requiresPostTest: input.requiresPostTest,
  };
}

export async function createWorkshop(db: Database, actor: Actor, input: WorkshopInput, options: WriteOptions): Promise<{ id: number }> {
  if (!can(actor, 'workshop.manage', { countryCode: input.countryCode })) throw forbidden();
  await checkInput(db, input, options.courseIds);
  const now = options.now ?? Date.now();
  return writeTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(workshops)
      .values({ countryCode: input.countryCode, ...fieldsOf(input), createdBy: actor.id, createdAt: new Date(now) })
      .returning({ id: workshops.id });
    const id = row!.id;
    await tx.insert(workshopSessions).values(input.sessions.map((s) => ({ workshopId: id, day: s.day, hours: s.hours })));
    const invited = [...new Set(input.institutionIds)];
    if (invited.length > 0) await tx.insert(workshopInstitutions).values(invited.map((institutionId) => ({ workshopId: id, institutionId })));
    await recordAudit(tx, { actorId: actor.id, action: 'workshop.create', targetType: 'workshop', targetId: id, countryCode: input.countryCode, ip: options.ip, after: { ...fieldsOf(input), sessions: input.sessions, institutions: invited } }, now);
    return { id };
  });
}

/**
 * Edits a workshop that is not closed. Session days are matched by date: a kept day keeps its attendance (its hours
 * may change), a new day is added, and a day that already has attendance recorded cannot be removed.
 */
export async function updateWorkshop(db: Database, actor: Actor, id: number, input: Omit<WorkshopInput, 'countryCode'>, options: WriteOptions): Promise<void> {
  const current = await authorizedWorkshop(db, actor, 'workshop.manage', id);
  refuseIfClosed(current);
  const full = { ...input, countryCode: current.countryCode };
  await checkInput(db, full, options.courseIds);
  const now = options.now ?? Date.now();
  await writeTransaction(db, async (tx) => {
    const [{ n: rosterSize } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)` }).from(workshopParticipants).where(eq(workshopParticipants.workshopId, id));
    if (input.capacity < rosterSize) throw new DomainError('conflict', 'workshops.error.capacityBelowRoster');
    const sessions = await tx.select().from(workshopSessions).where(eq(workshopSessions.workshopId, id));
    const wanted = new Map(input.sessions.map((s) => [s.day, s.hours]));
    const removed = sessions.filter((s) => !wanted.has(s.day));
    if (removed.length > 0) {
      const [withAttendance] = await tx
        .select({ day: workshopSessions.day })
        .from(workshopAttendance)
        .innerJoin(workshopSessions, eq(workshopSessions.id, workshopAttendance.sessionId))
        .where(inArray(workshopAttendance.sessionId, removed.map((s) => s.id)))
        .limit(1);
      if (withAttendance) throw new DomainError('conflict', 'workshops.error.sessionHasAttendance', withAttendance.day);
      await tx.delete(workshopSessions).where(inArray(workshopSessions.id, removed.map((s) => s.id)));
    }
    for (const session of sessions) {
      const hours = wanted.get(session.day);
      if (hours !== undefined && hours !== session.hours) await tx.update(workshopSessions).set({ hours }).where(eq(workshopSessions.id, session.id));
    }
    const known = new Set(sessions.map((s) => s.day));
    const added = input.sessions.filter((s) => !known.has(s.day));
    if (added.length > 0) await tx.insert(workshopSessions).values(added.map((s) => ({ workshopId: id, day: s.day, hours: s.hours })));
    const invited = [...new Set(input.institutionIds)];
    await tx.delete(workshopInstitutions).where(eq(workshopInstitutions.workshopId, id));
    if (invited.length > 0) await tx.insert(workshopInstitutions).values(invited.map((institutionId) => ({ workshopId: id, institutionId })));
    await tx.update(workshops).set(fieldsOf(full)).where(eq(workshops.id, id));
    const { id: _id, createdAt: _c, createdBy: _b, closedAt: _ca, closedBy: _cb, ...before } = current;
    await recordAudit(tx, { actorId: actor.id, action: 'workshop.update', targetType: 'workshop', targetId: id, countryCode: current.countryCode, ip: options.ip, before: { ...before, sessions: sessions.map((s) => ({ day: s.day, hours: s.hours })) }, after: { ...fieldsOf(full), sessions: input.sessions, institutions: invited } }, now);
  });
}

/** planned → held: the workshop took place; attendance can still be completed and corrected until it is closed. */
export async function markWorkshopHeld(db: Database, actor: Actor, id: number, options: { ip?: string | null; now?: number } = {}): Promise<void> {
  const current = await authorizedWorkshop(db, actor, 'workshop.manage', id);
  if (current.state === 'held') return;
  refuseIfClosed(current);
  const now = options.now ?? Date.now();
  await writeTransaction(db, async (tx) => {
    const moved = await tx.update(workshops).set({ state: 'held' }).where(and(eq(workshops.id, id), eq(workshops.state, 'planned'))).returning({ id: workshops.id });
    if (moved.length > 0) await recordAudit(tx, { actorId: actor.id, action: 'workshop.held', targetType: 'workshop', targetId: id, countryCode: current.countryCode, ip: options.ip, before: { state: 'planned' }, after: { state: 'held' } }, now);
  });
}

export interface WorkshopListRow {
  id: number;
  countryCode: string | null;
  titleEs: string;
  titleEn: string;
  courseSlug: string;
  mode: WorkshopMode;
  place: string;
  startsOn: string;
  endsOn: string;
  state: WorkshopState;
  capacity: number;
  participants: number;
  credited: number;
  hours: number;
}

export interface WorkshopFilter {
  /** For regional roles: one country, or 'region' for the regional workshops; absent = all. */
  countryCode?: string | 'region' | null;
  state?: WorkshopState | null;
}

/** The workshops an actor may see, newest first, with their roster size, credited count and total hours. */
export async function listWorkshops(db: Pick<Database, 'select'>, actor: Actor, filter: WorkshopFilter = {}): Promise<WorkshopListRow[]> {
  const scope = countryScope(actor, 'workshop.view');
  if (scope.kind === 'none') throw forbidden();
  const where: (SQL | undefined)[] = [];
  if (scope.kind === 'country') where.push(eq(workshops.countryCode, scope.countryCode));
  else if (filter.countryCode === 'region') where.push(isNull(workshops.countryCode));
  else if (filter.countryCode) where.push(eq(workshops.countryCode, filter.countryCode));
  if (filter.state) where.push(eq(workshops.state, filter.state));
  return db
    .select({
      id: workshops.id,
      countryCode: workshops.countryCode,
      titleEs: workshops.titleEs,
      titleEn: workshops.titleEn,
      courseSlug: workshops.courseSlug,
      mode: workshops.mode,
      place: workshops.place,
      startsOn: workshops.startsOn,
      endsOn: workshops.endsOn,
      state: workshops.state,
      capacity: workshops.capacity,
      participants: sql<number>`(SELECT count(*) FROM workshop_participants p WHERE p.workshop_id = ${workshops.id})`,
      credited: sql<number>`(SELECT count(*) FROM workshop_participants p WHERE p.workshop_id = ${workshops.id} AND p.credited_at IS NOT NULL)`,
      hours: sql<number>`(SELECT coalesce(sum(s.hours), 0) FROM workshop_sessions s WHERE s.workshop_id = ${workshops.id})`,
    })
    .from(workshops)
    .where(and(...where))
    .orderBy(desc(workshops.startsOn), desc(workshops.id))
    .limit(500);
}

export interface WorkshopSession {
  id: number;
  day: string;
  hours: number;
}

export async function loadSessions(db: Pick<Database, 'select'>, workshopId: number): Promise<WorkshopSession[]> {
  return db.select({ id: workshopSessions.id, day: workshopSessions.day, hours: workshopSessions.hours }).from(workshopSessions).where(eq(workshopSessions.workshopId, workshopId)).orderBy(asc(workshopSessions.day));
}

export async function loadInvitedInstitutions(db: Pick<Database, 'select'>, workshopId: number): Promise<{ id: number; name: string; acronym: string | null }[]> {
  return db
    .select({ id: institutions.id, name: institutions.name, acronym: institutions.acronym })
    .from(workshopInstitutions)
    .innerJoin(institutions, eq(institutions.id, workshopInstitutions.institutionId))
    .where(eq(workshopInstitutions.workshopId, workshopId))
    .orderBy(asc(institutions.name));
}
