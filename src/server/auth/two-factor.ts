// Two-factor sign-in with TOTP (RFC 6238: 30-second steps, 6 digits, one step of clock drift either way) and
// single-use recovery codes. Verification is throttled per account in the shared throttle table.
import { generateHOTP, verifyHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { decodeBase64, encodeBase32UpperCaseNoPadding, encodeBase64 } from '@oslojs/encoding';
import { and, eq, isNull, lt, ne, or } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { recoveryCodes, sessions, throttle, users, type Role } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { notFound } from '../errors.ts';
import { requiresSecondFactor } from '../policy.ts';
import { recordFailure, remainingBlock } from './throttle.ts';
import { sessionIdFromToken } from './session.ts';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of the current one (clock drift of phones). */
export const TOTP_WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

/**
 * Whether a role must use a second factor. CAPACITA_REQUIRE_2FA decides when set; unset, it is required everywhere
 * except in the demo.
 */
export function secondFactorRequired(role: Role, settings: { require2fa?: boolean | undefined; demo: boolean }): boolean {
  const required = settings.require2fa ?? !settings.demo;
  return required && requiresSecondFactor(role);
}

export function generateTotpKey(): Uint8Array {
  const key = new Uint8Array(20);
  crypto.getRandomValues(key);
  return key;
}

export const encodeTotpKey = (key: Uint8Array) => encodeBase64(key);
export const decodeTotpKey = (stored: string) => decodeBase64(stored);

/** The otpauth:// URI shown as a QR code, and the key written out for manual entry. */
export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI('Capacita', accountName, key, TOTP_STEP_SECONDS, TOTP_DIGITS);
}
export function totpManualKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})/g, '$1 ').trim();
}

export function totpCodeAt(key: Uint8Array, now: number): string {
  return generateHOTP(key, BigInt(Math.floor(now / 1000 / TOTP_STEP_SECONDS)), TOTP_DIGITS);
}

/** The 30-second step whose code `code` is, within the drift window around `now`; null when it matches none. */
export function totpCodeStep(key: Uint8Array, code: string, now = Date.now()): number | null {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const current = Math.floor(now / 1000 / TOTP_STEP_SECONDS);
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    if (verifyHOTP(key, BigInt(step), TOTP_DIGITS, clean)) return step;
  }
  return null;
}

export function verifyTotpCode(key: Uint8Array, code: string, now = Date.now()): boolean {
  return totpCodeStep(key, code, now) !== null;
}

/**
 * Accepts a TOTP code at most once: the step of the last accepted code is stored, and only a later step passes. One
 * conditional UPDATE, so two requests with the same code cannot both succeed (a code seen over a shoulder or replayed
 * from a captured request is worthless once used).
 */
async function consumeTotpStep(db: Pick<Database, 'update'>, userId: number, step: number): Promise<boolean> {
  const accepted = await db
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return accepted.length > 0;
}

function randomRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

const recoveryHash = (code: string) => sessionIdFromToken(code.trim().toLowerCase().replace(/\s+/g, ''));

/** How long a key shown on the setup page waits for its first code. */
export const PENDING_KEY_LIFETIME_MS = 10 * 60 * 1000;

/**
 * The key the setup page shows to this session: kept on the session row (never in a cookie, which the client could
 * replace with a key of its own), the same one while it is fresh, so a wrong code keeps the same QR code.
 */
export async function pendingTotpKey(db: Database, sessionId: string, now = Date.now()): Promise<Uint8Array> {
  const [row] = await db.select({ key: sessions.pendingTotpKey, expiresAt: sessions.pendingTotpExpiresAt }).from(sessions).where(eq(sessions.id, sessionId));
  if (row?.key && row.expiresAt && row.expiresAt.getTime() > now) return decodeTotpKey(row.key);
  const key = generateTotpKey();
  await db.update(sessions).set({ pendingTotpKey: encodeTotpKey(key), pendingTotpExpiresAt: new Date(now + PENDING_KEY_LIFETIME_MS) }).where(eq(sessions.id, sessionId));
  return key;
}

export type EnrolResult =
  | { ok: true; recoveryCodes: string[] }
  | { ok: false; error: 'expired' | 'invalidCode' | 'unverifiedSession' | 'currentCodeRequired' | 'currentCodeInvalid' }
  | { ok: false; error: 'throttled'; retryAfterMs: number };

export interface Enrolment {
  userId: number;
  /** The session that showed the key (its row holds it) and that becomes verified. */
  sessionId: string;
  /** A code from the app for the new key. */
  code: string;
  /** When a factor exists: a code from it, or a recovery code — proof that the person replacing it has it. */
  currentCode?: string | undefined;
  ip?: string | null;
  now?: number;
}

/**
 * Saves the session's pending key once the person proves their app produces its codes; returns fresh recovery codes
 * (shown once). An existing factor is replaced only from a session that passed it, and only with a current code (or
 * a recovery code): a password alone never re-keys an account. A replacement signs out the person's other devices.
 */
export async function enrolTotp(db: Database, enrolment: Enrolment): Promise<EnrolResult> {
  const now = enrolment.now ?? Date.now();
  const [row] = await db
    .select({ session: sessions, user: { id: users.id, totpKey: users.totpKey, countryCode: users.countryCode } })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(and(eq(sessions.id, enrolment.sessionId), eq(sessions.userId, enrolment.userId)));
  if (!row) return { ok: false, error: 'expired' };
  const { session, user } = row;
  if (user.totpKey && !session.twoFactorVerified) return { ok: false, error: 'unverifiedSession' };
  if (!session.pendingTotpKey || !session.pendingTotpExpiresAt || session.pendingTotpExpiresAt.getTime() <= now) return { ok: false, error: 'expired' };
  const key = decodeTotpKey(session.pendingTotpKey);
  const step = totpCodeStep(key, enrolment.code, now);
  if (step === null) return { ok: false, error: 'invalidCode' };
  const replacing = user.totpKey !== null;
  if (replacing) {
    if (!enrolment.currentCode?.trim()) return { ok: false, error: 'currentCodeRequired' };
    const current = await checkSecondFactorCode(db, user, enrolment.currentCode, { ip: enrolment.ip, now });
    if (!current.ok) return current.error === 'throttled' ? current : { ok: false, error: 'currentCodeInvalid' };
  }
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomRecoveryCode);
  await writeTransaction(db, async (tx) => {
    // The code that proved the app works is spent: it cannot also pass the next sign-in's check.
    await tx.update(users).set({ totpKey: encodeTotpKey(key), totpLastStep: step }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: recoveryHash(c) })));
    await tx.update(sessions).set({ twoFactorVerified: true, pendingTotpKey: null, pendingTotpExpiresAt: null }).where(eq(sessions.id, session.id));
    if (replacing) await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.id, session.id)));
    await recordAudit(tx, { actorId: user.id, action: replacing ? 'auth.2fa.replace' : 'auth.2fa.enrol', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: enrolment.ip }, now);
  });
  return { ok: true, recoveryCodes: codes };
}

export type SecondFactorResult = { ok: true; usedRecoveryCode: boolean } | { ok: false; error: 'invalidCode' } | { ok: false; error: 'throttled'; retryAfterMs: number };

const throttleKey = (userId: number) => `2fa:user:${userId}`;

/**
 * Checks a TOTP code (once: its step is spent) or a single-use recovery code against the person's factor. Throttled
 * per account: after 5 failures each further attempt waits longer (2 s, 4 s, … up to 15 min); failures are audited.
 */
async function checkSecondFactorCode(
  db: Database,
  user: { id: number; totpKey: string | null; countryCode: string | null },
  code: string,
  options: { ip?: string | null | undefined; now: number },
): Promise<SecondFactorResult> {
  const { now } = options;
  const keys = [throttleKey(user.id)];
  const wait = await remainingBlock(db, keys, now);
  if (wait > 0) return { ok: false, error: 'throttled', retryAfterMs: wait };
  if (!user.totpKey) return { ok: false, error: 'invalidCode' };

  let usedRecoveryCode = false;
  const step = totpCodeStep(decodeTotpKey(user.totpKey), code, now);
  let valid = step !== null && (await consumeTotpStep(db, user.id, step));
  if (!valid && step === null && /[a-z]/i.test(code)) {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: new Date(now) })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, recoveryHash(code)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    valid = usedRecoveryCode = used.length > 0;
  }
  if (!valid) {
    await recordFailure(db, keys, now);
    await recordAudit(db, { actorId: user.id, action: 'auth.2fa.failed', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
    return { ok: false, error: 'invalidCode' };
  }
  await db.delete(throttle).where(eq(throttle.key, throttleKey(user.id)));
  return { ok: true, usedRecoveryCode };
}

/** Checks a TOTP code or a recovery code for the signed-in person and marks the session as verified. */
export async function verifySecondFactor(
  db: Database,
  user: { id: number; totpKey: string | null; countryCode: string | null },
  code: string,
  options: { sessionId: string; ip?: string | null; now?: number },
): Promise<SecondFactorResult> {
  const now = options.now ?? Date.now();
  const result = await checkSecondFactorCode(db, user, code, { ip: options.ip, now });
  if (!result.ok) return result;
  await writeTransaction(db, async (tx) => {
    await tx.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, options.sessionId));
    await recordAudit(tx, { actorId: user.id, action: result.usedRecoveryCode ? 'auth.2fa.recoveryCode' : 'auth.2fa.verified', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
  });
  return result;
}

/** An administrator clears a person's second factor (lost phone and codes); they enrol again at next sign-in. */
export async function resetSecondFactor(db: Database, actor: { id: number }, userId: number, ip?: string | null): Promise<void> {
  await writeTransaction(db, async (tx) => {
    const [user] = await tx.update(users).set({ totpKey: null, totpLastStep: null }).where(eq(users.id, userId)).returning({ countryCode: users.countryCode });
    if (!user) throw notFound(`user ${userId}`);
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await recordAudit(tx, { actorId: actor.id, action: 'user.2fa.reset', targetType: 'user', targetId: userId, countryCode: user.countryCode, ip });
  });
}
