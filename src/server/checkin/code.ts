// The short-lived code a workshop session's check-in screen shows as a QR code. It names the session and the moment
// it stops being accepted, signed with HMAC-SHA-256 under the deployment's 'checkin' key (signing_keys), so any node
// can check it without storing codes. Codes rotate: everyone who opens the screen within the same half-lifetime gets
// the same code, valid for between half and the whole lifetime; the screen reloads itself before it runs out.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';

/** Ten minutes: long enough to scan and sign in on a phone, short enough that a photo of the screen is soon useless. */
export const CHECKIN_TTL_MS = 10 * 60_000;

export interface CheckInCode {
  code: string;
  sessionId: number;
  /** The first instant the code is refused. */
  expiresAt: number;
}

export type CheckInCodeRead = { ok: true; sessionId: number; expiresAt: number } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

const mac = (key: string, sessionId: number, expiresAt: number) => createHmac('sha256', key).update(`checkin:${sessionId}:${expiresAt}`).digest('base64url');

/** The code the screen of `sessionId` shows at `now`. */
export function signCheckInCode(key: string, sessionId: number, now: number, ttlMs = CHECKIN_TTL_MS): CheckInCode {
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) throw new Error(`Not a session id: ${sessionId}`);
  const half = Math.max(1000, Math.floor(ttlMs / 2));
  const expiresAt = (Math.floor(now / half) + 2) * half;
  return { code: `${sessionId}.${expiresAt}.${mac(key, sessionId, expiresAt)}`, sessionId, expiresAt };
}

const SHAPE = /^([1-9]\d{0,15})\.(\d{10,16})\.([A-Za-z0-9_-]{43})$/;

/** What a scanned code says, checked (`key` null: none made yet): the signature first (a forged code is refused whatever its date), then the time. */
export function readCheckInCode(key: string | null, code: string | null | undefined, now: number): CheckInCodeRead {
  const m = typeof code === 'string' ? SHAPE.exec(code.trim()) : null;
  if (!m) return { ok: false, reason: 'malformed' };
  if (key === null) return { ok: false, reason: 'forged' }; // no key yet: no code was ever issued
  const sessionId = Number(m[1]);
  const expiresAt = Number(m[2]);
  const expected = Buffer.from(mac(key, sessionId, expiresAt));
  const given = Buffer.from(m[3]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
  if (now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, sessionId, expiresAt };
}

/** The deployment's key for a purpose, or null while none was made (then no code was ever issued for it). */
export async function existingSigningKey(db: Database, purpose: string): Promise<string | null> {
  return (await db.all<{ secret: string }>(sql`SELECT secret FROM signing_keys WHERE purpose = ${purpose}`))[0]?.secret ?? null;
}

/** The deployment's key for a purpose, made on first use (two nodes racing keep the first one written). */
export async function signingKey(db: Database, purpose: string): Promise<string> {
  const existing = await existingSigningKey(db, purpose);
  if (existing) return existing;
  await db.run(sql`INSERT INTO signing_keys (purpose, secret) VALUES (${purpose}, ${randomBytes(32).toString('base64url')}) ON CONFLICT (purpose) DO NOTHING`);
  const made = await existingSigningKey(db, purpose);
  if (!made) throw new Error(`No signing key for ${purpose}`);
  return made;
}
