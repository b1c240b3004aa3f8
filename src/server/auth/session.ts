// Sessions in Lucia's design: a random token goes to the cookie, only its SHA-256 is stored; sessions slide forward
// while used and die after 30 days without use.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { sessions, users } from '../../../db/schema.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME = 30 * DAY;

export type SessionUser = Pick<
  typeof users.$inferSelect,
  'id' | 'name' | 'email' | 'role' | 'countryCode' | 'institutionId' | 'locale' | 'specialistStatus' | 'active' | 'totpKey' | 'mediaOutlet'
>;
export type Session = typeof sessions.$inferSelect;
/**
 * `extended`: the expiry moved forward on this request, so the cookie must be sent again with it (Lucia's design); a
 * session not extended keeps the cookie the browser already has, which expires with it.
 */
export type SessionValidationResult = { session: Session; user: SessionUser; extended: boolean } | { session: null; user: null };

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface NewSessionDetails {
  ip?: string | null;
  userAgent?: string | null;
  twoFactorVerified?: boolean;
  now?: number;
}

export async function createSession(db: Database, token: string, userId: number, details: NewSessionDetails = {}): Promise<Session> {
  const now = details.now ?? Date.now();
  const session: Session = {
    id: sessionIdFromToken(token),
    userId,
    expiresAt: new Date(now + SESSION_LIFETIME),
    twoFactorVerified: details.twoFactorVerified ?? false,
    pendingTotpKey: null,
    pendingTotpExpiresAt: null,
    ip: details.ip ?? null,
    userAgent: details.userAgent?.slice(0, 300) ?? null,
    createdAt: new Date(now),
  };
  await db.insert(sessions).values(session);
  return session;
}

/** The lookup every signed-in request makes, built once per database handle (building it cost more than running it). */
function prepareSessionLookup(db: Database) {
  return db
    .select({
      session: sessions,
      user: {
        id: users.id,
        name: users.name,
        email: users.email,
        role: users.role,
        countryCode: users.countryCode,
        institutionId: users.institutionId,
        locale: users.locale,
        specialistStatus: users.specialistStatus,
        active: users.active,
        totpKey: users.totpKey,
        mediaOutlet: users.mediaOutlet,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, sql.placeholder('sessionId')))
    .limit(1)
    .prepare();
}
const sessionLookups = new WeakMap<Database, ReturnType<typeof prepareSessionLookup>>();

export async function validateSessionToken(db: Database, token: string, now = Date.now()): Promise<SessionValidationResult> {
  const sessionId = sessionIdFromToken(token);
  let lookup = sessionLookups.get(db);
  if (!lookup) sessionLookups.set(db, (lookup = prepareSessionLookup(db)));
  const rows = await lookup.all({ sessionId });
  const row = rows[0];
  if (!row) return { session: null, user: null };
  const { session, user } = row;
  if (now >= session.expiresAt.getTime() || !user.active) {
    await db.delete(sessions).where(eq(sessions.id, session.id));
    return { session: null, user: null };
  }
  // Extend only when half the lifetime is used up, so an active user costs one write a fortnight, not one a request.
  const extended = now >= session.expiresAt.getTime() - SESSION_LIFETIME / 2;
  if (extended) {
    session.expiresAt = new Date(now + SESSION_LIFETIME);
    await db.update(sessions).set({ expiresAt: session.expiresAt }).where(eq(sessions.id, session.id));
  }
  return { session, user, extended };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(db: Database, userId: number): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

/** Signs a person out of every device except the one they are using. */
export async function invalidateOtherSessions(db: Database, userId: number, keepSessionId: string): Promise<void> {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

export async function markSessionTwoFactorVerified(db: Database, sessionId: string): Promise<void> {
  await db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId));
}

export async function listUserSessions(db: Database, userId: number, now = Date.now()): Promise<Session[]> {
  const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
  return rows.filter((s) => s.expiresAt.getTime() > now).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}

export async function deleteExpiredSessions(db: Database, now = Date.now()): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date(now)));
}
