// Who is on a workshop's roster. People join by their account: one typed by e-mail here, or many through the roster
// import (roster-import.ts, the same import and invitation flow as the administration's). A country's workshop takes
// people of that country; a regional one anyone. Additions once the workshop has begun are audited one by one.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { institutions, users, workshopAttendance, workshopParticipants, workshops, workshopSessions } from '../../../db/schema.ts';
import { recordAudit, type AuditEntry } from '../audit.ts';
import { emailKey } from '../auth/user.ts';
import { DomainError } from '../errors.ts';
import type { Actor } from '../policy.ts';
import { isLateAddition, tallyAttendance, type AttendanceTally } from './rules.ts';
import { authorizedWorkshop, loadSessions, refuseIfClosed, type WorkshopRow, type WorkshopSession } from './workshops.ts';

export const MAX_ADD_AT_ONCE = 200;

/**
 * The rows that put people on a roster: participants not yet on it, in the order given, and one audit row per late
 * addition. Refused whole (conflict) when the roster would pass the workshop's capacity. Plain data, so the e-mail
 * form (drizzle) and the import's own transaction (plain SQL) write the same thing.
 */
export function planRosterAdditions(
  workshop: Pick<WorkshopRow, 'id' | 'countryCode' | 'capacity' | 'startsOn' | 'state'>,
  onRoster: ReadonlySet<number>,
  candidates: readonly number[],
  actor: { id: number; ip?: string | null; via: 'form' | 'import' },
  now: number,
) {
  const userIds = [...new Set(candidates)].filter((id) => !onRoster.has(id));
  if (onRoster.size + userIds.length > workshop.capacity) throw new DomainError('conflict', 'workshops.roster.full', `workshop ${workshop.id}`);
  const participants = userIds.map((userId) => ({ workshopId: workshop.id, userId, addedBy: actor.id, addedAt: now }));
  const audits: AuditEntry[] = isLateAddition(workshop, now)
    ? userIds.map((userId) => ({ actorId: actor.id, action: 'workshop.participant.lateAdd', targetType: 'workshop', targetId: workshop.id, countryCode: workshop.countryCode, ip: actor.ip, after: { userId, via: actor.via } }))
    : [];
  return { participants, audits };
}

/** The accounts that may join this workshop among the given e-mail keys: active, not erased, of its country. */
export async function eligibleAccounts(db: Pick<Database, 'select'>, workshop: Pick<WorkshopRow, 'countryCode'>, keys: readonly string[]): Promise<{ id: number; emailKey: string }[]> {
  if (keys.length === 0) return [];
  return db
    .select({ id: users.id, emailKey: users.emailKey })
    .from(users)
    .where(
      and(
        inArray(users.emailKey, [...keys]),
        eq(users.active, true),
        isNull(users.erasedAt),
        // Observers take no course; a country's workshop is for that country's people.
        sql`${users.role} <> 'observer'`,
        workshop.countryCode === null ? undefined : eq(users.countryCode, workshop.countryCode),
      ),
    );
}

export async function rosterUserIds(db: Pick<Database, 'select'>, workshopId: number): Promise<Set<number>> {
  const rows = await db.select({ userId: workshopParticipants.userId }).from(workshopParticipants).where(eq(workshopParticipants.workshopId, workshopId));
  return new Set(rows.map((r) => r.userId));
}

export interface AddResult {
  added: number;
  alreadyOnRoster: number;
  /** Addresses with no account that may join (none, another country's, deactivated): import them instead. */
  notFound: string[];
}

/** Adds existing accounts by e-mail. Addresses without an eligible account are reported back, the others added. */
export async function addParticipants(db: Database, actor: Actor, workshopId: number, emails: readonly string[], options: { ip?: string | null; now?: number } = {}): Promise<AddResult> {
  const workshop = await authorizedWorkshop(db, actor, 'workshop.manage', workshopId);
  refuseIfClosed(workshop);
  const typed = [...new Set(emails.map((e) => e.trim()).filter(Boolean))];
  if (typed.length === 0) throw new DomainError('invalid', 'workshops.roster.emailsRequired');
  if (typed.length > MAX_ADD_AT_ONCE) throw new DomainError('invalid', 'workshops.roster.tooMany');
  const now = options.now ?? Date.now();
  const accounts = await eligibleAccounts(db, workshop, typed.map(emailKey));
  const found = new Set(accounts.map((a) => a.emailKey));
  return writeTransaction(db, async (tx) => {
    const onRoster = await rosterUserIds(tx, workshopId);
    const plan = planRosterAdditions(workshop, onRoster, accounts.map((a) => a.id), { id: actor.id, ip: options.ip, via: 'form' }, now);
    if (plan.participants.length > 0) {
      await tx
        .insert(workshopParticipants)
        .values(plan.participants.map((p) => ({ ...p, addedAt: new Date(p.addedAt) })))
        .onConflictDoNothing();
    }
    for (const entry of plan.audits) await recordAudit(tx, entry, now);
    return { added: plan.participants.length, alreadyOnRoster: accounts.length - plan.participants.length, notFound: typed.filter((e) => !found.has(emailKey(e))) };
  });
}

export interface RosterRow {
  userId: number;
  /** Empty for an erased account (its name is gone): pages show a placeholder, and the person still counts. */
  name: string;
  erased: boolean;
  email: string;
  institution: string | null;
  addedAt: Date;
  creditedAt: Date | null;
  /** Session ids this person was marked present on. */
  presentSessions: Set<number>;
  /** Marks recorded for them (present or absent): what removing them from the roster deletes. */
  marks: number;
  tally: AttendanceTally;
}

/** The roster with each person's attendance tallied against the workshop's rule. */
export async function loadRoster(db: Pick<Database, 'select'>, workshop: Pick<WorkshopRow, 'id' | 'attendanceRulePercent'>, sessions?: WorkshopSession[]): Promise<RosterRow[]> {
  const days = sessions ?? (await loadSessions(db, workshop.id));
  const people = await db
    .select({ userId: users.id, name: users.name, erasedAt: users.erasedAt, email: users.email, institution: institutions.name, addedAt: workshopParticipants.addedAt, creditedAt: workshopParticipants.creditedAt })
    .from(workshopParticipants)
    .innerJoin(users, eq(users.id, workshopParticipants.userId))
    .leftJoin(institutions, eq(institutions.id, users.institutionId))
    .where(eq(workshopParticipants.workshopId, workshop.id))
    .orderBy(erasedLast, asc(users.name), asc(users.id));
  const marks = await db
    .select({ userId: workshopAttendance.userId, sessionId: workshopAttendance.sessionId, present: workshopAttendance.present })
    .from(workshopAttendance)
    .innerJoin(workshopSessions, eq(workshopSessions.id, workshopAttendance.sessionId))
    .where(eq(workshopSessions.workshopId, workshop.id));
  const bySession = new Map<number, Set<number>>();
  const markCount = new Map<number, number>();
  for (const m of marks) {
    markCount.set(m.userId, (markCount.get(m.userId) ?? 0) + 1);
    if (!m.present) continue;
    let set = bySession.get(m.userId);
    if (!set) bySession.set(m.userId, (set = new Set()));
    set.add(m.sessionId);
  }
  return people.map(({ erasedAt, ...p }) => {
    const presentSessions = bySession.get(p.userId) ?? new Set<number>();
    return { ...p, erased: erasedAt !== null, presentSessions, marks: markCount.get(p.userId) ?? 0, tally: tallyAttendance(days, presentSessions, workshop.attendanceRulePercent) };
  });
}

/** Erased accounts (no name left to sort by) after the named people. */
export const erasedLast = sql`${users.erasedAt} IS NOT NULL`;

export interface RemoveResult {
  /** false when the person was not on the roster (a second post of the same removal changes nothing). */
  removed: boolean;
  /** Their attendance marks deleted with them. */
  marks: number;
}

/**
 * Takes a person off a workshop's roster before it closes. Their attendance marks for its days go with them (kept
 * in the audit entry, day by day): a mark of someone not on the roster would count in the day's totals but in no
 * one's hours, and a person added back starts from a clean sheet. Refused once the workshop is closed — credit was
 * decided on that roster. The state is read again inside the transaction, so a close that commits first wins.
 */
export async function removeParticipant(db: Database, actor: Actor, workshopId: number, userId: number, options: { ip?: string | null; now?: number } = {}): Promise<RemoveResult> {
  const workshop = await authorizedWorkshop(db, actor, 'workshop.manage', workshopId);
  if (workshop.state === 'closed') throw new DomainError('conflict', 'workshops.roster.removeClosed', `workshop ${workshopId}`);
  const now = options.now ?? Date.now();
  return writeTransaction(db, async (tx) => {
    const [current] = await tx.select({ state: workshops.state }).from(workshops).where(eq(workshops.id, workshopId));
    if (current?.state === 'closed') throw new DomainError('conflict', 'workshops.roster.removeClosed', `workshop ${workshopId}`);
    const [participant] = await tx.select().from(workshopParticipants).where(and(eq(workshopParticipants.workshopId, workshopId), eq(workshopParticipants.userId, userId)));
    if (!participant) return { removed: false, marks: 0 };
    const sessionIds = tx.select({ id: workshopSessions.id }).from(workshopSessions).where(eq(workshopSessions.workshopId, workshopId));
    const marks = await tx
      .select({ day: workshopSessions.day, present: workshopAttendance.present, recordedBy: workshopAttendance.recordedBy, recordedAt: workshopAttendance.recordedAt })
      .from(workshopAttendance)
      .innerJoin(workshopSessions, eq(workshopSessions.id, workshopAttendance.sessionId))
      .where(and(eq(workshopSessions.workshopId, workshopId), eq(workshopAttendance.userId, userId)))
      .orderBy(asc(workshopSessions.day));
    if (marks.length > 0) await tx.delete(workshopAttendance).where(and(eq(workshopAttendance.userId, userId), inArray(workshopAttendance.sessionId, sessionIds)));
    await tx.delete(workshopParticipants).where(and(eq(workshopParticipants.workshopId, workshopId), eq(workshopParticipants.userId, userId)));
    await recordAudit(
      tx,
      {
        actorId: actor.id,
        action: 'workshop.participant.remove',
        targetType: 'workshop',
        targetId: workshopId,
        countryCode: workshop.countryCode,
        ip: options.ip,
        before: { userId, addedBy: participant.addedBy, addedAt: participant.addedAt.getTime(), attendance: marks.map((m) => ({ day: m.day, present: m.present, recordedBy: m.recordedBy, recordedAt: m.recordedAt.getTime() })) },
      },
      now,
    );
    return { removed: true, marks: marks.length };
  });
}
