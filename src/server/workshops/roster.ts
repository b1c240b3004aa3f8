// Who is on a workshop's roster. People join by their account: one typed by e-mail here, or many through the roster
// import (roster-import.ts, the same import and invitation flow as the administration's). A country's workshop takes
// people of that country; a regional one anyone. Additions once the workshop has begun are audited one by one.
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { institutions, users, workshopAttendance, workshopParticipants, workshopSessions } from '../../../db/schema.ts';
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
  name: string;
  email: string;
  institution: string | null;
  addedAt: Date;
  creditedAt: Date | null;
  /** Session ids this person was marked present on. */
  presentSessions: Set<number>;
  tally: AttendanceTally;
}

/** The roster with each person's attendance tallied against the workshop's rule. */
export async function loadRoster(db: Pick<Database, 'select'>, workshop: Pick<WorkshopRow, 'id' | 'attendanceRulePercent'>, sessions?: WorkshopSession[]): Promise<RosterRow[]> {
  const days = sessions ?? (await loadSessions(db, workshop.id));
  const people = await db
    .select({ userId: users.id, name: users.name, email: users.email, institution: institutions.name, addedAt: workshopParticipants.addedAt, creditedAt: workshopParticipants.creditedAt })
    .from(workshopParticipants)
    .innerJoin(users, eq(users.id, workshopParticipants.userId))
    .leftJoin(institutions, eq(institutions.id, users.institutionId))
    .where(eq(workshopParticipants.workshopId, workshop.id))
    .orderBy(asc(users.name), asc(users.id));
  const present = await db
    .select({ userId: workshopAttendance.userId, sessionId: workshopAttendance.sessionId })
    .from(workshopAttendance)
    .innerJoin(workshopSessions, eq(workshopSessions.id, workshopAttendance.sessionId))
    .where(and(eq(workshopSessions.workshopId, workshop.id), eq(workshopAttendance.present, true)));
  const bySession = new Map<number, Set<number>>();
  for (const p of present) {
    let set = bySession.get(p.userId);
    if (!set) bySession.set(p.userId, (set = new Set()));
    set.add(p.sessionId);
  }
  return people.map((p) => {
    const presentSessions = bySession.get(p.userId) ?? new Set<number>();
    return { ...p, presentSessions, tally: tallyAttendance(days, presentSessions, workshop.attendanceRulePercent) };
  });
}
