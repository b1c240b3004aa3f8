// QR check-in to a workshop session (issue 17.2): the facilitator's screen shows a rotating signed code
// (code.ts); an attendee scans it on their own phone, signs in, and is recorded present. Only the workshop's
// participants check in: someone not on the roster is told to ask the facilitator, who adds them through the roster
// (that late addition is audited there), and then they scan again.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';
import { can, type Actor } from '../policy.ts';
import { recordAttendance } from '../workshops/index.ts';
import { CHECKIN_TTL_MS, existingSigningKey, readCheckInCode, signCheckInCode, signingKey, type CheckInCode } from './code.ts';

export { CHECKIN_TTL_MS, readCheckInCode, signCheckInCode, type CheckInCode, type CheckInCodeRead } from './code.ts';

export interface CheckInSession {
  sessionId: number;
  workshopId: number;
  countryCode: string | null;
  titleEs: string;
  titleEn: string;
  day: string;
  hours: number;
  state: 'planned' | 'held' | 'closed';
}

async function loadSession(db: Database, sessionId: number): Promise<CheckInSession | null> {
  const row = (await db.all<{ session_id: number; workshop_id: number; country_code: string | null; title_es: string; title_en: string; day: string; hours: number; state: CheckInSession['state'] }>(sql`
    SELECT s.id AS session_id, w.id AS workshop_id, w.country_code, w.title_es, w.title_en, s.day, s.hours, w.state
      FROM workshop_sessions s JOIN workshops w ON w.id = s.workshop_id WHERE s.id = ${sessionId}`))[0];
  if (!row) return null;
  return { sessionId: Number(row.session_id), workshopId: Number(row.workshop_id), countryCode: row.country_code, titleEs: row.title_es, titleEn: row.title_en, day: row.day, hours: Number(row.hours), state: row.state };
}

export interface CheckInScreen {
  session: CheckInSession;
  code: CheckInCode;
  participants: number;
  present: number;
}

/**
 * The facilitator's screen: the session, its current code and how many are recorded present. Whoever may manage the
 * workshop (its country's committee, the coordination) may open it; a closed workshop takes no more check-ins.
 */
export async function openCheckInScreen(db: Database, actor: Actor, sessionId: number, options: { now?: number; ttlMs?: number } = {}): Promise<CheckInScreen> {
  const session = await loadSession(db, sessionId);
  if (!session) throw notFound(`session ${sessionId}`);
  if (!can(actor, 'workshop.manage', { countryCode: session.countryCode })) throw forbidden();
  if (session.state === 'closed') throw new DomainError('conflict', 'checkin.closed', `workshop ${session.workshopId}`);
  const key = await signingKey(db, 'checkin');
  const counts = (await db.all<{ participants: number; present: number }>(sql`
    SELECT (SELECT count(*) FROM workshop_participants WHERE workshop_id = ${session.workshopId}) AS participants,
           (SELECT count(*) FROM workshop_attendance WHERE session_id = ${sessionId} AND present = 1) AS present`))[0];
  return { session, code: signCheckInCode(key, sessionId, options.now ?? Date.now(), options.ttlMs ?? CHECKIN_TTL_MS), participants: Number(counts?.participants ?? 0), present: Number(counts?.present ?? 0) };
}

const REFUSAL = { malformed: 'checkin.error.malformed', forged: 'checkin.error.forged', expired: 'checkin.error.expired' } as const;

/** The session a scanned code names, refused with a message that says why (expired, not genuine). */
export async function sessionOfCode(db: Database, code: string | null | undefined, now = Date.now()): Promise<CheckInSession> {
  // Reading a code never writes (a refused scan changes nothing): the key is made only when a screen first shows one.
  const read = readCheckInCode(await existingSigningKey(db, 'checkin'), code, now);
  if (!read.ok) throw new DomainError(read.reason === 'expired' ? 'conflict' : 'invalid', REFUSAL[read.reason]);
  const session = await loadSession(db, read.sessionId);
  if (!session) throw new DomainError('invalid', 'checkin.error.forged', `session ${read.sessionId}`);
  if (session.state === 'closed') throw new DomainError('conflict', 'checkin.closed', `workshop ${session.workshopId}`);
  return session;
}

export async function isParticipant(db: Database, workshopId: number, userId: number): Promise<boolean> {
  return Boolean((await db.all(sql`SELECT 1 FROM workshop_participants WHERE workshop_id = ${workshopId} AND user_id = ${userId}`))[0]);
}

export interface CheckInResult {
  session: CheckInSession;
  /** false when the person was already recorded present (scanning twice changes nothing). */
  recorded: boolean;
}

/**
 * Records the signed-in person present at the session the code names, through the workshops domain's
 * recordAttendance: idempotent (the client id is the same for every scan by the same person of the same session), a
 * person the facilitator had ticked absent is corrected to present (audited there), a day still to come is refused.
 */
export async function checkIn(db: Database, actor: Actor, code: string | null | undefined, options: { now?: number; ip?: string | null } = {}): Promise<CheckInResult> {
  const now = options.now ?? Date.now();
  if (!can(actor, 'workshop.checkIn')) throw forbidden();
  const session = await sessionOfCode(db, code, now);
  if (!(await isParticipant(db, session.workshopId, actor.id))) throw new DomainError('forbidden', 'checkin.error.notOnRoster', `user ${actor.id}`);
  const outcome = await recordAttendance(db, { sessionId: session.sessionId, userId: actor.id, present: true, recordedBy: actor.id, clientId: `checkin-${session.sessionId}-${actor.id}`, ip: options.ip ?? null, now });
  return { session, recorded: outcome === 'recorded' || outcome === 'corrected' };
}
