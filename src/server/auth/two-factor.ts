// Two-factor sign-in with TOTP (RFC 6238: 30-second steps, 6 digits, one step of clock drift either way) and
// single-use recovery codes. Verification is throttled per account in the shared throttle table.
import { generateHOTP, verifyHOTP, createTOTPKeyURI } from '@oslojs/otp';
import { decodeBase64, encodeBase32UpperCaseNoPadding, encodeBase64 } from '@oslojs/encoding';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { recoveryCodes, sessions, throttle, users, type Role } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
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

export type EnrolResult = { ok: true; recoveryCodes: string[] } | { ok: false; error: 'invalid_code' };

/** Saves a TOTP key once the person proves their app produces its codes; returns fresh recovery codes (shown once). */
export async function enrolTotp(db: Database, userId: number, key: Uint8Array, code: string, options: { sessionId?: string; ip?: string | null; now?: number } = {}): Promise<EnrolResult> {
  const now = options.now ?? Date.now();
  const step = key.length === 20 ? totpCodeStep(key, code, now) : null;
  if (step === null) return { ok: false, error: 'invalid_code' };
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomRecoveryCode);
  await writeTransaction(db, async (tx) => {
    // The code that proved the app works is spent: it cannot also pass the next sign-in's check.
    const [user] = await tx.update(users).set({ totpKey: encodeTotpKey(key), totpLastStep: step }).where(eq(users.id, userId)).returning({ countryCode: users.countryCode });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: recoveryHash(c) })));
    if (options.sessionId) await tx.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, options.sessionId));
    await recordAudit(tx, { actorId: userId, action: 'auth.2fa.enrol', targetType: 'user', targetId: userId, countryCode: user?.countryCode, ip: options.ip }, now);
  });
  return { ok: true, recoveryCodes: codes };
}

export type SecondFactorResult = { ok: true; usedRecoveryCode: boolean } | { ok: false; error: 'invalid_code' } | { ok: false; error: 'throttled'; retryAfterMs: number };

const throttleKey = (userId: number) => `2fa:user:${userId}`;

/**
 * Checks a TOTP code or a recovery code for the signed-in person and marks the session as verified. Throttled per
 * account: after 5 failures each further attempt waits longer (2 s, 4 s, … up to 15 min).
 */
export async function verifySecondFactor(
  db: Database,
  user: { id: number; totpKey: string | null; countryCode: string | null },
  code: string,
  options: { sessionId: string; ip?: string | null; now?: number },
): Promise<SecondFactorResult> {
  const now = options.now ?? Date.now();
  const keys = [throttleKey(user.id)];
  const wait = await remainingBlock(db, keys, now);
  if (wait > 0) return { ok: false, error: 'throttled', retryAfterMs: wait };
  if (!user.totpKey) return { ok: false, error: 'invalid_code' };

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
    return { ok: false, error: 'invalid_code' };
  }
  await writeTransaction(db, async (tx) => {
    await tx.delete(throttle).where(eq(throttle.key, throttleKey(user.id)));
    await tx.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, options.sessionId));
    await recordAudit(tx, { actorId: user.id, action: usedRecoveryCode ? 'auth.2fa.recoveryCode' : 'auth.2fa.verified', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: options.ip }, now);
  });
  return { ok: true, usedRecoveryCode };
}

export async function countUnusedRecoveryCodes(db: Database, userId: number): Promise<number> {
  const rows = await db.select({ id: recoveryCodes.id }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}

/** An administrator clears a person's second factor (lost phone and codes); they enrol again at next sign-in. */
export async function resetSecondFactor(db: Database, actor: { id: number }, userId: number, ip?: string | null): Promise<void> {
  await writeTransaction(db, async (tx) => {
    const [user] = await tx.update(users).set({ totpKey: null, totpLastStep: null }).where(eq(users.id, userId)).returning({ countryCode: users.countryCode });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await recordAudit(tx, { actorId: actor.id, action: 'user.2fa.reset', targetType: 'user', targetId: userId, countryCode: user?.countryCode, ip });
  });
}
